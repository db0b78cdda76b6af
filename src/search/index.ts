/**
 * Search: "Search the quotes and stories". A pure library: no I/O, no globals beyond a word
 * cache; the web layer owns routes, facets, pagination and the cache file.
 *
 * ## Start-up
 * ```ts
 * const engine = buildSearchEngine(stories, themes)  // ~0.5–2 s per 1,000 stories
 * // or, with a cache file keyed by contentFingerprint(stories, themes):
 * const engine = loadSearchEngine(JSON.parse(text), stories, themes) // throws SearchIndexLoadError → rebuild
 * writeFile(path, JSON.stringify(engine))                    // engine.toJSON()
 * ```
 * Pass published stories only (no drafts). The engine keeps no reference to the stories.
 *
 * ## Per request
 * ```ts
 * const outcome = engine.search(q, { sort: 'relevance' | 'newest' })
 * ```
 * `search` never throws. `outcome.storyHits` (`{storySlug, score, missing}`) and `outcome.quoteHits`
 * (`{storySlug, quoteId, score, missing}`) are the complete ranked lists, those having every
 * word first (`missing` empty), then the partial ones (`missing` names the words they lack): filter them by facets with your
 * own `Map`s (slug → Story, `${slug}#${quoteId}` → Quote), count facets, then slice a page of 20.
 * Order is kept by filtering, so no re-sorting is needed.
 *
 * Show, from the outcome:
 * - `partial`: some results lack some of `words` (each names them: "Missing: power").
 * - `relaxed`: no result had every word; every result is partial.
 * - `suggestions[].query`: "Did you mean …?" links (each checked to find results).
 * - `truncated`: the query was cut to 200 characters. `ignored`: words not searched and why.
 * - `empty`: nothing to search for (empty input, only stop words or exclusions).
 *
 * For each hit on the page only:
 * - `highlightQuote(quote.text, outcome)`: escaped HTML with `<mark>`s; mark it safe.
 * - `storySnippet(story, outcome, 240)`: escaped snippet around the best match, `…` at cuts.
 * - `highlightText(story.title, outcome)`: same marking for titles or summaries.
 * - or the same three from a `SnippetIndex` held per content snapshot
 *   (`index.forQuery(outcome.highlight)`), which tokenises each story and quote once and keeps it.
 *
 * Query language: words (all required, then most of them; common words optional), `word*` prefix, `"exact phrase"`,
 * `-word` and `-"phrase"` exclusions; hyphenated words match as a phrase of their parts and as
 * one run-together word; accents, curly apostrophes and British/American spellings are folded.
 */
export { buildSearchEngine, loadSearchEngine, SearchEngine, type EngineOptions } from './engine.js'
export { SearchIndexLoadError } from './engine-data.js'
export { contentFingerprint, type SerializedSearchIndex } from './stored-index.js'
export type { LunrEvaluator } from './query-run.js'
export { Synonyms, synonymTermProblem } from './synonyms.js'
export { highlightQuote, highlightText, storySnippet, escapeHtml } from './highlight.js'
export { SnippetIndex, QueryHighlighter } from './snippet-index.js'
export {
  parseQuery,
  MAX_QUERY_CHARS,
  MAX_TERMS,
  MAX_TERM_CHARS,
  type ParsedQuery,
} from './query.js'
export type * from './types.js'

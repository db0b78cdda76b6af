import type { Story, Theme } from '../content/model.js'
import type { EngineData, QuoteRef } from './engine-data.js'
import { buildIndexes, type LunrBuilderKind } from './index-builder.js'
import type { PreparedIndex } from './lunr-query.js'
import { parseQuery } from './query.js'
import { emptyHighlight, highlightTerms, planQuery } from './query-plan.js'
import { rankMatches, runPlan, type LunrEvaluator, type Matches } from './query-run.js'
import { contentFingerprint, readEngineData, serializeEngineData } from './stored-index.js'
import type { SerializedSearchIndex } from './stored-index.js'
import { Suggester } from './suggestions.js'
import type { QuoteHit, SearchOptions, SearchOutcome, SearchSort, StoryHit } from './types.js'

/*
 * The search engine: two `lunr.Index`es, one per kind of document (stories, quotes), built with
 * `lunr.Builder` (index-builder.ts) or read from a cache file (stored-index.ts), and queried with
 * `lunr.Query` clauses, as `idx.query()` takes them. Lunr matches and scores (BM25 per field, k1
 * 1.2, b 0.75, field boosts); the queries are evaluated by queryPrepared (lunr-query.ts), which
 * computes exactly what Lunr's `Index#query` returns over the same index, 6–13 times faster
 * (docs/performance.md; tested against it).
 *
 * A search: the parsed query (query.ts) is planned into groups of index terms and phrases
 * (query-plan.ts), run on each kind (query-run.ts: Lunr's clauses, then what Lunr has no notion
 * of: exact phrases, the any-word fallback, "newest" order), and, when nothing matched every word,
 * corrected ("did you mean", suggestions.ts). Lunr's undeclared members are reached only through
 * lunr-internals.ts.
 */

export interface EngineOptions {
  evaluator?: LunrEvaluator
  /** buildSearchEngine: `lean` (LeanBuilder, the default) or Lunr's own lunr.Builder. */
  builder?: LunrBuilderKind
  /**
   * loadSearchEngine: where a kind's Lunr index comes from when the serialised engine has `null`
   * in its place (a cache file read one part at a time, so that the parsed stories index can be
   * collected before the quotes index is parsed).
   */
  readLunr?: (kind: 'stories' | 'quotes') => object
}

/** The search engine: build once at start-up (or load from a cache), then query many times. */
export class SearchEngine {
  private readonly storyPublished: Uint32Array
  private readonly suggester: Suggester

  /** @internal use buildSearchEngine or loadSearchEngine */
  constructor(
    private readonly data: EngineData,
    stories: readonly Story[],
    private readonly evaluator: LunrEvaluator = 'prepared',
  ) {
    this.suggester = new Suggester(data, evaluator)
    const published = new Map(stories.map((s) => [s.slug, s.published]))
    // Published dates as yyyymmdd numbers: "newest" compares integers, not strings.
    this.storyPublished = Uint32Array.from(data.storySlugs, (slug) =>
      Number((published.get(slug) ?? '0000-00-00').replaceAll('-', '')),
    )
  }

  /**
   * Sizes, for logs and the bench. `bytes` counts the engine's typed arrays (word sequences,
   * tables, the prepared postings); the Lunr indexes are ordinary JavaScript objects, measured as
   * heap by the bench.
   */
  get stats(): { stories: number; quotes: number; terms: number; words: number; bytes: number } {
    const { stories, quotes, vocab } = this.data
    const bytes =
      stories.seqStart.byteLength +
      stories.seq.byteLength +
      quotes.seqStart.byteLength +
      quotes.seq.byteLength +
      vocab.df.byteLength +
      vocab.wordTerms.byteLength +
      postingBytes(stories.prepared) +
      postingBytes(quotes.prepared)
    return {
      stories: stories.docCount,
      quotes: quotes.docCount,
      terms: vocab.terms.length - 1,
      words: vocab.words.length,
      bytes,
    }
  }

  get fingerprint(): string {
    return this.data.fingerprint
  }

  /** Story number → slug (the numbers of `SearchOutcome.storyNumbers`). */
  get storySlugs(): readonly string[] {
    return this.data.storySlugs
  }

  /** Quote number → its story's number and the quote's id (`SearchOutcome.quoteNumbers`). */
  get quoteRefs(): readonly Readonly<QuoteRef>[] {
    return this.data.quoteRefs
  }

  /** Search. Never throws on any input; returns every match, ranked. */
  search(input: string, options: SearchOptions = {}): SearchOutcome {
    const sort: SearchSort = options.sort === 'newest' ? 'newest' : 'relevance'
    const parsed = parseQuery(input)
    const positive = parsed.clauses.filter((c) => !c.negated)
    const outcome: SearchOutcome = {
      query: parsed.text,
      truncated: parsed.truncated,
      relaxed: false,
      empty: positive.length === 0,
      sort,
      storyHits: [],
      quoteHits: [],
      storyNumbers: new Int32Array(0),
      quoteNumbers: new Int32Array(0),
      matchedStoryNumbers: new Int32Array(0),
      matchedQuoteNumbers: new Int32Array(0),
      highlight: emptyHighlight(),
      suggestions: [],
      ignored: parsed.ignored,
    }
    // A query of exclusions only would list nearly everything: treat it as nothing to search.
    if (positive.length === 0) return outcome
    outcome.highlight = highlightTerms(positive)
    const plan = planQuery(this.data.vocab, parsed.clauses)
    const keepStories = options.keepStory === undefined ? {} : { keep: options.keepStory }
    const keepQuotes = options.keepQuote === undefined ? {} : { keep: options.keepQuote }
    const evaluator = this.evaluator
    let stories = runPlan(this.data.stories, plan, false, evaluator, keepStories)
    let quotes = runPlan(this.data.quotes, plan, false, evaluator, keepQuotes)
    const strictEmpty = stories.all.length === 0 && quotes.all.length === 0
    if (strictEmpty && plan.optional > 1) {
      stories = runPlan(this.data.stories, plan, true, evaluator, keepStories)
      quotes = runPlan(this.data.quotes, plan, true, evaluator, keepQuotes)
      outcome.relaxed = stories.all.length > 0 || quotes.all.length > 0
    }
    const refs = this.data.quoteRefs
    const rankedStories = rankMatches(stories, sort, (d) => this.storyPublished[d] as number)
    const rankedQuotes = rankMatches(
      quotes,
      sort,
      (d) => this.storyPublished[(refs[d] as QuoteRef).story] as number,
    )
    outcome.storyNumbers = rankedStories.docs
    outcome.quoteNumbers = rankedQuotes.docs
    outcome.matchedStoryNumbers = stories.all
    outcome.matchedQuoteNumbers = quotes.all
    // Tens of thousands of hit objects are made only if someone reads them (the web layer reads
    // the numbers).
    lazy(outcome, 'storyHits', () => this.storyHits(rankedStories))
    lazy(outcome, 'quoteHits', () => this.quoteHits(rankedQuotes))
    if (strictEmpty && options.suggest !== false)
      outcome.suggestions = this.suggester.suggest(parsed.clauses)
    return outcome
  }

  /** Serialise for a cache file (JSON.stringify the result). */
  toJSON(): SerializedSearchIndex {
    return serializeEngineData(this.data, false)
  }

  /**
   * As toJSON, but each Lunr index's postings are a table of document numbers (base64) instead of
   * Lunr's `{ ref: {} }` objects: a fifth of the bytes, and nothing to parse into millions of
   * properties when loading (the start-up cache file). loadSearchEngine reads both forms.
   */
  toCompactJSON(): SerializedSearchIndex {
    return serializeEngineData(this.data, true)
  }

  private storyHits(m: Matches): StoryHit[] {
    const hits: StoryHit[] = new Array<StoryHit>(m.docs.length)
    for (let i = 0; i < m.docs.length; i++) {
      hits[i] = {
        storySlug: this.data.storySlugs[m.docs[i] as number] as string,
        score: round(m.scores[i] as number),
      }
    }
    return hits
  }

  private quoteHits(m: Matches): QuoteHit[] {
    const refs = this.data.quoteRefs
    const hits: QuoteHit[] = new Array<QuoteHit>(m.docs.length)
    for (let i = 0; i < m.docs.length; i++) {
      const ref = refs[m.docs[i] as number] as QuoteRef
      hits[i] = {
        storySlug: this.data.storySlugs[ref.story] as string,
        quoteId: ref.quoteId,
        score: round(m.scores[i] as number),
      }
    }
    return hits
  }
}

function postingBytes(prepared: PreparedIndex): number {
  let bytes = 0
  for (const perField of prepared.postings.values()) for (const p of perField) bytes += p.byteLength
  return bytes
}

/** Define `key` as made by `make` on first read (and settable), enumerable like a plain field. */
function lazy<T extends object, K extends keyof T>(object: T, key: K, make: () => T[K]): void {
  let value: T[K] | undefined
  let made = false
  Object.defineProperty(object, key, {
    enumerable: true,
    configurable: true,
    get: () => {
      if (!made) {
        value = make()
        made = true
      }
      return value
    },
    set: (v: T[K]) => {
      value = v
      made = true
    },
  })
}

const round = (x: number): number => Math.round(x * 10000) / 10000

/** Build the engine from loaded stories and themes (drafts should already be filtered out). */
export function buildSearchEngine(
  stories: readonly Story[],
  themes: readonly Theme[],
  options: EngineOptions = {},
): SearchEngine {
  const indexes = buildIndexes(stories, themes, options.builder ?? 'lean')
  const data: EngineData = { ...indexes, fingerprint: contentFingerprint(stories, themes) }
  return new SearchEngine(data, stories, options.evaluator)
}

/**
 * Load an engine serialised by `toJSON()`. Throws SearchIndexLoadError if it was made by another
 * format or Lunr version, for other content, or is damaged: the caller should then rebuild.
 */
export function loadSearchEngine(
  json: SerializedSearchIndex | string,
  stories: readonly Story[],
  themes: readonly Theme[],
  options: EngineOptions = {},
): SearchEngine {
  const data = readEngineData(json, stories, themes, options.readLunr)
  return new SearchEngine(data, stories, options.evaluator)
}

import type { AlternativeLookup, IgnoredWord } from './query.js'

export type { IgnoredWord, IgnoredReason } from './query.js'

/** Result order: relevance (default) or newest story first (then relevance). */
export type SearchSort = 'relevance' | 'newest'

export interface SearchOptions {
  sort?: SearchSort
  /**
   * Rank and list only the stories (by the engine's story number) for which this is true, such
   * as those passing the page's filters; every match still counts in `matchedStoryNumbers`, and
   * the any-word fallback still looks at every match.
   */
  keepStory?: (storyNumber: number) => boolean
  /** The same for quotes (by quote number). */
  keepQuote?: (quoteNumber: number) => boolean
  /** Compute "did you mean" suggestions when nothing matches every word (default true). */
  suggest?: boolean
  /** Terms that mean the same (a `Synonyms` from content/synonyms.yml): typed ones are expanded. */
  synonyms?: AlternativeLookup
  /**
   * Partial results of a kind (most of the words, not all) are added when fewer of that kind
   * than this have every word, counted before `keepStory`/`keepQuote` (so that each filter's
   * count is what ticking it gives). Default PARTIAL_BELOW (a page of results); 0 for none.
   */
  partialBelow?: number
}

/** A typed term that was also searched for as the other terms of its synonym groups. */
export interface Expansion {
  /** As typed. */
  term: string
  /** As written in the synonyms file. */
  alsoSearched: string[]
}

export interface StoryHit {
  storySlug: string
  score: number
  /** The words of `SearchOutcome.words` it lacks (empty when it has them all). */
  missing: string[]
}

export interface QuoteHit {
  storySlug: string
  quoteId: string
  score: number
  /** The words of `SearchOutcome.words` it lacks (empty when it has them all). */
  missing: string[]
}

/** What the highlighter marks; plain data so the outcome can be cached or sent to a client. */
export interface HighlightTerms {
  /** Index terms (stemmed, canonical spelling) of the positive words. */
  terms: string[]
  /** Folded prefixes of `word*` searches, with their British/American variants. */
  prefixes: string[]
  /** Each positive phrase as index terms in order, stop words included. */
  phrases: string[][]
}

export interface Suggestion {
  /** A corrected query that was checked to find results. */
  query: string
  corrections: { from: string; to: string }[]
}

export interface SearchOutcome {
  /** The query as used: control characters removed, cut to 200 characters. */
  query: string
  /** True when the input was longer than 200 characters and was cut. */
  truncated: boolean
  /** True when no document had every word, and every result is partial (show a notice). */
  relaxed: boolean
  /** True when some results (of either kind, kept or not) lack some of `words`. */
  partial: boolean
  /**
   * The words a result may lack, as typed, in query order: words, `word*` and terms of the
   * synonyms file; not phrases (always required) and not common words (never required).
   */
  words: string[]
  /** True when there was nothing to search for (empty input, only stop words or exclusions). */
  empty: boolean
  sort: SearchSort
  /** Every matching story (that `keepStory` keeps), best first (or newest first). */
  storyHits: StoryHit[]
  /** Every matching quote (that `keepQuote` keeps), best first (or newest story first). */
  quoteHits: QuoteHit[]
  /**
   * The same stories as `storyHits`, in the same order, as the engine's story numbers
   * (`engine.storySlugs[n]`): for a pass over every hit with no object per hit. `storyHits` is
   * made from these only when it is read.
   */
  storyNumbers: Int32Array
  /** The same quotes as `quoteHits`, in order, as quote numbers (`engine.quoteRefs[n]`). */
  quoteNumbers: Int32Array
  /** How many of `storyNumbers`, from the first, have every word; the partial ones follow. */
  storyAllWords: number
  /** How many of `quoteNumbers`, from the first, have every word. */
  quoteAllWords: number
  /**
   * For each partial story (`storyNumbers[storyAllWords + i]`), the words it has: bit k set for
   * `words[k]`. Ranked by how many it has, then by score (or newest first).
   */
  storyWordsHad: Uint16Array
  /** The same for each partial quote (`quoteNumbers[quoteAllWords + i]`). */
  quoteWordsHad: Uint16Array
  /** Every matching story (full or partial), kept or not, in no particular order (for facets). */
  matchedStoryNumbers: Int32Array
  /** Every matching quote, kept or not, in no particular order. */
  matchedQuoteNumbers: Int32Array
  highlight: HighlightTerms
  /** Typed terms also searched for as their synonyms, in query order. */
  expansions: Expansion[]
  /** Corrected queries, only when nothing matched every word. */
  suggestions: Suggestion[]
  /** Words that were not searched for, and why (stop word, too long, too many words). */
  ignored: IgnoredWord[]
}

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
}

export interface QuoteHit {
  storySlug: string
  quoteId: string
  score: number
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
  /** True when no document had every word, and these are any-word results (show a notice). */
  relaxed: boolean
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
  /** Every matching story, kept or not, in no particular order (for counting facets). */
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

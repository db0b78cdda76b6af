import type lunr from 'lunr'
import { EMPTY_POSTING, prepareIndex, shareLunrPostings, type PreparedIndex } from './lunr-query.js'
import type { LunrInvertedIndex } from './lunr-internals.js'

/*
 * What a search engine holds, whether it was just built (index-builder.ts) or read from a cache
 * file (stored-index.ts): two Lunr indexes, one per kind of document, with each document's
 * sequence of term ids for phrases, and the vocabulary that names the term ids. Querying
 * (query-plan.ts, query-run.ts, suggestions.ts) reads it and never changes it.
 */

/** What Lunr may be given as a term: letters and digits only (`*` would be a wildcard). */
export const SAFE_TERM = /^[\p{L}\p{N}]+$/u

export interface FieldSpec {
  readonly name: string
  readonly boost: number
}

/*
 * Field names are one letter: Lunr keys every matched (field, document) pair of every query by the
 * string `${field}/${ref}` (measured: mean latency 15% lower than with "title", "body"...).
 * Stories keep one field per part, with their own boosts; merging them into a "head" and a "body"
 * field was no faster (within run-to-run noise) and saved 7% of the heap at 10,000 stories.
 */

/** Story fields: title (t) and council (c) above summary (s), impacts (i), theme titles (h),
 * which are above the narrative (b). */
export const STORY_FIELDS: readonly FieldSpec[] = [
  { name: 't', boost: 6 },
  { name: 'c', boost: 4 },
  { name: 's', boost: 3 },
  { name: 'i', boost: 2 },
  { name: 'h', boost: 2 },
  { name: 'b', boost: 1 },
]
/** Quote fields: its words (t) matter more than who said it and where (m). */
export const QUOTE_FIELDS: readonly FieldSpec[] = [
  { name: 't', boost: 3 },
  { name: 'm', boost: 1 },
]

/** The one metadata object every posting shares (no metadata is recorded). */
export const NO_METADATA: object = Object.freeze(Object.create(null) as object)

/** The Lunr index and word sequences of one kind of document. */
export interface KindIndex {
  index: lunr.Index
  /** The index read into flat arrays for `queryPrepared` (Lunr's query, computed faster). */
  prepared: PreparedIndex
  /** `index.invertedIndex`, typed. */
  postings: LunrInvertedIndex
  docCount: number
  /** seq[seqStart[d] .. seqStart[d+1]) is document d's term ids in order. */
  seqStart: Uint32Array
  seq: Uint32Array
}

export interface Vocabulary {
  /** Term id → term; id 0 is the separator in sequences. */
  terms: string[]
  ids: Map<string, number>
  /** Documents (of both kinds) containing each term; 0 for stop words, which are not indexed. */
  df: Uint32Array
  /** Every canonical word (not stop words), sorted, for prefix search and suggestions. */
  words: string[]
  /** wordTerms[i] is the term id of words[i]. */
  wordTerms: Uint32Array
  /** Every indexed term, sorted (to see what a prefix wildcard would expand to). */
  sortedTerms: string[]
}

export function makeVocabulary(
  terms: string[],
  df: Uint32Array,
  words: string[],
  wordTerms: Uint32Array,
): Vocabulary {
  const ids = new Map<string, number>()
  terms.forEach((t, i) => ids.set(t, i))
  const sortedTerms = terms.filter((_, i) => (df[i] as number) > 0).sort()
  return { terms, ids, df, words, wordTerms, sortedTerms }
}

/** Documents (of both kinds) containing a term, by term id. */
export function termDf(vocab: Vocabulary, id: number): number {
  return vocab.df[id] ?? 0
}

/** First index in the sorted list not less than `key`. */
export function lowerBound(list: readonly string[], key: string): number {
  let lo = 0
  let hi = list.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if ((list[mid] as string) < key) lo = mid + 1
    else hi = mid
  }
  return lo
}

export interface QuoteRef {
  story: number
  quoteId: string
}

export interface EngineData {
  vocab: Vocabulary
  stories: KindIndex
  quotes: KindIndex
  storySlugs: string[]
  quoteRefs: QuoteRef[]
  fingerprint: string
}

/** Thrown by loadSearchEngine when the cache is stale or damaged: rebuild with buildSearchEngine. */
export class SearchIndexLoadError extends Error {
  override readonly name = 'SearchIndexLoadError'
}

/** Per term, per field, its document numbers, as the typed arrays `queryPrepared` reads. */
export function toPostings(lists: ReadonlyMap<string, number[][]>): Map<string, Int32Array[]> {
  const out = new Map<string, Int32Array[]>()
  for (const [term, perField] of lists) {
    out.set(
      term,
      perField.map((docs) => (docs.length === 0 ? EMPTY_POSTING : Int32Array.from(docs))),
    )
  }
  return out
}

/**
 * Prepare a kind's Lunr index for `queryPrepared`, whose document numbers must be the engine's
 * (refs "0", "1", ... in order).
 */
export function prepareNumbered(
  index: lunr.Index,
  docCount: number,
  postings: Map<string, Int32Array[]>,
  { alreadyShared = false }: { alreadyShared?: boolean } = {},
): PreparedIndex {
  const prepared = prepareIndex(index, postings)
  if (prepared.refs.length !== docCount || prepared.refs.some((r, i) => r !== String(i))) {
    throw new SearchIndexLoadError('the Lunr index does not number its documents in order')
  }
  // LeanBuilder's index was given its shared postings before `build()`.
  if (!alreadyShared) shareLunrPostings(prepared, NO_METADATA)
  return prepared
}

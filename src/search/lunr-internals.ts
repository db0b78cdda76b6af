import lunr from 'lunr'

/*
 * Lunr 2.3.9's members that @types/lunr does not declare (or declares with another shape), each
 * behind one typed function. This is the only module that reaches them: the search engine reads
 * Lunr's inverted index and field vectors into flat arrays, builds indexes with a builder of its
 * own, and asks Lunr's token sets for fuzzy and wildcard expansions, all of which lean on these.
 * `lunr` is pinned to 2.3.9 (package.json); on an upgrade, this file is the one to check against
 * Lunr's source, and the equivalence tests in test/search/lunr-query.test.ts say whether it holds.
 */

/** Lunr's inverted index: term → { _index, field → { document ref → metadata } }. */
export type LunrInvertedIndex = Record<string, Record<string, Record<string, object>>>

/** The index's posting of one term: its term index, then a field → { ref → metadata } per field. */
export type LunrTermPosting = Record<string, unknown> & { _index: number }

/** The inverted index of a built or loaded `lunr.Index`. */
export function indexInvertedIndex(index: lunr.Index): LunrInvertedIndex {
  return (index as unknown as { invertedIndex: LunrInvertedIndex }).invertedIndex
}

/** The same inverted index, each term's posting with its `_index` (the vector dimension). */
export function indexTermPostings(index: lunr.Index): Record<string, LunrTermPosting> {
  return (index as unknown as { invertedIndex: Record<string, LunrTermPosting> }).invertedIndex
}

/** A `lunr.Index`'s field vectors, keyed by field ref (`${field}/${document ref}`). */
export function indexFieldVectors(index: lunr.Index): Record<string, lunr.Vector> {
  return (index as unknown as { fieldVectors: Record<string, lunr.Vector> }).fieldVectors
}

/** A `lunr.Index`'s field names, in the order they were added to its builder. */
export function indexFields(index: lunr.Index): string[] {
  return (index as unknown as { fields: string[] }).fields
}

/** The token set of every term of a `lunr.Index`, which expands wildcards and edit distances. */
export function indexTokenSet(index: lunr.Index): lunr.TokenSet {
  return (index as unknown as { tokenSet: lunr.TokenSet }).tokenSet
}

/** A vector's elements, `[dimension, value, dimension, value, ...]` with dimensions ascending. */
export function vectorElements(vector: lunr.Vector): number[] {
  return (vector as unknown as { elements: number[] }).elements
}

/** `lunr.Index#toJSON()` as lunr 2.3.9 makes it. */
export interface SerializedLunrIndex {
  version: string
  fields: string[]
  fieldVectors: [string, number[]][]
  invertedIndex: [string, LunrTermPosting][]
  pipeline: string[]
}

export function serializeIndex(index: lunr.Index): SerializedLunrIndex {
  return index.toJSON() as unknown as SerializedLunrIndex
}

/** A query clause as lunr 2.3.9 makes it (@types/lunr leaves out `presence`). */
export type LunrClause = lunr.Query.Clause & { presence: lunr.Query.presence }

export function queryClauses(query: lunr.Query): LunrClause[] {
  return query.clauses as LunrClause[]
}

/** The token set a query clause matches (its term, with its wildcards and edit distance). */
export function tokenSetOfClause(clause: lunr.Query.Clause): lunr.TokenSet {
  return (
    lunr.TokenSet as unknown as { fromClause(c: lunr.Query.Clause): lunr.TokenSet }
  ).fromClause(clause)
}

/** A token set of sorted, distinct words (Lunr throws if they are not sorted). */
export function tokenSetOfWords(sortedWords: readonly string[]): lunr.TokenSet {
  return (
    lunr.TokenSet as unknown as { fromArray(words: readonly string[]): lunr.TokenSet }
  ).fromArray(sortedWords)
}

/** The token set of every string within `editDistance` edits of `word`. */
export function tokenSetNear(word: string, editDistance: number): lunr.TokenSet {
  return (
    lunr.TokenSet as unknown as { fromFuzzyString(w: string, d: number): lunr.TokenSet }
  ).fromFuzzyString(word, editDistance)
}

/** Lunr's inverse document frequency of a term, from its posting in a builder's inverted index. */
export const lunrIdf = (lunr as unknown as { idf(posting: object, documentCount: number): number })
  .idf

/** Lunr's Porter stemmer on one word (lunr.stemmer works on Token objects, and is pure). */
const stemToken = lunr.stemmer as unknown as (token: lunr.Token) => lunr.Token

export function porterStem(word: string): string {
  return stemToken(new lunr.Token(word, {})).toString()
}

/** The lunr.Builder state that the engine's LeanBuilder writes and reads, as lunr 2.3.9 names it. */
export interface BuilderInternals {
  _ref: string
  _fields: Record<string, { boost?: number }>
  _documents: Record<string, { boost?: number }>
  _k1: number
  _b: number
  documentCount: number
  fieldLengths: Record<string, number>
  averageFieldLength: Record<string, number>
  fieldVectors: Record<string, lunr.Vector>
  invertedIndex: Record<string, { _index: number }>
  termIndex: number
}

export function builderInternals(builder: lunr.Builder): BuilderInternals {
  return builder as unknown as BuilderInternals
}

/** A builder's inverted index, as the index it builds will hold it. */
export function builderInvertedIndex(builder: lunr.Builder): LunrInvertedIndex {
  return builder.invertedIndex as LunrInvertedIndex
}

/**
 * Make a builder take each field's value as its list of index terms. Lunr's builder uses a token
 * only as a property key (`String(token)`) when no metadata is whitelisted, so the term strings
 * themselves serve as tokens: `lunr.tokenizer` would allocate a Token and a metadata object per
 * word. Declared as `typeof lunr.tokenizer`, which also carries `separator`, which the builder
 * never reads.
 */
export function useTermListTokenizer(builder: lunr.Builder): void {
  builder.metadataWhitelist = []
  builder.tokenizer = termListTokenizer
}

const termListTokenizer = ((terms: unknown) =>
  Array.isArray(terms) ? terms : []) as unknown as typeof lunr.tokenizer

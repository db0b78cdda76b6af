import lunr from 'lunr'
import {
  indexFieldVectors,
  indexFields,
  indexTermPostings,
  indexTokenSet,
  queryClauses,
  type LunrTermPosting,
  tokenSetOfClause,
  vectorElements,
} from './lunr-internals.js'

/*
 * Lunr's `Index#query`, evaluated over the same `lunr.Index` with flat arrays.
 *
 * Why: profiled at 10,000 stories (docs/performance.md), ~90% of a search was inside Lunr's
 * `Index#query`, and little of that is the search itself. For every (term, field, document) it
 * matches, Lunr makes a `FieldRef`, its string (`"b/123"`), a `MatchData` with a cloned metadata
 * object, and a key in a dictionary of tens of thousands of such strings; it keeps document sets
 * as objects keyed by ref (`new lunr.Set(Object.keys(posting))`, then `union`, `intersect`); it
 * scores each match by walking the whole field vector (hundreds of terms) for the one to three
 * terms of the query; and it sorts every result with a comparator. Where "council" matches
 * 80,000 quotes that is most of a second.
 *
 * What stays Lunr's: the index itself (`lunr.Builder`'s inverted index, its BM25 field vectors
 * with their field boosts, its token set), the query (`lunr.Query` clauses: presence, trailing
 * wildcards and edit distances expanded through Lunr's own `TokenSet`, boosts), the scoring
 * (Lunr's `Vector#similarity` of its query vector and each field vector, summed over fields) and
 * the order. What changes is only how it is computed:
 * - each posting list is read once, at preparation, into an `Int32Array` of document numbers
 *   (in Lunr's iteration order: `Object.keys` of the posting);
 * - document sets are bitsets;
 * - a (document, field) pair is scored by a binary search of the field vector for each query term
 *   (the query has a handful of terms; a narrative's vector has hundreds), summing in the same
 *   order as Lunr's merge, so the floating-point result is the same number;
 * - documents are scored only if they pass the required and prohibited sets;
 * - the order (score, highest first; ties in the order Lunr first meets the documents, since its
 *   sort is stable) is made with a native numeric sort and no comparator;
 * - the working arrays are kept between queries, and the checks Lunr cannot express (phrases)
 *   may filter documents before they are scored (`QueryOptions.accept`).
 * shareLunrPostings (below) then lets the lunr.Index read its postings from these arrays, so
 * they are held once.
 *
 * Results are identical to `lunr.Index.prototype.query` (same documents, same order, the same
 * score to the last bit): test/search/lunr-query.test.ts checks that on generated corpora and
 * random queries. Queries this does not cover (clauses restricted to some fields, clauses that
 * run the search pipeline, a query of exclusions only) go to Lunr's own `query`; the engine never
 * makes them.
 */

/** Matches best first: document numbers (see `PreparedIndex.refs`) and Lunr's scores. */
export interface LunrMatches {
  docs: Int32Array
  scores: Float64Array
}

/** A `lunr.Index` read into flat arrays for `queryPrepared`. */
export interface PreparedIndex {
  readonly index: lunr.Index
  readonly fields: readonly string[]
  /** Document number → Lunr ref. */
  readonly refs: readonly string[]
  /** term → one posting per field (in `fields` order): the documents having the term there. */
  readonly postings: ReadonlyMap<string, readonly Int32Array[]>
  /** term → Lunr's term index (the vector dimension). */
  readonly termIndex: ReadonlyMap<string, number>
  /** vectors[field][doc]: the elements of Lunr's field vector ([dimension, weight, ...]). */
  readonly vectors: readonly (readonly number[])[][]
}

/** The posting of a term absent from a field (shared: most terms are absent from most fields). */
export const EMPTY_POSTING: Int32Array = new Int32Array(0)

/**
 * Read a Lunr index into flat arrays (once, after building or loading it). Refs are numbered in
 * the order of Lunr's field vectors (the order documents were added). `known` saves reading the
 * postings when the caller collected them while adding or checking documents: per term, per
 * field, the document numbers in the order of `Object.keys` of Lunr's posting.
 */
export function prepareIndex(index: lunr.Index, known?: Map<string, Int32Array[]>): PreparedIndex {
  const invertedIndex = indexTermPostings(index)
  const fieldVectors = indexFieldVectors(index)
  const fields = indexFields(index)
  const refs: string[] = []
  const docOf = new Map<string, number>()
  const vectors: number[][][] = fields.map(() => [])
  const fieldOf = new Map(fields.map((f, i) => [f, i]))
  for (const key in fieldVectors) {
    // A FieldRef is `${field}/${ref}`; the field name has no "/" (lunr.FieldRef.fromString).
    const slash = key.indexOf('/')
    const field = fieldOf.get(key.slice(0, slash))
    const ref = key.slice(slash + 1)
    if (field === undefined) throw new Error(`lunr-query: a vector of an unknown field: ${key}`)
    let doc = docOf.get(ref)
    if (doc === undefined) {
      doc = refs.length
      refs.push(ref)
      docOf.set(ref, doc)
    }
    ;(vectors[field] as number[][])[doc] = vectorElements(fieldVectors[key] as lunr.Vector)
  }
  for (const perField of vectors) {
    for (let d = 0; d < refs.length; d++) perField[d] ??= []
  }
  const postings = known ?? new Map<string, Int32Array[]>()
  const termIndex = new Map<string, number>()
  const canonicalRefs = refs.every((r, i) => r === String(i))
  for (const term in invertedIndex) {
    const posting = invertedIndex[term] as LunrTermPosting
    termIndex.set(term, posting._index)
    if (known !== undefined) {
      if (!known.has(term)) throw new Error(`lunr-query: no posting given for ${term}`)
      continue
    }
    postings.set(
      term,
      fields.map((field) => {
        const byRef = posting[field] as Record<string, unknown> | undefined
        if (byRef === undefined) return EMPTY_POSTING
        const keys = Object.keys(byRef)
        const docs = new Int32Array(keys.length)
        for (let i = 0; i < keys.length; i++) {
          const ref = keys[i] as string
          const doc = canonicalRefs ? Number(ref) : docOf.get(ref)
          if (doc === undefined || !(doc >= 0 && doc < refs.length)) {
            throw new Error(`lunr-query: a posting of ${term} names an unknown document`)
          }
          docs[i] = doc
        }
        return docs
      }),
    )
  }
  return { index, fields, refs, postings, termIndex, vectors }
}

/** The index terms a clause stands for, found as Lunr finds them (its token set). */
export function expandClause(prepared: PreparedIndex, clause: lunr.Query.Clause): string[] {
  // Lunr's token set reads a "*" anywhere in the term as a wildcard, whatever the clause says.
  const exact =
    (clause.editDistance ?? 0) === 0 &&
    (clause.wildcard ?? lunr.Query.wildcard.NONE) === lunr.Query.wildcard.NONE &&
    !clause.term.includes('*')
  if (exact) return prepared.postings.has(clause.term) ? [clause.term] : []
  return indexTokenSet(prepared.index).intersect(tokenSetOfClause(clause)).toArray()
}

/** A set of documents as a bitset. */
class DocSet {
  readonly words: Uint32Array
  constructor(size: number) {
    this.words = new Uint32Array((size + 31) >>> 5)
  }
  addAll(docs: Int32Array): void {
    const w = this.words
    for (let i = 0; i < docs.length; i++) {
      const d = docs[i] as number
      w[d >>> 5] = (w[d >>> 5] as number) | (1 << (d & 31))
    }
  }
  has(d: number): boolean {
    return (((this.words[d >>> 5] as number) >>> (d & 31)) & 1) === 1
  }
  /** this = this ∩ other */
  intersect(other: DocSet): void {
    const a = this.words
    const b = other.words
    for (let i = 0; i < a.length; i++) a[i] = (a[i] as number) & (b[i] as number)
  }
}

/** Whether `queryPrepared` evaluates this query itself (else it is Lunr's own `query`). */
function covered(prepared: PreparedIndex, query: lunr.Query): boolean {
  const n = prepared.fields.length
  let positive = false
  for (const clause of queryClauses(query)) {
    if (clause.usePipeline !== false) return false
    const fields = clause.fields ?? prepared.fields
    if (fields.length !== n || fields.some((f, i) => f !== prepared.fields[i])) return false
    if (clause.presence !== lunr.Query.presence.PROHIBITED) positive = true
  }
  return positive
}

/** First position in the ascending array `a` whose value is not less than (`upper`: greater
 * than) `x`. */
function bound(a: Float64Array, x: number, upper: boolean): number {
  let lo = 0
  let hi = a.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    const v = a[mid] as number
    if (v < x || (upper && v === x)) lo = mid + 1
    else hi = mid
  }
  return lo
}

/**
 * Lunr's cosine for one (document, field): the query vector `q` (dimensions ascending) against
 * the field vector `v`, each dimension found by binary search, summed in ascending dimension
 * order as Lunr's merge sums them, divided by the query vector's magnitude (`|| 0` as Lunr).
 */
function similarity(q: readonly number[], magnitude: number, v: readonly number[]): number {
  let dot = 0
  let lo = 0
  const pairs = v.length >>> 1
  for (let i = 0; i < q.length; i += 2) {
    const dim = q[i] as number
    let hi = pairs
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if ((v[mid * 2] as number) < dim) lo = mid + 1
      else hi = mid
    }
    if (lo === pairs) break
    if (v[lo * 2] === dim) dot += (q[i + 1] as number) * (v[lo * 2 + 1] as number)
  }
  return dot / magnitude || 0
}

/**
 * Per-document working arrays, kept between queries of an index (queries run one at a time):
 * allocating them per query (640 KB of scores alone at 80,000 quotes) was a tenth of the search's
 * time in garbage collection. A slot counts as set only if its stamp is this query's.
 */
interface Scratch {
  stamp: number
  /** met[d] === stamp: document d was looked at this query, and `kept[d]` says what became of it. */
  met: Uint32Array
  /** REJECTED (not a match), MATCHED (a match, not kept) or KEPT (scored and returned). */
  kept: Uint8Array
  /** scored[f][d] === stamp: (document d, field f) has been scored this query. */
  scored: Uint32Array[]
  scores: Float64Array
  order: Int32Array
}

const scratches = new WeakMap<PreparedIndex, Scratch>()

function scratchFor(prepared: PreparedIndex): Scratch {
  const size = prepared.refs.length
  let s = scratches.get(prepared)
  if (s === undefined || s.stamp === 0xffffffff) {
    s = {
      stamp: 0,
      met: new Uint32Array(size),
      kept: new Uint8Array(size),
      scored: prepared.fields.map(() => new Uint32Array(size)),
      scores: new Float64Array(size),
      order: new Int32Array(size),
    }
    scratches.set(prepared, s)
  }
  s.stamp++
  return s
}

/** One posting to score, in the order Lunr first meets it. */
interface ScoredPosting {
  field: number
  docs: Int32Array
}

export interface QueryOptions {
  /**
   * Only documents for which this is true are matches: the same as filtering Lunr's results
   * afterwards (scores are per document, and the order of the rest is kept), without scoring
   * the documents a phrase or a group check would drop.
   */
  accept?: (doc: number) => boolean
  /**
   * Of the matches, only those for which this is true are scored and returned (a filter on the
   * results, such as the search page's facets); every match is still given to `onMatch`.
   */
  keep?: (doc: number) => boolean
  /** Called once for every match, kept or not, in no particular order. */
  onMatch?: (doc: number) => void
  /** Stop at the first match: the result is one document or none (is there any?). */
  firstOnly?: boolean
}

const REJECTED = 0
const MATCHED = 1
const KEPT = 2

/**
 * `index.query(build)`, evaluated as described above. Returns the matches as document numbers
 * (`prepared.refs[doc]` is Lunr's ref) and scores, best first.
 */
export function queryPrepared(
  prepared: PreparedIndex,
  build: (query: lunr.Query) => void,
  options: QueryOptions = {},
): LunrMatches {
  const { fields, refs, postings, termIndex, vectors } = prepared
  const query = new lunr.Query(fields as string[])
  build(query)
  if (!covered(prepared, query)) return queryWithLunr(prepared, build, options)
  const size = refs.length
  const { REQUIRED, PROHIBITED } = lunr.Query.presence
  const queryVectors = fields.map(() => new lunr.Vector([]))
  const seenTermField = new Set<string>()
  const toScore: ScoredPosting[] = []
  let required: DocSet | undefined
  let requiredEmpty = false
  let prohibited: DocSet | undefined
  const sum = (a: number, b: number) => a + b

  for (const clause of queryClauses(query)) {
    const expanded = expandClause(prepared, clause)
    if (expanded.length === 0 && clause.presence === REQUIRED) {
      requiredEmpty = true
      continue
    }
    const clauseMatches = clause.presence === REQUIRED ? new DocSet(size) : undefined
    for (const term of expanded) {
      const perField = postings.get(term) as readonly Int32Array[]
      for (let f = 0; f < fields.length; f++) {
        const docs = perField[f] as Int32Array
        if (clauseMatches !== undefined) clauseMatches.addAll(docs)
        if (clause.presence === PROHIBITED) {
          prohibited ??= new DocSet(size)
          prohibited.addAll(docs)
          continue
        }
        ;(queryVectors[f] as lunr.Vector).upsert(
          termIndex.get(term) as number,
          clause.boost ?? 1,
          sum,
        )
        const key = `${f}/${term}`
        if (seenTermField.has(key)) continue
        seenTermField.add(key)
        if (docs.length > 0) toScore.push({ field: f, docs })
      }
    }
    if (clauseMatches !== undefined) {
      if (required === undefined) required = clauseMatches
      else required.intersect(clauseMatches)
    }
  }
  if (requiredEmpty) return { docs: new Int32Array(0), scores: new Float64Array(0) }

  // Score each (document, field) once, in the order Lunr first meets it, so that each
  // document's score is summed in Lunr's order; documents listed in the order first met.
  const q = queryVectors.map(vectorElements)
  const magnitudes = queryVectors.map((v) => v.magnitude())
  const { stamp, met, kept, scored, scores, order } = scratchFor(prepared)
  const { accept, keep, onMatch, firstOnly = false } = options
  let count = 0
  for (const { field, docs } of toScore) {
    const done = scored[field] as Uint32Array
    const qv = q[field] as number[]
    const magnitude = magnitudes[field] as number
    const fieldVectors = vectors[field] as number[][]
    for (let i = 0; i < docs.length; i++) {
      const d = docs[i] as number
      if (done[d] === stamp) continue
      done[d] = stamp
      if (required !== undefined && !required.has(d)) continue
      if (prohibited !== undefined && prohibited.has(d)) continue
      if (met[d] !== stamp) {
        // The first time this document is met: is it a match, and is it kept?
        met[d] = stamp
        if (accept !== undefined && !accept(d)) {
          kept[d] = REJECTED
          continue
        }
        if (firstOnly) return { docs: Int32Array.of(d), scores: Float64Array.of(0) }
        onMatch?.(d)
        if (keep !== undefined && !keep(d)) {
          kept[d] = MATCHED
          continue
        }
        kept[d] = KEPT
        scores[d] = 0
        order[count++] = d
      } else if (kept[d] !== KEPT) continue
      // Summed field by field in the order Lunr meets them (0 + x is x: Lunr starts from x).
      scores[d] = (scores[d] as number) + similarity(qv, magnitude, fieldVectors[d] as number[])
    }
  }
  return rank(order.subarray(0, count), scores)
}

/**
 * Sort documents by score, highest first, ties in `order` (Lunr's stable sort), without a
 * comparator: the scores sorted natively give each document's block of equal scores, and the
 * documents of a block take its places in `order`.
 */
function rank(order: Int32Array, scoreOf: Float64Array): LunrMatches {
  const n = order.length
  const sorted = new Float64Array(n)
  for (let i = 0; i < n; i++) sorted[i] = scoreOf[order[i] as number] as number
  sorted.sort()
  const taken = new Int32Array(n)
  const docs = new Int32Array(n)
  const scores = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const d = order[i] as number
    const s = scoreOf[d] as number
    // The block of s is sorted[lo, hi) ascending; highest first puts it at n - hi .. n - lo.
    const lo = bound(sorted, s, false)
    const hi = bound(sorted, s, true)
    const at = n - hi + (taken[lo] as number)
    taken[lo] = (taken[lo] as number) + 1
    docs[at] = d
    scores[at] = s
  }
  return { docs, scores }
}

/** `index.query(build)` by Lunr itself, in the same form (for comparison, and what queryPrepared
 * does not cover). */
export function queryWithLunr(
  prepared: PreparedIndex,
  build: (query: lunr.Query) => void,
  options: QueryOptions = {},
): LunrMatches {
  const docOf = new Map(prepared.refs.map((r, i) => [r, i]))
  const docs: number[] = []
  const scores: number[] = []
  for (const r of prepared.index.query(build)) {
    const d = docOf.get(r.ref) as number
    if (options.accept !== undefined && !options.accept(d)) continue
    if (options.firstOnly === true) return { docs: Int32Array.of(d), scores: Float64Array.of(0) }
    options.onMatch?.(d)
    if (options.keep !== undefined && !options.keep(d)) continue
    docs.push(d)
    scores.push(r.score)
  }
  return { docs: Int32Array.from(docs), scores: Float64Array.from(scores) }
}

/** What a Lunr posting holds for a field: every ref having the term, with its metadata. */
type FieldPosting = Record<string, object>

/**
 * Make the `lunr.Index`'s inverted index hold its postings once, in `prepared.postings`, instead
 * of a second copy as Lunr's objects (one property per term, field and document: 177 MB of heap
 * at 10,000 stories against 22 MB of Int32Array). Each term's posting becomes an object whose
 * field properties are getters building Lunr's `{ ref: metadata }` on read, and whose `toJSON`
 * gives Lunr's serialised posting, so the index still answers Lunr's own `Index#query` and
 * `toJSON` exactly as before (test/search/lunr-query.test.ts). Only for indexes without metadata:
 * every posting's metadata is `metadata`.
 */
export function shareLunrPostings(prepared: PreparedIndex, metadata: object): void {
  const { refs } = prepared
  installSharedPostings(
    indexTermPostings(prepared.index),
    prepared.fields,
    (d) => refs[d] as string,
    prepared.postings,
    metadata,
  )
}

/**
 * Replace every posting of a Lunr inverted index (term → { _index, field → { ref: metadata } })
 * by one read from `postings` (term → per field, document numbers): the field properties are
 * enumerable getters (Lunr's `lunr.idf` counts a posting's documents with `for…in`), and
 * `toJSON` gives Lunr's serialised posting.
 */
export function installSharedPostings(
  invertedIndex: Record<string, unknown>,
  fields: readonly string[],
  refOf: (doc: number) => string,
  postings: ReadonlyMap<string, readonly Int32Array[]>,
  metadata: object,
): void {
  const fieldPosting = (docs: Int32Array): FieldPosting => {
    const out = Object.create(null) as FieldPosting
    for (let i = 0; i < docs.length; i++) out[refOf(docs[i] as number)] = metadata
    return out
  }
  class SharedPosting {
    /** Not a property Lunr can see (`for…in`, JSON). */
    readonly #perField: readonly Int32Array[]
    constructor(
      readonly _index: number,
      perField: readonly Int32Array[],
    ) {
      this.#perField = perField
    }
    field(i: number): FieldPosting {
      return fieldPosting(this.#perField[i] as Int32Array)
    }
    toJSON(): Record<string, unknown> {
      const out: Record<string, unknown> = { _index: this._index }
      fields.forEach((f, i) => {
        out[f] = this.field(i)
      })
      return out
    }
  }
  fields.forEach((f, i) => {
    if (f in SharedPosting.prototype || f === '_index') {
      throw new Error(`lunr-query: a field may not be named ${f}`)
    }
    Object.defineProperty(SharedPosting.prototype, f, {
      enumerable: true,
      get(this: SharedPosting) {
        return this.field(i)
      },
    })
  })
  for (const term in invertedIndex) {
    const posting = invertedIndex[term] as { _index: number }
    const perField = postings.get(term)
    if (perField === undefined) throw new Error(`lunr-query: no posting given for ${term}`)
    invertedIndex[term] = new SharedPosting(posting._index, perField)
  }
}

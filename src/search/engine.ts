import { createHash } from 'node:crypto'
import lunr from 'lunr'
import type { Story, Theme } from '../content/model.js'
import { SPEAKERS } from '../content/vocabulary.js'
import {
  formatQuery,
  parseQuery,
  type Clause,
  type PhraseClause,
  type WordClause,
} from './query.js'
import {
  EMPTY_POSTING,
  expandClause,
  prepareIndex,
  queryPrepared,
  installSharedPostings,
  queryWithLunr,
  shareLunrPostings,
  type PreparedIndex,
} from './lunr-query.js'
import { canonicalSpelling, forEachWord, analyseWord, type WordAnalysis } from './text.js'
import type {
  HighlightTerms,
  QuoteHit,
  SearchOptions,
  SearchOutcome,
  SearchSort,
  StoryHit,
  Suggestion,
} from './types.js'

/*
 * The index: two `lunr.Index`es, one per kind of document (stories, quotes), built with
 * `lunr.Builder` and queried with `lunr.Query` clauses, as `idx.query()` takes them. Lunr matches
 * and scores (BM25 per field, k1 1.2, b 0.75, field boosts); the queries are evaluated by
 * queryPrepared (lunr-query.ts), which computes exactly what Lunr's `Index#query` returns over the
 * same index, 6–13 times faster (docs/performance.md; tested against it). This module turns the
 * parsed query into Lunr clauses and keeps what Lunr has no notion of: exact phrases, the any-word
 * fallback, "newest" order. "Did you mean" takes its candidates from Lunr's fuzzy TokenSet over
 * the vocabulary's words and checks them with a query.
 *
 * Text never goes through Lunr's tokenizer or pipelines. Each field value handed to the builder is
 * the list of index terms the analyser in text.ts made (folded, British spelling, stemmed, stop
 * words out, hyphen parts and the joined form), and queries are built from terms made by the same
 * analyser, so the index and the query can never disagree. Every term is letters and digits only
 * (checked), so nothing in it can act as Lunr syntax.
 *
 * Lunr's costs, engineered around (measurements in docs/performance.md):
 * - no `metadataWhitelist`: no positions (phrases use the term sequences below);
 * - the builder's tokenizer is the identity on those term lists: `lunr.tokenizer` would allocate a
 *   Token and a metadata object per word, and Lunr only ever uses a token as a property key;
 * - every posting's metadata object (an empty `Object.create(null)` per term, field and document)
 *   is replaced by one shared frozen empty object, after each `add` and after loading;
 * - document refs are short numeric strings ("0", "1", ...) mapped back through arrays;
 * - a query that cannot match (a required word absent from the index) never reaches Lunr.
 *
 * Each document also keeps its sequence of term ids (stop words included, 0 between texts) so that
 * phrases are checked exactly without positions: Lunr returns the documents having every phrase
 * word, and the sequence says whether they are consecutive.
 */

const FORMAT = 'peer-stories-search'
const FORMAT_VERSION = 2
/** A prefix expanding to more terms than this keeps the most frequent ones (bounded work). */
const MAX_PREFIX_TERMS = 200

/** What Lunr may be given as a term: letters and digits only (`*` would be a wildcard). */
const SAFE_TERM = /^[\p{L}\p{N}]+$/u

interface FieldSpec {
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
const STORY_FIELDS: readonly FieldSpec[] = [
  { name: 't', boost: 6 },
  { name: 'c', boost: 4 },
  { name: 's', boost: 3 },
  { name: 'i', boost: 2 },
  { name: 'h', boost: 2 },
  { name: 'b', boost: 1 },
]
/** Quote fields: its words (t) matter more than who said it and where (m). */
const QUOTE_FIELDS: readonly FieldSpec[] = [
  { name: 't', boost: 3 },
  { name: 'm', boost: 1 },
]

/** The texts of each field of a story, in STORY_FIELDS order (each impact is its own text). */
function storyTexts(story: Story, themeTitles: ReadonlyMap<string, string>): string[][] {
  return [
    [story.title],
    [story.council],
    [story.summary],
    story.impacts,
    story.themes.map((slug) => themeTitles.get(slug) ?? ''),
    [story.bodyText],
  ]
}

function quoteTexts(
  story: Story,
  quote: Story['quotes'][number],
  themeTitles: ReadonlyMap<string, string>,
): string[][] {
  return [
    [quote.text],
    [
      SPEAKERS[quote.speaker],
      quote.name ?? '',
      story.council,
      themeTitles.get(quote.theme ?? '') ?? '',
    ],
  ]
}

/** Lunr's inverted index: term → { _index, field → { docRef → metadata } }. */
type Postings = Record<string, Record<string, Record<string, object>>>

/** The one metadata object every posting shares (no metadata is recorded). */
const NO_METADATA: object = Object.freeze(Object.create(null) as object)

/**
 * The builder's tokenizer: field values are already lists of index terms. Lunr's builder uses a
 * token only as a property key (`String(token)`) when no metadata is whitelisted, so the term
 * strings themselves serve as tokens.
 */
const termListTokenizer = ((terms: unknown) =>
  Array.isArray(terms) ? terms : []) as unknown as typeof lunr.tokenizer

/**
 * A growable Uint32Array (the builder does not know sizes in advance), kept in 256 KB chunks and
 * copied once at the end: growing one array by doubling held up to three times the final size
 * (47 MB at 10,000 stories) at once, at the moment of the build's peak memory.
 */
class U32Builder {
  private static readonly CHUNK = 65536
  private readonly chunks: Uint32Array[] = []
  private chunk = new Uint32Array(U32Builder.CHUNK)
  private used = 0
  length = 0
  push(value: number): void {
    if (this.used === U32Builder.CHUNK) {
      this.chunks.push(this.chunk)
      this.chunk = new Uint32Array(U32Builder.CHUNK)
      this.used = 0
    }
    this.chunk[this.used++] = value
    this.length++
  }
  finish(): Uint32Array {
    const out = new Uint32Array(this.length)
    let at = 0
    for (const c of this.chunks) {
      out.set(c, at)
      at += c.length
    }
    out.set(this.chunk.subarray(0, this.used), at)
    return out
  }
}

/** The Lunr index and word sequences of one kind of document. */
interface KindIndex {
  index: lunr.Index
  /** The index read into flat arrays for `queryPrepared` (Lunr's query, computed faster). */
  prepared: PreparedIndex
  /** `index.invertedIndex`, typed. */
  postings: Postings
  docCount: number
  /** seq[seqStart[d] .. seqStart[d+1]) is document d's term ids in order. */
  seqStart: Uint32Array
  seq: Uint32Array
}

interface Vocabulary {
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

class VocabularyBuilder {
  readonly terms: string[] = ['']
  readonly ids = new Map<string, number>([['', 0]])
  private readonly words = new Map<string, number>()
  private readonly df: number[] = [0]
  private readonly lastDoc: number[] = [-1]
  private doc = 0

  id(term: string, word: string | undefined): number {
    let id = this.ids.get(term)
    if (id === undefined) {
      if (!SAFE_TERM.test(term)) throw new Error(`search: the analyser made an unsafe term ${term}`)
      id = this.terms.length
      this.terms.push(term)
      this.ids.set(term, id)
      this.df.push(0)
      this.lastDoc.push(-1)
    }
    if (word !== undefined && !this.words.has(word)) this.words.set(word, id)
    return id
  }

  /** Start counting the terms of a new document. */
  nextDocument(): void {
    this.doc++
  }

  /** The current document contains this (indexed) term. */
  count(id: number): void {
    if (this.lastDoc[id] === this.doc) return
    this.lastDoc[id] = this.doc
    this.df[id] = (this.df[id] as number) + 1
  }

  finish(): Vocabulary {
    const words = [...this.words.keys()].sort()
    const wordTerms = Uint32Array.from(words, (w) => this.words.get(w) as number)
    return makeVocabulary(this.terms, Uint32Array.from(this.df), words, wordTerms)
  }
}

function makeVocabulary(
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

/** The lunr.Builder state that LeanBuilder writes and reads, as lunr 2.3.9 names it. */
interface BuilderInternals {
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

/**
 * A lunr.Builder that makes the index Lunr's makes (field lengths, term indexes in the order terms
 * are first met, BM25 field vectors, document boosts) for this engine's documents (term lists, no
 * pipeline, no metadata), with less held until `build()`. The built index serialises to the same
 * bytes as lunr.Builder's (test/search/lunr-query.test.ts). What it does not keep:
 * - Lunr's per-document postings: KindBuilder keeps those as document numbers and gives them to
 *   Lunr as shared postings before `build()`, where `lunr.idf` reads them (at 10,000 stories,
 *   5.5 million object properties made and dropped);
 * - Lunr's term frequency table, an object per field of every document keyed by term (the
 *   largest thing alive at the build's peak): here each (field, document) is a run of (term
 *   index, frequency) pairs in two flat arrays, and the field vectors are made from those runs.
 */
class LeanBuilder extends lunr.Builder {
  /** Per (field, document), in the order added: its field ref and the end of its run. */
  #fieldRefs: string[] = []
  #runEnds = new U32Builder()
  #runTerms = new U32Builder()
  #runCounts = new U32Builder()
  /** Terms by term index (their postings, which `lunr.idf` reads, are installed later). */
  #terms: string[] = []
  /** Scratch: occurrences of each term index in the field being added (zeroed after each). */
  #counts = new Uint32Array(1024)

  override add(doc: object, attributes?: object): void {
    const b = this as unknown as BuilderInternals
    const values = doc as Record<string, unknown>
    const docRef = String(values[b._ref])
    b._documents[docRef] = attributes ?? {}
    b.documentCount += 1
    for (const fieldName of Object.keys(b._fields)) {
      const terms = values[fieldName] as readonly string[]
      const fieldRef = `${fieldName}/${docRef}`
      b.fieldLengths[fieldRef] = terms.length
      const seen: number[] = []
      for (const term of terms) {
        let posting = b.invertedIndex[term]
        if (posting === undefined) {
          posting = { _index: b.termIndex }
          b.invertedIndex[term] = posting
          this.#terms.push(term)
          b.termIndex += 1
          if (b.termIndex > this.#counts.length) {
            const grown = new Uint32Array(this.#counts.length * 2)
            grown.set(this.#counts)
            this.#counts = grown
          }
        }
        const index = posting._index
        if (this.#counts[index] === 0) seen.push(index)
        this.#counts[index] = (this.#counts[index] as number) + 1
      }
      // A field vector's elements are in term index order, whatever order terms came in.
      const ordered = Uint32Array.from(seen).sort()
      for (const index of ordered) {
        this.#runTerms.push(index)
        this.#runCounts.push(this.#counts[index] as number)
        this.#counts[index] = 0
      }
      this.#fieldRefs.push(fieldRef)
      this.#runEnds.push(this.#runTerms.length)
    }
  }

  /**
   * lunr.Builder#createFieldVectors over the runs: the same BM25 score per (term, field,
   * document), computed by the same expression in the same order, rounded as Lunr rounds it.
   * Lunr inserts each term with `Vector#insert`, which keeps elements in term index order; the
   * runs are already in that order, so the elements are written out directly.
   */
  createFieldVectors(): void {
    const b = this as unknown as BuilderInternals
    const runEnds = this.#runEnds.finish()
    const runTerms = this.#runTerms.finish()
    const runCounts = this.#runCounts.finish()
    const idfs = new Float64Array(b.termIndex).fill(Number.NaN)
    const fieldVectors: Record<string, lunr.Vector> = {}
    let at = 0
    this.#fieldRefs.forEach((fieldRef, r) => {
      const slash = fieldRef.indexOf('/')
      const fieldName = fieldRef.slice(0, slash)
      const docRef = fieldRef.slice(slash + 1)
      const fieldLength = b.fieldLengths[fieldRef] as number
      const fieldBoost = b._fields[fieldName]?.boost || 1
      const docBoost = b._documents[docRef]?.boost || 1
      const end = runEnds[r] as number
      const elements: number[] = new Array<number>(2 * (end - at))
      for (let e = 0; at < end; at++, e += 2) {
        const termIndex = runTerms[at] as number
        const tf = runCounts[at] as number
        let idf = idfs[termIndex] as number
        if (Number.isNaN(idf)) {
          idf = lunrIdf(
            b.invertedIndex[this.#terms[termIndex] as string] as object,
            b.documentCount,
          )
          idfs[termIndex] = idf
        }
        let score =
          (idf * ((b._k1 + 1) * tf)) /
          (b._k1 * (1 - b._b + b._b * (fieldLength / (b.averageFieldLength[fieldName] as number))) +
            tf)
        score *= fieldBoost
        score *= docBoost
        elements[e] = termIndex
        elements[e + 1] = Math.round(score * 1000) / 1000
      }
      fieldVectors[fieldRef] = new lunr.Vector(elements)
    })
    b.fieldVectors = fieldVectors
    // Done with: let the runs go before the token set is built.
    this.#fieldRefs = []
    this.#terms = []
    this.#runEnds = new U32Builder()
    this.#runTerms = new U32Builder()
    this.#runCounts = new U32Builder()
  }
}

/** Lunr's inverse document frequency of a term, from its posting (not in Lunr's types). */
const lunrIdf = (lunr as unknown as { idf(posting: object, documentCount: number): number }).idf

/** Which builder makes the indexes: LeanBuilder, or Lunr's own (for tests and the bench). */
export type LunrBuilderKind = 'lean' | 'lunr'

/** Builds one kind's Lunr index and its word sequences, one document at a time. */
class KindBuilder {
  private readonly builder: lunr.Builder
  private readonly names: string[]
  private readonly postings: Postings
  private readonly seq = new U32Builder()
  private readonly seqStart = new U32Builder()
  /** Per term, per field, the documents having it, in order: queryPrepared's postings. */
  private readonly docLists = new Map<string, number[][]>()
  private docCount = 0

  constructor(
    fields: readonly FieldSpec[],
    private readonly vocab: VocabularyBuilder,
    private readonly kind: LunrBuilderKind,
  ) {
    this.builder = kind === 'lean' ? new LeanBuilder() : new lunr.Builder()
    const b = this.builder
    b.ref('id')
    for (const f of fields) b.field(f.name, { boost: f.boost })
    b.pipeline.reset()
    b.searchPipeline.reset()
    b.metadataWhitelist = []
    b.tokenizer = termListTokenizer
    this.names = fields.map((f) => f.name)
    this.postings = b.invertedIndex as Postings
  }

  /** `texts[f]` is the list of texts of field f (e.g. each impact); texts never join in phrases. */
  add(texts: readonly (readonly string[])[]): void {
    const ref = String(this.docCount++)
    const doc: Record<string, string | string[]> = { id: ref }
    const vocab = this.vocab
    vocab.nextDocument()
    this.seqStart.push(this.seq.length)
    const fieldTerms: string[][] = []
    texts.forEach((list, f) => {
      const terms: string[] = []
      for (const text of list) {
        forEachWord(text, (a: WordAnalysis) => {
          for (let i = 0; i < a.terms.length; i++) {
            const term = a.terms[i] as string
            const stop = a.stop[i] as boolean
            const id = vocab.id(term, stop ? undefined : (a.words[i] as string))
            this.seq.push(id)
            if (!stop) {
              terms.push(term)
              vocab.count(id)
            }
          }
          if (a.joined !== undefined) {
            vocab.count(vocab.id(a.joined, a.words.join('')))
            terms.push(a.joined)
          }
        })
        this.seq.push(0)
      }
      doc[this.names[f] as string] = terms
      fieldTerms.push(terms)
    })
    this.builder.add(doc)
    // Note the posting for queryPrepared (documents come in order, as Lunr's refs sort). Lunr's
    // own builder also gave each (term, field, document) a fresh empty metadata object: share one.
    const number = this.docCount - 1
    fieldTerms.forEach((terms, f) => {
      const name = this.names[f] as string
      for (const term of terms) {
        if (this.kind === 'lunr') {
          const refs = (this.postings[term] as Postings[string])[name] as Record<string, object>
          refs[ref] = NO_METADATA
        }
        let lists = this.docLists.get(term)
        if (lists === undefined) {
          lists = this.names.map(() => [])
          this.docLists.set(term, lists)
        }
        const list = lists[f] as number[]
        if (list[list.length - 1] !== number) list.push(number)
      }
    })
  }

  build(): KindIndex {
    const postings = toPostings(this.docLists)
    if (this.kind === 'lean') {
      installSharedPostings(this.postings, this.names, String, postings, NO_METADATA)
    }
    const index = this.builder.build()
    this.seqStart.push(this.seq.length)
    return {
      index,
      prepared: prepareNumbered(index, this.docCount, postings, {
        alreadyShared: this.kind === 'lean',
      }),
      postings: this.postings,
      docCount: this.docCount,
      seqStart: this.seqStart.finish(),
      seq: this.seq.finish(),
    }
  }
}

interface QuoteRef {
  story: number
  quoteId: string
}

/**
 * One unit of the query that a document must (or, relaxed, may) match: a word, a `word*`, or one
 * word of a phrase. A document matches it if it has any of its terms.
 */
interface Group {
  /** Index terms matched exactly. */
  exact: string[]
  /** Folded prefixes matched with Lunr's trailing wildcard (every index term they expand to is a
   *  stem of a word with that prefix). */
  wildcards: string[]
  /** Phrase words stay required when the query is relaxed. */
  phrase: boolean
}

/** A phrase as term ids, with the offset of its rarest term (the one to scan for). */
interface Phrase {
  ids: number[]
  anchor: number
}

interface Plan {
  groups: Group[]
  /** Excluded words and prefixes (Lunr's PROHIBITED). */
  excluded: Group[]
  phrases: Phrase[]
  excludedPhrases: Phrase[]
  /** Number of relaxable groups (words and prefixes). */
  optional: number
  /** A positive part that cannot match at all (an unknown phrase word). */
  impossible: boolean
}

/** Matches of one kind, best first (Lunr's order): document numbers and Lunr scores. */
interface Matches {
  /** The matches kept (all of them if nothing narrows them), ranked. */
  docs: Int32Array
  scores: Float64Array
  /** Every match, kept or not, in no particular order. */
  all: Int32Array
}

function toPostings(lists: ReadonlyMap<string, number[][]>): Map<string, Int32Array[]> {
  const out = new Map<string, Int32Array[]>()
  for (const [term, perField] of lists) {
    out.set(
      term,
      perField.map((docs) => (docs.length === 0 ? EMPTY_POSTING : Int32Array.from(docs))),
    )
  }
  return out
}

const noMatches = (): Matches => {
  const docs = new Int32Array(0)
  return { docs, scores: new Float64Array(0), all: docs }
}

/**
 * Prepare a kind's Lunr index for `queryPrepared`, whose document numbers must be the engine's
 * (refs "0", "1", ... in order).
 */
function prepareNumbered(
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

/**
 * Whether seq[from, to) contains the phrase. Scans with the native TypedArray#indexOf for the
 * phrase's rarest term (`anchor`, its offset in the phrase), then checks the neighbours: 3–4 times
 * faster than a JavaScript loop over every word of a 1,000-word story.
 */
function containsPhrase(seq: Uint32Array, from: number, to: number, phrase: Phrase): boolean {
  const { ids, anchor } = phrase
  const anchorId = ids[anchor] as number
  const lo = from + anchor
  const hi = to - (ids.length - anchor)
  for (let i = seq.indexOf(anchorId, lo); i !== -1 && i <= hi; i = seq.indexOf(anchorId, i + 1)) {
    const start = i - anchor
    let k = 0
    while (k < ids.length && seq[start + k] === ids[k]) k++
    if (k === ids.length) return true
  }
  return false
}

/** Fuzzy matching budget: none for short words (too many near neighbours), then 1, then 2. */
function fuzzyLimit(word: string): number {
  if (word.length < 4) return 0
  return word.length < 7 ? 1 : 2
}

/** First index in the sorted list not less than `key`. */
function lowerBound(list: readonly string[], key: string): number {
  let lo = 0
  let hi = list.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if ((list[mid] as string) < key) lo = mid + 1
    else hi = mid
  }
  return lo
}

const emptyHighlight = (): HighlightTerms => ({ terms: [], prefixes: [], phrases: [] })

/**
 * Spelling variants of a prefix, so `organiz*` also finds "organisation" (the vocabulary holds
 * canonical British spellings) and `program*` still finds "programming".
 */
export function prefixVariants(prefix: string): string[] {
  return [
    ...new Set([
      prefix,
      canonicalSpelling(prefix),
      prefix.replace(/iz/g, 'is'),
      prefix.replace(/yz/g, 'ys'),
    ]),
  ]
}

/**
 * The documents of a kind having any term of the group, in any field: 1 per document. Its
 * wildcards expand to the index's terms as Lunr's token set expands them.
 */
function groupDocuments(kind: KindIndex, g: Group): Uint8Array {
  const { prepared } = kind
  const terms = [...g.exact]
  for (const w of g.wildcards) {
    const q = new lunr.Query(prepared.fields as string[])
    q.term(w, { wildcard: lunr.Query.wildcard.TRAILING, usePipeline: false })
    terms.push(...expandClause(prepared, q.clauses[0] as lunr.Query.Clause))
  }
  const has = new Uint8Array(kind.docCount)
  for (const term of terms) {
    for (const docs of prepared.postings.get(term) ?? []) {
      for (let i = 0; i < docs.length; i++) has[docs[i] as number] = 1
    }
  }
  return has
}

interface EngineData {
  vocab: Vocabulary
  stories: KindIndex
  quotes: KindIndex
  storySlugs: string[]
  quoteRefs: QuoteRef[]
  fingerprint: string
}

/** Serialised engine: plain JSON; the Lunr indexes as `lunr.Index#toJSON` made them. */
export interface SerializedSearchIndex {
  format: typeof FORMAT
  formatVersion: number
  lunrVersion: string
  fingerprint: string
  terms: string[]
  /** Uint32Array, base64 (little-endian). */
  df: string
  words: string[]
  wordTerms: string
  storySlugs: string[]
  /** [story index, quote id] per quote document. */
  quoteRefs: [number, string][]
  stories: SerializedKind
  quotes: SerializedKind
}

interface SerializedKind {
  /** `lunr.Index#toJSON()`, loaded with `lunr.Index.load` (null: see EngineOptions.readLunr). */
  lunr: object | null
  /** toCompactJSON: the postings as a table (Lunr's JSON then holds only each term's index). */
  postings?: string
  seqStart: string
  seq: string
}

const b64 = (a: Uint32Array): string =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64')

function u32(s: unknown): Uint32Array {
  if (typeof s !== 'string') throw new SearchIndexLoadError('a table is missing')
  const buf = Buffer.from(s, 'base64')
  if (buf.byteLength % 4 !== 0) throw new SearchIndexLoadError('a table is damaged')
  // Copy into a fresh ArrayBuffer: Buffer's pool offset may not be 4-byte aligned.
  const copy = new ArrayBuffer(buf.byteLength)
  new Uint8Array(copy).set(buf)
  return new Uint32Array(copy)
}

function serializeKind(k: KindIndex, compact: boolean): SerializedKind {
  const kind = { seqStart: b64(k.seqStart), seq: b64(k.seq) }
  const json = k.index.toJSON() as unknown as SerializedLunr & {
    invertedIndex: [string, { _index: number }][]
  }
  if (!compact) return { ...kind, lunr: json }
  // Lunr's postings as one table of document numbers, term by term (Lunr's sorted order), field
  // by field: count, then the documents. Lunr's JSON keeps only each term's index.
  const terms = json.invertedIndex.map(([term]) => term)
  let size = 0
  for (const term of terms) {
    for (const docs of k.prepared.postings.get(term) ?? []) size += 1 + docs.length
  }
  const table = new Uint32Array(size)
  let at = 0
  for (const term of terms) {
    for (const docs of k.prepared.postings.get(term) ?? []) {
      table[at++] = docs.length
      table.set(docs, at)
      at += docs.length
    }
  }
  return {
    ...kind,
    lunr: {
      ...json,
      invertedIndex: json.invertedIndex.map(([term, posting]) => [
        term,
        { _index: posting._index },
      ]),
    },
    postings: b64(table),
  }
}

/**
 * The postings of a compact serialised kind (see serializeKind): term → per field, its
 * documents, as views into one table; every count and document number checked.
 */
function readPostings(
  table: Uint32Array,
  terms: readonly string[],
  fieldCount: number,
  docCount: number,
): Map<string, Int32Array[]> {
  const all = new Int32Array(table.buffer, table.byteOffset, table.length)
  const out = new Map<string, Int32Array[]>()
  let at = 0
  for (const term of terms) {
    const perField: Int32Array[] = []
    for (let f = 0; f < fieldCount; f++) {
      const n = table[at++]
      if (n === undefined || at + n > table.length) {
        throw new SearchIndexLoadError('the postings table is cut short')
      }
      const docs = n === 0 ? EMPTY_POSTING : all.subarray(at, at + n)
      for (let i = 0; i < n; i++) {
        const d = docs[i] as number
        if (!(d >= 0 && d < docCount) || (i > 0 && d <= (docs[i - 1] as number))) {
          throw new SearchIndexLoadError('the postings table refers to an unknown document')
        }
      }
      perField.push(docs)
      at += n
    }
    out.set(term, perField)
  }
  if (at !== table.length) throw new SearchIndexLoadError('the postings table is too long')
  return out
}

/** The parts of Lunr's serialised index that loading relies on. */
interface SerializedLunr {
  version: unknown
  fields: unknown
  fieldVectors: unknown
  invertedIndex: unknown
  pipeline: unknown
}

/**
 * Load one kind: `lunr.Index.load`, after checking that what Lunr would trust is well formed (it
 * checks nothing, and a query on a bad index would throw), then share the metadata objects.
 */
function loadKind(
  s: SerializedKind,
  fields: readonly FieldSpec[],
  docCount: number,
  readLunr: (() => object) | undefined,
): KindIndex {
  if (s.lunr === null && readLunr !== undefined) s = { ...s, lunr: readLunr() }
  const seqStart = u32(s.seqStart)
  const seq = u32(s.seq)
  if (seqStart.length !== docCount + 1 || seq.length !== seqStart[docCount]) {
    throw new SearchIndexLoadError('the word sequences are inconsistent')
  }
  const json = s.lunr as SerializedLunr
  const names = fields.map((f) => f.name)
  if (
    typeof json !== 'object' ||
    json === null ||
    json.version !== lunr.version ||
    JSON.stringify(json.fields) !== JSON.stringify(names) ||
    !Array.isArray(json.fieldVectors) ||
    !Array.isArray(json.invertedIndex) ||
    !Array.isArray(json.pipeline) ||
    json.pipeline.length !== 0
  ) {
    throw new SearchIndexLoadError('the Lunr index is not one this engine made')
  }
  // Lunr makes a vector for every field of every document: exactly these refs, once each.
  if (json.fieldVectors.length !== docCount * names.length) {
    throw new SearchIndexLoadError('the Lunr index has the wrong number of field vectors')
  }
  for (const tuple of json.fieldVectors as unknown[]) {
    const ok =
      Array.isArray(tuple) &&
      typeof tuple[0] === 'string' &&
      Array.isArray(tuple[1]) &&
      (tuple[1] as unknown[]).length % 2 === 0
    if (!ok) throw new SearchIndexLoadError('the Lunr index has a damaged field vector')
  }
  // The compact form: terms in Lunr's sorted order, each with its index, and the postings table.
  let compact: Map<string, Int32Array[]> | undefined
  if (s.postings !== undefined) {
    const terms: string[] = []
    for (const tuple of json.invertedIndex as unknown[]) {
      const [term, posting] = Array.isArray(tuple) ? (tuple as unknown[]) : []
      const ok =
        typeof term === 'string' &&
        SAFE_TERM.test(term) &&
        (terms.length === 0 || (terms[terms.length - 1] as string) < term) &&
        typeof posting === 'object' &&
        posting !== null &&
        Number.isInteger((posting as { _index?: unknown })._index)
      if (!ok) throw new SearchIndexLoadError('the Lunr index has a damaged term')
      terms.push(term as string)
    }
    compact = readPostings(u32(s.postings), terms, names.length, docCount)
  }
  const index = lunr.Index.load(json)
  const vectors = (index as unknown as { fieldVectors: Record<string, unknown> }).fieldVectors
  for (let d = 0; d < docCount; d++) {
    for (const name of names) {
      if (vectors[`${name}/${d}`] === undefined) {
        throw new SearchIndexLoadError('the Lunr index is missing a field vector')
      }
    }
  }
  const postings = (index as unknown as { invertedIndex: Postings }).invertedIndex
  if (compact !== undefined) {
    return {
      index,
      prepared: prepareNumbered(index, docCount, compact),
      postings,
      docCount,
      seqStart,
      seq,
    }
  }
  // Checked, metadata shared, and read into queryPrepared's postings in the same pass.
  const docLists = new Map<string, Int32Array[]>()
  for (const term in postings) {
    const posting = postings[term] as Postings[string]
    if (!SAFE_TERM.test(term) || typeof posting !== 'object' || posting === null) {
      throw new SearchIndexLoadError('the Lunr index has a damaged term')
    }
    const perField = names.map((name) => {
      const refs = posting[name]
      if (typeof refs !== 'object' || refs === null) {
        throw new SearchIndexLoadError('the Lunr index has a damaged posting')
      }
      const docs: number[] = []
      for (const ref in refs) {
        const d = Number(ref)
        if (!(Number.isInteger(d) && d >= 0 && d < docCount)) {
          throw new SearchIndexLoadError('the Lunr index refers to an unknown document')
        }
        refs[ref] = NO_METADATA
        docs.push(d)
      }
      return docs.length === 0 ? EMPTY_POSTING : Int32Array.from(docs)
    })
    docLists.set(term, perField)
  }
  return {
    index,
    prepared: prepareNumbered(index, docCount, docLists),
    postings,
    docCount,
    seqStart,
    seq,
  }
}

/** Thrown by loadSearchEngine when the cache is stale or damaged: rebuild with buildSearchEngine. */
export class SearchIndexLoadError extends Error {
  override readonly name = 'SearchIndexLoadError'
}

/**
 * A hash of everything the index depends on: the indexed text and order of the stories, the
 * theme titles, the index format and the Lunr version (its stemmer makes the terms). Use it to key
 * the cached index file.
 */
export function contentFingerprint(stories: readonly Story[], themes: readonly Theme[]): string {
  const hash = createHash('sha256')
  hash.update(`${FORMAT}/${FORMAT_VERSION}/lunr ${lunr.version}\n`)
  for (const t of themes) hash.update(JSON.stringify([t.slug, t.title]))
  for (const s of stories) {
    hash.update(
      JSON.stringify([
        s.slug,
        s.title,
        s.council,
        s.summary,
        s.impacts,
        s.themes,
        s.bodyText,
        s.quotes.map((q) => [q.id, q.speaker, q.name ?? null, q.text, q.theme ?? null]),
      ]),
    )
  }
  return hash.digest('hex')
}

/** How a Lunr clause is asked for: which term, and whether it must, may or must not match. */
interface ClauseSpec {
  term: string
  wildcard: boolean
  presence: lunr.Query.presence
}

const { REQUIRED, OPTIONAL, PROHIBITED } = lunr.Query.presence

/** Lunr's TokenSet constructors, which lunr 2.3.9 has and @types/lunr does not declare. */
const TokenSets = lunr.TokenSet as unknown as {
  fromArray(sortedWords: readonly string[]): lunr.TokenSet
  fromFuzzyString(word: string, editDistance: number): lunr.TokenSet
}

/**
 * How Lunr's queries are evaluated: `prepared` by queryPrepared (src/search/lunr-query.ts, the
 * same results, faster), `lunr` by Lunr's own `Index#query` (for tests and the benchmark).
 */
export type LunrEvaluator = 'prepared' | 'lunr'

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
  /** Lunr's token set of the canonical words, for "did you mean"; made on first use. */
  private wordSet: lunr.TokenSet | undefined

  /** @internal use buildSearchEngine or loadSearchEngine */
  constructor(
    private readonly data: EngineData,
    stories: readonly Story[],
    private readonly evaluator: LunrEvaluator = 'prepared',
  ) {
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
    outcome.highlight = this.highlightTerms(positive)
    const plan = this.plan(parsed.clauses)
    const keepStories = options.keepStory === undefined ? {} : { keep: options.keepStory }
    const keepQuotes = options.keepQuote === undefined ? {} : { keep: options.keepQuote }
    let stories = this.run(this.data.stories, plan, false, keepStories)
    let quotes = this.run(this.data.quotes, plan, false, keepQuotes)
    const strictEmpty = stories.all.length === 0 && quotes.all.length === 0
    if (strictEmpty && plan.optional > 1) {
      stories = this.run(this.data.stories, plan, true, keepStories)
      quotes = this.run(this.data.quotes, plan, true, keepQuotes)
      outcome.relaxed = stories.all.length > 0 || quotes.all.length > 0
    }
    const refs = this.data.quoteRefs
    const rankedStories = this.ranked(stories, sort, (d) => this.storyPublished[d] as number)
    const rankedQuotes = this.ranked(
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
    if (strictEmpty && options.suggest !== false) outcome.suggestions = this.suggest(parsed.clauses)
    return outcome
  }

  /** Serialise for a cache file (JSON.stringify the result). */
  toJSON(): SerializedSearchIndex {
    return this.serialize(false)
  }

  /**
   * As toJSON, but each Lunr index's postings are a table of document numbers (base64) instead of
   * Lunr's `{ ref: {} }` objects: a fifth of the bytes, and nothing to parse into millions of
   * properties when loading (the start-up cache file). loadSearchEngine reads both forms.
   */
  toCompactJSON(): SerializedSearchIndex {
    return this.serialize(true)
  }

  private serialize(compact: boolean): SerializedSearchIndex {
    const d = this.data
    return {
      format: FORMAT,
      formatVersion: FORMAT_VERSION,
      lunrVersion: lunr.version,
      fingerprint: d.fingerprint,
      terms: d.vocab.terms,
      df: b64(d.vocab.df),
      words: d.vocab.words,
      wordTerms: b64(d.vocab.wordTerms),
      storySlugs: d.storySlugs,
      quoteRefs: d.quoteRefs.map((q) => [q.story, q.quoteId]),
      stories: serializeKind(d.stories, compact),
      quotes: serializeKind(d.quotes, compact),
    }
  }

  private highlightTerms(positive: readonly Clause[]): HighlightTerms {
    const h = emptyHighlight()
    for (const c of positive) {
      if (c.kind === 'phrase') h.phrases.push(c.terms)
      else if (c.prefix) h.prefixes.push(...prefixVariants(c.word))
      else h.terms.push(c.term)
    }
    h.prefixes = [...new Set(h.prefixes)]
    h.terms = [...new Set(h.terms)]
    return h
  }

  private df(id: number): number {
    return this.data.vocab.df[id] ?? 0
  }

  /**
   * A `word*` as Lunr clauses. The index holds stems, so a trailing wildcard on the prefix alone
   * is not enough (`experiment*` must find "experiment", whose stem is "experi"). The words of the
   * vocabulary with the prefix (or its spelling variants) give the stems to find, at most the 200
   * most frequent; a variant becomes a Lunr wildcard when every index term it would expand to is
   * one of those stems (`transform*`), and the stems no wildcard covers are matched exactly.
   */
  private prefixGroup(prefix: string): Group {
    const { words, wordTerms, terms, sortedTerms } = this.data.vocab
    const variants = prefixVariants(prefix)
    const ids = new Set<number>()
    for (const variant of variants) {
      for (let i = lowerBound(words, variant); i < words.length; i++) {
        if (!(words[i] as string).startsWith(variant)) break
        ids.add(wordTerms[i] as number)
      }
    }
    let list = [...ids].filter((id) => this.df(id) > 0)
    if (list.length > MAX_PREFIX_TERMS) {
      list = list.sort((a, b) => this.df(b) - this.df(a)).slice(0, MAX_PREFIX_TERMS)
    }
    const stems = new Set(list.map((id) => terms[id] as string))
    const wildcards: string[] = []
    const covered = new Set<string>()
    for (const variant of variants) {
      if (wildcards.some((w) => variant.startsWith(w))) continue
      const from = lowerBound(sortedTerms, variant)
      let to = from
      while (to < sortedTerms.length && (sortedTerms[to] as string).startsWith(variant)) {
        if (!stems.has(sortedTerms[to] as string)) break
        to++
      }
      const all = to === sortedTerms.length || !(sortedTerms[to] as string).startsWith(variant)
      if (to > from && all) {
        wildcards.push(variant)
        for (let i = from; i < to; i++) covered.add(sortedTerms[i] as string)
      }
    }
    return { exact: [...stems].filter((t) => !covered.has(t)), wildcards, phrase: false }
  }

  private wordGroup(c: WordClause): Group {
    if (c.prefix) return this.prefixGroup(c.word)
    return { exact: [c.term], wildcards: [], phrase: false }
  }

  private phraseIds(c: PhraseClause): Phrase | undefined {
    const ids: number[] = []
    let anchor = 0
    for (const t of c.terms) {
      const id = this.data.vocab.ids.get(t)
      if (id === undefined) return undefined
      ids.push(id)
    }
    // Stop words have no postings, so their frequency is unknown: never anchor on one.
    let best = Infinity
    c.stop.forEach((stop, i) => {
      const df = stop ? Infinity : this.df(ids[i] as number)
      if (df < best) {
        best = df
        anchor = i
      }
    })
    return { ids, anchor }
  }

  private plan(clauses: readonly Clause[]): Plan {
    const plan: Plan = {
      groups: [],
      excluded: [],
      phrases: [],
      excludedPhrases: [],
      optional: 0,
      impossible: false,
    }
    for (const c of clauses) {
      if (c.kind === 'word') {
        const group = this.wordGroup(c)
        if (c.negated) plan.excluded.push(group)
        else {
          plan.groups.push(group)
          plan.optional++
        }
        continue
      }
      const phrase = this.phraseIds(c)
      if (c.negated) {
        // An unknown word makes the phrase absent everywhere: nothing to exclude.
        if (phrase !== undefined) plan.excludedPhrases.push(phrase)
        continue
      }
      if (phrase === undefined) {
        plan.impossible = true
        continue
      }
      plan.phrases.push(phrase)
      c.stop.forEach((stop, i) => {
        if (!stop) plan.groups.push({ exact: [c.terms[i] as string], wildcards: [], phrase: true })
      })
    }
    return plan
  }

  /**
   * Matching documents of one kind, best first, through `idx.query`. Strict: every group is
   * required. Relaxed: phrase words are required, and at least one word or prefix must match.
   *
   * Lunr's REQUIRED applies to one clause; a prefix matched by several clauses (a wildcard and
   * exact stems) is sent as OPTIONAL clauses and checked on Lunr's match data afterwards, as is
   * "at least one word" when relaxed alongside required phrase words.
   */
  private run(
    kind: KindIndex,
    plan: Plan,
    relaxed: boolean,
    { firstOnly = false, keep }: { firstOnly?: boolean; keep?: (doc: number) => boolean } = {},
  ): Matches {
    if (plan.impossible || plan.groups.length === 0) return noMatches()
    const { postings } = kind
    const present = (t: string) => SAFE_TERM.test(t) && postings[t] !== undefined
    const specs: ClauseSpec[] = []
    /** Groups to check on the match data: each must match (strict), or one of them (relaxed). */
    const mustMatch: Group[] = []
    const anyOf: Group[] = []
    let required = 0
    for (const g of plan.groups) {
      const exact = g.exact.filter(present)
      const wildcards = g.wildcards.filter((w) => SAFE_TERM.test(w))
      const count = exact.length + wildcards.length
      const must = g.phrase || !relaxed
      // A required group with nothing in this index: nothing can match, so do not ask Lunr.
      if (count === 0) {
        if (must) return noMatches()
        continue
      }
      let presence = must ? REQUIRED : OPTIONAL
      if (must && count > 1) {
        presence = OPTIONAL
        mustMatch.push({ exact, wildcards, phrase: g.phrase })
      } else if (!must) anyOf.push(g)
      if (presence === REQUIRED) required++
      for (const term of exact) specs.push({ term, wildcard: false, presence })
      for (const term of wildcards) specs.push({ term, wildcard: true, presence })
    }
    // Relaxed still needs one word or prefix: with none of them in this index, nothing matches.
    if (specs.length === 0 || (relaxed && anyOf.length === 0)) return noMatches()
    // Relaxed without required clauses: Lunr already returns only documents matching a word.
    const checkAnyOf = anyOf.length > 0 && (required > 0 || mustMatch.length > 0)
    // One group alone needs no check either: every document Lunr returns matched it.
    if (mustMatch.length === 1 && required === 0 && anyOf.length === 0) mustMatch.length = 0
    // A lone required clause is the same as a lone optional one, and Lunr skips its set algebra.
    if (specs.length === 1) (specs[0] as ClauseSpec).presence = OPTIONAL
    for (const g of plan.excluded) {
      for (const term of g.exact)
        if (present(term)) specs.push({ term, wildcard: false, presence: PROHIBITED })
      for (const term of g.wildcards)
        if (SAFE_TERM.test(term)) specs.push({ term, wildcard: true, presence: PROHIBITED })
    }
    // Lunr's `idx.query`, computed over the same index by queryPrepared (same results), or by
    // Lunr's own Index#query when the engine was made with `evaluator: 'lunr'`.
    // The checks Lunr cannot express, applied as a filter on its results (queryPrepared applies
    // it before scoring: the same results, without scoring what it drops).
    const checkPhrases = plan.phrases.length > 0 || plan.excludedPhrases.length > 0
    const must = mustMatch.map((g) => groupDocuments(kind, g))
    const any = checkAnyOf ? anyOf.map((g) => groupDocuments(kind, g)) : []
    const accept =
      must.length === 0 && !checkAnyOf && !checkPhrases
        ? undefined
        : (doc: number): boolean =>
            must.every((has) => has[doc] === 1) &&
            (!checkAnyOf || any.some((has) => has[doc] === 1)) &&
            (!checkPhrases || this.phrasesOk(kind, doc, plan))
    const evaluate = this.evaluator === 'lunr' ? queryWithLunr : queryPrepared
    // With `keep`, every match is noted as well (for the facet counts), kept or not.
    const all = keep === undefined ? undefined : new Int32Array(kind.docCount)
    let matched = 0
    const result = evaluate(
      kind.prepared,
      (q) => {
        for (const s of specs) {
          q.term(s.term, {
            presence: s.presence,
            wildcard: s.wildcard ? lunr.Query.wildcard.TRAILING : lunr.Query.wildcard.NONE,
            usePipeline: false,
          })
        }
      },
      {
        ...(accept === undefined ? {} : { accept }),
        ...(keep === undefined || all === undefined
          ? {}
          : { keep, onMatch: (d: number) => void (all[matched++] = d) }),
        firstOnly,
      },
    )
    return { ...result, all: all === undefined ? result.docs : all.slice(0, matched) }
  }

  private phrasesOk(kind: KindIndex, d: number, plan: Plan): boolean {
    const from = kind.seqStart[d] as number
    const to = kind.seqStart[d + 1] as number
    for (const p of plan.phrases) if (!containsPhrase(kind.seq, from, to, p)) return false
    for (const p of plan.excludedPhrases) if (containsPhrase(kind.seq, from, to, p)) return false
    return true
  }

  /**
   * Positions into `m` in result order. Relevance is Lunr's order. Newest packs (date, rank) into
   * one float64 per hit and uses the native numeric sort, several times faster than a comparator
   * over tens of thousands of hits.
   */
  private order(m: Matches, sort: SearchSort, published: (d: number) => number): Uint32Array {
    const n = m.docs.length
    const out = new Uint32Array(n)
    if (sort === 'relevance') {
      for (let i = 0; i < n; i++) out[i] = i
      return out
    }
    const RANKS = 2 ** 21
    if (n < RANKS) {
      const keys = new Float64Array(n)
      for (let i = 0; i < n; i++) keys[i] = published(m.docs[i] as number) * RANKS + (RANKS - 1 - i)
      keys.sort()
      for (let i = 0; i < n; i++) out[i] = RANKS - 1 - ((keys[n - 1 - i] as number) % RANKS)
      return out
    }
    const idx = Array.from({ length: n }, (_, i) => i)
    idx.sort((a, b) => published(m.docs[b] as number) - published(m.docs[a] as number) || a - b)
    out.set(idx)
    return out
  }

  /** The matches in result order: Lunr's for relevance, else newest story first. */
  private ranked(m: Matches, sort: SearchSort, published: (d: number) => number): Matches {
    if (sort === 'relevance') return m
    const order = this.order(m, sort, published)
    const docs = new Int32Array(order.length)
    const scores = new Float64Array(order.length)
    for (let i = 0; i < order.length; i++) {
      docs[i] = m.docs[order[i] as number] as number
      scores[i] = m.scores[order[i] as number] as number
    }
    return { docs, scores, all: m.all }
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

  /**
   * Canonical words within `limit` edits of `word` (insertions, deletions, substitutions,
   * transpositions), with their distance, from Lunr's fuzzy TokenSet intersected with a token set
   * of the vocabulary's words. The words, not the index's stems: "transformtion" is 1 edit from
   * "transformation" but 4 from its stem "transform".
   */
  private nearWords(word: string, limit: number): { word: string; distance: number }[] {
    if (!SAFE_TERM.test(word)) return []
    const wordSet = (this.wordSet ??= TokenSets.fromArray(this.data.vocab.words))
    const out: { word: string; distance: number }[] = []
    const seen = new Set<string>([word])
    for (let distance = 1; distance <= limit; distance++) {
      const near = wordSet.intersect(TokenSets.fromFuzzyString(word, distance))
      for (const w of near.toArray()) {
        if (seen.has(w)) continue
        seen.add(w)
        out.push({ word: w, distance })
      }
    }
    return out
  }

  /** Documents containing a vocabulary word's term. */
  private wordDf(word: string): number {
    const { words, wordTerms } = this.data.vocab
    const i = lowerBound(words, word)
    return words[i] === word ? this.df(wordTerms[i] as number) : 0
  }

  /**
   * Whether a query finds anything with every word (no relaxing), through Lunr like any search;
   * quotes are only looked at if no story matches.
   */
  private matchesAll(query: string): boolean {
    const plan = this.plan(parseQuery(query).clauses)
    return (
      this.run(this.data.stories, plan, false, { firstOnly: true }).docs.length > 0 ||
      this.run(this.data.quotes, plan, false, { firstOnly: true }).docs.length > 0
    )
  }

  /**
   * "Did you mean": for each searched word that is not in the index at all, the nearest words
   * (1 edit up to 6 letters, 2 from 7; a fixed rule, never chosen by the user), nearest then most
   * frequent first; a corrected query is offered only if running it finds every word somewhere.
   * At most three suggestions, at most eight trial runs.
   */
  private suggest(clauses: readonly Clause[]): Suggestion[] {
    const unknown: { clause: WordClause; options: string[] }[] = []
    for (const c of clauses) {
      if (c.kind !== 'word' || c.negated || c.prefix) continue
      const id = this.data.vocab.ids.get(c.term)
      if (id !== undefined && this.df(id) > 0) continue
      const word = (analyseWord(c.raw).words[0] ?? c.word) as string
      const limit = fuzzyLimit(word)
      if (limit === 0) continue
      const options = this.nearWords(word, limit)
        .map((o) => ({ ...o, df: this.wordDf(o.word) }))
        .filter((o) => o.df > 0)
        .sort((a, b) => a.distance - b.distance || b.df - a.df || (a.word < b.word ? -1 : 1))
        .slice(0, 3)
        .map((o) => o.word)
      if (options.length > 0) unknown.push({ clause: c, options })
    }
    if (unknown.length === 0) return []
    // Trials: everyone's best option, then each word's second and third option in turn.
    const trials: Map<Clause, string>[] = [
      new Map(unknown.map((u) => [u.clause, u.options[0] as string])),
    ]
    for (const u of unknown) {
      for (const option of u.options.slice(1)) {
        const m = new Map(trials[0])
        m.set(u.clause, option)
        trials.push(m)
      }
    }
    const out: Suggestion[] = []
    const seen = new Set<string>()
    for (const trial of trials.slice(0, 8)) {
      const query = formatQuery(clauses, trial)
      if (seen.has(query)) continue
      seen.add(query)
      if (!this.matchesAll(query)) continue
      out.push({ query, corrections: [...trial].map(([c, to]) => ({ from: c.raw, to })) })
      if (out.length === 3) break
    }
    return out
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

function buildKind(
  fields: readonly FieldSpec[],
  vocab: VocabularyBuilder,
  kind: LunrBuilderKind,
  addAll: (add: (texts: readonly (readonly string[])[]) => void) => void,
): KindIndex {
  const builder = new KindBuilder(fields, vocab, kind)
  addAll((texts) => builder.add(texts))
  return builder.build()
}

/** Build the engine from loaded stories and themes (drafts should already be filtered out). */
export function buildSearchEngine(
  stories: readonly Story[],
  themes: readonly Theme[],
  options: EngineOptions = {},
): SearchEngine {
  const themeTitles = new Map(themes.map((t) => [t.slug, t.title]))
  const vocab = new VocabularyBuilder()
  // One kind after the other: a Lunr builder's working tables (term frequencies per field of every
  // document) are garbage as soon as its index is built, before the next builder starts.
  const builder = options.builder ?? 'lean'
  const storyIndex = buildKind(STORY_FIELDS, vocab, builder, (add) => {
    for (const story of stories) add(storyTexts(story, themeTitles))
  })
  const quoteRefs: QuoteRef[] = []
  const quoteIndex = buildKind(QUOTE_FIELDS, vocab, builder, (add) => {
    stories.forEach((story, index) => {
      for (const q of story.quotes) {
        quoteRefs.push({ story: index, quoteId: q.id })
        add(quoteTexts(story, q, themeTitles))
      }
    })
  })
  return new SearchEngine(
    {
      vocab: vocab.finish(),
      stories: storyIndex,
      quotes: quoteIndex,
      storySlugs: stories.map((s) => s.slug),
      quoteRefs,
      fingerprint: contentFingerprint(stories, themes),
    },
    stories,
    options.evaluator,
  )
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
  const { readLunr } = options
  let s: SerializedSearchIndex
  try {
    s = typeof json === 'string' ? (JSON.parse(json) as SerializedSearchIndex) : json
  } catch {
    throw new SearchIndexLoadError('the serialised index is not JSON')
  }
  if (
    typeof s !== 'object' ||
    s === null ||
    s.format !== FORMAT ||
    s.formatVersion !== FORMAT_VERSION
  ) {
    throw new SearchIndexLoadError('not a search index of this format version')
  }
  if (s.lunrVersion !== lunr.version)
    throw new SearchIndexLoadError('made with another Lunr version')
  if (s.fingerprint !== contentFingerprint(stories, themes)) {
    throw new SearchIndexLoadError('made for other content')
  }
  try {
    const df = u32(s.df)
    const wordTerms = u32(s.wordTerms)
    if (
      !Array.isArray(s.terms) ||
      df.length !== s.terms.length ||
      !Array.isArray(s.words) ||
      wordTerms.length !== s.words.length ||
      !Array.isArray(s.storySlugs) ||
      !Array.isArray(s.quoteRefs) ||
      wordTerms.some((id) => id >= df.length) ||
      // Sorted, distinct words: prefix search bisects them and Lunr's token set requires it.
      !s.words.every((w, i) => typeof w === 'string' && (i === 0 || (s.words[i - 1] as string) < w))
    ) {
      throw new SearchIndexLoadError('the word tables are inconsistent')
    }
    return new SearchEngine(
      {
        vocab: makeVocabulary(s.terms, df, s.words, wordTerms),
        stories: loadKind(
          s.stories,
          STORY_FIELDS,
          s.storySlugs.length,
          readLunr && (() => readLunr('stories')),
        ),
        quotes: loadKind(
          s.quotes,
          QUOTE_FIELDS,
          s.quoteRefs.length,
          readLunr && (() => readLunr('quotes')),
        ),
        storySlugs: s.storySlugs,
        quoteRefs: s.quoteRefs.map(([story, quoteId]) => ({ story, quoteId })),
        fingerprint: s.fingerprint,
      },
      stories,
      options.evaluator,
    )
  } catch (error) {
    if (error instanceof SearchIndexLoadError) throw error
    throw new SearchIndexLoadError(`the serialised index is damaged: ${String(error)}`)
  }
}

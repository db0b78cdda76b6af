import { createHash } from 'node:crypto'
import lunr from 'lunr'
import type { Story, Theme } from '../content/model.js'
import {
  NO_METADATA,
  QUOTE_FIELDS,
  SAFE_TERM,
  STORY_FIELDS,
  SearchIndexLoadError,
  makeVocabulary,
  prepareNumbered,
  type EngineData,
  type FieldSpec,
  type KindIndex,
} from './engine-data.js'
import {
  indexFieldVectors,
  indexInvertedIndex,
  serializeIndex,
  type LunrInvertedIndex,
} from './lunr-internals.js'
import { EMPTY_POSTING } from './lunr-query.js'

/*
 * The stored format: an engine as plain JSON, for the start-up cache file, and read back. The Lunr
 * indexes are kept as `lunr.Index#toJSON` makes them (and loaded with `lunr.Index.load`), the
 * engine's own tables as base64 typed arrays. Loading checks everything it trusts, since Lunr
 * checks nothing and a query on a damaged index would throw: a bad or stale file is a
 * SearchIndexLoadError, and the caller rebuilds.
 */

const FORMAT = 'peer-stories-search'
const FORMAT_VERSION = 2

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
  const json = serializeIndex(k.index)
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

/** The parts of Lunr's serialised index that loading relies on, as read: not yet checked. */
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
  const vectors = indexFieldVectors(index)
  for (let d = 0; d < docCount; d++) {
    for (const name of names) {
      if (vectors[`${name}/${d}`] === undefined) {
        throw new SearchIndexLoadError('the Lunr index is missing a field vector')
      }
    }
  }
  const postings = indexInvertedIndex(index)
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
    const posting = postings[term] as LunrInvertedIndex[string]
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

/** The engine's data as plain JSON (see SerializedSearchIndex; `compact`: see toCompactJSON). */
export function serializeEngineData(d: EngineData, compact: boolean): SerializedSearchIndex {
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

/**
 * Read an engine's data serialised by serializeEngineData. Throws SearchIndexLoadError if it was
 * made by another format or Lunr version, for other content, or is damaged.
 */
export function readEngineData(
  json: SerializedSearchIndex | string,
  stories: readonly Story[],
  themes: readonly Theme[],
  readLunr: ((kind: 'stories' | 'quotes') => object) | undefined,
): EngineData {
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
    return {
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
    }
  } catch (error) {
    if (error instanceof SearchIndexLoadError) throw error
    throw new SearchIndexLoadError(`the serialised index is damaged: ${String(error)}`)
  }
}

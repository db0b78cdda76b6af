import lunr from 'lunr'
import type { Story, Theme } from '../content/model.js'
import { SPEAKERS } from '../content/vocabulary.js'
import {
  NO_METADATA,
  QUOTE_FIELDS,
  SAFE_TERM,
  STORY_FIELDS,
  makeVocabulary,
  prepareNumbered,
  toPostings,
  type EngineData,
  type FieldSpec,
  type KindIndex,
  type QuoteRef,
  type Vocabulary,
} from './engine-data.js'
import {
  builderInternals,
  builderInvertedIndex,
  lunrIdf,
  useTermListTokenizer,
  type LunrInvertedIndex,
} from './lunr-internals.js'
import { installSharedPostings } from './lunr-query.js'
import { forEachWord, type WordAnalysis } from './text.js'

/*
 * Building the index: each story, and each quote, is analysed into index terms (text.ts) and
 * added to a Lunr builder, one kind of document after the other, as Lunr's `lunr.Builder` would
 * index them (BM25 per field, k1 1.2, b 0.75, field boosts).
 *
 * Text never goes through Lunr's tokenizer or pipelines. Each field value handed to the builder is
 * the list of index terms the analyser in text.ts made (folded, British spelling, stemmed, stop
 * words out, hyphen parts and the joined form), and queries are built from terms made by the same
 * analyser, so the index and the query can never disagree. Every term is letters and digits only
 * (checked), so nothing in it can act as Lunr syntax.
 *
 * Lunr's costs, engineered around (measurements in docs/performance.md):
 * - no `metadataWhitelist`: no positions (phrases use the term sequences below);
 * - the builder's tokenizer is the identity on those term lists (useTermListTokenizer);
 * - every posting's metadata object (an empty `Object.create(null)` per term, field and document)
 *   is replaced by one shared frozen empty object, after each `add` and after loading;
 * - document refs are short numeric strings ("0", "1", ...) mapped back through arrays.
 *
 * Each document also keeps its sequence of term ids (stop words included, 0 between texts) so that
 * phrases are checked exactly without positions: Lunr returns the documents having every phrase
 * word, and the sequence says whether they are consecutive.
 */

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

/**
 * The term ids of both kinds (one numbering, so that a phrase's ids mean the same in stories and
 * quotes), each term's document frequency over both, and each canonical word's term, which prefix
 * search and suggestions start from.
 */
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
    const b = builderInternals(this)
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
    const b = builderInternals(this)
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

/** Which builder makes the indexes: LeanBuilder, or Lunr's own (for tests and the bench). */
export type LunrBuilderKind = 'lean' | 'lunr'

/** Builds one kind's Lunr index and its word sequences, one document at a time. */
class KindBuilder {
  private readonly builder: lunr.Builder
  private readonly names: string[]
  private readonly postings: LunrInvertedIndex
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
    useTermListTokenizer(b)
    this.names = fields.map((f) => f.name)
    this.postings = builderInvertedIndex(b)
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
          const refs = (this.postings[term] as LunrInvertedIndex[string])[name] as Record<
            string,
            object
          >
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

/**
 * Index stories and their quotes (drafts should already be filtered out): everything an engine
 * holds but the content fingerprint, which keys the stored format.
 */
export function buildIndexes(
  stories: readonly Story[],
  themes: readonly Theme[],
  builder: LunrBuilderKind,
): Omit<EngineData, 'fingerprint'> {
  const themeTitles = new Map(themes.map((t) => [t.slug, t.title]))
  const vocab = new VocabularyBuilder()
  // One kind after the other: a Lunr builder's working tables (term frequencies per field of every
  // document) are garbage as soon as its index is built, before the next builder starts.
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
  return {
    vocab: vocab.finish(),
    stories: storyIndex,
    quotes: quoteIndex,
    storySlugs: stories.map((s) => s.slug),
    quoteRefs,
  }
}

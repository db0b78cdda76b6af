import { porterStem } from './lunr-internals.js'

/**
 * Text analysis shared by indexing, querying and highlighting. There is exactly one analyser so
 * that the index and the query can never disagree (the classic Lunr failure: accents folded on
 * one side only, a stop word removed on one side only).
 *
 * A word goes through: fold (NFKD, strip combining marks, ligatures, lower case) → apostrophes
 * dropped ("council's" → "council", "don't" → "dont") → British/American spelling mapped to one
 * form → stop-word check → Porter stemmer (Lunr's own). Every step works on a single word, so the
 * result is cached per distinct word: prose repeats a few tens of thousands of distinct words over
 * millions of tokens, and the cache turns the stemmer (the slowest step) into a Map lookup.
 */

/**
 * A word as it appears in text: letters and digits, joined by apostrophes or hyphens.
 * Combining marks may follow any letter ("Mo\u0302n"). En and em dashes are separators, not
 * hyphens ("2019–2020" is two numbers).
 */
const WORD =
  /[\p{L}\p{N}][\p{L}\p{M}\p{N}]*(?:['\u2019\u02bc\u2018\-\u2010\u2011][\p{L}\p{N}][\p{L}\p{M}\p{N}]*)*/gu
const HYPHENS = /[-\u2010\u2011]/
const APOSTROPHES = /['\u2019\u02bc\u2018]/g
const COMBINING = /\p{M}+/gu
const NOT_ALPHANUMERIC = /[^\p{L}\p{N}]+/gu

/** Letters NFKD leaves alone but a reader treats as a plain-letter spelling. */
const LIGATURES: Record<string, string> = {
  æ: 'ae',
  œ: 'oe',
  ß: 'ss',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
}
const LIGATURE_RE = /[æœßøłđðþı]/g
const HAS_LIGATURE = /[æœßøłđðþı]/

/**
 * Stop words: only seven words that carry no meaning on their own in this content and are among
 * its most frequent (their postings would list nearly every document). Lunr's default list (119 words) removes "no", "not", "this", "but", "own",
 * "off"... which breaks searches the users of this site make ("no overall control" is a kind of
 * political control; "not" carries the meaning of a quote). They are still part of phrases: a
 * quoted phrase is checked against the full word sequence, stop words included.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(['the', 'a', 'an', 'of', 'and', 'to', 'in'])

/**
 * Common words a search does not require: the Snowball English stop list (snowballstem.org,
 * algorithms/english/stop.txt, 174 words with its contractions), the list Lucene's and
 * Elasticsearch's `_english_` analysers and NLTK build on. Unlike STOP_WORDS they are indexed:
 * typed among other words, each is an optional clause, so it still ranks the documents that have
 * it (and counts in a phrase and in the word-order boost), but a document without it is not
 * partial. Typed alone or only with each other ("what we did"), they are required as usual.
 * Written as in the list; matched after folding and dropping apostrophes ("don't" → "dont").
 */
const SNOWBALL_ENGLISH_STOP = `i me my myself we our ours ourselves you your yours yourself yourselves he him his himself
  she her hers herself it its itself they them their theirs themselves what which who whom this
  that these those am is are was were be been being have has had having do does did doing would
  should could ought i'm you're he's she's it's we're they're i've you've we've they've i'd you'd
  he'd she'd we'd they'd i'll you'll he'll she'll we'll they'll isn't aren't wasn't weren't
  hasn't haven't hadn't doesn't don't didn't won't wouldn't shan't shouldn't can't cannot
  couldn't mustn't let's that's who's what's here's there's when's where's why's how's a an the
  and but if or because as until while of at by for with about against between into through
  during before after above below to from up down in out on off over under again further then
  once here there when where why how all any both each few more most other some such no nor not
  only own same so than too very`

/** Contractions that, without their apostrophe, are other words ("we'll" → "well", "i'd" → "id"). */
const SPELL_OTHER_WORDS = new Set([
  "i'd",
  "i'll",
  "we'd",
  "we'll",
  "he'll",
  "she'd",
  "she'll",
  "let's",
])

export const COMMON_WORDS: ReadonlySet<string> = new Set(
  SNOWBALL_ENGLISH_STOP.split(/\s+/)
    .filter((w) => !SPELL_OTHER_WORDS.has(w))
    .map((w) => dropApostrophes(fold(w))),
)

/** Fold one raw word: compatibility decomposition, no accents, lower case, no ligatures. */
export function fold(word: string): string {
  const s = word.normalize('NFKD').replace(COMBINING, '').toLowerCase()
  return HAS_LIGATURE.test(s) ? s.replace(LIGATURE_RE, (c) => LIGATURES[c] ?? c) : s
}

/** Drop a possessive "'s" and any other apostrophe: "council's" → "council", "o'neill" → "oneill". */
function dropApostrophes(word: string): string {
  return word.replace(/['\u2019\u02bc\u2018]s$/, '').replace(APOSTROPHES, '')
}

/**
 * American → British spellings, as whole words. Both sides of the search go through this, so which
 * spelling is canonical does not change results; British is chosen because the site is British
 * and suggestions ("did you mean") show canonical words.
 */
const SPELLING: ReadonlyMap<string, string> = new Map(
  Object.entries({
    program: 'programme',
    programs: 'programmes',
    center: 'centre',
    centers: 'centres',
    centered: 'centred',
    centering: 'centring',
    theater: 'theatre',
    theaters: 'theatres',
    fiber: 'fibre',
    liter: 'litre',
    meager: 'meagre',
    somber: 'sombre',
    focussed: 'focused',
    focusses: 'focuses',
    focussing: 'focusing',
    defense: 'defence',
    offense: 'offence',
    license: 'licence',
    licenses: 'licences',
    licensed: 'licenced',
    practise: 'practice',
    practised: 'practiced',
    practises: 'practices',
    practising: 'practicing',
    catalog: 'catalogue',
    dialog: 'dialogue',
    judgment: 'judgement',
    judgments: 'judgements',
    aging: 'ageing',
    gray: 'grey',
    enrollment: 'enrolment',
    enrollments: 'enrolments',
    fulfill: 'fulfil',
    fulfills: 'fulfils',
    fulfillment: 'fulfilment',
    skillful: 'skilful',
    installment: 'instalment',
    traveled: 'travelled',
    traveling: 'travelling',
    canceled: 'cancelled',
    canceling: 'cancelling',
    labeled: 'labelled',
    labeling: 'labelling',
    modeled: 'modelled',
    modeling: 'modelling',
    fueled: 'fuelled',
    counselor: 'counsellor',
    counselors: 'counsellors',
    pediatric: 'paediatric',
    maneuver: 'manoeuvre',
    mold: 'mould',
  }),
)

/** -our words whose American form drops the u ("behavior", "labor"), with the endings they take. */
const OUR_STEMS =
  /^(behavi|col|fav|hon|lab|neighb|endeav|harb|hum|rum|vig|rig|sav|flav|od|arm|val|parl|clam|ferv|tum|splend|demean)or(s|al|ally|ed|ing|ful|able|ably|ite|ites|less|hood|hoods|er|ers)?$/
/** -ize/-yze words and their derivations; "size", "prize", "seize"... are not this suffix. */
const IZE = /^(.{3,}?)(i|y)z(e|es|ed|ing|er|ers|ation|ations|ational)$/
const NOT_IZE: ReadonlySet<string> = new Set([
  'size',
  'sized',
  'sizes',
  'sizing',
  'prize',
  'prizes',
  'prized',
  'seize',
  'seized',
  'seizes',
  'seizing',
  'capsize',
  'capsized',
  'baize',
  'maize',
])

/** One spelling for British/American variants (input is folded, apostrophe-free). */
export function canonicalSpelling(word: string): string {
  const mapped = SPELLING.get(word)
  if (mapped !== undefined) return mapped
  const our = OUR_STEMS.exec(word)
  if (our !== null) return `${our[1]}our${our[2] ?? ''}`
  if (!NOT_IZE.has(word)) {
    const ize = IZE.exec(word)
    if (ize !== null && !NOT_IZE.has(word.replace(/^(down|re|over|under)/, ''))) {
      return `${ize[1]}${ize[2]}s${ize[3]}`
    }
  }
  return word
}

/** The analysis of one raw word (possibly hyphenated). */
export interface WordAnalysis {
  /** Folded, apostrophe-free spelling of each hyphen-separated part, as written. */
  readonly plain: readonly string[]
  /** Canonical folded spelling of each hyphen-separated part (what prefix search matches). */
  readonly words: readonly string[]
  /** Index term for each part: stemmed canonical word, or the word itself for a stop word. */
  readonly terms: readonly string[]
  /** Whether each part is a stop word (kept in sequences, never in the Lunr index). */
  readonly stop: readonly boolean[]
  /** Start offset of each part within the raw word. */
  readonly offsets: readonly number[]
  /** Length of each part within the raw word. */
  readonly lengths: readonly number[]
  /** For a hyphenated word, the parts run together ("sector-led" → "sectorl"): indexed too. */
  readonly joined: string | undefined
}

/** Analyse one folded, apostrophe-free part. */
function termOf(word: string): { term: string; stop: boolean } {
  if (STOP_WORDS.has(word)) return { term: word, stop: true }
  return { term: porterStem(word), stop: false }
}

/**
 * The cache is module-wide: analysis depends on nothing but the word. It is bounded so that a
 * stream of unique junk queries cannot grow it for ever; indexing fills it with the corpus
 * vocabulary, which is what queries mostly ask for.
 */
const cache = new Map<string, WordAnalysis>()
const CACHE_LIMIT = 500_000

export function analyseWord(raw: string): WordAnalysis {
  const hit = cache.get(raw)
  if (hit !== undefined) return hit
  const plain: string[] = []
  const words: string[] = []
  const terms: string[] = []
  const stop: boolean[] = []
  const offsets: number[] = []
  const lengths: number[] = []
  let offset = 0
  for (const piece of raw.split(HYPHENS)) {
    // Letters and digits only: NFKD can leave other characters ("½" → "1⁄2", an Arabic ligature
    // → words and spaces), and every term is handed to Lunr, where only letters and digits are
    // certain to mean themselves.
    const folded = dropApostrophes(fold(piece)).replace(NOT_ALPHANUMERIC, '')
    const word = canonicalSpelling(folded)
    if (word.length > 0) {
      const t = termOf(word)
      plain.push(folded)
      words.push(word)
      terms.push(t.term)
      stop.push(t.stop)
      offsets.push(offset)
      lengths.push(piece.length)
    }
    offset += piece.length + 1
  }
  let joined: string | undefined
  if (words.length > 1) {
    const j = canonicalSpelling(words.join(''))
    joined = termOf(j).term
  }
  const analysis: WordAnalysis = { plain, words, terms, stop, offsets, lengths, joined }
  if (cache.size >= CACHE_LIMIT) cache.clear()
  cache.set(raw, analysis)
  return analysis
}

/** A token found in a text, with offsets into that (unfolded) text. */
export interface TextToken {
  /** Folded word as written. */
  readonly plain: string
  /** Canonical folded word. */
  readonly word: string
  /** Index term (stemmed) or stop word. */
  readonly term: string
  readonly stop: boolean
  readonly start: number
  readonly end: number
  /** Position in the word sequence (hyphen parts each take one position). */
  readonly position: number
  /** Set on the first part of a hyphenated word: the joined term and the end of the whole word. */
  readonly joined?: { readonly term: string; readonly end: number }
}

/**
 * Tokenise text keeping offsets (for highlighting and snippets, on ~20 texts a page). Indexing
 * uses `forEachWord`, which allocates nothing per token.
 */
export function tokenize(text: string): TextToken[] {
  const out: TextToken[] = []
  let position = 0
  WORD.lastIndex = 0
  for (let m = WORD.exec(text); m !== null; m = WORD.exec(text)) {
    const a = analyseWord(m[0])
    for (let i = 0; i < a.terms.length; i++) {
      const start = m.index + (a.offsets[i] as number)
      const token: TextToken = {
        plain: a.plain[i] as string,
        word: a.words[i] as string,
        term: a.terms[i] as string,
        stop: a.stop[i] as boolean,
        start,
        end: start + (a.lengths[i] as number),
        position: position++,
        ...(i === 0 && a.joined !== undefined
          ? { joined: { term: a.joined, end: m.index + m[0].length } }
          : {}),
      }
      out.push(token)
    }
  }
  return out
}

/** Call `fn` with the analysis of every word in `text`, in order. */
export function forEachWord(text: string, fn: (analysis: WordAnalysis) => void): void {
  WORD.lastIndex = 0
  for (let m = WORD.exec(text); m !== null; m = WORD.exec(text)) fn(analyseWord(m[0]))
}

/** Raw words of a text, for the query parser (same definition of a word as the index). */
export function rawWords(text: string): string[] {
  return text.match(WORD) ?? []
}

import { analyseWord, COMMON_WORDS, rawWords, type WordAnalysis } from './text.js'

/**
 * The query language, parsed by hand so that no user text ever reaches Lunr's parser (which throws
 * on `: ~ ^ + -` and would let a user choose a fuzzy edit distance). Nothing here throws: every
 * character is either understood, treated as a separator, or dropped.
 *
 *   council budget        both words required (AND); then results with most of them (partial,
 *                         engine.ts); common words ("has", "no", "over") are not required
 *   transform*            prefix: any word starting "transform"
 *   "no overall control"  phrase: these words, consecutively, in this order; never relaxed
 *   -housing  -"a phrase" exclusion; never relaxed
 *   sector-led            a hyphenated word is a phrase of its parts ("sector led" also matches),
 *                         or the parts run together ("sectorled")
 *   NOC, chief exec       unquoted words that are a term of the synonyms file also find the other
 *                         terms of its groups ("no overall control", "chief executive")
 *
 * Lunr's own syntax is neutralised: `title:foo` is two words, `word~2` and `word^10` are "word",
 * a leading `+` is ignored, `*` anywhere but the end of a word is a separator.
 */

/** Longest query we look at, in characters (code points); the rest is dropped and reported. */
export const MAX_QUERY_CHARS = 200
/** Most terms (words, phrase words, exclusions) one query may use; the rest are reported. */
export const MAX_TERMS = 12
/** Longest word we search for; a longer "word" is junk (a pasted URL, a hash). */
export const MAX_TERM_CHARS = 40
/** Shortest prefix for `word*`: one letter would expand to a large part of the vocabulary. */
export const MIN_PREFIX_CHARS = 2

export type IgnoredReason = 'stop-word' | 'too-long' | 'too-many' | 'too-short'

export interface IgnoredWord {
  word: string
  reason: IgnoredReason
}

/** Another term meaning the same as what was typed (synonyms.yml), as index terms. */
export interface Alternative {
  /** As written in the synonyms file (for "Also searched for"). */
  text: string
  /** Index terms in order, stop words included. */
  terms: readonly string[]
  stop: readonly boolean[]
}

/** The synonyms the parser looks typed terms up in (src/search/synonyms.ts makes them). */
export interface AlternativeLookup {
  /** Most words (as the parser splits them) of any term it knows. */
  readonly longestTerm: number
  /** The other terms of every group holding the term with these index terms, if any. */
  alternatives(terms: readonly string[]): readonly Alternative[] | undefined
}

export interface WordClause {
  kind: 'word'
  /** The word as typed (after cleaning), for messages and the corrected query. */
  raw: string
  /** Index term (stemmed, canonical spelling). */
  term: string
  /** Folded word as written (for prefix search and suggestions). */
  word: string
  prefix: boolean
  negated: boolean
  /**
   * A common word (text.ts COMMON_WORDS), not a prefix, not negated: not required when the query
   * has other words (query-plan.ts decides), but still scored.
   */
  common: boolean
  /** Terms that mean the same (a word typed alone, not negated, not a prefix). */
  alternatives?: readonly Alternative[]
}

export interface PhraseClause {
  kind: 'phrase'
  raw: string
  /** Index terms in order, stop words included (the phrase is matched on the full sequence). */
  terms: string[]
  /** Whether each term is a stop word (not required through the index, only in the sequence). */
  stop: boolean[]
  negated: boolean
  /** True for a hyphenated word written without quotes. */
  implicit: boolean
  /** For a hyphenated word, its parts run together as one index term ("sectorl"). */
  joined?: string
}

/**
 * Unquoted words that together are a term of the synonyms file ("chief exec"): a document
 * matches with every one of its words, anywhere (as the words alone would), or with any of the
 * alternatives.
 */
export interface TermClause {
  kind: 'term'
  raw: string
  /** Index terms in order, stop words included. */
  terms: string[]
  stop: boolean[]
  negated: false
  alternatives: readonly Alternative[]
}

export type Clause = WordClause | PhraseClause | TermClause

export interface ParsedQuery {
  /** The query as it was used: cleaned and cut to MAX_QUERY_CHARS. */
  text: string
  truncated: boolean
  clauses: Clause[]
  ignored: IgnoredWord[]
}

/** Control characters (NUL, escapes) and lone surrogates become spaces; format characters
 * (soft hyphen, zero-width joiners, bidi marks) vanish, so "trans\u00adformation" is one word. */
function clean(input: string): string {
  return input
    .replace(/\p{Cf}/gu, '')
    .replace(/[\p{Cc}\p{Cs}\p{Zl}\p{Zp}]/gu, ' ')
    .normalize('NFC')
}

function cut(text: string): { text: string; truncated: boolean } {
  // Count code points, not UTF-16 units, so an emoji is never cut in half.
  const chars = Array.from(text)
  if (chars.length <= MAX_QUERY_CHARS) return { text, truncated: false }
  return { text: chars.slice(0, MAX_QUERY_CHARS).join(''), truncated: true }
}

/** A word of an unquoted, not negated run of the query, waiting to be read with its neighbours. */
interface PendingWord {
  raw: string
  analysis: WordAnalysis
  prefix: boolean
}

/**
 * Parse a query. With `synonyms`, unquoted words (not negated, not `word*`) that make a term of a
 * group, longest first, carry that group's other terms as alternatives.
 */
export function parseQuery(input: unknown, synonyms?: AlternativeLookup): ParsedQuery {
  // The web layer passes a string, but Express can hand over arrays or objects: never throw.
  const source = typeof input === 'string' ? input : ''
  const { text, truncated } = cut(clean(source).trim())
  const clauses: Clause[] = []
  const ignored: IgnoredWord[] = []
  let budget = MAX_TERMS

  const addWord = (raw: string, analysis: WordAnalysis, negated: boolean, prefix: boolean) => {
    const word = analysis.plain[0] as string
    const term = analysis.terms[0] as string
    if (raw.length > MAX_TERM_CHARS) return void ignored.push({ word: raw, reason: 'too-long' })
    if (prefix) {
      if (word.length < MIN_PREFIX_CHARS)
        return void ignored.push({ word: raw, reason: 'too-short' })
    } else if (analysis.stop[0] === true) {
      return void ignored.push({ word: raw, reason: 'stop-word' })
    }
    if (budget <= 0) return void ignored.push({ word: raw, reason: 'too-many' })
    budget--
    const common = !prefix && !negated && COMMON_WORDS.has(analysis.words[0] as string)
    clauses.push({ kind: 'word', raw, term, word, prefix, negated, common })
  }

  const addPhrase = (raw: string, words: string[], negated: boolean, implicit: boolean) => {
    const terms: string[] = []
    const stop: boolean[] = []
    for (const w of words) {
      if (w.length > MAX_TERM_CHARS) {
        ignored.push({ word: w, reason: 'too-long' })
        // A phrase with a junk word in it cannot match anything sensible: drop it whole.
        return
      }
      const a = analyseWord(w)
      terms.push(...a.terms)
      stop.push(...a.stop)
    }
    if (terms.length === 0) return
    if (stop.every(Boolean)) {
      // "of the": nothing to look up in the index, and scanning every text for it is not worth it.
      return void ignored.push({ word: raw, reason: 'stop-word' })
    }
    if (budget <= 0) return void ignored.push({ word: raw, reason: 'too-many' })
    if (terms.length > budget) {
      ignored.push({ word: raw, reason: 'too-many' })
      terms.length = budget
      stop.length = budget
    }
    budget -= terms.length
    const joined = implicit ? analyseWord(raw).joined : undefined
    clauses.push({
      kind: 'phrase',
      raw,
      terms,
      stop,
      negated,
      implicit,
      ...(joined === undefined ? {} : { joined }),
    })
  }

  const addAnalysed = (raw: string, analysis: WordAnalysis, negated: boolean, prefix: boolean) => {
    if (analysis.terms.length > 1 && !prefix) {
      addPhrase(raw, [raw], negated, true)
    } else if (analysis.terms.length > 1) {
      // "sector-l*": a prefix of the run-together word, which the index also holds.
      addWord(raw, { ...analysis, plain: [analysis.plain.join('')] }, negated, true)
    } else {
      addWord(raw, analysis, negated, prefix)
    }
  }

  /** The longest run of pending words from `from` that is a term with alternatives. */
  const termAt = (pending: readonly PendingWord[], from: number) => {
    if (synonyms === undefined) return undefined
    const most = Math.min(synonyms.longestTerm, pending.length - from)
    for (let n = most; n >= 1; n--) {
      const run = pending.slice(from, from + n)
      if (run.some((w) => w.prefix || w.raw.length > MAX_TERM_CHARS)) continue
      const terms = run.flatMap((w) => w.analysis.terms)
      const alternatives = synonyms.alternatives(terms)
      if (alternatives !== undefined) {
        return { run, terms, stop: run.flatMap((w) => w.analysis.stop), alternatives }
      }
    }
    return undefined
  }

  let pending: PendingWord[] = []
  /** Read the pending words in order, a term of the synonyms file as one clause. */
  const flush = () => {
    for (let at = 0; at < pending.length;) {
      const found = termAt(pending, at)
      const first = pending[at] as PendingWord
      if (found === undefined) {
        addAnalysed(first.raw, first.analysis, false, first.prefix)
        at++
        continue
      }
      at += found.run.length
      const { terms, stop, alternatives } = found
      if (found.run.length === 1 && terms.length === 1) {
        const before = clauses.length
        addWord(first.raw, first.analysis, false, false)
        const clause = clauses[before]
        if (clause?.kind === 'word') clause.alternatives = alternatives
      } else if (budget < terms.length) {
        for (const w of found.run) addAnalysed(w.raw, w.analysis, false, false)
      } else {
        budget -= terms.length
        const raw = found.run.map((w) => w.raw).join(' ')
        clauses.push({ kind: 'term', raw, terms, stop, negated: false, alternatives })
      }
    }
    pending = []
  }

  let i = 0
  while (i < text.length) {
    const ch = text.charAt(i)
    if (/\s/.test(ch)) {
      i++
      continue
    }
    // A run of '-' and '+' before a word or a quote: '-' anywhere in it means "exclude".
    let negated = false
    let j = i
    while (j < text.length && (text.charAt(j) === '-' || text.charAt(j) === '+')) {
      if (text.charAt(j) === '-') negated = true
      j++
    }
    if (negated || (j < text.length && text.charAt(j) === '"')) flush()
    if (j < text.length && text.charAt(j) === '"') {
      const close = text.indexOf('"', j + 1)
      // An unbalanced quote runs to the end of the query, as people mean it.
      const end = close === -1 ? text.length : close
      const inner = text.slice(j + 1, end)
      const words = rawWords(inner)
      if (words.length > 0) addPhrase(inner.trim(), words, negated, false)
      i = end + 1
      continue
    }
    // A chunk runs to the next space or quote.
    let k = j
    while (k < text.length && !/\s/.test(text.charAt(k)) && text.charAt(k) !== '"') k++
    // Lunr modifiers: "word~2", "word^10" mean "word"; the digits are syntax, not a search term.
    const chunk = text.slice(j, k).replace(/[~^]\d*/g, ' ')
    i = k
    const prefixChunk = /[\p{L}\p{N}]\*+$/u.test(chunk)
    const words = rawWords(chunk)
    words.forEach((raw, index) => {
      const analysis = analyseWord(raw)
      if (analysis.terms.length === 0) return
      const prefix = prefixChunk && index === words.length - 1
      if (negated) addAnalysed(raw, analysis, negated, prefix)
      else pending.push({ raw, analysis, prefix })
    })
  }
  flush()
  return { text, truncated, clauses, ignored }
}

/** Write a parsed query back as text (for "did you mean" links), optionally replacing words. */
export function formatQuery(
  clauses: readonly Clause[],
  replace?: ReadonlyMap<Clause, string>,
): string {
  return clauses
    .map((c) => {
      const sign = c.negated ? '-' : ''
      const body = replace?.get(c) ?? c.raw
      if (c.kind === 'term') return body
      if (c.kind === 'phrase') return c.implicit ? `${sign}${body}` : `${sign}"${body}"`
      return `${sign}${body}${c.prefix ? '*' : ''}`
    })
    .join(' ')
}

import type { Span } from './highlight.js'
import { tokenize, type TextToken } from './text.js'
import type { HighlightTerms } from './types.js'

/**
 * Texts tokenised once and kept compactly, so that highlighting a text for a query only looks up
 * the query's terms. `tokenize` on a 1,200-word narrative runs the word expression and the
 * analyser over every word and makes an object per token; the search page did that for every
 * story shown, on every request (about a fifth of its CPU time under load). Here each text is
 * tokenised once, by `tokenize` itself (so the tokens cannot differ), and stored as a few bytes a
 * token; the per-query work is a pass over those bytes with a table lookup per token.
 *
 * A token's analysis (folded word, canonical word, index term, stop word) is a "part" in a
 * `TokenTable` shared by the texts of one content snapshot, so the strings are held once; a
 * `SpanMatcher` decides once per part, per query, whether and how it matches, and produces
 * exactly the spans `matchSpans` (highlight.ts) would from `tokenize`.
 */

/** The analyses of the tokens of the texts encoded so far, and their index terms, by number. */
export class TokenTable {
  readonly #partIds = new Map<string, number>()
  readonly #termIds = new Map<string, number>()
  /** By part number: the folded word as written, the canonical word, the term's number, stop. */
  readonly plain: string[] = []
  readonly word: string[] = []
  readonly term: number[] = []
  readonly stop: boolean[] = []
  /** By term number. */
  readonly terms: string[] = []

  get partCount(): number {
    return this.plain.length
  }

  /** The number of an index term, if any token or joined word of an encoded text has it. */
  findTerm(term: string): number | undefined {
    return this.#termIds.get(term)
  }

  termId(term: string): number {
    let id = this.#termIds.get(term)
    if (id === undefined) {
      id = this.terms.length
      this.terms.push(term)
      this.#termIds.set(term, id)
    }
    return id
  }

  partId(t: TextToken): number {
    // The whole analysis is the key, not only the folded word, so that the table stays right
    // whatever the analyser derives from what (today all of it follows from `plain`).
    const key = `${t.plain}\u0000${t.word}\u0000${t.term}\u0000${t.stop ? 1 : 0}`
    let id = this.#partIds.get(key)
    if (id === undefined) {
      id = this.plain.length
      this.plain.push(t.plain)
      this.word.push(t.word)
      this.term.push(this.termId(t.term))
      this.stop.push(t.stop)
      this.#partIds.set(key, id)
    }
    return id
  }
}

/**
 * Several texts' tokens (a story's title, narrative, summary, impacts and quotes), about 4 bytes
 * a token (some 1,100 tokens a story in the bench corpus, quotes included) in one byte array:
 * for each text in turn, each token's part number (2 bytes, little-endian, while the table has
 * at most 65,536 parts, else 4), then each token's gap from the previous token's end to its
 * start (1 byte), then each token's length (1 byte). A gap or length of 255 or more is written
 * as 255 and its value is the next one in `overflow` (a long word or run of spaces: rare). The
 * first part of each hyphenated word has its place, joined term and the whole word's end (from
 * its start) in `joined`. One array for all the texts, not one per text or per field: an array
 * costs some 150 bytes of its own, as much as a short quote's tokens.
 */
export interface EncodedTexts {
  /** Bytes per part number: 2 or 4. */
  readonly partBytes: 2 | 4
  readonly data: Uint8Array
  /**
   * Per text k, at 4k: where its tokens start in `data`, their count, and where its entries
   * start in `overflow` and in `joined`; then the same for an empty text after the last one
   * (where each text's entries end is where the next one's start).
   */
  readonly at: Int32Array
  readonly overflow: Int32Array
  readonly joined: Int32Array
}

/** Shared by the texts with no overflow or hyphenated word (most of them). */
const NOTHING = new Int32Array(0)

/** Tokenises the texts with `tokenize` (so the tokens cannot differ) and stores the tokens. */
export function encodeTexts(table: TokenTable, texts: readonly string[]): EncodedTexts {
  const tokenised = texts.map((text) => tokenize(text))
  const parts = tokenised.map((tokens) => tokens.map((t) => table.partId(t)))
  const partBytes = table.partCount <= 0x10000 ? 2 : 4
  const total = tokenised.reduce((sum, tokens) => sum + tokens.length, 0)
  const data = new Uint8Array(total * (partBytes + 2))
  const at = new Int32Array(texts.length * 4 + 4)
  const overflow: number[] = []
  const joined: number[] = []
  const small = (n: number): number => {
    // Tokens come in text order and do not overlap: a negative number is a bug, not data.
    if (n < 0) throw new RangeError(`a token cannot start before the previous one ends (${n})`)
    if (n < 255) return n
    overflow.push(n)
    return 255
  }
  let offset = 0
  tokenised.forEach((tokens, k) => {
    const count = tokens.length
    at.set([offset, count, overflow.length, joined.length], 4 * k)
    const gaps = offset + count * partBytes
    const lengths = gaps + count
    let previousEnd = 0
    tokens.forEach((t, i) => {
      const part = parts[k]?.[i] as number
      for (let b = 0; b < partBytes; b++)
        data[offset + i * partBytes + b] = (part >>> (8 * b)) & 0xff
      data[gaps + i] = small(t.start - previousEnd)
      data[lengths + i] = small(t.end - t.start)
      if (t.joined !== undefined)
        joined.push(i, table.termId(t.joined.term), t.joined.end - t.start)
      previousEnd = t.end
    })
    offset = lengths + count
  })
  at.set([offset, 0, overflow.length, joined.length], 4 * texts.length)
  return {
    partBytes,
    data,
    at,
    overflow: overflow.length === 0 ? NOTHING : Int32Array.from(overflow),
    joined: joined.length === 0 ? NOTHING : Int32Array.from(joined),
  }
}

/**
 * One text's part numbers, starts and ends, read into arrays reused from text to text (so
 * reading allocates nothing); returns its number of tokens.
 */
let parts = new Int32Array(4096)
let starts = new Int32Array(4096)
let ends = new Int32Array(4096)

function read(encoded: EncodedTexts, k: number): number {
  const { partBytes, data, overflow } = encoded
  const offset = encoded.at[4 * k] as number
  const count = encoded.at[4 * k + 1] as number
  if (count > starts.length) {
    const size = Math.max(count, starts.length * 2)
    parts = new Int32Array(size)
    starts = new Int32Array(size)
    ends = new Int32Array(size)
  }
  if (partBytes === 2) {
    for (let i = 0; i < count; i++) {
      const b = offset + 2 * i
      parts[i] = (data[b] as number) | ((data[b + 1] as number) << 8)
    }
  } else {
    for (let i = 0; i < count; i++) {
      const b = offset + 4 * i
      parts[i] =
        (data[b] as number) |
        ((data[b + 1] as number) << 8) |
        ((data[b + 2] as number) << 16) |
        ((data[b + 3] as number) << 24)
    }
  }
  const gaps = offset + count * partBytes
  const lengths = gaps + count
  let end = 0
  let o = encoded.at[4 * k + 2] as number
  for (let i = 0; i < count; i++) {
    let gap = data[gaps + i] as number
    if (gap === 255) gap = overflow[o++] as number
    let length = data[lengths + i] as number
    if (length === 255) length = overflow[o++] as number
    const start = end + gap
    end = start + length
    starts[i] = start
    ends[i] = end
  }
  return count
}

/** Part numbers' match for one query: not yet worked out, no match, or a key's place + 1. */
const UNKNOWN = 0
const NONE = -1

/**
 * One query's highlight terms matched against encoded texts: what `matchSpans(tokenize(text), h)`
 * gives, from the stored tokens. Make one per query (per page), for texts of one table.
 */
export class SpanMatcher {
  readonly #table: TokenTable
  readonly #h: HighlightTerms
  /** Span keys, as matchSpans makes them ("t:term", "p:prefix"). */
  readonly #keys: string[] = []
  readonly #termKey = new Map<string, number>()
  readonly #prefixKeys: number[] = []
  /** Term number → place of its key, for the searched terms the table has. */
  readonly #termKeys = new Map<number, number>()
  /** Each phrase as term numbers; undefined when the table lacks a term (it cannot occur). */
  #phrases: (Int32Array | undefined)[] = []
  /** The table's term count when the terms above were looked up. */
  #termsSeen = -1
  #byPart: Int32Array

  constructor(table: TokenTable, h: HighlightTerms) {
    this.#table = table
    this.#h = h
    for (const term of h.terms) {
      if (!this.#termKey.has(term)) this.#termKey.set(term, this.#keys.push(`t:${term}`) - 1)
    }
    for (const prefix of h.prefixes) this.#prefixKeys.push(this.#keys.push(`p:${prefix}`) - 1)
    this.#byPart = new Int32Array(table.partCount)
  }

  /**
   * Looks the searched terms up in the table, again whenever texts encoded since brought new
   * terms (a term is in the table only once a text having it was encoded, and texts are encoded
   * as they are first shown: after the matcher is made). Parts already worked out stay right: a
   * part's term was in the table when it was, so a new term cannot be one of theirs.
   */
  #lookUpTerms(): void {
    const table = this.#table
    if (this.#termsSeen === table.terms.length) return
    this.#termsSeen = table.terms.length
    for (const [term, key] of this.#termKey) {
      const id = table.findTerm(term)
      if (id !== undefined) this.#termKeys.set(id, key)
    }
    this.#phrases = this.#h.phrases.map((phrase) => {
      const ids = phrase.map((term) => table.findTerm(term))
      return ids.every((id) => id !== undefined) ? Int32Array.from(ids) : undefined
    })
  }

  /** How a token of this part matches on its own (joined words apart), worked out once. */
  #partMatch(part: number): number {
    if (part >= this.#byPart.length) {
      // Texts encoded after this matcher was made added parts.
      const grown = new Int32Array(Math.max(this.#table.partCount, part + 1))
      grown.set(this.#byPart)
      this.#byPart = grown
    }
    const held = this.#byPart[part] as number
    if (held !== UNKNOWN) return held
    const table = this.#table
    let match = NONE
    if (!(table.stop[part] as boolean)) {
      const termKey = this.#termKeys.get(table.term[part] as number)
      if (termKey !== undefined) match = termKey + 1
      else {
        // The first prefix that matches names the span, as in matchSpans.
        const word = table.word[part] as string
        const plain = table.plain[part] as string
        const at = this.#h.prefixes.findIndex((p) => word.startsWith(p) || plain.startsWith(p))
        if (at >= 0) match = (this.#prefixKeys[at] as number) + 1
      }
    }
    this.#byPart[part] = match
    return match
  }

  /** The spans of text k of `encoded`, equal to matchSpans(tokenize(that text), h). */
  spans(encoded: EncodedTexts, k: number): Span[] {
    this.#lookUpTerms()
    const count = read(encoded, k)
    const { joined } = encoded
    const joinedEnd = encoded.at[4 * k + 7] as number
    const keys = this.#keys
    const spans: Span[] = []
    // Per token, in matchSpans's order: the whole hyphenated word, then the token itself.
    let j = encoded.at[4 * k + 3] as number
    for (let i = 0; i < count; i++) {
      if (j < joinedEnd && joined[j] === i) {
        const k = this.#termKeys.get(joined[j + 1] as number)
        const start = starts[i] as number
        if (k !== undefined) {
          spans.push({ start, end: start + (joined[j + 2] as number), key: keys[k] as string })
        }
        j += 3
      }
      const part = parts[i] as number
      let match = part < this.#byPart.length ? (this.#byPart[part] as number) : UNKNOWN
      if (match === UNKNOWN) match = this.#partMatch(part)
      if (match > 0) {
        spans.push({
          start: starts[i] as number,
          end: ends[i] as number,
          key: keys[match - 1] as string,
        })
      }
    }
    // Then each phrase's occurrences (stop words included; consecutive tokens are adjacent
    // positions, since one text has no field breaks).
    const terms = this.#table.term
    this.#phrases.forEach((phrase, n) => {
      if (phrase === undefined || phrase.length === 0) return
      const key = `q:${n}`
      outer: for (let i = 0; i + phrase.length <= count; i++) {
        for (let k = 0; k < phrase.length; k++) {
          if (terms[parts[i + k] as number] !== phrase[k]) continue outer
        }
        spans.push({ start: starts[i] as number, end: ends[i + phrase.length - 1] as number, key })
      }
    })
    return spans.sort((a, b) => a.start - b.start || b.end - a.end)
  }
}

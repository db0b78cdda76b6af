import type { Alternative, AlternativeLookup } from './query.js'
import { analyseWord, rawWords } from './text.js'

/*
 * The words councils use (content/synonyms.yml): groups of terms that mean the same, such as
 * [NOC, no overall control]. A search expands what was typed at query time, so the index never
 * holds them and editing the file needs only a reload. Terms are compared as the analyser makes
 * them (folded, British spelling, stemmed; stop words kept in place), so "NOC", "noc" and "Noc" are
 * one term, and "chief execs" is "chief exec".
 *
 * A term found in several groups has the other terms of all of them; groups are not chained
 * ("CE" in [CE, chief executive] and [CE, church of england] does not make "chief executive" find
 * "church of england").
 */

/** Most alternatives one typed term is expanded to (the file could list a term in many groups). */
const MAX_ALTERNATIVES = 20

interface AnalysedTerm {
  key: string
  alternative: Alternative
  words: number
}

function analyseTerm(text: string): AnalysedTerm | undefined {
  const words = rawWords(text)
  const terms: string[] = []
  const stop: boolean[] = []
  for (const word of words) {
    const a = analyseWord(word)
    terms.push(...a.terms)
    stop.push(...a.stop)
  }
  // A term of stop words only ("the", "of") is never searched for: it can neither be typed nor
  // looked up (content-guide.md says so).
  if (terms.length === 0 || stop.every(Boolean)) return undefined
  return { key: terms.join(' '), alternative: { text, terms, stop }, words: words.length }
}

/**
 * Why a synonym term could never be searched for, or undefined if it can: a term of stop words
 * only ("the", "in") is skipped in every query, so in a group it would silently do nothing.
 * Content validation reports it with the term's line (src/site/load.ts passes this in).
 */
export function synonymTermProblem(text: string): string | undefined {
  if (analyseTerm(text) !== undefined) return undefined
  return `"${text}" is only words that search skips as too common, so it can never be searched for: leave it out, or write it as part of a longer term`
}

/** Synonym groups compiled for the query parser: a typed term's index terms → its alternatives. */
export class Synonyms implements AlternativeLookup {
  static readonly none = new Synonyms([])

  readonly longestTerm: number
  /** How many groups were given (for logs). */
  readonly groupCount: number
  readonly #byKey = new Map<string, Alternative[]>()

  constructor(groups: readonly (readonly string[])[]) {
    this.groupCount = groups.length
    let longest = 0
    for (const group of groups) {
      const terms = group.flatMap((text) => analyseTerm(text) ?? [])
      for (const term of terms) {
        longest = Math.max(longest, term.words)
        let list = this.#byKey.get(term.key)
        if (list === undefined) {
          list = []
          this.#byKey.set(term.key, list)
        }
        for (const other of terms) {
          if (other.key === term.key || list.length >= MAX_ALTERNATIVES) continue
          if (list.some((a) => a.terms.join(' ') === other.key)) continue
          list.push(other.alternative)
        }
      }
    }
    for (const [key, list] of this.#byKey) if (list.length === 0) this.#byKey.delete(key)
    this.longestTerm = longest
  }

  alternatives(terms: readonly string[]): readonly Alternative[] | undefined {
    return this.#byKey.get(terms.join(' '))
  }
}

import type lunr from 'lunr'
import { lowerBound, SAFE_TERM, termDf, type EngineData } from './engine-data.js'
import { tokenSetNear, tokenSetOfPrefixes, tokenSetOfWords } from './lunr-internals.js'
import {
  formatQuery,
  MIN_PREFIX_CHARS,
  parseQuery,
  type AlternativeLookup,
  type Clause,
  type PhraseClause,
  type WordClause,
} from './query.js'
import { planQuery, prefixVariants } from './query-plan.js'
import { runPlan, type LunrEvaluator } from './query-run.js'
import { analyseWord, rawWords } from './text.js'
import type { Suggestion } from './types.js'

/*
 * "Did you mean": when nothing matches every word, corrected queries that do find results. The
 * candidates come from Lunr's fuzzy TokenSet over the vocabulary's words, with an edit distance
 * fixed by the word's length (never chosen by the user: a large one is a denial of service), and
 * each correction is checked by running it like any search.
 */

/** Fuzzy matching budget: none for short words (too many near neighbours), then 1, then 2. */
function fuzzyLimit(word: string): number {
  if (word.length < 4) return 0
  return word.length < 7 ? 1 : 2
}

/** A searched word the index lacks: a word or prefix clause (`word` -1), or a phrase's word. */
interface Slot {
  clause: WordClause | PhraseClause
  word: number
  from: string
  options: string[]
}

/** Suggestions over one engine's data; the token set of its words is made on first use. */
export class Suggester {
  /** Lunr's token sets of the canonical words, and of their prefixes. */
  private wordSet: lunr.TokenSet | undefined
  private prefixSet: lunr.TokenSet | undefined

  constructor(
    private readonly data: EngineData,
    private readonly evaluator: LunrEvaluator,
  ) {}

  /**
   * Canonical words within `limit` edits of `word` (insertions, deletions, substitutions,
   * transpositions), with their distance, from Lunr's fuzzy TokenSet intersected with a token set
   * of the vocabulary's words. The words, not the index's stems: "transformtion" is 1 edit from
   * "transformation" but 4 from its stem "transform".
   */
  private nearWords(word: string, limit: number): { word: string; distance: number }[] {
    if (!SAFE_TERM.test(word)) return []
    const wordSet = (this.wordSet ??= tokenSetOfWords(this.data.vocab.words))
    const out: { word: string; distance: number }[] = []
    const seen = new Set<string>([word])
    for (let distance = 1; distance <= limit; distance++) {
      const near = wordSet.intersect(tokenSetNear(word, distance))
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
    return words[i] === word ? termDf(this.data.vocab, wordTerms[i] as number) : 0
  }

  /**
   * Whether a query finds anything with every word (no relaxing), through Lunr like any search;
   * quotes are only looked at if no story matches.
   */
  private matchesAll(query: string, synonyms: AlternativeLookup | undefined): boolean {
    const plan = planQuery(this.data.vocab, parseQuery(query, synonyms).clauses)
    const once = { firstOnly: true }
    return (
      runPlan(this.data.stories, plan, 'all', this.evaluator, once).docs.length > 0 ||
      runPlan(this.data.quotes, plan, 'all', this.evaluator, once).docs.length > 0
    )
  }

  /**
   * Prefixes of vocabulary words within `limit` edits of `prefix` (as nearWords), with their
   * distance, from Lunr's fuzzy TokenSet intersected with a token set of every word's prefixes.
   */
  private nearPrefixes(prefix: string, limit: number): { word: string; distance: number }[] {
    if (!SAFE_TERM.test(prefix)) return []
    const prefixSet = (this.prefixSet ??= tokenSetOfPrefixes(this.data.vocab.words))
    const out: { word: string; distance: number }[] = []
    const seen = new Set<string>([prefix])
    for (let distance = 1; distance <= limit; distance++) {
      for (const p of prefixSet.intersect(tokenSetNear(prefix, distance)).toArray()) {
        if (seen.has(p) || p.length < MIN_PREFIX_CHARS) continue
        seen.add(p)
        out.push({ word: p, distance })
      }
    }
    return out
  }

  /** How many vocabulary words start with `prefix`. */
  private wordsStarting(prefix: string): number {
    const { words } = this.data.vocab
    const from = lowerBound(words, prefix)
    let to = from
    while (to < words.length && (words[to] as string).startsWith(prefix)) to++
    return to - from
  }

  private knownWord(term: string): boolean {
    const id = this.data.vocab.ids.get(term)
    return id !== undefined && termDf(this.data.vocab, id) > 0
  }

  /** The corrections to try for one searched word that the index does not have, best first. */
  private optionsFor(raw: string, fallback: string, prefix: boolean): string[] {
    const word = (analyseWord(raw).words[0] ?? fallback) as string
    const limit = fuzzyLimit(word)
    if (limit === 0) return []
    const near = prefix ? this.nearPrefixes(word, limit) : this.nearWords(word, limit)
    return near
      .map((o) => ({ ...o, df: prefix ? this.wordsStarting(o.word) : this.wordDf(o.word) }))
      .filter((o) => o.df > 0)
      .sort((a, b) => a.distance - b.distance || b.df - a.df || (a.word < b.word ? -1 : 1))
      .slice(0, 3)
      .map((o) => o.word)
  }

  /** The searched words the index does not have at all, each with its corrections. */
  private unknownWords(clauses: readonly Clause[]): Slot[] {
    const slots: Slot[] = []
    for (const c of clauses) {
      if (c.negated || c.kind === 'term') continue
      if (c.kind === 'word') {
        const unknown = c.prefix
          ? !prefixVariants(c.word).some((v) => this.wordsStarting(v) > 0)
          : !this.knownWord(c.term)
        if (!unknown) continue
        const options = this.optionsFor(c.raw, c.word, c.prefix)
        if (options.length > 0) slots.push({ clause: c, word: -1, from: c.raw, options })
        continue
      }
      // A phrase: each of its words that no text has, as written (hyphenated words apart). As
      // written, not as stemmed: a phrase is exact, and "overal" stems to "over".
      rawWords(c.raw).forEach((raw, word) => {
        const a = analyseWord(raw)
        if (a.terms.length !== 1 || a.stop[0] === true) return
        if (this.wordDf(a.words[0] as string) > 0) return
        const options = this.optionsFor(raw, raw, false)
        if (options.length > 0) slots.push({ clause: c, word, from: raw, options })
      })
    }
    return slots
  }

  /** A trial's replacement text for each corrected clause (a phrase with its words replaced). */
  private static replacements(trial: ReadonlyMap<Slot, string>): Map<Clause, string> {
    const out = new Map<Clause, string>()
    for (const [slot, to] of trial) {
      if (slot.word < 0) {
        out.set(slot.clause, to)
        continue
      }
      const words = out.has(slot.clause)
        ? (out.get(slot.clause) as string).split(' ')
        : rawWords(slot.clause.raw)
      words[slot.word] = to
      out.set(slot.clause, words.join(' '))
    }
    return out
  }

  /**
   * "Did you mean": for each searched word that is not in the index at all (alone, in a phrase, or
   * a prefix no word starts with), the nearest words or prefixes (1 edit up to 6 letters, 2 from
   * 7; a fixed rule, never chosen by the user), nearest then most frequent first; a corrected
   * query is offered only if running it finds every word somewhere. At most three suggestions, at
   * most eight trial runs.
   */
  suggest(clauses: readonly Clause[], synonyms?: AlternativeLookup): Suggestion[] {
    const unknown = this.unknownWords(clauses)
    if (unknown.length === 0) return []
    // Trials: everyone's best option, then each word's second and third option in turn.
    const trials: Map<Slot, string>[] = [new Map(unknown.map((u) => [u, u.options[0] as string]))]
    for (const u of unknown) {
      for (const option of u.options.slice(1)) {
        const m = new Map(trials[0])
        m.set(u, option)
        trials.push(m)
      }
    }
    const out: Suggestion[] = []
    const seen = new Set<string>()
    for (const trial of trials.slice(0, 8)) {
      const query = formatQuery(clauses, Suggester.replacements(trial))
      if (seen.has(query)) continue
      seen.add(query)
      if (!this.matchesAll(query, synonyms)) continue
      out.push({ query, corrections: [...trial].map(([slot, to]) => ({ from: slot.from, to })) })
      if (out.length === 3) break
    }
    return out
  }
}

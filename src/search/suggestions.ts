import type lunr from 'lunr'
import { lowerBound, SAFE_TERM, termDf, type EngineData } from './engine-data.js'
import { tokenSetNear, tokenSetOfWords } from './lunr-internals.js'
import { formatQuery, parseQuery, type Clause, type WordClause } from './query.js'
import { planQuery } from './query-plan.js'
import { runPlan, type LunrEvaluator } from './query-run.js'
import { analyseWord } from './text.js'
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

/** Suggestions over one engine's data; the token set of its words is made on first use. */
export class Suggester {
  /** Lunr's token set of the canonical words. */
  private wordSet: lunr.TokenSet | undefined

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
  private matchesAll(query: string): boolean {
    const plan = planQuery(this.data.vocab, parseQuery(query).clauses)
    const once = { firstOnly: true }
    return (
      runPlan(this.data.stories, plan, false, this.evaluator, once).docs.length > 0 ||
      runPlan(this.data.quotes, plan, false, this.evaluator, once).docs.length > 0
    )
  }

  /**
   * "Did you mean": for each searched word that is not in the index at all, the nearest words
   * (1 edit up to 6 letters, 2 from 7; a fixed rule, never chosen by the user), nearest then most
   * frequent first; a corrected query is offered only if running it finds every word somewhere.
   * At most three suggestions, at most eight trial runs.
   */
  suggest(clauses: readonly Clause[]): Suggestion[] {
    const unknown: { clause: WordClause; options: string[] }[] = []
    for (const c of clauses) {
      if (c.kind !== 'word' || c.negated || c.prefix) continue
      const id = this.data.vocab.ids.get(c.term)
      if (id !== undefined && termDf(this.data.vocab, id) > 0) continue
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

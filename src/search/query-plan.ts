import { termDf, lowerBound, type Vocabulary } from './engine-data.js'
import type { Clause, PhraseClause, WordClause } from './query.js'
import { canonicalSpelling } from './text.js'
import type { HighlightTerms } from './types.js'

/*
 * Query planning: the parsed query (query.ts) as what each document must match. Words become
 * groups of index terms; a `word*` becomes the stems of the vocabulary's words with that prefix,
 * some of them as Lunr trailing wildcards; a phrase becomes its words (required) and its sequence
 * of term ids (checked against each document's sequence, since Lunr keeps no positions). Running
 * the plan is query-run.ts.
 */

/** A prefix expanding to more terms than this keeps the most frequent ones (bounded work). */
const MAX_PREFIX_TERMS = 200

/**
 * One unit of the query that a document must (or, relaxed, may) match: a word, a `word*`, or one
 * word of a phrase. A document matches it if it has any of its terms.
 */
export interface Group {
  /** Index terms matched exactly. */
  exact: string[]
  /** Folded prefixes matched with Lunr's trailing wildcard (every index term they expand to is a
   *  stem of a word with that prefix). */
  wildcards: string[]
  /** Phrase words stay required when the query is relaxed. */
  phrase: boolean
}

/** A phrase as term ids, with the offset of its rarest term (the one to scan for). */
export interface Phrase {
  ids: number[]
  anchor: number
}

export interface Plan {
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

export const emptyHighlight = (): HighlightTerms => ({ terms: [], prefixes: [], phrases: [] })

/** What the highlighter marks for the positive clauses of a query. */
export function highlightTerms(positive: readonly Clause[]): HighlightTerms {
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
 * A `word*` as Lunr clauses. The index holds stems, so a trailing wildcard on the prefix alone
 * is not enough (`experiment*` must find "experiment", whose stem is "experi"). The words of the
 * vocabulary with the prefix (or its spelling variants) give the stems to find, at most the 200
 * most frequent; a variant becomes a Lunr wildcard when every index term it would expand to is
 * one of those stems (`transform*`), and the stems no wildcard covers are matched exactly.
 */
function prefixGroup(vocab: Vocabulary, prefix: string): Group {
  const { words, wordTerms, terms, sortedTerms } = vocab
  const variants = prefixVariants(prefix)
  const ids = new Set<number>()
  for (const variant of variants) {
    for (let i = lowerBound(words, variant); i < words.length; i++) {
      if (!(words[i] as string).startsWith(variant)) break
      ids.add(wordTerms[i] as number)
    }
  }
  let list = [...ids].filter((id) => termDf(vocab, id) > 0)
  if (list.length > MAX_PREFIX_TERMS) {
    list = list.sort((a, b) => termDf(vocab, b) - termDf(vocab, a)).slice(0, MAX_PREFIX_TERMS)
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

function wordGroup(vocab: Vocabulary, c: WordClause): Group {
  if (c.prefix) return prefixGroup(vocab, c.word)
  return { exact: [c.term], wildcards: [], phrase: false }
}

function phraseIds(vocab: Vocabulary, c: PhraseClause): Phrase | undefined {
  const ids: number[] = []
  let anchor = 0
  for (const t of c.terms) {
    const id = vocab.ids.get(t)
    if (id === undefined) return undefined
    ids.push(id)
  }
  // Stop words have no postings, so their frequency is unknown: never anchor on one.
  let best = Infinity
  c.stop.forEach((stop, i) => {
    const df = stop ? Infinity : termDf(vocab, ids[i] as number)
    if (df < best) {
      best = df
      anchor = i
    }
  })
  return { ids, anchor }
}

/** How a parsed query is run: the groups and phrases each document must (or must not) match. */
export function planQuery(vocab: Vocabulary, clauses: readonly Clause[]): Plan {
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
      const group = wordGroup(vocab, c)
      if (c.negated) plan.excluded.push(group)
      else {
        plan.groups.push(group)
        plan.optional++
      }
      continue
    }
    const phrase = phraseIds(vocab, c)
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

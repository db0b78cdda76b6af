import { termDf, lowerBound, type Vocabulary } from './engine-data.js'
import type { Alternative, Clause, PhraseClause, TermClause, WordClause } from './query.js'
import { canonicalSpelling, STOP_WORDS } from './text.js'
import type { HighlightTerms } from './types.js'

/*
 * Query planning: the parsed query (query.ts) as what each document must match. Words become
 * groups of index terms; a `word*` becomes the stems of the vocabulary's words with that prefix,
 * some of them as Lunr trailing wildcards; a phrase becomes its words (required) and its sequence
 * of term ids (checked against each document's sequence, since Lunr keeps no positions). A typed
 * term of the synonyms file, a hyphenated word and a word the content writes hyphenated each get
 * the other ways of writing them as alternatives in their group. Running the plan is query-run.ts.
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
  /** Phrases a document may contain instead: a synonym, or a compound's parts. */
  phrases: Phrase[]
  /** Sets of index terms a document may have all of instead, anywhere (a typed term's words). */
  allOf: string[][]
  /** Phrase words are always required (never partial). */
  phrase: boolean
  /**
   * A common word (text.ts COMMON_WORDS) beside other words: never required, never missing,
   * only scored.
   */
  common: boolean
  /** The word as typed, for "Missing: …" (empty for phrase words). */
  label: string
}

/** A phrase as term ids, with the offset of its rarest term (the one to scan for). */
export interface Phrase {
  ids: number[]
  anchor: number
  anchorTerm: string
  /** Its index terms that are not stop words (what Lunr is asked for). */
  terms: string[]
}

export interface Plan {
  groups: Group[]
  /** Excluded words and prefixes (Lunr's PROHIBITED). */
  excluded: Group[]
  phrases: Phrase[]
  excludedPhrases: Phrase[]
  /**
   * The groups a result may lack (words, prefixes, terms of the synonyms file; not phrase words,
   * not common words), by place in `groups`: a result missing some of them is partial.
   */
  counted: number[]
  /**
   * The query's term ids in the order typed, for the word-order boost (query-run.ts); -1 where
   * adjacency breaks (a prefix, an exclusion, a word the index does not have). STOP_WORDS are left
   * out, as the boost steps over them in the documents.
   */
  sequence: number[]
  /** The term ids of STOP_WORDS in this vocabulary (in sequences, never indexed). */
  stopIds: number[]
  /** A positive part that cannot match at all (an unknown phrase word). */
  impossible: boolean
  /** What the highlighter should also mark: the alternatives the plan found for itself. */
  alsoHighlight: { terms: string[]; phrases: string[][] }
}

/** Whether a group matches in other ways than having one of its terms. */
export const hasAlternatives = (g: Group): boolean => g.phrases.length > 0 || g.allOf.length > 0

export const emptyHighlight = (): HighlightTerms => ({ terms: [], prefixes: [], phrases: [] })

/** What the highlighter marks for the positive clauses of a query, and the plan's additions. */
export function highlightTerms(positive: readonly Clause[], plan?: Plan): HighlightTerms {
  const h = emptyHighlight()
  const addAlternatives = (alternatives: readonly Alternative[] = []) => {
    for (const a of alternatives) {
      if (a.terms.length === 1) h.terms.push(a.terms[0] as string)
      else h.phrases.push([...a.terms])
    }
  }
  for (const c of positive) {
    if (c.kind === 'phrase') h.phrases.push(c.terms)
    else if (c.kind === 'term') {
      h.terms.push(...c.terms.filter((_, i) => c.stop[i] !== true))
      addAlternatives(c.alternatives)
    } else if (c.prefix) h.prefixes.push(...prefixVariants(c.word))
    else {
      h.terms.push(c.term)
      addAlternatives(c.alternatives)
    }
  }
  if (plan !== undefined) {
    h.terms.push(...plan.alsoHighlight.terms)
    h.phrases.push(...plan.alsoHighlight.phrases)
  }
  const phraseKeys = new Set<string>()
  h.phrases = h.phrases.filter((p) => {
    const key = p.join(' ')
    if (phraseKeys.has(key)) return false
    phraseKeys.add(key)
    return true
  })
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
  const exact = [...stems].filter((t) => !covered.has(t))
  return { exact, wildcards, phrases: [], allOf: [], phrase: false, common: false, label: '' }
}

const group = (exact: string[], phrase = false): Group => ({
  exact,
  wildcards: [],
  phrases: [],
  allOf: [],
  phrase,
  common: false,
  label: '',
})

/** A term's alternatives added to its group: one-word ones as terms, the others as phrases. */
function addAlternatives(vocab: Vocabulary, g: Group, alternatives: readonly Alternative[]): void {
  for (const a of alternatives) {
    const words = a.terms.filter((_, i) => a.stop[i] !== true)
    if (a.terms.length === 1) {
      if (!g.exact.includes(a.terms[0] as string)) g.exact.push(a.terms[0] as string)
      continue
    }
    const phrase = phraseIds(vocab, a)
    // An alternative with a word the index does not have cannot match: nothing to add.
    if (phrase !== undefined && words.length > 0) g.phrases.push(phrase)
  }
}

/**
 * A word the content also writes hyphenated ("sectorled", indexed from "sector-led"): its parts
 * as a phrase, so that "sector led" matches too.
 */
function compoundPhrase(vocab: Vocabulary, term: string): Phrase | undefined {
  const id = vocab.ids.get(term)
  const parts = id === undefined ? undefined : vocab.compounds.get(id)
  if (parts === undefined) return undefined
  const terms = parts.map((p) => vocab.terms[p] as string)
  const phrase = phraseIds(vocab, { terms, stop: parts.map((p) => termDf(vocab, p) === 0) })
  return phrase !== undefined && phrase.terms.length > 0 ? phrase : undefined
}

function wordGroup(vocab: Vocabulary, c: WordClause, plan: Plan): Group {
  if (c.prefix) return prefixGroup(vocab, c.word)
  const g = group([c.term])
  if (c.negated) return g
  addAlternatives(vocab, g, c.alternatives ?? [])
  const compound = compoundPhrase(vocab, c.term)
  if (compound !== undefined) {
    g.phrases.push(compound)
    plan.alsoHighlight.phrases.push(compound.ids.map((id) => vocab.terms[id] as string))
  }
  return g
}

/** Typed words that are a term of the synonyms file: all of them anywhere, or an alternative. */
function termGroup(vocab: Vocabulary, c: TermClause): Group {
  const words = c.terms.filter((_, i) => c.stop[i] !== true)
  const g = words.length === 1 ? group([words[0] as string]) : group([])
  if (words.length > 1) g.allOf.push(words)
  addAlternatives(vocab, g, c.alternatives)
  return g
}

function phraseIds(
  vocab: Vocabulary,
  c: { readonly terms: readonly string[]; readonly stop: readonly boolean[] },
): Phrase | undefined {
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
  const terms = c.terms.filter((_, i) => c.stop[i] !== true)
  return { ids, anchor, anchorTerm: c.terms[anchor] as string, terms }
}

/**
 * A hyphenated word typed ("sector-led"), when the content also has its parts run together
 * ("sectorled", or the index's own run-together form of "sector-led"): the phrase of its parts,
 * or the run-together term.
 */
function hyphenatedGroup(vocab: Vocabulary, c: PhraseClause, plan: Plan): Group | undefined {
  const joined = c.joined
  if (!c.implicit || c.negated || joined === undefined) return undefined
  const id = vocab.ids.get(joined)
  if (id === undefined || termDf(vocab, id) === 0) return undefined
  const g = group([joined], true)
  const phrase = phraseIds(vocab, c)
  if (phrase !== undefined) g.phrases.push(phrase)
  plan.alsoHighlight.terms.push(joined)
  return g
}

/** How a parsed query is run: the groups and phrases each document must (or must not) match. */
export function planQuery(vocab: Vocabulary, clauses: readonly Clause[]): Plan {
  const plan: Plan = {
    groups: [],
    excluded: [],
    phrases: [],
    excludedPhrases: [],
    counted: [],
    sequence: [],
    stopIds: [...STOP_WORDS].flatMap((w) => vocab.ids.get(w) ?? []),
    impossible: false,
    alsoHighlight: { terms: [], phrases: [] },
  }
  const idOf = (term: string): number => vocab.ids.get(term) ?? -1
  for (const c of clauses) {
    if (c.kind === 'word') {
      const g = wordGroup(vocab, c, plan)
      plan.sequence.push(c.negated || c.prefix ? -1 : idOf(c.term))
      if (c.negated) plan.excluded.push(g)
      else {
        g.label = c.prefix ? `${c.raw}*` : c.raw
        // A word with synonyms is the word of a term someone chose to list: never common.
        g.common = c.common && (c.alternatives?.length ?? 0) === 0
        plan.groups.push(g)
      }
      continue
    }
    plan.sequence.push(...(c.negated ? [-1] : c.terms.filter((_, i) => !c.stop[i]).map(idOf)))
    if (c.kind === 'term') {
      const g = termGroup(vocab, c)
      g.label = c.raw
      plan.groups.push(g)
      continue
    }
    const hyphenated = hyphenatedGroup(vocab, c, plan)
    if (hyphenated !== undefined) {
      plan.groups.push(hyphenated)
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
      if (!stop) plan.groups.push(group([c.terms[i] as string], true))
    })
  }
  // Only common words ("what we did"): they are the search, so each is required as usual.
  if (plan.groups.every((g) => g.common)) for (const g of plan.groups) g.common = false
  plan.groups.forEach((g, i) => {
    if (!g.phrase && !g.common) plan.counted.push(i)
  })
  return plan
}

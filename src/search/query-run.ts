import lunr from 'lunr'
import { SAFE_TERM, type KindIndex } from './engine-data.js'
import { expandClause, queryPrepared, queryWithLunr } from './lunr-query.js'
import { hasAlternatives, type Group, type Phrase, type Plan } from './query-plan.js'
import type { SearchSort } from './types.js'

/*
 * Running a query plan (query-plan.ts) on one kind of document: the plan as Lunr clauses, matched
 * and scored as Lunr's `idx.query()` does (BM25 per field, field boosts), then what Lunr has no
 * notion of: exact phrases, a group matched by several clauses, the any-word fallback ("relaxed"),
 * and "newest" order.
 */

/**
 * How Lunr's queries are evaluated: `prepared` by queryPrepared (src/search/lunr-query.ts, the
 * same results, faster), `lunr` by Lunr's own `Index#query` (for tests and the benchmark).
 */
export type LunrEvaluator = 'prepared' | 'lunr'

/** Matches of one kind, best first (Lunr's order): document numbers and Lunr scores. */
export interface Matches {
  /** The matches kept (all of them if nothing narrows them), ranked. */
  docs: Int32Array
  scores: Float64Array
  /** Every match, kept or not, in no particular order. */
  all: Int32Array
  /**
   * Partial matches only: for each of `docs`, the words (`plan.counted`) it has, bit k for
   * `plan.counted[k]`. Absent for results having every word.
   */
  words?: Uint16Array
}

export const noMatches = (): Matches => {
  const docs = new Int32Array(0)
  return { docs, scores: new Float64Array(0), all: docs }
}

/**
 * How many of the words (`plan.counted`) a result must have: all (the full results), or at least
 * this many and not all (the partial ones).
 */
export type Minimum = 'all' | number

/**
 * The fewest of n words a partial result has, as Elasticsearch's `minimum_should_match` "1<-1
 * 4<67%" would ask: all but one of two to four words, 67% (rounded down, as Elasticsearch
 * rounds) of five or more: 3 of 5, 4 of 6 or 7, 5 of 8, 6 of 9, 8 of 12. A single word has no
 * partial results.
 */
export function minimumShouldMatch(n: number): number {
  if (n <= 4) return Math.max(1, n - 1)
  return Math.floor(0.67 * n)
}

/** How a Lunr clause is asked for: which term, and whether it must, may or must not match. */
interface ClauseSpec {
  term: string
  wildcard: boolean
  presence: lunr.Query.presence
}

const { REQUIRED, OPTIONAL, PROHIBITED } = lunr.Query.presence

/**
 * Whether seq[from, to) contains the phrase. Scans with the native TypedArray#indexOf for the
 * phrase's rarest term (`anchor`, its offset in the phrase), then checks the neighbours: 3–4 times
 * faster than a JavaScript loop over every word of a 1,000-word story. The scan is on a view of
 * the document alone: on the whole array, a document without the anchor (an excluded phrase's
 * usual case) was scanned to the end of every document after it.
 */
function containsPhrase(seq: Uint32Array, from: number, to: number, phrase: Phrase): boolean {
  const { ids, anchor } = phrase
  const anchorId = ids[anchor] as number
  const words = seq.subarray(from, to)
  const hi = words.length - (ids.length - anchor)
  for (
    let i = words.indexOf(anchorId, anchor);
    i !== -1 && i <= hi;
    i = words.indexOf(anchorId, i + 1)
  ) {
    const start = i - anchor
    let k = 0
    while (k < ids.length && words[start + k] === ids[k]) k++
    if (k === ids.length) return true
  }
  return false
}

/** Mark the documents of a kind having a term, in any field. */
function markDocuments(kind: KindIndex, term: string, has: Uint8Array): void {
  for (const docs of kind.prepared.postings.get(term) ?? []) {
    for (let i = 0; i < docs.length; i++) has[docs[i] as number] = 1
  }
}

/**
 * The documents of a kind matching the group, in any field: 1 per document. Its wildcards
 * expand to the index's terms as Lunr's token set expands them; its phrases are looked for in the
 * documents having their rarest word; its term sets are intersected.
 */
function groupDocuments(kind: KindIndex, g: Group): Uint8Array {
  const { prepared } = kind
  const terms = [...g.exact]
  for (const w of g.wildcards) {
    const q = new lunr.Query(prepared.fields as string[])
    q.term(w, { wildcard: lunr.Query.wildcard.TRAILING, usePipeline: false })
    terms.push(...expandClause(prepared, q.clauses[0] as lunr.Query.Clause))
  }
  const has = new Uint8Array(kind.docCount)
  for (const term of terms) markDocuments(kind, term, has)
  for (const p of g.phrases) {
    const anchor = new Uint8Array(kind.docCount)
    markDocuments(kind, p.anchorTerm, anchor)
    for (let d = 0; d < anchor.length; d++) {
      if (anchor[d] === 1 && has[d] === 0) {
        const from = kind.seqStart[d] as number
        if (containsPhrase(kind.seq, from, kind.seqStart[d + 1] as number, p)) has[d] = 1
      }
    }
  }
  for (const set of g.allOf) {
    // How many of the set's terms each document has.
    const count = new Uint8Array(kind.docCount)
    for (const term of set) {
      const one = new Uint8Array(kind.docCount)
      markDocuments(kind, term, one)
      for (let d = 0; d < count.length; d++) count[d] = (count[d] as number) + (one[d] as number)
    }
    for (let d = 0; d < count.length; d++) if (count[d] === set.length) has[d] = 1
  }
  return has
}

/**
 * Matching documents of one kind, best first, through `idx.query`. Phrase words are always
 * required and common words never (they only score). With `minimum` 'all', every other group is
 * required; with a number, a document must have at least that many of them (`plan.counted`) but
 * not all, and the matches come with the words each has (`Matches.words`), Lunr's order kept.
 *
 * Lunr's REQUIRED applies to one clause; a prefix matched by several clauses (a wildcard and
 * exact stems) is sent as OPTIONAL clauses and checked on Lunr's match data afterwards, as is
 * the number of words a partial match has.
 */
export function runPlan(
  kind: KindIndex,
  plan: Plan,
  minimum: Minimum,
  evaluator: LunrEvaluator,
  { firstOnly = false, keep }: { firstOnly?: boolean; keep?: (doc: number) => boolean } = {},
): Matches {
  if (plan.impossible || plan.groups.length === 0) return noMatches()
  const relaxed = minimum !== 'all'
  const { postings } = kind
  const present = (t: string) => SAFE_TERM.test(t) && postings[t] !== undefined
  const specs: ClauseSpec[] = []
  /** Groups to check on the match data: each must match. */
  const mustMatch: Group[] = []
  /** Partial: the counted groups this index has, with their bit in `Matches.words`. */
  const anyOf: { group: Group; bit: number }[] = []
  let required = 0
  let scoredOnly = 0
  for (const [place, g] of plan.groups.entries()) {
    const exact = g.exact.filter(present)
    const wildcards = g.wildcards.filter((w) => SAFE_TERM.test(w))
    // Alternatives with a word this index does not have cannot match in it.
    const phrases = g.phrases.filter((p) => p.terms.every(present))
    const allOf = g.allOf.filter((set) => set.every(present))
    // Lunr is asked for every word of the alternatives too (they score), each once.
    const alternativeTerms = [
      ...new Set([...phrases.flatMap((p) => p.terms), ...allOf.flat()]),
    ].filter((t) => !exact.includes(t))
    const checked: Group = { ...g, exact, wildcards, phrases, allOf }
    const count = exact.length + wildcards.length + alternativeTerms.length
    const must = g.phrase || (!relaxed && !g.common)
    // A required group with nothing in this index: nothing can match, so do not ask Lunr.
    if (count === 0) {
      if (must) return noMatches()
      continue
    }
    let presence = must ? REQUIRED : OPTIONAL
    if (must && (count > 1 || hasAlternatives(checked))) {
      presence = OPTIONAL
      mustMatch.push(checked)
    } else if (!must && !g.common) anyOf.push({ group: checked, bit: plan.counted.indexOf(place) })
    else if (!must) scoredOnly++
    if (presence === REQUIRED) required++
    for (const term of exact) specs.push({ term, wildcard: false, presence })
    for (const term of wildcards) specs.push({ term, wildcard: true, presence })
    for (const term of alternativeTerms) specs.push({ term, wildcard: false, presence })
  }
  // Partial needs `minimum` words this index has.
  if (specs.length === 0 || (relaxed && anyOf.length < minimum)) return noMatches()
  // One group alone needs no check: every document Lunr returns matched it (unless Lunr was
  // also asked for common words, which score but do not match on their own).
  const lone = mustMatch.length === 1 ? mustMatch[0] : undefined
  if (
    lone !== undefined &&
    required === 0 &&
    scoredOnly === 0 &&
    !relaxed &&
    !hasAlternatives(lone)
  ) {
    mustMatch.length = 0
  }
  // A lone required clause is the same as a lone optional one, and Lunr skips its set algebra.
  if (specs.length === 1) (specs[0] as ClauseSpec).presence = OPTIONAL
  for (const g of plan.excluded) {
    for (const term of g.exact)
      if (present(term)) specs.push({ term, wildcard: false, presence: PROHIBITED })
    for (const term of g.wildcards)
      if (SAFE_TERM.test(term)) specs.push({ term, wildcard: true, presence: PROHIBITED })
  }
  // Lunr's `idx.query`, computed over the same index by queryPrepared (same results), or by
  // Lunr's own Index#query when the engine was made with `evaluator: 'lunr'`.
  // The checks Lunr cannot express, applied as a filter on its results (queryPrepared applies
  // it before scoring: the same results, without scoring what it drops).
  const checkPhrases = plan.phrases.length > 0 || plan.excludedPhrases.length > 0
  const must = mustMatch.map((g) => groupDocuments(kind, g))
  // Partial: how many counted words each document has, and which. With one word of them in this
  // index (typically two words, one misspelt), every document Lunr returns has that word alone,
  // unless it matched only a common word or a word of an alternative: no table needed.
  const counted = plan.counted.length
  const oneWord =
    relaxed && anyOf.length === 1 && scoredOnly === 0 && !hasAlternatives(anyOf[0]?.group as Group)
  const oneWordBit = oneWord ? 1 << (anyOf[0]?.bit as number) : 0
  const table = relaxed && !oneWord
  const words = table ? new Uint16Array(kind.docCount) : undefined
  const wordCount = table ? new Uint8Array(kind.docCount) : undefined
  if (words !== undefined && wordCount !== undefined) {
    for (const { group, bit } of anyOf) {
      const has = groupDocuments(kind, group)
      for (let d = 0; d < has.length; d++) {
        if (has[d] === 1) {
          words[d] = (words[d] as number) | (1 << bit)
          wordCount[d] = (wordCount[d] as number) + 1
        }
      }
    }
  }
  const accept =
    must.length === 0 && wordCount === undefined && !checkPhrases
      ? undefined
      : (doc: number): boolean =>
          must.every((has) => has[doc] === 1) &&
          (wordCount === undefined ||
            ((wordCount[doc] as number) >= (minimum as number) &&
              (wordCount[doc] as number) < counted)) &&
          (!checkPhrases || phrasesOk(kind, doc, plan))
  const evaluate = evaluator === 'lunr' ? queryWithLunr : queryPrepared
  // With `keep`, every match is noted as well (for the facet counts), kept or not.
  const all = keep === undefined ? undefined : new Int32Array(kind.docCount)
  let matched = 0
  const result = evaluate(
    kind.prepared,
    (q) => {
      for (const s of specs) {
        q.term(s.term, {
          presence: s.presence,
          wildcard: s.wildcard ? lunr.Query.wildcard.TRAILING : lunr.Query.wildcard.NONE,
          usePipeline: false,
        })
      }
    },
    {
      ...(accept === undefined ? {} : { accept }),
      ...(keep === undefined || all === undefined
        ? {}
        : { keep, onMatch: (d: number) => void (all[matched++] = d) }),
      firstOnly,
    },
  )
  const out: Matches = { ...result, all: all === undefined ? result.docs : all.slice(0, matched) }
  if (words !== undefined) out.words = Uint16Array.from(result.docs, (d) => words[d] as number)
  else if (oneWord) out.words = new Uint16Array(result.docs.length).fill(oneWordBit)
  return out
}

function phrasesOk(kind: KindIndex, d: number, plan: Plan): boolean {
  const from = kind.seqStart[d] as number
  const to = kind.seqStart[d + 1] as number
  for (const p of plan.phrases) if (!containsPhrase(kind.seq, from, to, p)) return false
  for (const p of plan.excludedPhrases) if (containsPhrase(kind.seq, from, to, p)) return false
  return true
}

/**
 * Positions into `m` in result order. Relevance is Lunr's order. Newest packs (date, rank) into
 * one float64 per hit and uses the native numeric sort, several times faster than a comparator
 * over tens of thousands of hits.
 */
function resultPositions(
  m: Matches,
  sort: SearchSort,
  published: (d: number) => number,
): Uint32Array {
  const n = m.docs.length
  const out = new Uint32Array(n)
  if (sort === 'relevance') {
    for (let i = 0; i < n; i++) out[i] = i
    return out
  }
  const RANKS = 2 ** 21
  if (n < RANKS) {
    const keys = new Float64Array(n)
    for (let i = 0; i < n; i++) keys[i] = published(m.docs[i] as number) * RANKS + (RANKS - 1 - i)
    keys.sort()
    for (let i = 0; i < n; i++) out[i] = RANKS - 1 - ((keys[n - 1 - i] as number) % RANKS)
    return out
  }
  const idx = Array.from({ length: n }, (_, i) => i)
  idx.sort((a, b) => published(m.docs[b] as number) - published(m.docs[a] as number) || a - b)
  out.set(idx)
  return out
}

/** The matches in result order: Lunr's for relevance, else newest story first. */
export function rankMatches(
  m: Matches,
  sort: SearchSort,
  published: (d: number) => number,
): Matches {
  if (sort === 'relevance') return m
  const positions = resultPositions(m, sort, published)
  const docs = new Int32Array(positions.length)
  const scores = new Float64Array(positions.length)
  const words = m.words === undefined ? undefined : new Uint16Array(positions.length)
  for (let i = 0; i < positions.length; i++) {
    docs[i] = m.docs[positions[i] as number] as number
    scores[i] = m.scores[positions[i] as number] as number
    if (words !== undefined) words[i] = m.words?.[positions[i] as number] as number
  }
  return { docs, scores, all: m.all, ...(words === undefined ? {} : { words }) }
}

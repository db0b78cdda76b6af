import lunr from 'lunr'
import { SAFE_TERM, type KindIndex } from './engine-data.js'
import { expandClause, queryPrepared, queryWithLunr } from './lunr-query.js'
import type { Group, Phrase, Plan } from './query-plan.js'
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
}

export const noMatches = (): Matches => {
  const docs = new Int32Array(0)
  return { docs, scores: new Float64Array(0), all: docs }
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
 * faster than a JavaScript loop over every word of a 1,000-word story.
 */
function containsPhrase(seq: Uint32Array, from: number, to: number, phrase: Phrase): boolean {
  const { ids, anchor } = phrase
  const anchorId = ids[anchor] as number
  const lo = from + anchor
  const hi = to - (ids.length - anchor)
  for (let i = seq.indexOf(anchorId, lo); i !== -1 && i <= hi; i = seq.indexOf(anchorId, i + 1)) {
    const start = i - anchor
    let k = 0
    while (k < ids.length && seq[start + k] === ids[k]) k++
    if (k === ids.length) return true
  }
  return false
}

/**
 * The documents of a kind having any term of the group, in any field: 1 per document. Its
 * wildcards expand to the index's terms as Lunr's token set expands them.
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
  for (const term of terms) {
    for (const docs of prepared.postings.get(term) ?? []) {
      for (let i = 0; i < docs.length; i++) has[docs[i] as number] = 1
    }
  }
  return has
}

/**
 * Matching documents of one kind, best first, through `idx.query`. Strict: every group is
 * required. Relaxed: phrase words are required, and at least one word or prefix must match.
 *
 * Lunr's REQUIRED applies to one clause; a prefix matched by several clauses (a wildcard and
 * exact stems) is sent as OPTIONAL clauses and checked on Lunr's match data afterwards, as is
 * "at least one word" when relaxed alongside required phrase words.
 */
export function runPlan(
  kind: KindIndex,
  plan: Plan,
  relaxed: boolean,
  evaluator: LunrEvaluator,
  { firstOnly = false, keep }: { firstOnly?: boolean; keep?: (doc: number) => boolean } = {},
): Matches {
  if (plan.impossible || plan.groups.length === 0) return noMatches()
  const { postings } = kind
  const present = (t: string) => SAFE_TERM.test(t) && postings[t] !== undefined
  const specs: ClauseSpec[] = []
  /** Groups to check on the match data: each must match (strict), or one of them (relaxed). */
  const mustMatch: Group[] = []
  const anyOf: Group[] = []
  let required = 0
  for (const g of plan.groups) {
    const exact = g.exact.filter(present)
    const wildcards = g.wildcards.filter((w) => SAFE_TERM.test(w))
    const count = exact.length + wildcards.length
    const must = g.phrase || !relaxed
    // A required group with nothing in this index: nothing can match, so do not ask Lunr.
    if (count === 0) {
      if (must) return noMatches()
      continue
    }
    let presence = must ? REQUIRED : OPTIONAL
    if (must && count > 1) {
      presence = OPTIONAL
      mustMatch.push({ exact, wildcards, phrase: g.phrase })
    } else if (!must) anyOf.push(g)
    if (presence === REQUIRED) required++
    for (const term of exact) specs.push({ term, wildcard: false, presence })
    for (const term of wildcards) specs.push({ term, wildcard: true, presence })
  }
  // Relaxed still needs one word or prefix: with none of them in this index, nothing matches.
  if (specs.length === 0 || (relaxed && anyOf.length === 0)) return noMatches()
  // Relaxed without required clauses: Lunr already returns only documents matching a word.
  const checkAnyOf = anyOf.length > 0 && (required > 0 || mustMatch.length > 0)
  // One group alone needs no check either: every document Lunr returns matched it.
  if (mustMatch.length === 1 && required === 0 && anyOf.length === 0) mustMatch.length = 0
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
  const any = checkAnyOf ? anyOf.map((g) => groupDocuments(kind, g)) : []
  const accept =
    must.length === 0 && !checkAnyOf && !checkPhrases
      ? undefined
      : (doc: number): boolean =>
          must.every((has) => has[doc] === 1) &&
          (!checkAnyOf || any.some((has) => has[doc] === 1)) &&
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
  return { ...result, all: all === undefined ? result.docs : all.slice(0, matched) }
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
  for (let i = 0; i < positions.length; i++) {
    docs[i] = m.docs[positions[i] as number] as number
    scores[i] = m.scores[positions[i] as number] as number
  }
  return { docs, scores, all: m.all }
}

import type { KindIndex } from './engine-data.js'
import type { Plan } from './query-plan.js'
import { rankMatches, type Matches } from './query-run.js'
import type { SearchSort } from './types.js'

/*
 * The order of one kind's results after Lunr has scored them: the word-order boost (words typed
 * next to each other rank higher where the document has them next to each other, in that order),
 * and the partial results grouped by how many of the words they have.
 */

/**
 * A result having every pair of neighbouring query words next to each other, in the order typed,
 * scores (1 + WORD_ORDER_BOOST) times its Lunr score; one having half of the pairs, half that
 * gain. Search engines add a phrase clause to a plain query for the same reason: a quote someone
 * half-remembers is usually typed in its own order. At 1, a quote with the words in order
 * outranks one scoring up to twice as high on the words alone (test/search/partial.test.ts).
 */
export const WORD_ORDER_BOOST = 1
/**
 * How many results, best scored first, the boost looks at (each is a scan of the document's word
 * sequence): it reorders the top of the list, where a person looks; a long story is about 1,000
 * words, so this bounds the scan at a few hundred thousand words per search.
 */
export const WORD_ORDER_LIMIT = 300

interface WordPair {
  first: number
  second: number
}

/** Neighbouring query terms, as typed (a break, -1, ends a run); each pair once. */
function wordPairs(plan: Plan): WordPair[] {
  const pairs: WordPair[] = []
  const seq = plan.sequence
  for (let i = 0; i + 1 < seq.length; i++) {
    const first = seq[i] as number
    const second = seq[i + 1] as number
    if (first < 0 || second < 0) continue
    if (!pairs.some((p) => p.first === first && p.second === second)) pairs.push({ first, second })
  }
  return pairs
}

/**
 * How many of the pairs document d has next to each other. STOP_WORDS in the document are stepped
 * over (the query never holds them: "over the councils" is the pair over, council). Each pair is
 * looked for with the native TypedArray#indexOf, as phrases are, on a view of the document alone
 * (on the whole array, a document without the word would be scanned to the end of every other).
 */
function pairsFound(
  kind: KindIndex,
  d: number,
  pairs: readonly WordPair[],
  stopIds: readonly number[],
): number {
  const words = kind.seq.subarray(kind.seqStart[d] as number, kind.seqStart[d + 1] as number)
  const end = words.length
  let found = 0
  for (const { first, second } of pairs) {
    for (let i = words.indexOf(first); i !== -1; i = words.indexOf(first, i + 1)) {
      let next = i + 1
      while (next < end && stopIds.includes(words[next] as number)) next++
      if (next < end && words[next] === second) {
        found++
        break
      }
    }
  }
  return found
}

/** Relevance: the boost applied to the first WORD_ORDER_LIMIT results, which it reorders. */
function boostWordOrder(kind: KindIndex, plan: Plan, m: Matches): Matches {
  const pairs = wordPairs(plan)
  const n = Math.min(m.docs.length, WORD_ORDER_LIMIT)
  if (pairs.length === 0 || n < 2) return m
  const boosted = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const found = pairsFound(kind, m.docs[i] as number, pairs, plan.stopIds)
    boosted[i] = (m.scores[i] as number) * (1 + (WORD_ORDER_BOOST * found) / pairs.length)
  }
  // Array#sort is stable: equal scores keep Lunr's order.
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => (boosted[b] as number) - (boosted[a] as number),
  )
  const docs = m.docs.slice()
  const scores = m.scores.slice()
  const words = m.words?.slice()
  order.forEach((from, to) => {
    docs[to] = m.docs[from] as number
    scores[to] = boosted[from] as number
    if (words !== undefined) words[to] = m.words?.[from] as number
  })
  return { ...m, docs, scores, ...(words === undefined ? {} : { words }) }
}

/** Results having every word: by relevance (with the word-order boost), or newest first. */
export function rankFull(
  kind: KindIndex,
  plan: Plan,
  m: Matches,
  sort: SearchSort,
  published: (d: number) => number,
): Matches {
  return sort === 'relevance' ? boostWordOrder(kind, plan, m) : rankMatches(m, sort, published)
}

const bitCount = (x: number): number => {
  let n = 0
  for (let v = x; v !== 0; v &= v - 1) n++
  return n
}

/**
 * Partial results (with `words`): those having more of the words first, then as rankFull within
 * each number of words. A counting pass per number of words, so no comparison sort over what
 * can be tens of thousands of matches; one number of words (two words typed, one missing) is
 * ranked as it is.
 */
export function rankPartial(
  kind: KindIndex,
  plan: Plan,
  m: Matches,
  sort: SearchSort,
  published: (d: number) => number,
): Matches {
  const words = m.words
  if (words === undefined || m.docs.length === 0) return m
  const counts = Uint8Array.from(words, bitCount)
  const first = counts[0] as number
  if (counts.every((c) => c === first)) return rankFull(kind, plan, m, sort, published)
  const docs = new Int32Array(m.docs.length)
  const scores = new Float64Array(m.docs.length)
  const ordered = new Uint16Array(m.docs.length)
  let at = 0
  for (let c = plan.counted.length - 1; c >= 1; c--) {
    const picked: number[] = []
    for (let i = 0; i < counts.length; i++) if (counts[i] === c) picked.push(i)
    if (picked.length === 0) continue
    const bucket: Matches = {
      docs: Int32Array.from(picked, (i) => m.docs[i] as number),
      scores: Float64Array.from(picked, (i) => m.scores[i] as number),
      all: m.all,
      words: Uint16Array.from(picked, (i) => words[i] as number),
    }
    const ranked = rankFull(kind, plan, bucket, sort, published)
    docs.set(ranked.docs, at)
    scores.set(ranked.scores, at)
    ordered.set(ranked.words as Uint16Array, at)
    at += ranked.docs.length
  }
  return { docs, scores, all: m.all, words: ordered }
}

import lunr from 'lunr'
import { describe, expect, it } from 'vitest'
import { benchQueries } from '../../scripts/bench/queries.js'
import { mulberry32 } from '../../scripts/generate-corpus.js'
import { buildSearchEngine } from '../../src/search/index.js'
import {
  expandClause,
  prepareIndex,
  queryPrepared,
  shareLunrPostings,
} from '../../src/search/lunr-query.js'
import { generateStories } from './fixtures/factory.js'

/*
 * queryPrepared must be Lunr's Index#query, computed another way: for every query, the same
 * documents in the same order with the same scores to the last bit. Indexes are built by Lunr
 * with its own pipeline (stemmer, stop words) and field boosts, over the Zipf corpus of the search
 * tests (real council words and a long tail), and compared on random queries mixing presences,
 * trailing wildcards, edit distances, boosts and repeated terms.
 */

const { stories } = generateStories(150, 7)

function buildIndex(): lunr.Index {
  return lunr(function () {
    this.ref('id')
    this.field('title', { boost: 6 })
    this.field('council', { boost: 4 })
    this.field('summary', { boost: 2 })
    this.field('body')
    stories.forEach((s, i) => {
      this.add({
        id: String(i),
        title: s.title,
        council: s.council,
        summary: s.summary,
        body: s.bodyText,
      })
    })
  })
}

/** A quote-like second index whose refs are not document numbers, to check the ref mapping. */
function buildQuoteIndex(): lunr.Index {
  return lunr(function () {
    this.ref('ref')
    this.field('text', { boost: 3 })
    this.field('meta')
    for (const s of stories) {
      for (const q of s.quotes) {
        this.add({ ref: `${s.slug}#${q.id}`, text: q.text, meta: `${q.speaker} ${s.council}` })
      }
    }
  })
}

type Presence = lunr.Query.presence
const { REQUIRED, OPTIONAL, PROHIBITED } = lunr.Query.presence

interface ClauseSpec {
  term: string
  presence: Presence
  wildcard: boolean
  editDistance: number
  boost: number
}

function randomQueries(index: lunr.Index, count: number, seed: number): ClauseSpec[][] {
  const rand = mulberry32(seed)
  const terms = Object.keys((index as unknown as { invertedIndex: object }).invertedIndex)
  // Common terms (long postings) as well as rare ones: sort by posting size and sample both ends.
  const pick = (): string => {
    const t = terms[Math.floor(rand() * terms.length)] as string
    return rand() < 0.3 ? t.slice(0, Math.max(1, Math.ceil(t.length / 2))) : t
  }
  const out: ClauseSpec[][] = []
  for (let n = 0; n < count; n++) {
    const clauses: ClauseSpec[] = []
    const size = 1 + Math.floor(rand() * 4)
    for (let c = 0; c < size; c++) {
      const r = rand()
      const presence = r < 0.45 ? OPTIONAL : r < 0.85 ? REQUIRED : PROHIBITED
      const term = rand() < 0.1 ? 'zzzznotaterm' : pick()
      clauses.push({
        term,
        presence,
        wildcard: rand() < 0.25,
        editDistance: rand() < 0.1 ? 1 : 0,
        boost: rand() < 0.2 ? 1 + Math.floor(rand() * 5) : 1,
      })
    }
    if (rand() < 0.1 && clauses[0] !== undefined) clauses.push({ ...clauses[0] })
    out.push(clauses)
  }
  return out
}

function builder(clauses: readonly ClauseSpec[]): (q: lunr.Query) => void {
  return (q) => {
    for (const c of clauses) {
      q.term(c.term, {
        presence: c.presence,
        wildcard: c.wildcard ? lunr.Query.wildcard.TRAILING : lunr.Query.wildcard.NONE,
        editDistance: c.editDistance,
        boost: c.boost,
        usePipeline: false,
      })
    }
  }
}

function expectSameAsLunr(index: lunr.Index, queries: readonly ClauseSpec[][]): number {
  const prepared = prepareIndex(index)
  let nonEmpty = 0
  for (const clauses of queries) {
    const expected = index.query(builder(clauses))
    const got = queryPrepared(prepared, builder(clauses))
    const gotRefs = Array.from(got.docs, (d) => prepared.refs[d])
    const context = JSON.stringify(clauses)
    expect(gotRefs, context).toEqual(expected.map((r) => r.ref))
    // Bit for bit: the same sums in the same order.
    expect(Array.from(got.scores), context).toEqual(expected.map((r) => r.score))
    if (expected.length > 0) nonEmpty++
    // A filter on documents is the same as filtering Lunr's results afterwards, order kept.
    const accept = (d: number) => d % 3 !== 1
    const kept = expected.filter((r) => accept(prepared.refs.indexOf(r.ref)))
    const filtered = queryPrepared(prepared, builder(clauses), { accept })
    expect(
      Array.from(filtered.docs, (d) => prepared.refs[d]),
      context,
    ).toEqual(kept.map((r) => r.ref))
    expect(Array.from(filtered.scores), context).toEqual(kept.map((r) => r.score))
    // keep narrows what is scored and returned; onMatch still sees every match.
    const keep = (d: number) => d % 2 === 0
    const seen: number[] = []
    const narrowed = queryPrepared(prepared, builder(clauses), {
      accept,
      keep,
      onMatch: (d) => seen.push(d),
    })
    const keptRefs = kept.filter((r) => keep(prepared.refs.indexOf(r.ref)))
    expect(
      Array.from(narrowed.docs, (d) => prepared.refs[d]),
      context,
    ).toEqual(keptRefs.map((r) => r.ref))
    expect(Array.from(narrowed.scores), context).toEqual(keptRefs.map((r) => r.score))
    expect(seen.map((d) => prepared.refs[d]).sort(), context).toEqual(kept.map((r) => r.ref).sort())
    // firstOnly says whether there is any.
    const first = queryPrepared(prepared, builder(clauses), { accept, firstOnly: true })
    expect(first.docs.length, context).toBe(Math.min(1, kept.length))
  }
  return nonEmpty
}

describe('queryPrepared is Lunr’s Index#query', () => {
  const index = buildIndex()

  it('gives the same documents, order and scores on 400 random queries', () => {
    const nonEmpty = expectSameAsLunr(index, randomQueries(index, 400, 11))
    // The comparison means something only if most queries find documents.
    expect(nonEmpty).toBeGreaterThan(150)
  })

  it('does so on an index loaded from Lunr’s JSON', () => {
    const loaded = lunr.Index.load(JSON.parse(JSON.stringify(index)) as object)
    expectSameAsLunr(loaded, randomQueries(loaded, 100, 12))
  })

  it('does so when refs are not document numbers', () => {
    const quotes = buildQuoteIndex()
    const nonEmpty = expectSameAsLunr(quotes, randomQueries(quotes, 200, 13))
    expect(nonEmpty).toBeGreaterThan(50)
  })

  it('keeps ties in the order Lunr meets the documents', () => {
    // Every document the same: every score ties, and Lunr's stable sort keeps the ref order.
    const same = lunr(function () {
      this.ref('id')
      this.field('text')
      for (let i = 0; i < 40; i++) this.add({ id: `d${(i * 7) % 40}`, text: 'peer challenge' })
    })
    const prepared = prepareIndex(same)
    const q = builder([
      { term: 'peer', presence: OPTIONAL, wildcard: false, editDistance: 0, boost: 1 },
    ])
    const expected = same.query(q).map((r) => r.ref)
    expect(new Set(expected).size).toBe(40)
    expect(Array.from(queryPrepared(prepared, q).docs, (d) => prepared.refs[d])).toEqual(expected)
  })

  it('answers what it does not evaluate itself with Lunr’s own query', () => {
    const prepared = prepareIndex(index)
    const term = stories[0]?.council.toLowerCase().split(' ')[0] as string
    // A query of exclusions only, a clause on one field, and one through the search pipeline.
    const cases: ((q: lunr.Query) => void)[] = [
      (q) => q.term(term, { presence: PROHIBITED, usePipeline: false }),
      (q) => q.term(term, { fields: ['council'], usePipeline: false }),
      (q) => q.term(term, {}),
    ]
    for (const build of cases) {
      const expected = index.query(build)
      const got = queryPrepared(prepared, build)
      expect(Array.from(got.docs, (d) => prepared.refs[d])).toEqual(expected.map((r) => r.ref))
      expect(Array.from(got.scores)).toEqual(expected.map((r) => r.score))
    }
  })

  it('expands a clause to the terms Lunr’s token set finds', () => {
    const prepared = prepareIndex(index)
    const word = Object.keys((index as unknown as { invertedIndex: object }).invertedIndex).find(
      (t) => t.length > 5,
    ) as string
    const prefix = word.slice(0, 3)
    const q = new lunr.Query(prepared.fields as string[])
    q.term(prefix, { wildcard: lunr.Query.wildcard.TRAILING, usePipeline: false })
    const expanded = expandClause(prepared, q.clauses[0] as lunr.Query.Clause)
    expect(expanded).toContain(word)
    expect(expanded.every((t) => t.startsWith(prefix))).toBe(true)
    q.term('zzzznotaterm', { usePipeline: false })
    expect(expandClause(prepared, q.clauses[1] as lunr.Query.Clause)).toEqual([])
  })
})

describe('shareLunrPostings', () => {
  it('leaves the lunr.Index serialising and answering its own query exactly as before', () => {
    const index = buildIndex()
    const queries = randomQueries(index, 150, 17)
    const before = JSON.stringify(index)
    const answers = queries.map((clauses) =>
      index.query(builder(clauses)).map((r) => [r.ref, r.score, r.matchData.metadata]),
    )
    const prepared = prepareIndex(index)
    shareLunrPostings(prepared, {})
    const postings = (index as unknown as { invertedIndex: Record<string, object> }).invertedIndex
    // The postings are no longer Lunr's plain objects...
    expect(Object.getPrototypeOf(Object.values(postings)[0])).not.toBe(null)
    // ...but serialise to the same bytes, and Lunr's own query gives the same answers.
    expect(JSON.stringify(index)).toBe(before)
    queries.forEach((clauses, i) => {
      const now = index.query(builder(clauses)).map((r) => [r.ref, r.score, r.matchData.metadata])
      expect(now, JSON.stringify(clauses)).toEqual(answers[i])
    })
    expectSameAsLunr(index, queries.slice(0, 30))
  })
})

describe('the engine’s LeanBuilder', () => {
  it('makes the Lunr indexes lunr.Builder makes, to the byte', () => {
    const { stories: corpus, themes } = generateStories(120, 23)
    const lean = buildSearchEngine(corpus, themes)
    const stock = buildSearchEngine(corpus, themes, { builder: 'lunr', evaluator: 'lunr' })
    const json = JSON.stringify(lean)
    expect(json).toBe(JSON.stringify(stock))
    // And each is a Lunr index Lunr loads and queries as it built it.
    const parsed = JSON.parse(json) as { stories: { lunr: object } }
    const loaded = lunr.Index.load(parsed.stories.lunr)
    const query = (q: lunr.Query) => q.term('council', { usePipeline: false })
    const builtIndex = (stock as unknown as { data: { stories: { index: lunr.Index } } }).data
      .stories.index
    expect(loaded.query(query).map((r) => [r.ref, r.score])).toEqual(
      builtIndex.query(query).map((r) => [r.ref, r.score]),
    )
    // Two index builds of 120 stories: 10 s on a busy two-core machine.
  }, 60_000)
})

describe('the engine with queryPrepared', () => {
  it('gives the same outcomes as with Lunr’s own query, on the 200 benchmark queries', () => {
    const { stories: corpus, themes } = generateStories(120, 21)
    const fast = buildSearchEngine(corpus, themes)
    const stock = buildSearchEngine(corpus, themes, { evaluator: 'lunr' })
    let found = 0
    for (const q of benchQueries()) {
      const outcome = fast.search(q)
      expect(outcome, q).toEqual(stock.search(q))
      if (outcome.storyHits.length + outcome.quoteHits.length > 0) found++
    }
    expect(found).toBeGreaterThan(100)
    // Two engines of 120 stories and 400 searches: 11 s on a busy two-core machine.
  }, 60_000)
})

import lunr from 'lunr'
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  buildSearchEngine,
  loadSearchEngine,
  SearchIndexLoadError,
} from '../../src/search/index.js'
import { analyseWord } from '../../src/search/text.js'
import { STORIES, THEMES } from './fixtures/library.js'

const engine = buildSearchEngine(STORIES, THEMES)
const SAFE = /^[\p{L}\p{N}]+$/u

afterEach(() => {
  vi.restoreAllMocks()
})

describe('the index is Lunr', () => {
  it('serialises each kind as a lunr.Index that lunr.Index.load accepts', () => {
    const json = JSON.parse(JSON.stringify(engine)) as {
      stories: { lunr: Record<string, unknown> }
      quotes: { lunr: Record<string, unknown> }
    }
    for (const kind of [json.stories, json.quotes]) {
      expect(kind.lunr.version).toBe(lunr.version)
      expect(Array.isArray(kind.lunr.invertedIndex)).toBe(true)
      expect(Array.isArray(kind.lunr.fieldVectors)).toBe(true)
      expect(kind.lunr.pipeline).toEqual([])
      const idx = lunr.Index.load(kind.lunr)
      expect(idx).toBeInstanceOf(lunr.Index)
    }
    // The loaded Lunr index answers a query on its own: documents are numbered in order.
    const stories = lunr.Index.load(json.stories.lunr)
    const hits = stories.query((q) => q.term('ashcomb', { usePipeline: false }))
    expect(hits.map((h) => STORIES[Number(h.ref)]?.slug)).toEqual(['hung-council'])
  })

  it('sends common and rare words, phrases, prefixes and exclusions to Lunr as lunr.Query clauses', () => {
    const term = vi.spyOn(lunr.Query.prototype, 'term')
    for (const q of [
      'council',
      'Brackenmoss',
      '"no overall control"',
      'transform*',
      'council -election',
    ]) {
      term.mockClear()
      const outcome = engine.search(q)
      expect(outcome.storyHits.length + outcome.quoteHits.length).toBeGreaterThan(0)
      expect(term).toHaveBeenCalled()
    }
  })

  it('finds what Lunr’s own Index#query finds, in the same order with the same scores', () => {
    // The engine evaluates Lunr's queries with queryPrepared; made with evaluator 'lunr' it calls
    // lunr.Index.prototype.query itself. Both must agree on every kind of query.
    const stock = buildSearchEngine(STORIES, THEMES, { evaluator: 'lunr' })
    const query = vi.spyOn(lunr.Index.prototype, 'query')
    const queries = [
      'council',
      'Brackenmoss',
      '"no overall control"',
      'transform*',
      'experiment*',
      'council -election',
      'peer challenge budget',
      'steering wheels',
      'leader -"peer challenge"',
      'organization',
      'sector-led',
      'zzzz council',
      'transformtion',
    ]
    for (const q of queries) {
      for (const sort of ['relevance', 'newest'] as const) {
        expect(engine.search(q, { sort }), q).toEqual(stock.search(q, { sort }))
      }
    }
    expect(query).toHaveBeenCalled()
  })

  it('asks Lunr for a prefix with a trailing wildcard, and for stems the wildcard cannot reach', () => {
    const term = vi.spyOn(lunr.Query.prototype, 'term')
    const asked = () =>
      term.mock.calls.map(([t, options]) => {
        const { wildcard } = options as { wildcard: number }
        return `${String(t)}${wildcard === lunr.Query.wildcard.TRAILING ? '*' : ''}`
      })
    engine.search('transform*')
    expect(new Set(asked())).toEqual(new Set(['transform*']))
    term.mockClear()
    // "experiment" stems to "experi", "experimental" to "experiment": a wildcard and a stem.
    engine.search('experiment*')
    expect(new Set(asked())).toEqual(new Set(['experiment*', 'experi']))
  })

  it('hands Lunr letters and digits only, whatever the query', () => {
    const term = vi.spyOn(lunr.Query.prototype, 'term')
    const hostile = [
      'council~2 title:foo budget^10 +peer -x',
      'a*b*c ***',
      '½ ﷺ ﬁnance Ｃｏｕｎｃｉｌ',
      'trans\u00adformation "no:overall~control"',
      'sector-led* stoke-on-trent',
      'café* naïve',
    ]
    for (const q of hostile) engine.search(q)
    expect(term).toHaveBeenCalled()
    for (const [t, options] of term.mock.calls) {
      expect(String(t)).toMatch(SAFE)
      expect(options).toMatchObject({ usePipeline: false })
      expect(options).not.toHaveProperty('editDistance')
    }
  })

  it('the analyser only makes letters and digits', () => {
    for (const word of ['½', 'ﷺ', 'ﬁnance', 'council’s', 'Stoke-on-Trent', 'Mo\u0302n', '1e309']) {
      const a = analyseWord(word)
      for (const t of [...a.terms, ...(a.joined === undefined ? [] : [a.joined])]) {
        expect(t).toMatch(SAFE)
      }
    }
  })

  it('loads the Lunr indexes back from JSON and searches them the same way', () => {
    const text = JSON.stringify(engine)
    const loaded = loadSearchEngine(text, STORIES, THEMES)
    const stock = loadSearchEngine(text, STORIES, THEMES, { evaluator: 'lunr' })
    for (const q of ['steering wheels', 'council', 'transform*']) {
      expect(loaded.search(q)).toEqual(engine.search(q))
      expect(stock.search(q)).toEqual(engine.search(q))
    }
  })

  it('loads the compact form (postings as a table) into the same Lunr indexes', () => {
    const compact = JSON.stringify(engine.toCompactJSON())
    expect(compact.length).toBeLessThan(JSON.stringify(engine).length)
    const loaded = loadSearchEngine(compact, STORIES, THEMES)
    // Lunr's own JSON of what was loaded is byte for byte what was built.
    expect(JSON.stringify(loaded)).toBe(JSON.stringify(engine))
    const stock = loadSearchEngine(compact, STORIES, THEMES, { evaluator: 'lunr' })
    for (const q of ['steering wheels', 'council', 'transform*', '"no overall control"']) {
      expect(loaded.search(q)).toEqual(engine.search(q))
      expect(stock.search(q)).toEqual(engine.search(q))
    }
  })

  it('refuses a compact form whose postings table is damaged', () => {
    const json = engine.toCompactJSON()
    const table = Buffer.from(json.stories.postings as string, 'base64')
    const damage = (edit: (t: Uint32Array) => Uint32Array | Buffer): string => {
      const t = new Uint32Array(
        table.buffer.slice(table.byteOffset, table.byteOffset + table.length),
      )
      const out = edit(t)
      return Buffer.from(out.buffer, out.byteOffset, out.byteLength).toString('base64')
    }
    const cases = [
      damage((t) => t.subarray(0, t.length - 1)), // cut short
      damage((t) => Uint32Array.from([...t, 0])), // too long
      damage((t) => {
        const i = t.findIndex((n) => n > 0) // the first non-empty posting's first document
        t[i + 1] = STORIES.length + 5
        return t
      }),
      'not base64 of whole numbers!',
    ]
    for (const postings of cases) {
      const bad = { ...json, stories: { ...json.stories, postings } }
      expect(() => loadSearchEngine(bad, STORIES, THEMES)).toThrow(SearchIndexLoadError)
    }
  })
})

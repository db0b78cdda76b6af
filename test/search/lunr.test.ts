import lunr from 'lunr'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { buildSearchEngine, loadSearchEngine } from '../../src/search/index.js'
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

  it('sends common and rare words through idx.query', () => {
    const query = vi.spyOn(lunr.Index.prototype, 'query')
    expect(engine.search('council').storyHits).toHaveLength(STORIES.length)
    expect(query).toHaveBeenCalled()
    query.mockClear()
    expect(engine.search('Brackenmoss').quoteHits).toHaveLength(1)
    expect(query).toHaveBeenCalled()
  })

  it('sends phrases, prefixes and exclusions through idx.query', () => {
    const query = vi.spyOn(lunr.Index.prototype, 'query')
    for (const q of ['"no overall control"', 'transform*', 'council -election']) {
      query.mockClear()
      expect(engine.search(q).storyHits.length).toBeGreaterThan(0)
      expect(query).toHaveBeenCalled()
    }
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
    const loaded = loadSearchEngine(JSON.stringify(engine), STORIES, THEMES)
    const query = vi.spyOn(lunr.Index.prototype, 'query')
    expect(loaded.search('steering wheels')).toEqual(engine.search('steering wheels'))
    expect(query).toHaveBeenCalled()
  })
})

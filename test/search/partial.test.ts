import { describe, expect, it } from 'vitest'
import { buildSearchEngine, type SearchOutcome } from '../../src/search/index.js'
import { minimumShouldMatch } from '../../src/search/query-run.js'
import { makeStory } from './fixtures/factory.js'

/*
 * Partial matching (engine.ts): results with every word first, then those with most of them,
 * each naming what it lacks; common words not required; the word-order boost.
 */

const THEMES = [{ slug: 'transformation', title: 'Transformation', description: 'Changing.' }]
const STORIES = [
  makeStory({
    slug: 'mayor',
    quotes: [
      {
        id: 'mandate',
        text: 'As mayor I have a mandate from the whole area, but I run none of the four boroughs.',
      },
      { id: 'buses', text: 'The mayor has real power over buses.' },
      { id: 'full', text: 'No mayor has power over boroughs here.' },
    ],
  }),
  makeStory({
    slug: 'other',
    quotes: [
      { id: 'boroughs-power', text: 'Boroughs have power.' },
      {
        id: 'in-order',
        text: 'It felt like a car with three steering wheels and nobody agreeing which road to take.',
      },
      { id: 'scattered', text: 'Steering the car was hard with the wheels off.' },
    ],
  }),
]
const engine = buildSearchEngine(STORIES, THEMES)

const quotes = (o: SearchOutcome) => o.quoteHits.map((h) => ({ id: h.quoteId, missing: h.missing }))
const score = (q: string, id: string) =>
  engine.search(q).quoteHits.find((h) => h.quoteId === id)?.score ?? 0

describe('minimumShouldMatch', () => {
  it('is all but one of up to four words, then 67% rounded down', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 12].map(minimumShouldMatch)).toEqual([
      1, 1, 2, 3, 3, 4, 4, 5, 6, 8,
    ])
  })
})

describe('partial results', () => {
  it('follow the results having every word, by words had, each naming the words it lacks', () => {
    const o = engine.search('mayor has no power over the boroughs')
    expect(o.words).toEqual(['mayor', 'power', 'boroughs'])
    expect(o.quoteAllWords).toBe(1)
    expect(o.partial).toBe(true)
    expect(o.relaxed).toBe(false)
    const found = quotes(o)
    expect(found[0]).toEqual({ id: 'full', missing: [] })
    expect(found.slice(1).sort((a, b) => a.id.localeCompare(b.id))).toEqual([
      { id: 'boroughs-power', missing: ['mayor'] },
      { id: 'buses', missing: ['boroughs'] },
      { id: 'mandate', missing: ['power'] },
    ])
  })

  it('rank those having more of the words first', () => {
    // Four words: at least three. "four" only in `mandate`, which has three of them.
    const o = engine.search('mayor power boroughs four')
    expect(quotes(o)[0]).toEqual({ id: 'mandate', missing: ['power'] })
    expect(o.quoteHits.every((h) => h.missing.length <= 1)).toBe(true)
  })

  it('are not added when a page of results has every word', () => {
    // Two quotes have both words: with a page of two, no quote results are partial.
    const o = engine.search('mayor power', { partialBelow: 2 })
    expect(quotes(o)).toEqual([
      expect.objectContaining({ missing: [] }),
      expect.objectContaining({ missing: [] }),
    ])
    expect(engine.search('mayor power', { partialBelow: 3 }).quoteHits).toHaveLength(4)
  })

  it('name a missing word* with its star', () => {
    expect(quotes(engine.search('mayor boroughs zeb*'))[0]).toEqual({
      id: 'full',
      missing: ['zeb*'],
    })
  })

  it('keep phrases and exclusions strict', () => {
    expect(quotes(engine.search('"four boroughs" mayor power'))).toEqual([
      { id: 'mandate', missing: ['power'] },
    ])
    const excluded = quotes(engine.search('mayor power boroughs -buses')).map((q) => q.id)
    expect(excluded).not.toContain('buses')
    expect(excluded).toContain('mandate')
  })

  it('pass through the filters, and count in every match', () => {
    const mandate = engine.quoteRefs.findIndex((r) => r.quoteId === 'mandate')
    const o = engine.search('mayor has no power over the boroughs', {
      keepQuote: (n) => n !== mandate,
    })
    expect(quotes(o).map((q) => q.id)).not.toContain('mandate')
    expect([...o.matchedQuoteNumbers]).toContain(mandate)
  })

  it('are everything when no result has every word (relaxed)', () => {
    const o = engine.search('mayor boroughs zebra')
    expect(o.relaxed).toBe(true)
    expect(o.quoteAllWords).toBe(0)
    expect(quotes(o)).toEqual([
      { id: 'full', missing: ['zebra'] },
      { id: 'mandate', missing: ['zebra'] },
    ])
  })
})

describe('common words', () => {
  it('are not required and do not make a result partial', () => {
    const found = quotes(engine.search('the mayor has no power'))
    expect(found.slice(0, 2)).toEqual([
      { id: 'full', missing: [] },
      { id: 'buses', missing: [] },
    ])
    expect(found.slice(2).map((q) => q.missing)).toEqual([['mayor'], ['power']])
  })

  it('still rank the results having them', () => {
    // `full` has "no", `buses` has not: `full` gains on `buses`.
    const gain = (q: string) => score(q, 'full') / score(q, 'buses')
    expect(gain('mayor no power')).toBeGreaterThan(gain('mayor power') * 1.1)
  })

  it('are required when they are all there is to search for', () => {
    const o = engine.search('has no')
    expect(o.words).toEqual(['has', 'no'])
    expect(quotes(o)[0]).toEqual({ id: 'full', missing: [] })
  })
})

describe('the word-order boost', () => {
  it('ranks words typed together above the same words scattered in a shorter quote', () => {
    expect(quotes(engine.search('steering wheels car')).map((q) => q.id)).toEqual([
      'in-order',
      'scattered',
    ])
  })
})

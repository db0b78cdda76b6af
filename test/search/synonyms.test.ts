import { describe, expect, it } from 'vitest'
import {
  buildSearchEngine,
  highlightQuote,
  loadSearchEngine,
  parseQuery,
  Synonyms,
  type SearchOutcome,
} from '../../src/search/index.js'
import { makeStory } from './fixtures/factory.js'

/*
 * The words councils use (content/synonyms.yml), expanded at query time; the run-together form
 * of hyphenated words; "did you mean" for phrases and prefixes. Each story below says one thing
 * one way, so which stories a query finds says which forms it searched.
 */

const story = (slug: string, text: string) =>
  makeStory({
    slug,
    title: `Story ${slug}`,
    summary: 'A short summary.',
    impacts: ['Things improved'],
    bodyText: 'The council welcomed the team.',
    quotes: [{ id: 'q', text }],
  })

const STORIES = [
  story('noc-abbreviated', 'Being NOC meant every budget was a negotiation.'),
  story('noc-written-out', 'In no overall control, every budget was a negotiation.'),
  story('noc-scattered', 'No single party had control, and overall the budget was late.'),
  story('ce-abbreviated', 'The CE chaired the board.'),
  story('ce-written-out', 'The chief executive chaired the board.'),
  story('ce-short', 'Our chief exec chaired the board.'),
  story('hyphenated', 'A sector-led approach to improvement.'),
  story('spaced', 'A sector led approach to improvement.'),
  story('run-together', 'A sectorled approach to improvement.'),
  story('transformation', 'Transformation took three years of hard work.'),
]

const THEMES = [{ slug: 'transformation', title: 'Transformation', description: 'Changing.' }]

const SYNONYMS = new Synonyms([
  ['NOC', 'no overall control'],
  ['CE', 'chief executive'],
  ['chief exec', 'chief executive'],
  ['s114', 'section 114'],
  ['IT', 'the'],
])

const engine = buildSearchEngine(STORIES, THEMES)
const search = (q: string) => engine.search(q, { synonyms: SYNONYMS })
/** The quotes having every word (partial ones follow them). */
const slugs = (o: SearchOutcome) =>
  o.quoteHits
    .filter((h) => h.missing.length === 0)
    .map((h) => h.storySlug)
    .sort()
const found = (q: string) => slugs(search(q))

describe('synonyms', () => {
  it('expand an abbreviation to its phrase, matched as a phrase', () => {
    expect(found('NOC')).toEqual(['noc-abbreviated', 'noc-written-out'])
    expect(found('noc')).toEqual(['noc-abbreviated', 'noc-written-out'])
    // Without the synonyms, only the abbreviation is found.
    expect(slugs(engine.search('NOC'))).toEqual(['noc-abbreviated'])
  })

  it('expand a phrase typed without quotes to its abbreviation, keeping its words anywhere', () => {
    expect(found('no overall control')).toEqual([
      'noc-abbreviated',
      'noc-scattered',
      'noc-written-out',
    ])
    expect(slugs(engine.search('no overall control'))).toEqual(['noc-scattered', 'noc-written-out'])
  })

  it('leave quoted phrases, exclusions and prefixes alone', () => {
    expect(found('"no overall control"')).toEqual(['noc-written-out'])
    expect(found('budget -NOC')).toEqual(['noc-scattered', 'noc-written-out'])
    expect(search('NOC*').expansions).toEqual([])
  })

  it('take the other terms of every group a term is in, without chaining groups', () => {
    expect(found('chief exec')).toEqual(['ce-short', 'ce-written-out'])
    expect(found('CE')).toEqual(['ce-abbreviated', 'ce-written-out'])
    expect(found('chief executive')).toEqual(['ce-abbreviated', 'ce-short', 'ce-written-out'])
    expect(search('chief executive').expansions).toEqual([
      { term: 'chief executive', alsoSearched: ['CE', 'chief exec'] },
    ])
  })

  it('say what was also searched for, as written in the file', () => {
    expect(search('NOC budget').expansions).toEqual([
      { term: 'NOC', alsoSearched: ['no overall control'] },
    ])
    expect(search('budget').expansions).toEqual([])
    expect(engine.search('NOC').expansions).toEqual([])
  })

  it('combine with other words: each must match in one of its forms', () => {
    expect(found('NOC negotiation')).toEqual(['noc-abbreviated', 'noc-written-out'])
    expect(found('CE board')).toEqual(['ce-abbreviated', 'ce-written-out'])
  })

  it('ignore terms made only of stop words', () => {
    // "the" cannot be searched for, so "IT" has nothing to be expanded to.
    expect(SYNONYMS.alternatives(['it'])).toBeUndefined()
    const [it, ...rest] = parseQuery('IT the', SYNONYMS).clauses
    expect(rest).toEqual([])
    expect(it?.kind === 'word' && it.alternatives).toBeFalsy()
  })

  it('are looked up by index terms, so case and plurals do not matter', () => {
    expect(found('chief execs')).toEqual(['ce-short', 'ce-written-out'])
    expect(found('Chief Executives')).toEqual(['ce-abbreviated', 'ce-short', 'ce-written-out'])
  })

  it('give the same results with Lunr’s own query', () => {
    const stock = buildSearchEngine(STORIES, THEMES, { evaluator: 'lunr' })
    for (const q of ['NOC', 'no overall control', 'chief exec', 'CE board', 'NOC zebra']) {
      expect(search(q), q).toEqual(stock.search(q, { synonyms: SYNONYMS }))
    }
  })
})

describe('highlighting', () => {
  const quoteOf = (slug: string) => STORIES.find((s) => s.slug === slug)?.quotes[0]?.text ?? ''

  it('marks whichever form matched', () => {
    const o = search('NOC')
    expect(highlightQuote(quoteOf('noc-abbreviated'), o)).toBe(
      'Being <mark>NOC</mark> meant every budget was a negotiation.',
    )
    expect(highlightQuote(quoteOf('noc-written-out'), o)).toBe(
      'In <mark>no overall control</mark>, every budget was a negotiation.',
    )
    const ce = search('chief exec')
    expect(highlightQuote(quoteOf('ce-written-out'), ce)).toBe(
      'The <mark>chief executive</mark> chaired the board.',
    )
    expect(highlightQuote(quoteOf('ce-short'), ce)).toBe(
      'Our <mark>chief</mark> <mark>exec</mark> chaired the board.',
    )
  })
})

describe('hyphenated, spaced and run-together words', () => {
  it('"sectorled" equals "sector-led", and both find "sector led"', () => {
    const all = ['hyphenated', 'run-together', 'spaced']
    expect(found('sectorled')).toEqual(all)
    expect(found('sector-led')).toEqual(all)
    expect(found('sector-led approach')).toEqual(all)
    expect(found('sectorled approach')).toEqual(all)
    expect(found('"sector led"')).toEqual(['hyphenated', 'spaced'])
  })

  it('marks each form', () => {
    const o = search('sectorled')
    for (const [slug, mark] of [
      ['hyphenated', '<mark>sector-led</mark>'],
      ['spaced', '<mark>sector led</mark>'],
      ['run-together', '<mark>sectorled</mark>'],
    ] as const) {
      const text = STORIES.find((s) => s.slug === slug)?.quotes[0]?.text ?? ''
      expect(highlightQuote(text, o)).toContain(mark)
    }
  })

  it('survives the cache file', () => {
    const loaded = loadSearchEngine(JSON.stringify(engine.toCompactJSON()), STORIES, THEMES)
    expect(slugs(loaded.search('sectorled'))).toEqual(['hyphenated', 'run-together', 'spaced'])
  })
})

describe('did you mean, for phrases and prefixes', () => {
  it('corrects a word inside a phrase', () => {
    const o = search('"no overal control"')
    expect(o.quoteHits).toEqual([])
    expect(o.suggestions).toEqual([
      {
        query: '"no overall control"',
        corrections: [{ from: 'overal', to: 'overall' }],
      },
    ])
    expect(slugs(search(o.suggestions[0]?.query ?? ''))).toEqual(['noc-written-out'])
  })

  it('corrects a prefix no word starts with', () => {
    const o = search('tranfor*')
    expect(o.quoteHits).toEqual([])
    // The nearest first (1 edit), each checked to find something.
    expect(o.suggestions[0]?.query).toBe('transfor*')
    expect(o.suggestions[0]?.corrections).toEqual([{ from: 'tranfor', to: 'transfor' }])
    expect(slugs(search('transfor*'))).toEqual(['transformation'])
  })

  it('offers nothing for a prefix some word starts with, or a phrase of known words', () => {
    expect(search('transfor* zebra').suggestions).toEqual([])
    expect(search('"overall transformation"').suggestions).toEqual([])
  })
})

describe('did you mean, for a phrase whose misspelt word stems to a real one', () => {
  it('looks at the words as written', () => {
    // "overal" stems to "over", which the index has: the phrase still finds nothing.
    const over = buildSearchEngine([...STORIES, story('over', 'It was over in a year.')], THEMES)
    const o = over.search('"no overal control"', { synonyms: SYNONYMS })
    expect(o.quoteHits).toEqual([])
    expect(o.suggestions.map((s) => s.query)).toEqual(['"no overall control"'])
  })
})

import { describe, expect, it } from 'vitest'
import {
  buildSearchEngine,
  contentFingerprint,
  loadSearchEngine,
  SearchIndexLoadError,
  type SearchOutcome,
} from '../../src/search/index.js'
import { makeStory } from './fixtures/factory.js'
import { STORIES, THEMES } from './fixtures/library.js'

const engine = buildSearchEngine(STORIES, THEMES)

const storySlugs = (o: SearchOutcome) => o.storyHits.map((h) => h.storySlug)
/** The results having every word (partial ones, "Missing: …", follow them). */
const full = <T extends { missing: string[] }>(hits: T[]): T[] =>
  hits.filter((h) => h.missing.length === 0)
const quoteRefs = (o: SearchOutcome) => full(o.quoteHits).map((h) => `${h.storySlug}#${h.quoteId}`)
/** Every quote result, full or partial. */
const anyQuoteRefs = (o: SearchOutcome) => o.quoteHits.map((h) => `${h.storySlug}#${h.quoteId}`)
const stories = (q: string) =>
  full(engine.search(q).storyHits)
    .map((h) => h.storySlug)
    .sort()

describe('words are all required, with an any-word fallback', () => {
  it('requires every word by default', () => {
    expect(stories('transformation pilots')).toEqual(['rebooting-transformation'])
    expect(stories('budget partnership')).toEqual(['plain-mon'])
    expect(engine.search('budget partnership').relaxed).toBe(false)
  })

  it('falls back to any word, and says so, when no document has every word', () => {
    const o = engine.search('transformation zebra')
    expect(o.relaxed).toBe(true)
    expect(storySlugs(o)).toEqual(['rebooting-transformation'])
    // "election" is in one story, "café" in another; no story has both.
    const both = engine.search('election café')
    expect(both.relaxed).toBe(true)
    expect(storySlugs(both).sort()).toEqual(['html-in-text', 'hung-council'])
  })

  it('does not relax a single word', () => {
    const o = engine.search('zebra')
    expect(o.relaxed).toBe(false)
    expect(o.storyHits).toEqual([])
  })

  it('ranks title and council matches above narrative matches', () => {
    // "transformation" is in the title of one story and only the theme/narrative of none else.
    const o = engine.search('Ashcombe')
    expect(storySlugs(o)[0]).toBe('hung-council')
    const t = engine.search('partnership')
    // plain-mon has it in the title and narrative; hung-council only in an impact.
    expect(storySlugs(t)).toEqual(['plain-mon', 'hung-council'])
  })

  it('finds quotes by their words, speaker role, speaker name and council', () => {
    expect(quoteRefs(engine.search('steering wheels'))).toEqual(['hung-council#steering-wheels'])
    expect(quoteRefs(engine.search('Jane Doe'))).toEqual(['hung-council#few-priorities'])
    expect(quoteRefs(engine.search('chief executive'))).toEqual(['hung-council#few-priorities'])
    expect(quoteRefs(engine.search('Brackenmoss'))).toEqual(['rebooting-transformation#pilots'])
  })

  it('ranks a quote matching in its text above one matching only in its metadata', () => {
    const s = makeStory({
      slug: 'ranking',
      council: 'Budget Town Council',
      quotes: [
        { id: 'meta-only', text: 'We talked about many other things at length.' },
        { id: 'in-text', text: 'The budget was the hard part of the year.' },
      ],
    })
    const e = buildSearchEngine([s], THEMES)
    expect(quoteRefs(e.search('budget'))).toEqual(['ranking#in-text', 'ranking#meta-only'])
  })
})

describe('phrases', () => {
  it('match only consecutive words in order', () => {
    const o = engine.search('"no overall control"')
    expect(storySlugs(o)).toEqual(['hung-council'])
    expect(quoteRefs(o)).toEqual(['hung-council#steering-wheels'])
    // rebooting-transformation has "No party had control overall": all three words, not the phrase.
    expect(stories('no overall control')).toEqual(['hung-council', 'rebooting-transformation'])
    expect(stories('"control overall"')).toEqual(['rebooting-transformation'])
  })

  it('never relax', () => {
    const o = engine.search('"overall no control"')
    expect(o.relaxed).toBe(false)
    expect(o.storyHits).toEqual([])
    const mixed = engine.search('"no overall control" zebra giraffe')
    expect(mixed.relaxed).toBe(false)
    expect(mixed.storyHits).toEqual([])
  })

  it('keep a phrase required when the other words relax', () => {
    const o = engine.search('"no overall control" zebra election')
    expect(o.relaxed).toBe(true)
    expect(storySlugs(o)).toEqual(['hung-council'])
    // The quote has the phrase but neither word: relaxed still needs one of the words.
    expect(anyQuoteRefs(o)).toEqual([])
    const q = engine.search('"no overall control" zebra steering')
    expect(q.relaxed).toBe(true)
    expect(anyQuoteRefs(q)).toEqual(['hung-council#steering-wheels'])
    expect(storySlugs(q)).toEqual([])
  })

  it('match stop words inside the phrase exactly', () => {
    expect(stories('"in no overall control"')).toEqual(['hung-council'])
    expect(stories('"of no overall control"')).toEqual([])
  })

  it('do not run across fields or list items', () => {
    const s = makeStory({
      slug: 'fields',
      title: 'Budget',
      summary: 'Savings were found here.',
      impacts: ['Housing', 'Delivery'],
    })
    const e = buildSearchEngine([s], THEMES)
    expect(storySlugs(e.search('"budget savings"'))).toEqual([])
    expect(storySlugs(e.search('"housing delivery"'))).toEqual([])
    expect(storySlugs(e.search('budget savings'))).toEqual(['fields'])
  })
})

describe('exclusions', () => {
  it('remove documents with the word', () => {
    expect(stories('council')).toContain('hung-council')
    expect(stories('council -election')).not.toContain('hung-council')
    expect(stories('council -election')).toHaveLength(STORIES.length - 1)
    expect(quoteRefs(engine.search('budget')).sort()).toEqual([
      'html-in-text#markup',
      'plain-mon#budget',
    ])
    expect(quoteRefs(engine.search('budget -sharing'))).toEqual(['html-in-text#markup'])
  })

  it('remove documents with the phrase, not those with its words apart', () => {
    expect(stories('control -"no overall control"')).toEqual(['rebooting-transformation'])
  })

  it('never relax, and an exclusion alone searches nothing', () => {
    const o = engine.search('zebra budget -sharing')
    expect(o.relaxed).toBe(true)
    expect(anyQuoteRefs(o)).toEqual(['html-in-text#markup'])
    const only = engine.search('-budget')
    expect(only.empty).toBe(true)
    expect(only.storyHits).toEqual([])
  })
})

describe('prefix search', () => {
  it('finds longer words, past the stemmer', () => {
    expect(stories('transform*')).toEqual(['rebooting-transformation'])
    expect(stories('experiment*')).toEqual(['html-in-text', 'rebooting-transformation'])
    expect(stories('experim*')).toEqual(['html-in-text', 'rebooting-transformation'])
    // "experimental" alone (html-in-text has only "experiment")
    expect(stories('experimenta*')).toEqual(['rebooting-transformation'])
  })

  it('folds and maps spellings in the prefix', () => {
    expect(stories('organiz*')).toEqual(['stoke-support', 'ynys-mon'])
    expect(stories('café*')).toEqual(['html-in-text'])
  })

  it('ignores a one-letter prefix', () => {
    const o = engine.search('e*')
    expect(o.empty).toBe(true)
    expect(o.ignored).toEqual([{ word: 'e', reason: 'too-short' }])
  })
})

describe('stop words', () => {
  it('searches words Lunr would drop', () => {
    expect(stories('this')).toEqual(['hung-council'])
    expect(stories('not easy')).toEqual(['plain-mon'])
    expect(stories('but')).toEqual(['plain-mon'])
  })

  it('drops the few meaningless words, and reports them', () => {
    const o = engine.search('the budget')
    expect(storySlugs(o)).toEqual(['plain-mon'])
    expect(o.ignored).toEqual([{ word: 'the', reason: 'stop-word' }])
    expect(engine.search('the').empty).toBe(true)
  })
})

describe('folding', () => {
  it('folds accents both ways', () => {
    expect(stories('Ynys Mon')).toEqual(['ynys-mon'])
    expect(stories('ynys môn')).toEqual(['ynys-mon'])
    expect(stories('Môn valley')).toEqual(['plain-mon'])
    expect(stories('cafe')).toEqual(['html-in-text'])
    expect(stories('CAFÉ')).toEqual(['html-in-text'])
  })

  it('folds curly apostrophes and possessives', () => {
    expect(quoteRefs(engine.search('council’s truth'))).toEqual(['ynys-mon#island'])
    expect(quoteRefs(engine.search("council's truth"))).toEqual(['ynys-mon#island'])
    expect(quoteRefs(engine.search('councils truth'))).toEqual(['ynys-mon#island'])
    expect(quoteRefs(engine.search('can’t run'))).toEqual(['hung-council#few-priorities'])
    expect(quoteRefs(engine.search("can't run"))).toEqual(['hung-council#few-priorities'])
  })
})

describe('hyphenated words', () => {
  it('match whole, split and run together', () => {
    expect(stories('sector-led')).toEqual(['rebooting-transformation', 'stoke-support'])
    expect(stories('sector led')).toEqual(['rebooting-transformation', 'stoke-support'])
    // Run together, it finds the hyphenated and the spaced form too (issue 13: it used to find
    // only the stories writing "sector-led", whose run-together form the index holds).
    expect(stories('sectorled')).toEqual(['rebooting-transformation', 'stoke-support'])
    expect(stories('"sector led"')).toEqual(['rebooting-transformation', 'stoke-support'])
  })

  it('find Stoke-on-Trent both ways', () => {
    expect(stories('Stoke-on-Trent')).toEqual(['stoke-support'])
    expect(stories('stoke on trent')).toEqual(['stoke-support'])
    expect(stories('stokeontrent')).toEqual(['stoke-support'])
    expect(quoteRefs(engine.search('stoke-on-trent frank'))).toEqual(['stoke-support#frank'])
  })
})

describe('British and American spelling', () => {
  it.each([
    ['organisation', ['stoke-support', 'ynys-mon']],
    ['organization', ['stoke-support', 'ynys-mon']],
    ['focused', ['stoke-support', 'ynys-mon']],
    ['focussed', ['stoke-support', 'ynys-mon']],
    ['programme', ['rebooting-transformation', 'stoke-support', 'ynys-mon']],
    ['program', ['rebooting-transformation', 'stoke-support', 'ynys-mon']],
    // The stemmer joins "centre" and "centred" (both "centr"), whichever the spelling.
    ['centre', ['stoke-support', 'ynys-mon']],
    ['center', ['stoke-support', 'ynys-mon']],
    ['centered', ['stoke-support', 'ynys-mon']],
    ['behaviour', ['ynys-mon']],
    ['behavior', ['ynys-mon']],
    ['prioritised', ['ynys-mon']],
  ])('%s', (q, expected) => {
    expect(stories(q)).toEqual(expected)
  })
})

describe('sort', () => {
  it('orders by newest story first, then relevance', () => {
    const o = engine.search('council', { sort: 'newest' })
    const published = new Map(STORIES.map((s) => [s.slug, s.published]))
    const dates = o.storyHits.map((h) => published.get(h.storySlug) as string)
    expect(dates).toEqual([...dates].sort().reverse())
    expect(o.storyHits.length).toBe(STORIES.length)
    const qd = o.quoteHits.map((h) => published.get(h.storySlug) as string)
    expect(qd).toEqual([...qd].sort().reverse())
  })

  it('orders by score by default, best first', () => {
    const o = engine.search('council budget')
    const scores = o.storyHits.map((h) => h.score)
    expect(scores).toEqual([...scores].sort((a, b) => b - a))
    expect(o.sort).toBe('relevance')
  })
})

describe('did you mean', () => {
  it('suggests a corrected query that finds results', () => {
    const o = engine.search('trasnformation pilots')
    // Relaxed results (the pilots) and a suggestion.
    expect(o.relaxed).toBe(true)
    expect(o.suggestions[0]).toEqual({
      query: 'transformation pilots',
      corrections: [{ from: 'trasnformation', to: 'transformation' }],
    })
    const check = engine.search(o.suggestions[0]?.query ?? '')
    expect(check.storyHits.length).toBeGreaterThan(0)
    expect(check.relaxed).toBe(false)
  })

  it('suggests alongside relaxed results, keeping the rest of the query', () => {
    const o = engine.search('"no overall control" stearing')
    expect(o.suggestions.map((s) => s.query)).toEqual(['"no overall control" steering'])
  })

  it('offers nothing for short words or when every word is known', () => {
    expect(engine.search('zzq').suggestions).toEqual([])
    expect(engine.search('steering budget').suggestions).toEqual([])
  })
})

describe('serialisation', () => {
  const queries = [
    'council',
    'no overall control',
    '"no overall control"',
    'transform*',
    'zebra budget',
    '-x',
    'trasnformation',
  ]
  it('gives identical results after a JSON round trip', () => {
    const text = JSON.stringify(engine)
    const loaded = loadSearchEngine(text, STORIES, THEMES)
    for (const q of queries) {
      expect(loaded.search(q)).toEqual(engine.search(q))
      expect(loaded.search(q, { sort: 'newest' })).toEqual(engine.search(q, { sort: 'newest' }))
    }
    expect(loaded.fingerprint).toBe(engine.fingerprint)
    expect(loaded.stats).toEqual(engine.stats)
  })

  it('accepts the parsed object too', () => {
    const loaded = loadSearchEngine(JSON.parse(JSON.stringify(engine)), STORIES, THEMES)
    expect(loaded.search('budget')).toEqual(engine.search('budget'))
  })

  it('refuses an index made for other content, or damaged', () => {
    const json = engine.toJSON()
    const changed = STORIES.map((s, i) => (i === 0 ? { ...s, bodyText: s.bodyText + ' More.' } : s))
    expect(() => loadSearchEngine(json, changed, THEMES)).toThrow(SearchIndexLoadError)
    expect(() => loadSearchEngine('{not json', STORIES, THEMES)).toThrow(SearchIndexLoadError)
    expect(() => loadSearchEngine({ ...json, formatVersion: 99 }, STORIES, THEMES)).toThrow(
      SearchIndexLoadError,
    )
    expect(() => loadSearchEngine({ ...json, lunrVersion: '2.3.8' }, STORIES, THEMES)).toThrow(
      SearchIndexLoadError,
    )
    const lunrJson = json.stories.lunr as Record<string, unknown[]>
    const field = (lunrJson.fields as string[])[0] as string
    const damaged = [
      { ...json, stories: { ...json.stories, seq: 'AAAA' } },
      { ...json, stories: { ...json.stories, lunr: { ...lunrJson, version: '2.3.8' } } },
      { ...json, stories: { ...json.stories, lunr: { ...lunrJson, invertedIndex: 'x' } } },
      {
        ...json,
        stories: {
          ...json.stories,
          lunr: { ...lunrJson, fieldVectors: lunrJson.fieldVectors?.slice(1) },
        },
      },
      {
        ...json,
        stories: {
          ...json.stories,
          lunr: {
            ...lunrJson,
            // A posting for a story that does not exist.
            invertedIndex: (lunrJson.invertedIndex as [string, Record<string, object>][]).map(
              ([term, posting], i) =>
                i === 0
                  ? [term, { ...posting, [field]: { ...posting[field], 99: {} } }]
                  : [term, posting],
            ),
          },
        },
      },
      {
        ...json,
        stories: {
          ...json.stories,
          lunr: { ...lunrJson, invertedIndex: [...(lunrJson.invertedIndex ?? [])].reverse() },
        },
      },
    ]
    for (const broken of damaged) {
      expect(() => loadSearchEngine(broken, STORIES, THEMES)).toThrow(SearchIndexLoadError)
    }
  })

  it('fingerprints content, themes and order', () => {
    const a = contentFingerprint(STORIES, THEMES)
    expect(a).toMatch(/^[0-9a-f]{64}$/)
    expect(contentFingerprint(STORIES, THEMES)).toBe(a)
    expect(contentFingerprint([...STORIES].reverse(), THEMES)).not.toBe(a)
    expect(
      contentFingerprint(
        STORIES,
        THEMES.map((t) => ({ ...t, title: t.title + '!' })),
      ),
    ).not.toBe(a)
  })
})

describe('empty and small corpora', () => {
  it('works with no stories', () => {
    const e = buildSearchEngine([], THEMES)
    expect(e.search('council').storyHits).toEqual([])
    expect(loadSearchEngine(JSON.stringify(e), [], THEMES).search('x*').quoteHits).toEqual([])
  })
})

import { beforeAll, describe, expect, it } from 'vitest'
import {
  buildSearchEngine,
  highlightQuote,
  MAX_QUERY_CHARS,
  parseQuery,
  storySnippet,
} from '../../src/search/index.js'
import { generateStories } from './fixtures/factory.js'
import { STORIES, THEMES } from './fixtures/library.js'

// A generated corpus as well as the hand-written one, so that prefixes and fuzzy matching have a
// large vocabulary to blow up on if they are unbounded.
const generated = generateStories(150, 3).stories
const engine = buildSearchEngine([...STORIES, ...generated], THEMES)

const HOSTILE: string[] = [
  '',
  ' ',
  ':',
  '~',
  '^',
  '+',
  '-',
  '*',
  '"',
  '""',
  '"unbalanced',
  'unbalanced"',
  '***',
  'a*b*c',
  '*council',
  'council~10',
  'council~',
  '~10',
  'council^100',
  '^100',
  'title:foo',
  'title:',
  ':council',
  '+-+-',
  '--',
  '-"',
  '-""',
  '+council -council',
  'council -council',
  '\\',
  '\\"\\*\\:',
  'council\\~2',
  '\u0000',
  'council\u0000budget',
  '%00',
  '<script>alert(1)</script>',
  '&amp; &lt;',
  '😀',
  '👩‍👩‍👧‍👦 council',
  '\ud800',
  'مجلس المدينة',
  '\u202eouncil',
  'בית',
  '\t\n\r\v\f',
  'x'.repeat(5000),
  'council '.repeat(200),
  Array.from({ length: 200 }, (_, i) => `word${i}`).join(' '),
  '"' + 'council '.repeat(50) + '"',
  'c*',
  'co*',
  'a* b* c* d* e* f* g* h* i* j* k* l* m*',
  '-co* council',
  'ab~2 cd~3',
  'constructor',
  '__proto__',
  'hasOwnProperty toString',
  'null undefined NaN',
  '0',
  '1e309',
  "'; DROP TABLE stories; --",
  '{"$ne": null}',
  '(council OR budget) AND NOT x',
  'council\u00adbudget',
  'ﬁnance',
  'Ｃｏｕｎｃｉｌ',
  '   "no overall control"   -"sector led"   transform*   ',
  '""""""""',
  '"a" "the" "of"',
  '-',
  'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz',
  'qwertyuiop asdfghjkl zxcvbnm',
]

/**
 * CPU time this test process spent (Vitest runs each file in a process of its own), in ms: a
 * query that blew up (a fuzzy-match or nesting bomb takes seconds) still shows, but other
 * processes on a busy machine do not count against the budget, as wall-clock time would.
 */
function cpuMs(): number {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1000
}

describe('hostile queries', () => {
  // The first "did you mean" builds the engine's word list once; that is not the query's cost.
  beforeAll(() => {
    engine.search('zzzzzzzzzzzz')
  })

  it('has a long table', () => {
    expect(HOSTILE.length).toBeGreaterThanOrEqual(40)
  })

  it.each(HOSTILE.map((q) => [JSON.stringify(q).slice(0, 60), q]))(
    '%s returns quickly without throwing',
    (_, q) => {
      const started = cpuMs()
      const outcome = engine.search(q)
      const newest = engine.search(q, { sort: 'newest' })
      expect(cpuMs() - started).toBeLessThan(500)
      expect(Array.isArray(outcome.storyHits)).toBe(true)
      expect(Array.isArray(outcome.quoteHits)).toBe(true)
      expect(newest.storyHits.length).toBe(outcome.storyHits.length)
      expect(Array.from(outcome.query).length).toBeLessThanOrEqual(MAX_QUERY_CHARS)
      // Rendering with the outcome must not throw either, and must stay escaped.
      const quote = STORIES[4]?.quotes[0]?.text ?? ''
      expect(highlightQuote(quote, outcome)).not.toContain('<em>')
      expect(storySnippet(STORIES[4] as (typeof STORIES)[number], outcome)).not.toContain(
        '<script>',
      )
    },
  )

  it('never throws on non-string input from a loose caller', () => {
    for (const value of [undefined, null, 42, ['a', 'b'], { q: 'x' }]) {
      expect(engine.search(value as unknown as string).empty).toBe(true)
    }
  })

  it('cuts long queries to 200 characters and says so', () => {
    const o = engine.search('x'.repeat(5000))
    expect(o.truncated).toBe(true)
    expect(o.query).toHaveLength(200)
    expect(engine.search('council').truncated).toBe(false)
    // Code points, not UTF-16 units: the emoji is not split.
    const emoji = engine.search('😀'.repeat(300))
    expect(Array.from(emoji.query)).toHaveLength(200)
    expect(emoji.query).toBe('😀'.repeat(200))
  })
})

describe('query parser', () => {
  const words = (q: string) =>
    parseQuery(q).clauses.map((c) =>
      c.kind === 'word'
        ? `${c.negated ? '-' : ''}${c.term}${c.prefix ? '*' : ''}`
        : `${c.negated ? '-' : ''}"${c.terms.join(' ')}"`,
    )

  it('neutralises Lunr syntax', () => {
    expect(words('council~10')).toEqual(['council'])
    expect(words('council^100 budget')).toEqual(['council', 'budget'])
    expect(words('title:foo')).toEqual(['titl', 'foo'])
    expect(words('+council')).toEqual(['council'])
    expect(words('a*b*c')).toEqual(['b', 'c'])
    expect(words('***')).toEqual([])
    expect(words('+-+-')).toEqual([])
  })

  it('reads prefixes, phrases and exclusions', () => {
    expect(words('experim* -housing -"peer review" "no overall control"')).toEqual([
      'experim*',
      '-hous',
      '-"peer review"',
      '"no overal control"',
    ])
    expect(words('"unbalanced phrase')).toEqual(['"unbalanc phrase"'])
    expect(words('sector-led')).toEqual(['"sector led"'])
  })

  it('bounds the number and length of terms', () => {
    const many = parseQuery(Array.from({ length: 20 }, (_, i) => `w${i}`).join(' '))
    expect(many.clauses).toHaveLength(12)
    expect(many.ignored.filter((i) => i.reason === 'too-many')).toHaveLength(8)
    const long = parseQuery('y'.repeat(41) + ' council')
    expect(long.clauses).toHaveLength(1)
    expect(long.ignored).toEqual([{ word: 'y'.repeat(41), reason: 'too-long' }])
  })
})

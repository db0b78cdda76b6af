import { describe, expect, it } from 'vitest'
import {
  buildSearchEngine,
  escapeHtml,
  highlightQuote,
  highlightText,
  storySnippet,
} from '../../src/search/index.js'
import { makeStory } from './fixtures/factory.js'
import { STORIES, THEMES } from './fixtures/library.js'

const engine = buildSearchEngine(STORIES, THEMES)
const mark = (q: string, text: string) => highlightQuote(text, engine.search(q))

describe('highlightQuote', () => {
  it('marks exactly the words whose stemmed form was searched', () => {
    expect(mark('steering', 'Three steering wheels steer.')).toBe(
      'Three <mark>steering</mark> wheels <mark>steer</mark>.',
    )
    expect(mark('pilot budget', 'Pilots, a pilot and the budget.')).toBe(
      '<mark>Pilots</mark>, a <mark>pilot</mark> and the <mark>budget</mark>.',
    )
  })

  it('marks folded and respelt words as written', () => {
    expect(mark('ynys mon', 'Ynys Môn said so.')).toBe(
      '<mark>Ynys</mark> <mark>Môn</mark> said so.',
    )
    expect(mark('organization', 'The organisation’s view.')).toBe(
      'The <mark>organisation’s</mark> view.',
    )
    expect(mark('council’s', "The council's plan.")).toBe('The <mark>council&#39;s</mark> plan.')
  })

  it('marks prefix matches whole', () => {
    expect(mark('transform*', 'Transformation transforms transformers; trans.')).toBe(
      '<mark>Transformation</mark> <mark>transforms</mark> <mark>transformers</mark>; trans.',
    )
  })

  it('marks a phrase occurrence as one mark, and not its words elsewhere', () => {
    expect(mark('"no overall control"', 'No overall control, no control overall.')).toBe(
      '<mark>No overall control</mark>, no control overall.',
    )
    expect(mark('"no overall control" wheels', 'In no overall control; wheels.')).toBe(
      'In <mark>no overall control</mark>; <mark>wheels</mark>.',
    )
  })

  it('marks hyphenated words by part, whole or as a phrase', () => {
    expect(mark('sector', 'A sector-led plan.')).toBe('A <mark>sector</mark>-led plan.')
    expect(mark('sectorled', 'A sector-led plan.')).toBe('A <mark>sector-led</mark> plan.')
    expect(mark('sector-led', 'A sector-led plan, sector led.')).toBe(
      'A <mark>sector-led</mark> plan, <mark>sector led</mark>.',
    )
  })

  it('does not mark excluded words or ignored stop words', () => {
    expect(mark('the budget -sharing', 'The budget, sharing the budget.')).toBe(
      'The <mark>budget</mark>, sharing the <mark>budget</mark>.',
    )
  })

  it('escapes HTML in the text, inside and outside marks', () => {
    expect(mark('budget', `<em>budget</em> & "savings" 'x'`)).toBe(
      '&lt;em&gt;<mark>budget</mark>&lt;/em&gt; &amp; &quot;savings&quot; &#39;x&#39;',
    )
    expect(mark('script', '<script>alert("x")</script>')).toBe(
      '&lt;<mark>script</mark>&gt;alert(&quot;x&quot;)&lt;/<mark>script</mark>&gt;',
    )
    expect(mark('zebra', '<b>&amp;</b>')).toBe('&lt;b&gt;&amp;amp;&lt;/b&gt;')
    expect(escapeHtml(`<>&"'`)).toBe('&lt;&gt;&amp;&quot;&#39;')
  })

  it('leaves text alone when nothing was searched', () => {
    expect(mark('', 'Plain <text>.')).toBe('Plain &lt;text&gt;.')
    expect(highlightText('Café culture & <script> tags', engine.search('cafe'))).toBe(
      '<mark>Café</mark> culture &amp; &lt;script&gt; tags',
    )
  })
})

describe('storySnippet', () => {
  const words = (n: number, w: string) => Array.from({ length: n }, () => w).join(' ')
  const story = makeStory({
    slug: 'long',
    summary: 'A summary that mentions nothing in particular.',
    impacts: ['Impact one'],
    bodyText: `${words(60, 'filler')} budget ${words(30, 'filler')} budget savings agreed ${words(80, 'filler')} savings`,
  })

  it('cuts around the densest cluster of matches at word boundaries, with ellipses', () => {
    const s = storySnippet(story, engine.search('budget savings'), 80)
    expect(s.startsWith('…')).toBe(true)
    expect(s.endsWith('…')).toBe(true)
    expect(s).toContain('<mark>budget</mark> <mark>savings</mark> agreed')
    const text = s.replace(/<\/?mark>/g, '').replace(/…/g, '')
    expect(text.length).toBeLessThanOrEqual(80)
    // Whole words only: every word is "filler", a match or "agreed".
    for (const w of text.split(' ')) expect(['filler', 'budget', 'savings', 'agreed']).toContain(w)
  })

  it('gives exact output for a short story', () => {
    const s = makeStory({
      slug: 's',
      bodyText: 'One two three budget four five six seven eight nine ten.',
    })
    expect(storySnippet(s, engine.search('budget'), 30)).toBe(
      '…three <mark>budget</mark> four five six…',
    )
    expect(storySnippet(s, engine.search('budget'), 240)).toBe(
      'One two three <mark>budget</mark> four five six seven eight nine ten.',
    )
  })

  it('marks a phrase in the snippet as one mark', () => {
    const s = storySnippet(
      STORIES[0] as (typeof STORIES)[number],
      engine.search('"no overall control"'),
      60,
    )
    expect(s).toContain('<mark>no overall control</mark>')
  })

  it('uses the summary when only it matches, and its start when nothing does', () => {
    const s = makeStory({ slug: 's', summary: 'Savings <were> found.', bodyText: 'Nothing here.' })
    expect(storySnippet(s, engine.search('savings'))).toBe(
      '<mark>Savings</mark> &lt;were&gt; found.',
    )
    expect(storySnippet(s, engine.search('zebra'))).toBe('Savings &lt;were&gt; found.')
    const long = makeStory({ slug: 'l', summary: words(100, 'word'), bodyText: 'x' })
    const cut = storySnippet(long, engine.search('zebra'), 40)
    expect(cut).toBe(`${words(8, 'word')}…`)
  })

  it('collapses line breaks and escapes', () => {
    const s = makeStory({ slug: 's', bodyText: 'First para <b>.\n\nSecond & budget para.' })
    expect(storySnippet(s, engine.search('budget'))).toBe(
      'First para &lt;b&gt;. Second &amp; <mark>budget</mark> para.',
    )
  })
})

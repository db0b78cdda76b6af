import { parse } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import { buildLibrary } from '../../../src/content/library.js'
import { citationFor } from '../../../src/web/citation.js'
import { quoteCardText, storyCardText } from '../../../src/web/embed-code.js'
import { cardHeight, embedSize } from '../../../src/web/embeds.js'
import { atomFeed, FEED_LIMIT } from '../../../src/web/open-data/atom.js'
import { quotesCsv, storiesCsv } from '../../../src/web/open-data/csv.js'
import { sitemapXml } from '../../../src/web/open-data/sitemap.js'
import { serialiseXml, xmlDocument, xmlElement } from '../../../src/web/open-data/xml.js'
import { oembedTarget } from '../../../src/web/routes/oembed.js'
import { makeStory } from '../../helpers/story.js'
import { parseXml } from '../../helpers/xml.js'

const BASE = 'https://stories.example.org'
const THEMES = [
  { slug: 'transformation', title: 'Transformation & <change>', description: 'Change.' },
]
const HOSTILE =
  'A & B <b>bold</b> &amp; &lt;script&gt; &nbsp; &#60; ]]> ]]> "q" \'a\' \u0001\u000b end'

describe('XML building', () => {
  it('escapes text and attributes exactly once, whatever they hold', () => {
    const { doc, root } = xmlDocument('urn:test', 'root', { note: HOSTILE })
    xmlElement(root, 'text', { a: HOSTILE }, HOSTILE)
    const xml = serialiseXml(doc)
    const parsed = parseXml(xml) as {
      root: { '@_note': string; text: { '#text': string; '@_a': string } }
    }
    // Control characters XML cannot hold are dropped; everything else comes back as it went in.
    const expected = HOSTILE.replaceAll('\u0001', '').replaceAll('\u000b', '')
    expect(parsed.root.text['#text']).toBe(expected)
    expect(parsed.root.text['@_a']).toBe(expected)
    expect(parsed.root['@_note']).toBe(expected)
  })
})

describe('atomFeed', () => {
  it('stays well-formed and exact with hostile titles, summaries, councils and narratives', () => {
    const story = makeStory({
      title: `Title ${HOSTILE}`,
      summary: `Summary ${HOSTILE}`,
      council: `Council ${HOSTILE}`,
      bodyHtml: '<p>Text &lt;script&gt;alert(1)&lt;/script&gt; &amp; ]]&gt;</p>',
    })
    const library = buildLibrary([story], THEMES)
    const xml = atomFeed({
      stories: library.stories,
      library,
      baseUrl: BASE,
      title: 'Feed',
      subtitle: 'Sub',
      selfPath: '/feed.xml',
      htmlPath: '/stories',
      siteName: 'Site',
    })
    const { feed } = parseXml(xml, ['entry', 'link', 'category']) as {
      feed: {
        entry: {
          title: { '#text': string }
          summary: { '#text': string }
          author: { name: string }
          content: { '#text': string }
          category: { '@_label': string }[]
        }[]
      }
    }
    const entry = feed.entry[0]
    const clean = HOSTILE.replaceAll('\u0001', '').replaceAll('\u000b', '')
    expect(entry?.title['#text']).toBe(`Title ${clean}`)
    expect(entry?.summary['#text']).toBe(`Summary ${clean}`)
    expect(entry?.author.name).toBe(`Council ${clean}`)
    expect(entry?.category[0]?.['@_label']).toBe('Transformation & <change>')
    // Escaped HTML stays escaped: the reader shows "<script>" as text, never runs it.
    expect(entry?.content['#text']).toBe(
      '<p>Text &lt;script&gt;alert(1)&lt;/script&gt; &amp; ]]&gt;</p>',
    )
  })

  it(`lists at most ${FEED_LIMIT} stories, and an empty list is still a valid feed`, () => {
    const stories = Array.from({ length: FEED_LIMIT + 5 }, (_, i) =>
      makeStory({
        slug: `story-${i}`,
        published: `2020-01-${String((i % 28) + 1).padStart(2, '0')}`,
      }),
    )
    const library = buildLibrary(stories, THEMES)
    const options = {
      library,
      baseUrl: BASE,
      title: 'Feed',
      subtitle: 'Sub',
      selfPath: '/feed.xml',
      htmlPath: '/stories',
      siteName: 'Site',
    }
    const full = parseXml(atomFeed({ ...options, stories: library.stories }), ['entry']) as {
      feed: { entry: unknown[] }
    }
    expect(full.feed.entry).toHaveLength(FEED_LIMIT)
    const empty = parseXml(atomFeed({ ...options, stories: [] }), ['entry']) as {
      feed: { entry?: unknown[]; updated: string }
    }
    expect(empty.feed.entry).toBeUndefined()
    expect(empty.feed.updated).toBe('2020-01-28T00:00:00.000Z')
  })
})

describe('sitemapXml', () => {
  it('is valid with no stories at all', () => {
    const xml = sitemapXml(buildLibrary([], THEMES), BASE)
    const doc = parseXml(xml, ['url']) as { urlset: { url: { loc: string }[] } }
    expect(doc.urlset.url.map((u) => u.loc)).toContain(`${BASE}/themes/transformation`)
  })
})

describe('CSV', () => {
  it('defuses cells a spreadsheet would run as formulas, and quotes the rest properly', () => {
    const story = makeStory({
      title: '=HYPERLINK("https://evil.example","Click")',
      summary: '+1 and, "quoted"\r\nacross lines',
      quotes: [
        { id: 'q', speaker: 'peer', text: '@SUM(A1:A2) said the peer', storySlug: 'a-story' },
      ],
    })
    const library = buildLibrary([story], THEMES)
    const stories = parse(storiesCsv(library.stories, library, BASE), {
      bom: true,
      columns: true,
    }) as Record<string, string>[]
    expect(stories[0]?.title).toBe(`'=HYPERLINK("https://evil.example","Click")`)
    expect(stories[0]?.summary).toBe(`'+1 and, "quoted"\r\nacross lines`)
    expect(stories[0]?.themes).toBe('Transformation & <change>')
    const quotes = parse(quotesCsv(library.stories, library, BASE), {
      bom: true,
      columns: true,
    }) as Record<string, string>[]
    expect(quotes[0]?.text).toBe(`'@SUM(A1:A2) said the peer`)
  })

  it('ends records with CRLF and starts with a byte order mark', () => {
    const library = buildLibrary([makeStory()], THEMES)
    const csv = storiesCsv(library.stories, library, BASE)
    expect(csv.startsWith('\uFEFFslug,title,')).toBe(true)
    expect(csv.split('\r\n')).toHaveLength(3)
  })
})

describe('citationFor', () => {
  it('is Harvard style: council (year) title. library. URL, accessed placeholder', () => {
    const c = citationFor(
      makeStory({ title: 'A story.' }),
      `${BASE}/stories/a-story`,
      'The library',
    )
    expect(c.text).toBe(
      `Anytown Borough Council (2020) A story. The library. Available at: ${BASE}/stories/a-story (Accessed: [date]).`,
    )
    expect(c).toMatchObject({ author: 'Anytown Borough Council', year: '2020', title: 'A story' })
  })
})

describe('embedSize', () => {
  const story = makeStory()
  const quote = (text: string) =>
    quoteCardText(story, { id: 'q', speaker: 'leader', storySlug: story.slug, text })

  it('is 560 wide by default and grows taller with the text', () => {
    const short = embedSize(quote('x'.repeat(50)))
    const long = embedSize(quote('x '.repeat(700)))
    expect(short.width).toBe(560)
    expect(long.height).toBeGreaterThan(short.height)
    expect(long.height).toBeLessThanOrEqual(1200)
  })

  it('is tall enough for a phone to shrink the frame to its width', () => {
    const blocks = quote('word '.repeat(50))
    expect(embedSize(blocks).height).toBeGreaterThanOrEqual(cardHeight(blocks, 343))
    expect(embedSize(blocks).height).toBeGreaterThanOrEqual(cardHeight(blocks, 560))
  })

  it('never exceeds maxwidth or maxheight', () => {
    const blocks = quote('word '.repeat(100))
    expect(embedSize(blocks, { maxwidth: 280 }).width).toBe(280)
    expect(embedSize(blocks, { maxwidth: 10, maxheight: 20 })).toEqual({ width: 10, height: 20 })
  })

  it('counts every line of a story card', () => {
    const longTitle = storyCardText(makeStory({ title: 'A title '.repeat(12) }))
    expect(embedSize(longTitle).height).toBeGreaterThan(embedSize(storyCardText(story)).height)
  })
})

describe('oembedTarget', () => {
  const story = makeStory({ slug: 'a-story', aliases: ['old-story'] })
  const library = buildLibrary([story], THEMES)

  it.each([
    [`${BASE}/stories/a-story`, 'a-story', undefined],
    [`${BASE}/stories/a-story/`, 'a-story', undefined],
    [`${BASE}/stories/old-story`, 'a-story', undefined],
    [`${BASE}/stories/a-story#leader-a`, 'a-story', 'leader-a'],
    [`${BASE}/stories/a-story#nope`, 'a-story', undefined],
    [`${BASE}/stories/a-story/quotes/leader-a`, 'a-story', 'leader-a'],
    [`${BASE}/stories/a-story/quotes/leader-a?utm_source=x`, 'a-story', 'leader-a'],
  ])('%s names story %s, quote %s', (url, slug, quoteId) => {
    const target = oembedTarget(library, BASE, url)
    expect(target?.story.slug).toBe(slug)
    expect(target?.quote?.id).toBe(quoteId)
  })

  it('works under a base URL with a path, and only there', () => {
    const base = 'https://www.example.org/library'
    expect(oembedTarget(library, base, `${base}/stories/a-story`)?.story.slug).toBe('a-story')
    expect(oembedTarget(library, base, 'https://www.example.org/stories/a-story')).toBeUndefined()
    expect(
      oembedTarget(library, base, 'https://www.example.org/library-x/stories/a-story'),
    ).toBeUndefined()
  })

  it.each([
    `${BASE}/stories/a-story/quotes/nope`,
    `${BASE}/stories/a-story/quotes`,
    `${BASE}/stories/a-story/quotes/leader-a/more`,
    `${BASE}/stories`,
    `${BASE}/stories/%E0%A4%A`,
    `https://user:pass@stories.example.org.evil.example/stories/a-story`,
    'ftp://stories.example.org/stories/a-story',
    '',
  ])('%s names nothing', (url) => {
    expect(oembedTarget(library, BASE, url)).toBeUndefined()
  })
})

import { cpSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import request from 'supertest'
import { beforeAll, describe, expect, it } from 'vitest'
import { writeCorpus } from '../../../scripts/generate-corpus.js'
import type { Story } from '../../../src/content/model.js'
import { fromRoot } from '../../../src/paths.js'
import { FEED_LIMIT } from '../../../src/web/open-data/atom.js'
import { createTestApp, FIXTURE_CONTENT, type TestApp } from '../../helpers/app.js'
import { tempDirs } from '../../helpers/temp-dirs.js'
import { parseXml } from '../../helpers/xml.js'

/**
 * The feeds of the story list and of search (/stories/feed.xml, /search/feed.xml): Atom that a
 * parser reads, the entries the page lists for the same parameters (newest first, at most
 * FEED_LIMIT), the page's links to them, and a 400 naming what a feed cannot follow. Over the
 * fixture content (a draft, two stories), the bundled stories, a generated corpus of 130 (more
 * than a feed holds), and the fixtures plus a story published later.
 */

const BASE = 'https://stories.example.org'
const ATOM_NS = 'http://www.w3.org/2005/Atom'

interface AtomEntry {
  id: string
  title: { '#text': string }
  link: { '@_rel': string; '@_href': string }[]
  published: string
  updated: string
  author: { name: string }
  summary: { '#text': string }
  content: { '#text': string; '@_type': string }
  category?: { '@_term': string }[]
}
interface AtomFeed {
  '@_xmlns': string
  id: string
  title: string
  subtitle: string
  updated: string
  link: { '@_rel': string; '@_href': string; '@_type': string }[]
  author: { name: string }
  entry?: AtomEntry[]
}

const newDirectory = tempDirs()
let fixtures: TestApp
let bundled: TestApp
let generated: TestApp
let later: TestApp

/** The fixtures plus a story published after every other, in North West, on transformation. */
const LATER_STORY = `---
title: Pennock restarts its transformation
council: Pennock Metropolitan Borough Council
councilType: metropolitan-borough
region: north-west
politicalControl: labour
challenge:
  type: corporate
  year: 2023
themes:
  - transformation
summary: Pennock restarted a stalled transformation programme after its peer challenge.
impacts:
  - A transformation programme restarted
quotes:
  - id: leader-restart
    speaker: leader
    text: The peers showed us our transformation had lost its way, and how to restart it.
published: 2024-02-01
---
Pennock's narrative.
`

beforeAll(async () => {
  const generatedDir = newDirectory('list-feeds-generated-')
  writeCorpus(generatedDir, { count: 130, seed: 19 })
  const laterDir = newDirectory('list-feeds-later-')
  cpSync(FIXTURE_CONTENT, laterDir, { recursive: true })
  writeFileSync(path.join(laterDir, 'stories', 'pennock-restarts.md'), LATER_STORY)
  ;[fixtures, bundled, generated, later] = await Promise.all([
    createTestApp(),
    createTestApp({ CONTENT_DIR: fromRoot('content'), CACHE_DIR: '' }),
    createTestApp({ CONTENT_DIR: generatedDir, CACHE_DIR: '' }),
    createTestApp({ CONTENT_DIR: laterDir, CACHE_DIR: '' }),
  ])
})

/** A feed, checked as Atom: well-formed, in Atom's namespace, with what RFC 4287 requires. */
async function atom(t: TestApp, url: string): Promise<AtomFeed> {
  const res = await request(t.app).get(url)
  expect(res.status, url).toBe(200)
  expect(res.headers['content-type']).toBe('application/atom+xml; charset=utf-8')
  const { feed } = parseXml(res.text, ['entry', 'link', 'category']) as { feed: AtomFeed }
  expect(feed['@_xmlns']).toBe(ATOM_NS)
  expect(feed.updated).toMatch(/^\d{4}-\d{2}-\d{2}T00:00:00\.000Z$/)
  expect(feed.author.name).toBe('Sector-led improvement stories')
  const self = feed.link.find((l) => l['@_rel'] === 'self')
  expect(self?.['@_type']).toBe('application/atom+xml')
  expect(feed.id).toBe(self?.['@_href'])
  for (const entry of feed.entry ?? []) {
    expect(entry.id).toMatch(new RegExp(`^${BASE}/stories/[a-z0-9-]+$`))
    expect(entry.title['#text']).not.toBe('')
    expect(entry.link[0]?.['@_href'].startsWith(entry.id)).toBe(true)
    expect(entry.published).toMatch(/^\d{4}-\d{2}-\d{2}T/)
    expect(entry.updated >= entry.published).toBe(true)
    expect(entry.summary['#text']).not.toBe('')
    expect(entry.content['@_type']).toBe('html')
  }
  // At most FEED_LIMIT entries, newest published first.
  const published = (feed.entry ?? []).map((e) => e.published)
  expect(published.length).toBeLessThanOrEqual(FEED_LIMIT)
  expect(published).toEqual([...published].sort().reverse())
  return feed
}

const slugsOf = (feed: AtomFeed): string[] =>
  (feed.entry ?? []).map((e) => e.id.slice(`${BASE}/stories/`.length))

/** Every story the /stories page lists for a query string, page by page, in its order. */
async function listedByPages(t: TestApp, query: string): Promise<string[]> {
  const slugs: string[] = []
  for (let page = 1; ; page++) {
    const res = await request(t.app).get(`/stories?${query}&page=${page}`)
    expect(res.status).toBe(200)
    for (const m of res.text.matchAll(
      /<h2 class="app-card__title">\s*<a class="govuk-link" href="\/stories\/([a-z0-9-]+)"/g,
    )) {
      slugs.push(m[1] ?? '')
    }
    if (!res.text.includes('govuk-pagination__next')) return slugs
  }
}

/** The stories of every result (quote or story) /api/search gives, all pages, first seen first. */
async function searchedStories(t: TestApp, query: string): Promise<string[]> {
  const slugs = new Set<string>()
  for (let page = 1; ; page++) {
    const res = await request(t.app).get(`/api/search?${query}&page=${page}`)
    expect(res.status).toBe(200)
    const body = res.body as {
      data: ({ type: 'quote'; story: { slug: string } } | { type: 'story'; slug: string })[]
      meta: { totalPages: number }
    }
    for (const item of body.data) slugs.add(item.type === 'quote' ? item.story.slug : item.slug)
    if (page >= body.meta.totalPages) return [...slugs]
  }
}

/** Slugs newest first, as the library orders them. */
function newestFirst(t: TestApp, slugs: readonly string[]): string[] {
  const order = t.content.current.library.stories.map((s) => s.slug)
  return [...slugs].sort((a, b) => order.indexOf(a) - order.indexOf(b))
}

describe('/stories/feed.xml', () => {
  it.each([
    ['fixtures', ''],
    ['fixtures', 'theme=transformation'],
    ['fixtures', 'theme=vision-and-place&theme=commercial-approach'],
    ['bundled', 'region=london'],
    ['bundled', 'theme=transformation'],
    ['bundled', 'councilType=district&control=conservative'],
    ['generated', ''],
    ['generated', 'theme=transformation&region=london'],
    ['generated', 'region=north-west&region=london&year=2019'],
    ['generated', 'challenge=corporate&councilType=unitary'],
  ])("over the %s content, ?%s lists the page's stories, newest first", async (name, query) => {
    const t = { fixtures, bundled, generated }[name] as TestApp
    const feed = await atom(t, `/stories/feed.xml?${query}`)
    const onPages = await listedByPages(t, query)
    expect(slugsOf(feed)).toEqual(onPages.slice(0, FEED_LIMIT))
  })

  it('lists at most 50 stories: the newest 50', async () => {
    const feed = await atom(generated, '/stories/feed.xml')
    expect(feed.entry).toHaveLength(50)
    expect(slugsOf(feed)).toEqual(
      generated.content.current.library.stories.slice(0, 50).map((s) => s.slug),
    )
  })

  it('puts a story published later first', async () => {
    const feed = await atom(later, '/stories/feed.xml?theme=transformation')
    expect(slugsOf(feed)).toEqual(['pennock-restarts', 'marrowby-goes-commercial'])
    expect(feed.updated).toBe('2024-02-01T00:00:00.000Z')
    expect(feed.entry?.[0]?.published).toBe('2024-02-01T00:00:00.000Z')
  })

  it('combines filters: AND across parameters, OR within one', async () => {
    const { library } = generated.content.current
    const expected = library.stories
      .filter(
        (s: Story) =>
          (s.region === 'london' || s.region === 'north-west') &&
          s.themes.includes('transformation') &&
          s.challenge.type === 'corporate',
      )
      .map((s) => s.slug)
    expect(expected.length).toBeGreaterThan(1)
    const feed = await atom(
      generated,
      '/stories/feed.xml?region=london&theme=transformation&region=north-west&challenge=corporate',
    )
    expect(slugsOf(feed)).toEqual(expected.slice(0, FEED_LIMIT))
    // Each filter alone gives more.
    for (const one of ['region=london', 'theme=transformation', 'challenge=corporate']) {
      expect(slugsOf(await atom(generated, `/stories/feed.xml?${one}`)).length).toBeGreaterThan(
        expected.length,
      )
    }
  })

  it('names the filters in words, and links itself and its page with the canonical query', async () => {
    const feed = await atom(fixtures, '/stories/feed.xml?region=north-west&theme=transformation')
    expect(feed.title).toBe('Stories: North West, Transformation')
    const canonical = 'theme=transformation&region=north-west'
    expect(feed.id).toBe(`${BASE}/stories/feed.xml?${canonical}`)
    expect(feed.link.find((l) => l['@_rel'] === 'alternate')?.['@_href']).toBe(
      `${BASE}/stories?${canonical}`,
    )
    const or = await atom(
      fixtures,
      '/stories/feed.xml?region=south-west&region=north-west&year=2016',
    )
    expect(or.title).toBe('Stories: North West or South West, 2016')
    expect((await atom(fixtures, '/stories/feed.xml')).title).toBe('Stories')
    const other = await atom(generated, '/stories/feed.xml?control=other&councilType=other')
    expect(other.title).toBe('Stories: Other type of council, Other political control')
  })

  it('treats unknown, repeated and reordered parameters as the page does: the same feed', async () => {
    const plain = await request(fixtures.app).get(
      '/stories/feed.xml?theme=transformation&region=north-west',
    )
    for (const query of [
      'region=north-west&theme=transformation',
      'theme=transformation&theme=transformation&region=north-west&region=north-west',
      'theme=transformation&region=north-west&utm_source=mail&sort=oldest&page=2',
      'theme=transformation&region=north-west&control=&year=',
      'theme=transformation&region=north-west&theme[]=vision-and-place&region[x]=london',
    ]) {
      const res = await request(fixtures.app).get(`/stories/feed.xml?${query}`)
      expect(res.status, query).toBe(200)
      expect(res.text, query).toBe(plain.text)
      expect(res.headers.etag).toBe(plain.headers.etag)
    }
  })

  it('never lists a draft', async () => {
    // The draft is tagged transformation and is the newest story in the fixtures.
    const feed = await atom(fixtures, '/stories/feed.xml?theme=transformation')
    expect(slugsOf(feed)).toEqual(['marrowby-goes-commercial'])
    const year = await atom(fixtures, '/stories/feed.xml?councilType=district')
    expect(slugsOf(year)).not.toContain('kettlewick-draft-story')
  })

  it('is a valid empty feed when the filters match nothing', async () => {
    const feed = await atom(fixtures, '/stories/feed.xml?theme=transformation&region=south-west')
    expect(feed.entry).toBeUndefined()
    expect(feed.title).toBe('Stories: South West, Transformation')
  })

  it('has the caching headers and ETag of the other feeds, and answers 304 when fresh', async () => {
    const site = await request(fixtures.app).get('/feed.xml')
    const res = await request(fixtures.app).get('/stories/feed.xml?region=north-west')
    expect(res.headers['cache-control']).toBe(site.headers['cache-control'])
    expect(res.headers['cache-control']).toBe('public, max-age=900')
    expect(res.headers.etag).toMatch(/^"[^"]+"$/)
    const again = await request(fixtures.app)
      .get('/stories/feed.xml?region=north-west')
      .set('If-None-Match', String(res.headers.etag))
    expect(again.status).toBe(304)
  })
})

describe('/search/feed.xml', () => {
  it.each([
    ['fixtures', 'q=council'],
    ['fixtures', 'q=peer*&speaker=leader'],
    ['bundled', 'q=peers'],
    ['bundled', 'q=peers&region=london'],
    ['bundled', 'q=budget&sort=newest'],
    ['bundled', 'q=%22no+overall+control%22'],
    ['generated', 'q=transformation&councilType=district'],
  ])(
    'over the %s content, ?%s lists the stories of the search results, newest first',
    async (name, query) => {
      const t = { fixtures, bundled, generated }[name] as TestApp
      const feed = await atom(t, `/search/feed.xml?${query}`)
      const found = await searchedStories(t, query)
      expect(slugsOf(feed)).toEqual(newestFirst(t, found).slice(0, FEED_LIMIT))
    },
  )

  it('lists at most 50 stories: the newest 50 of those found', async () => {
    const feed = await atom(generated, '/search/feed.xml?q=council')
    const found = await searchedStories(generated, 'q=council')
    expect(found.length).toBeGreaterThan(FEED_LIMIT)
    expect(feed.entry).toHaveLength(FEED_LIMIT)
    expect(slugsOf(feed)).toEqual(newestFirst(generated, found).slice(0, FEED_LIMIT))
  })

  it('an entry found through a quote quotes it, and links to it in its story', async () => {
    const feed = await atom(fixtures, '/search/feed.xml?q=commercial&speaker=leader')
    expect(slugsOf(feed)).toEqual(['marrowby-goes-commercial'])
    const entry = feed.entry?.[0]
    expect(entry?.summary['#text']).toBe(
      '“We had to become more commercial without losing sight of residents in Pen-y-Môr.” – ' +
        'Leader, Marrowby Metropolitan Borough Council',
    )
    expect(entry?.link[0]?.['@_href']).toBe(
      `${BASE}/stories/marrowby-goes-commercial#leader-commercial`,
    )
    expect(entry?.id).toBe(`${BASE}/stories/marrowby-goes-commercial`)
  })

  it("quotes the named speaker's words, markup and all as text", async () => {
    const feed = await atom(fixtures, '/search/feed.xml?q=%22neutral+space%22')
    expect(feed.entry?.[0]?.summary['#text']).toBe(
      '“Working in no overall control is complex; the peer challenge gave us a neutral space ' +
        'to agree priorities.” – Chief executive, Pat Example, Ashcombe Vale District Council',
    )
    const awkward = await atom(fixtures, '/search/feed.xml?q=%22write+it+down%22')
    expect(awkward.entry?.[0]?.summary['#text']).toContain(
      "</script><script>alert(1)</script> <!-- & ]]> too.” – Deputy leader, Sam O'Neill",
    )
  })

  it('an entry found through its story alone keeps the story summary', async () => {
    // "gap" and "budget" are in Marrowby's narrative, in none of its quotes.
    const feed = await atom(fixtures, '/search/feed.xml?q=budget+gap')
    expect(slugsOf(feed)).toEqual(['marrowby-goes-commercial'])
    expect(feed.entry?.[0]?.summary['#text']).toBe(
      'Marrowby used its finance peer challenge to build commercial skills and restart transformation.',
    )
    expect(feed.entry?.[0]?.link[0]?.['@_href']).toBe(`${BASE}/stories/marrowby-goes-commercial`)
  })

  it('puts a story published later first, whatever the sort', async () => {
    for (const sort of ['', '&sort=relevance', '&sort=newest']) {
      const feed = await atom(later, `/search/feed.xml?q=transformation${sort}`)
      expect(slugsOf(feed)).toEqual(['pennock-restarts', 'marrowby-goes-commercial'])
    }
  })

  it('combines the words with the filters', async () => {
    const all = await atom(bundled, '/search/feed.xml?q=peers')
    const london = await atom(bundled, '/search/feed.xml?q=peers&region=london')
    const leaders = await atom(bundled, '/search/feed.xml?q=peers&region=london&speaker=leader')
    const { storyBySlug } = bundled.content.current.library
    expect(slugsOf(london).length).toBeGreaterThan(0)
    expect(slugsOf(london).length).toBeLessThan(slugsOf(all).length)
    expect(slugsOf(london).every((s) => storyBySlug.get(s)?.region === 'london')).toBe(true)
    expect(slugsOf(leaders).every((s) => slugsOf(london).includes(s))).toBe(true)
    // A speaker chosen, only quotes are found: every entry quotes a leader.
    for (const entry of leaders.entry ?? []) expect(entry.summary['#text']).toMatch(/” – Leader, /)
    expect(london.title).toBe('Search: “peers”, London')
    expect(leaders.title).toBe('Search: “peers”, London, Leader')
    expect(leaders.id).toBe(`${BASE}/search/feed.xml?q=peers&region=london&speaker=leader`)
  })

  it('never lists a draft', async () => {
    const feed = await atom(fixtures, '/search/feed.xml?q=draft')
    expect(feed.entry).toBeUndefined()
  })

  it('is a valid empty feed when nothing matches', async () => {
    const feed = await atom(fixtures, '/search/feed.xml?q=zebra')
    expect(feed.entry).toBeUndefined()
    expect(feed.title).toBe('Search: “zebra”')
  })
})

describe('feeds refuse what they cannot follow with a 400 page, never a 500', () => {
  it.each([
    [
      '/stories/feed.xml?region=atlantis',
      'The region “atlantis” is not one this site has, so this feed cannot follow it.',
    ],
    [
      '/stories/feed.xml?theme=nonsense&region=london',
      'The theme “nonsense” is not one this site has',
    ],
    ['/stories/feed.xml?year=1900', 'The year of challenge “1900” (year) is not one this site has'],
    ['/stories/feed.xml?theme=%E0%A4%A', 'is not one this site has'],
    ['/stories/feed.xml?control=%00%01x', 'The political control “x” (control)'],
    [
      `/stories/feed.xml?councilType=${'x'.repeat(10_000)}`,
      `The type of council “${'x'.repeat(60)}…” (councilType)`,
    ],
    ['/search/feed.xml?q=peers&speaker=mayor', 'The speaker “mayor” is not one this site has'],
    ['/search/feed.xml', 'A search feed needs words to search for'],
    ['/search/feed.xml?q=++&region=london', 'A search feed needs words to search for'],
    ['/search/feed.xml?q=%00%01', 'A search feed needs words to search for'],
    ['/search/feed.xml?q[x]=peers', 'A search feed needs words to search for'],
  ])('%s', async (url, explanation) => {
    const res = await request(fixtures.app).get(url)
    expect(res.status).toBe(400)
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(res.headers['cache-control']).toBe('no-store')
    expect(res.text).toContain('<h1 class="govuk-heading-l">Bad request</h1>')
    expect(res.text.replace(/&#34;|&quot;/g, '"')).toContain(explanation)
  })

  it('a value the page ignores is ignored on the page, and refused by its feed', async () => {
    const page = await request(fixtures.app).get('/stories?region=atlantis')
    expect(page.status).toBe(200)
    const feed = await request(fixtures.app).get('/stories/feed.xml?region=atlantis')
    expect(feed.status).toBe(400)
  })
})

describe("the pages' links to their feeds", () => {
  const FEED_LINK =
    /<link rel="alternate" type="application\/atom\+xml" href="([^"]+)" title="([^"]+)">/g
  const headFeeds = (html: string): [string, string][] =>
    [...(html.split('</head>')[0] ?? '').matchAll(FEED_LINK)].map((m) => [m[1] ?? '', m[2] ?? ''])
  const bodyFeed = (html: string): string | undefined =>
    /<a class="govuk-link" href="([^"]+)" type="application\/atom\+xml">Get updates to these results<\/a>/.exec(
      html.split('</head>')[1] ?? '',
    )?.[1]

  it.each([
    [
      '/stories?region=north-west&theme=transformation&sort=oldest&page=1',
      '/stories/feed.xml?theme=transformation&amp;region=north-west',
      'Stories: North West, Transformation',
    ],
    ['/stories', '/stories/feed.xml', 'Stories'],
    [
      '/stories?theme=transformation&region=south-west',
      '/stories/feed.xml?theme=transformation&amp;region=south-west',
      'Stories: South West, Transformation',
    ],
    [
      '/search?q=commercial&region=north-west&sort=newest&page=1',
      '/search/feed.xml?q=commercial&amp;region=north-west',
      'Search: “commercial”, North West',
    ],
    ['/search?q=zebra', '/search/feed.xml?q=zebra', 'Search: “zebra”'],
  ])('%s links %s in its head, first, and by its results', async (url, feedPath, title) => {
    const res = await request(fixtures.app).get(url)
    expect(res.status).toBe(200)
    expect(headFeeds(res.text)).toEqual([
      [`${BASE}${feedPath}`, title],
      [`${BASE}/feed.xml`, 'Sector-led improvement stories: latest stories'],
    ])
    expect(bodyFeed(res.text)).toBe(feedPath)
    // The link leads to that feed.
    await atom(fixtures, feedPath.replace(/&amp;/g, '&'))
  })

  it('a search with no words has no feed of its own', async () => {
    const res = await request(fixtures.app).get('/search?region=north-west')
    expect(headFeeds(res.text)).toEqual([
      [`${BASE}/feed.xml`, 'Sector-led improvement stories: latest stories'],
    ])
    expect(bodyFeed(res.text)).toBeUndefined()
  })

  it("a theme page's feed stays where it is, named first", async () => {
    const res = await request(fixtures.app).get('/themes/transformation')
    expect(headFeeds(res.text)).toEqual([
      [`${BASE}/themes/transformation/feed.xml`, 'Sector-led improvement stories: Transformation'],
      [`${BASE}/feed.xml`, 'Sector-led improvement stories: latest stories'],
    ])
  })
})

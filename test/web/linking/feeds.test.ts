import request from 'supertest'
import { beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../../helpers/app.js'
import { parseXml } from '../../helpers/xml.js'

const BASE = 'https://stories.example.org'
const PUBLISHED = ['marrowby-goes-commercial', 'ashcombe-vale-finds-its-vision']

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})

interface AtomEntry {
  id: string
  title: { '#text': string }
  link: { '@_href': string }[]
  updated: string
  published: string
  author: { name: string }
  summary: { '#text': string }
  content: { '#text': string; '@_type': string }
  category: { '@_term': string }[]
}
interface AtomFeed {
  feed: {
    '@_xmlns': string
    id: string
    title: string
    updated: string
    link: { '@_rel': string; '@_href': string }[]
    entry?: AtomEntry[]
  }
}

async function atom(path: string): Promise<AtomFeed> {
  const res = await request(t.app)
    .get(path)
    .buffer(true)
    .parse((r, cb) => {
      let text = ''
      r.on('data', (c: Buffer) => (text += c.toString('utf8')))
      r.on('end', () => cb(null, text))
    })
  expect(res.status).toBe(200)
  expect(res.headers['content-type']).toBe('application/atom+xml; charset=utf-8')
  return parseXml(res.body as string, ['entry', 'link', 'category']) as unknown as AtomFeed
}

describe('Atom feeds', () => {
  it('/feed.xml lists exactly the published stories, newest first', async () => {
    const { feed } = await atom('/feed.xml')
    expect(feed['@_xmlns']).toBe('http://www.w3.org/2005/Atom')
    expect(feed.id).toBe(`${BASE}/feed.xml`)
    expect(feed.updated).toBe('2021-06-01T00:00:00.000Z')
    expect(feed.link).toContainEqual(
      expect.objectContaining({ '@_rel': 'self', '@_href': `${BASE}/feed.xml` }),
    )
    const entries = feed.entry ?? []
    expect(entries.map((e) => e.link[0]?.['@_href'])).toEqual(
      PUBLISHED.map((s) => `${BASE}/stories/${s}`),
    )
    const ashcombe = entries[1]
    expect(ashcombe?.title['#text']).toBe('Ashcombe Vale finds its vision')
    expect(ashcombe?.published).toBe('2019-03-05T00:00:00.000Z')
    expect(ashcombe?.updated).toBe('2020-01-10T00:00:00.000Z')
    expect(ashcombe?.author.name).toBe('Ashcombe Vale District Council')
    expect(ashcombe?.category.map((c) => c['@_term'])).toEqual([
      'vision-and-place',
      'political-leadership',
    ])
  })

  it('carries the narrative as escaped HTML, awkward characters intact', async () => {
    const { feed } = await atom('/feed.xml')
    const marrowby = feed.entry?.[0]
    expect(marrowby?.content['@_type']).toBe('html')
    // Parsed once, the XML gives back the page's HTML exactly: text still escaped as HTML.
    expect(marrowby?.content['#text']).toContain('Costs &amp; income ]]&gt; were both')
    expect(marrowby?.content['#text']).not.toContain('<script')
  })

  it("a theme feed lists that theme's published stories only", async () => {
    const { feed } = await atom('/themes/transformation/feed.xml')
    expect(feed.id).toBe(`${BASE}/themes/transformation/feed.xml`)
    expect(feed.title).toBe('Transformation – Sector-led improvement stories')
    // The draft is tagged transformation too, and is left out.
    expect((feed.entry ?? []).map((e) => e.id)).toEqual([
      `${BASE}/stories/marrowby-goes-commercial`,
    ])
  })

  it('in development, drafts are in the feed', async () => {
    const dev = await createTestApp({ NODE_ENV: 'development' })
    const res = await request(dev.app).get('/feed.xml')
    const { feed } = parseXml(res.text, ['entry', 'link']) as unknown as AtomFeed
    expect(feed.entry?.map((e) => e.id)).toContain(`${BASE}/stories/kettlewick-draft-story`)
  })
})

describe('sitemap and robots', () => {
  it('/sitemap.xml lists every published story, quote page, theme and council, with lastmod', async () => {
    const res = await request(t.app).get('/sitemap.xml')
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toBe('application/xml; charset=utf-8')
    const doc = parseXml(res.text, ['url']) as {
      urlset: { '@_xmlns': string; url: { loc: string; lastmod?: string }[] }
    }
    expect(doc.urlset['@_xmlns']).toBe('http://www.sitemaps.org/schemas/sitemap/0.9')
    const byLoc = new Map(doc.urlset.url.map((u) => [u.loc, u.lastmod]))
    const locs = [...byLoc.keys()]
    expect(locs.filter((l) => /\/stories\/[^/]+$/.test(l))).toEqual(
      PUBLISHED.map((s) => `${BASE}/stories/${s}`),
    )
    expect(locs.filter((l) => l.includes('/quotes/')).sort()).toEqual(
      [
        'ashcombe-vale-finds-its-vision/quotes/chief-executive-complexity',
        'ashcombe-vale-finds-its-vision/quotes/deputy-leader-awkward',
        'ashcombe-vale-finds-its-vision/quotes/leader-vision',
        'marrowby-goes-commercial/quotes/chief-executive-transformation',
        'marrowby-goes-commercial/quotes/leader-commercial',
      ].map((p) => `${BASE}/stories/${p}`),
    )
    expect(locs.filter((l) => l.includes('/themes/'))).toHaveLength(4)
    expect(locs.filter((l) => l.includes('/councils/')).sort()).toEqual([
      `${BASE}/councils/ashcombe-vale-district-council`,
      `${BASE}/councils/marrowby-metropolitan-borough-council`,
    ])
    expect(locs).not.toContain(`${BASE}/stories/kettlewick-draft-story`)
    expect(locs.some((l) => l.includes('kettlewick'))).toBe(false)
    expect(byLoc.get(`${BASE}/stories/ashcombe-vale-finds-its-vision`)).toBe('2020-01-10')
    expect(byLoc.get(`${BASE}/stories/marrowby-goes-commercial/quotes/leader-commercial`)).toBe(
      '2021-06-01',
    )
    expect(byLoc.get(`${BASE}/themes/vision-and-place`)).toBe('2020-01-10')
    for (const [loc, lastmod] of byLoc) {
      expect(loc.startsWith(`${BASE}/`)).toBe(true)
      if (lastmod !== undefined) expect(lastmod).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    }
  })

  it('/robots.txt points at the sitemap by its absolute URL', async () => {
    const res = await request(t.app).get('/robots.txt')
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8')
    expect(res.text).toContain('User-agent: *\n')
    expect(res.text).toContain(`Sitemap: ${BASE}/sitemap.xml\n`)
  })
})

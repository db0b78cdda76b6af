import request from 'supertest'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import type { Quote, Story } from '../../../src/content/model.js'
import {
  OG_IMAGE_HEIGHT,
  OG_IMAGE_WIDTH,
  cardTextSize,
  ogImageRenderer,
  quoteOgCard,
  shorten,
  storyOgCard,
} from '../../../src/web/og-image.js'
import { VERSIONED_IMAGE_CACHE_CONTROL } from '../../../src/web/routes/images.js'
import { PAGE_CACHE_CONTROL } from '../../../src/web/caching.js'
import { createTestApp, type TestApp } from '../../helpers/app.js'
import { metaContent } from '../../helpers/html.js'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})

const BASE = 'https://stories.example.org'
const STORY = '/stories/ashcombe-vale-finds-its-vision'
const QUOTE = `${STORY}/quotes/leader-vision`
const MAX_BYTES = 300 * 1024

/** A request that keeps the body as bytes, whatever its type. */
function getBytes(path: string, headers: Record<string, string> = {}) {
  return request(t.app)
    .get(path)
    .set(headers)
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => done(null, Buffer.concat(chunks)))
    })
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

/** The width and height in a PNG's IHDR chunk, which must come first. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE)
  expect(png.readUInt32BE(8)).toBe(13)
  expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR')
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) }
}

function expectCard(png: unknown): void {
  expect(Buffer.isBuffer(png)).toBe(true)
  const bytes = png as Buffer
  expect(pngSize(bytes)).toEqual({ width: 1200, height: 630 })
  expect(bytes.length).toBeLessThan(MAX_BYTES)
  expect(bytes.subarray(-8, -4).toString('latin1')).toBe('IEND')
}

/** The longest quote in the fixture content, and its story. */
function longestQuote(): { story: Story; quote: Quote } {
  let best: { story: Story; quote: Quote } | undefined
  for (const story of t.content.current.library.stories) {
    for (const quote of story.quotes) {
      if (best === undefined || quote.text.length > best.quote.text.length) best = { story, quote }
    }
  }
  if (best === undefined) throw new Error('no quotes in the fixtures')
  return best
}

/** The og:image URL of a page, as a path with its query. */
async function ogImagePath(page: string): Promise<string> {
  const res = await request(t.app).get(page)
  expect(res.status).toBe(200)
  const url = metaContent(res.text, 'og:image')
  expect(url?.startsWith(`${BASE}/`)).toBe(true)
  return (url ?? '').slice(BASE.length)
}

describe('story and quote pages point link previews at their picture', () => {
  it('a story page has og:image (absolute, versioned), its size, its alt and a large Twitter card', async () => {
    const res = await request(t.app).get(STORY)
    const html = res.text
    expect(metaContent(html, 'og:image')).toMatch(
      new RegExp(`^${BASE}${STORY}/image\\.png\\?v=[\\w-]{22}$`),
    )
    expect(metaContent(html, 'og:image:type')).toBe('image/png')
    expect(metaContent(html, 'og:image:width')).toBe('1200')
    expect(metaContent(html, 'og:image:height')).toBe('630')
    expect(metaContent(html, 'og:image:alt')).toBe(
      'Ashcombe Vale finds its vision. Ashcombe Vale District Council, Corporate peer challenge, 2016. Sector-led improvement stories.',
    )
    expect(metaContent(html, 'twitter:card')).toBe('summary_large_image')
    expect(metaContent(html, 'twitter:image:alt')).toBe(metaContent(html, 'og:image:alt'))
  })

  it('a quote page has its own picture, with the quote as its alt text', async () => {
    const res = await request(t.app).get(QUOTE)
    const html = res.text
    expect(metaContent(html, 'og:image')).toMatch(
      new RegExp(`^${BASE}${QUOTE}/image\\.png\\?v=[\\w-]{22}$`),
    )
    expect(metaContent(html, 'og:image:width')).toBe('1200')
    expect(metaContent(html, 'og:image:height')).toBe('630')
    expect(metaContent(html, 'og:image:alt')).toBe(
      '“The peers told us we had plans but no vision. With no overall control, we needed one story all groups could sign.” Leader, Ashcombe Vale District Council. Sector-led improvement stories.',
    )
    expect(metaContent(html, 'twitter:card')).toBe('summary_large_image')
  })

  it.each(['/', '/stories', '/about', '/councils/ashcombe-vale-district-council'])(
    '%s keeps the small card and has no og:image',
    async (path) => {
      const res = await request(t.app).get(path)
      expect(metaContent(res.text, 'og:image')).toBeUndefined()
      expect(metaContent(res.text, 'twitter:card')).toBe('summary')
    },
  )
})

describe('/stories/<slug>/image.png and /stories/<slug>/quotes/<id>/image.png', () => {
  it('draw a story as a 1200×630 PNG under 300 KB, with a strong ETag and a year as immutable at its versioned address', async () => {
    const path = await ogImagePath(STORY)
    const res = await getBytes(path)
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toBe('image/png')
    expectCard(res.body)
    expect(res.headers.etag).toBe(`"${new URL(path, BASE).searchParams.get('v')}"`)
    expect(res.headers['cache-control']).toBe(VERSIONED_IMAGE_CACHE_CONTROL)
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable')
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin')
    expect(res.headers['content-encoding']).toBeUndefined()
  })

  it('draw the longest fixture quote, which fits', async () => {
    const { quote } = longestQuote()
    const path = await ogImagePath(`/stories/${quote.storySlug}/quotes/${quote.id}`)
    const res = await getBytes(path)
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toBe('image/png')
    expectCard(res.body)
  })

  it('fit the longest quote the content allows (1,500 characters), cut with an ellipsis', async () => {
    const { story, quote } = longestQuote()
    const words =
      'Peers asked the questions we had stopped asking ourselves, and we answered them. '
    const text = words.repeat(Math.ceil(1500 / words.length)).slice(0, 1500)
    const renderer = ogImageRenderer(t.app)
    const card = quoteOgCard(story, { ...quote, text })
    expect(card.size.fontSize).toBe(36)
    const { html } = renderer.markup(card)
    expect(html).toContain(`line-clamp: ${card.size.maxLines}`)
    expectCard(await renderer.png(html))
  })

  it('answer 304 to a matching If-None-Match without drawing, keeping the cache headers', async () => {
    const path = await ogImagePath(QUOTE)
    const etag = `"${new URL(path, BASE).searchParams.get('v')}"`
    const draw = vi.spyOn(ogImageRenderer(t.app), 'png')
    const res = await getBytes(path, { 'If-None-Match': etag })
    expect(res.status).toBe(304)
    expect(draw).not.toHaveBeenCalled()
    draw.mockRestore()
    expect((res.body as Buffer).length).toBe(0)
    expect(res.headers.etag).toBe(etag)
    expect(res.headers['cache-control']).toBe(VERSIONED_IMAGE_CACHE_CONTROL)

    // Another version's ETag is not a match.
    const other = await request(t.app).head(path).set('If-None-Match', '"old"')
    expect(other.status).toBe(200)
    expect(other.headers.etag).toBe(etag)
  })

  it.each(['', '?v=old', '?v=', '?v=a&v=b', '?x=1'])(
    'redirect any other address (%s) to the current one, without drawing',
    async (query) => {
      const current = await ogImagePath(QUOTE)
      const draw = vi.spyOn(ogImageRenderer(t.app), 'png')
      const res = await request(t.app).get(`${QUOTE}/image.png${query}`)
      expect(draw).not.toHaveBeenCalled()
      draw.mockRestore()
      expect(res.status).toBe(302)
      expect(res.headers.location).toBe(current)
      // Its target changes when the card does: kept only as long as a page.
      expect(res.headers['cache-control']).toBe(PAGE_CACHE_CONTROL)
    },
  )

  it.each([
    '/stories/no-such-story/image.png',
    `${STORY}/quotes/no-such-quote/image.png`,
    '/stories/no-such-story/quotes/leader-vision/image.png',
    '/stories/constructor/image.png',
    `${STORY}/image.jpg`,
    `${STORY}/quotes/leader-vision/image.png/x`,
  ])('404 for %s', async (path) => {
    const res = await request(t.app).get(path)
    expect(res.status).toBe(404)
    expect(res.headers['content-type']).toMatch(/^text\/html/)
  })

  it('redirect a former slug to the current address, keeping the version', async () => {
    const story = await request(t.app).get('/stories/ashcombe-vision/image.png?v=abc')
    expect(story.status).toBe(301)
    expect(story.headers.location).toBe(`${STORY}/image.png?v=abc`)
    const quote = await request(t.app).get(
      '/stories/ashcombe-vision/quotes/leader-vision/image.png',
    )
    expect(quote.status).toBe(301)
    expect(quote.headers.location).toBe(`${QUOTE}/image.png`)
  })
})

describe('the card', () => {
  const library = () => t.content.current.library

  it('has a new version (so a new address) when what it shows changes, and only then', () => {
    const renderer = ogImageRenderer(t.app)
    const story = library().storyBySlug.get('ashcombe-vale-finds-its-vision')
    const quote = story?.quotes[0]
    if (story === undefined || quote === undefined) throw new Error('fixture missing')
    const version = (s: Story, q: Quote) => renderer.markup(quoteOgCard(s, q)).version
    expect(version(story, quote)).toBe(version(story, quote))
    expect(version(story, { ...quote, text: `${quote.text}!` })).not.toBe(version(story, quote))
    expect(version({ ...story, council: 'Elsewhere Council' }, quote)).not.toBe(
      version(story, quote),
    )
    expect(renderer.markup(storyOgCard({ ...story, title: 'Another title' })).version).not.toBe(
      renderer.markup(storyOgCard(story)).version,
    )
  })

  it('is laid out from views/og/card.njk, escaped', () => {
    const story = library().storyBySlug.get('ashcombe-vale-finds-its-vision')
    const quote = story?.quotes.find((q) => q.id === 'deputy-leader-awkward')
    if (story === undefined || quote === undefined) throw new Error('fixture missing')
    const { html } = ogImageRenderer(t.app).markup(quoteOgCard(story, quote))
    expect(html).toContain(`width: ${OG_IMAGE_WIDTH}px; height: ${OG_IMAGE_HEIGHT}px`)
    expect(html).toContain('&lt;/script&gt;&lt;script&gt;alert(1)')
    expect(html).not.toContain('<script>')
    expect(html).toContain('Deputy leader, Sam O&#39;Neill')
  })

  it('sets long text smaller, down to a legible floor, and cuts only the longest', () => {
    const sizes = [20, 80, 81, 140, 220, 300, 301, 1500].map(
      (n) => cardTextSize('x'.repeat(n), 'quote').fontSize,
    )
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a))
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(36)
    expect(cardTextSize('x'.repeat(1500), 'quote').maxLines).toBeGreaterThan(0)
    expect(cardTextSize('x'.repeat(120), 'title').fontSize).toBeGreaterThanOrEqual(48)
  })

  it('alt text gives a long quote shortened at a word, on one line', () => {
    expect(shorten('one two three four', 100)).toBe('one two three four')
    expect(shorten('one\ntwo  three', 100)).toBe('one two three')
    expect(shorten('alpha beta gamma delta epsilon', 20)).toBe('alpha beta gamma…')
    expect([...shorten('word '.repeat(400), 300)].length).toBeLessThanOrEqual(300)
  })
})

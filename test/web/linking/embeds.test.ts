import { readFileSync } from 'node:fs'
import request from 'supertest'
import { beforeAll, describe, expect, it } from 'vitest'
import { fromRoot } from '../../../src/paths.js'
import { createTestApp, type TestApp } from '../../helpers/app.js'

const BASE = 'https://stories.example.org'
const STORY = '/stories/ashcombe-vale-finds-its-vision'
const QUOTE = `${STORY}/quotes/leader-vision`
const EMBED = `/embed${QUOTE}`
const ORIGINS = ['https://www.lga.example', 'https://councils.example.net:8443']

let t: TestApp
beforeAll(async () => {
  t = await createTestApp({ EMBED_ORIGINS: ORIGINS.join(',') })
})

/** The directives of a Content-Security-Policy header, by name. */
function csp(header: unknown): Map<string, string[]> {
  const directives = new Map<string, string[]>()
  for (const part of String(header).split(';')) {
    const [name, ...values] = part.trim().split(/\s+/)
    if (name) directives.set(name, values)
  }
  return directives
}

describe('embed cards', () => {
  it('a quote card: the quote, who said it, and a link to the story; no chrome, one script of its own', async () => {
    const res = await request(t.app).get(EMBED)
    expect(res.status).toBe(200)
    expect(res.text).toContain('<p>The peers told us we had plans but no vision.')
    expect(res.text).toContain('<cite>Leader</cite>')
    expect(res.text).toContain('Ashcombe Vale District Council')
    expect(res.text).toContain(
      `href="${BASE}${STORY}#leader-vision" target="_blank" rel="noopener"`,
    )
    expect(res.text).toMatch(/<link rel="stylesheet" href="\/assets\/embed\.[0-9a-f]{12}\.css">/)
    // Only the external script that reports the card's height (the CSP allows no inline one).
    expect(res.text.match(/<script[^>]*>/g)).toEqual([
      expect.stringMatching(/^<script src="\/assets\/embed-card\.[0-9a-f]{12}\.js" defer>$/),
    ])
    expect(res.text).not.toContain('app-header')
    expect(res.text).not.toContain('/assets/app.')
    expect(res.headers['x-robots-tag']).toBe('noindex')
  })

  it('a story card: the title, council and summary', async () => {
    const res = await request(t.app).get(`/embed${STORY}`)
    expect(res.status).toBe(200)
    expect(res.text).toContain('<h1 class="app-embed__title">Ashcombe Vale finds its vision</h1>')
    expect(res.text).toContain('A hung council agreed a shared vision')
    expect(res.text.match(/<script[^>]*>/g)).toEqual([
      expect.stringMatching(/^<script src="\/assets\/embed-card\.[0-9a-f]{12}\.js" defer>$/),
    ])
  })

  it('may be framed by exactly the configured origins and this site', async () => {
    // The redirects from a story's former slug too: embed code pasted before a rename has them.
    for (const path of [
      EMBED,
      `/embed${STORY}`,
      '/embed/stories/ashcombe-vision',
      '/embed/stories/ashcombe-vision/quotes/leader-vision',
    ]) {
      const res = await request(t.app).get(path)
      const policy = csp(res.headers['content-security-policy'])
      expect(policy.get('frame-ancestors')).toEqual(["'self'", ...ORIGINS])
      // The rest of the policy is the site's own, word for word.
      const page = await request(t.app).get('/')
      const rest = (h: unknown) => [...csp(h)].filter(([name]) => name !== 'frame-ancestors')
      expect(rest(res.headers['content-security-policy'])).toEqual(
        rest(page.headers['content-security-policy']),
      )
      expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin')
      expect(res.headers['x-frame-options']).toBeUndefined()
    }
  })

  it.each(['/', STORY, QUOTE, '/stories', '/embed/stories/nope', '/api/stories'])(
    "%s keeps frame-ancestors 'self'",
    async (path) => {
      const res = await request(t.app).get(path)
      expect(csp(res.headers['content-security-policy']).get('frame-ancestors')).toEqual(["'self'"])
    },
  )

  it('with no EMBED_ORIGINS, only this site may frame a card', async () => {
    const plain = await createTestApp()
    const res = await request(plain.app).get(EMBED)
    expect(csp(res.headers['content-security-policy']).get('frame-ancestors')).toEqual(["'self'"])
  })

  it('the card stylesheet is served as a long-cached asset', async () => {
    const page = await request(t.app).get(EMBED)
    const href = /href="(\/assets\/embed\.[0-9a-f]+\.css)"/.exec(page.text)?.[1] ?? ''
    const css = await request(t.app).get(href)
    expect(css.status).toBe(200)
    expect(css.headers['content-type']).toMatch(/^text\/css/)
    expect(css.headers['cache-control']).toContain('immutable')
    const script = /src="(\/assets\/embed-card\.[0-9a-f]+\.js)"/.exec(page.text)?.[1] ?? ''
    const js = await request(t.app).get(script)
    expect(js.status).toBe(200)
    expect(js.headers['content-type']).toMatch(/^(text|application)\/javascript/)
    expect(js.headers['cache-control']).toContain('immutable')
  })
})

describe('/embed.js', () => {
  it('is the script of public/js/embed.js, for any site to load, cached for a day, not immutable', async () => {
    const res = await request(t.app).get('/embed.js')
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect(res.text).toBe(readFileSync(fromRoot('public', 'js', 'embed.js'), 'utf8'))
    expect(res.headers['cache-control']).toBe(
      'public, max-age=86400, stale-while-revalidate=604800',
    )
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin')
    expect(res.headers['x-content-type-options']).toBe('nosniff')
    // Revalidation is a 304.
    const etag = String(res.headers.etag)
    expect(etag).toMatch(/^"/)
    const again = await request(t.app).get('/embed.js').set('If-None-Match', etag)
    expect(again.status).toBe(304)
  })
})

describe('/oembed', () => {
  const oembed = (url: string, extra = '') =>
    request(t.app).get(`/oembed?url=${encodeURIComponent(url)}&format=json${extra}`)

  it('answers a rich oEmbed 1.0 response for a quote page', async () => {
    const res = await oembed(`${BASE}${QUOTE}`)
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(res.headers['access-control-allow-origin']).toBe('*')
    expect(res.body).toMatchObject({
      version: '1.0',
      type: 'rich',
      provider_name: 'Sector-led improvement stories',
      provider_url: `${BASE}/`,
      title: 'Quote from the leader, Ashcombe Vale District Council',
      author_name: 'Ashcombe Vale District Council',
      author_url: `${BASE}/councils/ashcombe-vale-district-council`,
      width: 560,
      cache_age: 86400,
    })
    expect(res.body.height).toBeGreaterThan(100)
    expect(res.body.html).toBe(
      `<iframe src="${BASE}${EMBED}" width="560" height="${res.body.height}" title="Quote from the leader, Ashcombe Vale District Council" loading="lazy" style="border:0;max-width:100%"></iframe>\n` +
        `<script async src="${BASE}/embed.js"></script>`,
    )
  })

  it('answers for a story, a story#quote, an alias, and forgives capitals and a trailing slash', async () => {
    const story = await oembed(`${BASE}${STORY}`)
    expect(story.status).toBe(200)
    expect(story.body.title).toBe('Ashcombe Vale finds its vision')
    expect(story.body.html).toContain(`src="${BASE}/embed${STORY}"`)

    const anchored = await oembed(`${BASE}${STORY}#chief-executive-complexity`)
    expect(anchored.body.html).toContain(
      `src="${BASE}/embed${STORY}/quotes/chief-executive-complexity"`,
    )

    const alias = await oembed(`${BASE}/stories/ashcombe-vision/quotes/leader-vision`)
    expect(alias.body.html).toContain(`src="${BASE}${EMBED}"`)

    const sloppy = await oembed(`${BASE}/Stories/Ashcombe-Vale-Finds-Its-Vision/`)
    expect(sloppy.body.html).toContain(`src="${BASE}/embed${STORY}"`)
  })

  it('escapes the title inside the iframe html', async () => {
    const res = await oembed(`${BASE}${STORY}/quotes/deputy-leader-awkward`)
    expect(res.body.html).toContain(
      'title="Quote from Sam O&#39;Neill, deputy leader, Ashcombe Vale District Council"',
    )
  })

  it('honours maxwidth and maxheight', async () => {
    const res = await oembed(`${BASE}${QUOTE}`, '&maxwidth=300&maxheight=150')
    expect(res.body.width).toBe(300)
    expect(res.body.height).toBe(150)
    expect(res.body.html).toContain('width="300" height="150"')
    // /embed.js fits the frame to the card, but never past the consumer's maxheight.
    expect(res.body.html).toContain('style="border:0;max-width:100%;max-height:150px"')
    const wide = await oembed(`${BASE}${QUOTE}`, '&maxwidth=2000&maxheight=abc')
    expect(wide.body.width).toBe(560)
    expect(wide.body.html).toContain('style="border:0;max-width:100%"')
  })

  it('format defaults to json; xml is 501', async () => {
    expect(
      (await request(t.app).get(`/oembed?url=${encodeURIComponent(BASE + QUOTE)}`)).status,
    ).toBe(200)
    const xml = await request(t.app).get(
      `/oembed?url=${encodeURIComponent(BASE + QUOTE)}&format=xml`,
    )
    expect(xml.status).toBe(501)
    expect(xml.body).toHaveProperty('error')
  })

  it('a missing url is 400', async () => {
    const res = await request(t.app).get('/oembed?format=json')
    expect(res.status).toBe(400)
    expect(res.body).toHaveProperty('error')
  })

  it.each([
    'https://elsewhere.example/stories/ashcombe-vale-finds-its-vision',
    'http://stories.example.org/stories/ashcombe-vale-finds-its-vision',
    'https://stories.example.org.evil.example/stories/ashcombe-vale-finds-its-vision',
    `${BASE}/stories/nope`,
    `${BASE}/stories/constructor`,
    `${BASE}/stories/kettlewick-draft-story`,
    `${BASE}${STORY}/quotes/nope`,
    `${BASE}/stories/ashcombe-vision/quotes/nope`,
    `${BASE}/themes/transformation`,
    `${BASE}/`,
    'not a url',
    'javascript:alert(1)',
  ])('%s is 404', async (url) => {
    const res = await oembed(url)
    expect(res.status).toBe(404)
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(res.body).toHaveProperty('error')
  })
})

import request from 'supertest'
import { beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../../helpers/app.js'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})

const BASE = 'https://stories.example.org'
const STORY = '/stories/ashcombe-vale-finds-its-vision'
const QUOTE = `${STORY}/quotes/chief-executive-complexity`

describe('quote pages', () => {
  it('show the quote, who said it, the council, the year and a way back into the story', async () => {
    const res = await request(t.app).get(QUOTE)
    expect(res.status).toBe(200)
    expect(res.text).toContain(
      '<h1 class="govuk-heading-l">Quote from Pat Example, chief executive</h1>',
    )
    expect(res.text).toMatch(
      /<blockquote class="app-quote__text"[^>]*>\s*<p>Working in no overall control is complex;/,
    )
    expect(res.text).toContain(
      '<cite class="app-quote__speaker">Chief executive, Pat Example</cite>',
    )
    expect(res.text).toContain('Corporate peer challenge, 2016')
    expect(res.text).toContain(`href="${STORY}#chief-executive-complexity"`)
    expect(res.text).toContain('href="/councils/ashcombe-vale-district-council"')
  })

  it('a quote without a name says the role', async () => {
    const res = await request(t.app).get(`${STORY}/quotes/leader-vision`)
    expect(res.text).toContain('Quote from the leader, Ashcombe Vale District Council')
    expect(res.text).toContain('<cite class="app-quote__speaker">Leader</cite>')
  })

  it('show the permanent link as text, marked for a copy button added by script', async () => {
    const res = await request(t.app).get(QUOTE)
    const url = `${BASE}${QUOTE}`
    expect(res.text).toContain(
      `<p class="govuk-body app-copy-link" data-app-copy="Copy link"><a class="govuk-link" href="${url}">${url}</a></p>`,
    )
    // No inline script: the button comes from the hashed app.js.
    expect(res.text).not.toMatch(/<script>|<script type="module">|onclick=/)
    expect(res.text).toMatch(
      /<script type="module" src="\/assets\/app\.[0-9a-f]{12}\.js"><\/script>/,
    )
  })

  it('offer a Harvard citation: council, year, title, library, URL and an accessed placeholder', async () => {
    const res = await request(t.app).get(QUOTE)
    expect(res.text).toContain(
      `Ashcombe Vale District Council (2019) <i>Ashcombe Vale finds its vision</i>. Sector-led improvement stories. Available at: ${BASE}${QUOTE} (Accessed: [date]).`,
    )
  })

  it('escape awkward quote text', async () => {
    const res = await request(t.app).get(`${STORY}/quotes/deputy-leader-awkward`)
    expect(res.status).toBe(200)
    expect(res.text).toContain('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(res.text).not.toContain('<script>alert(1)')
  })

  it('offer embed code only when some site may embed', async () => {
    expect((await request(t.app).get(QUOTE)).text).not.toContain('Show this quote on your site')
    const embedding = await createTestApp({ EMBED_ORIGINS: 'https://www.lga.example' })
    const res = await request(embedding.app).get(QUOTE)
    expect(res.text).toContain('Show this quote on your site')
    expect(res.text).toContain(
      `&lt;iframe src=&quot;${BASE}/embed/stories/ashcombe-vale-finds-its-vision/quotes/chief-executive-complexity&quot;`,
    )
    // The same code as oEmbed gives: the iframe, then the script that fits it to the card.
    const oembed = await request(embedding.app).get(
      `/oembed?url=${encodeURIComponent(`${BASE}${QUOTE}`)}`,
    )
    const code = /<pre class="app-embed-code"[^>]*><code>([^<]*)<\/code><\/pre>/.exec(res.text)?.[1]
    const unescaped = code
      ?.replaceAll('&lt;', '<')
      .replaceAll('&gt;', '>')
      .replaceAll('&quot;', '"')
      .replaceAll('&#39;', "'")
      .replaceAll('&amp;', '&')
    expect(unescaped).toBe(oembed.body.html)
    expect(unescaped).toContain(`\n<script async src="${BASE}/embed.js"></script>`)
  })
})

describe('story pages link to their quotes', () => {
  it('every quote keeps its id and links to its own page', async () => {
    const res = await request(t.app).get(STORY)
    for (const id of ['leader-vision', 'chief-executive-complexity', 'deputy-leader-awkward']) {
      expect(res.text).toContain(`<figure class="app-quote" id="${id}">`)
      expect(res.text).toContain(`href="${STORY}/quotes/${id}"`)
    }
  })
})

describe('permanent links', () => {
  it.each([
    ['/stories/ashcombe-vision', STORY],
    ['/stories/marrowby-commercial', '/stories/marrowby-goes-commercial'],
    ['/stories/ashcombe-vision/quotes/leader-vision', `${STORY}/quotes/leader-vision`],
    [
      '/stories/marrowby-commercial/quotes/leader-commercial',
      '/stories/marrowby-goes-commercial/quotes/leader-commercial',
    ],
    [
      '/embed/stories/ashcombe-vision/quotes/leader-vision',
      '/embed/stories/ashcombe-vale-finds-its-vision/quotes/leader-vision',
    ],
    ['/embed/stories/ashcombe-vision', '/embed/stories/ashcombe-vale-finds-its-vision'],
    ['/api/stories/ashcombe-vision', '/api/stories/ashcombe-vale-finds-its-vision'],
    // Capitals and trailing slashes are redirected first, then the alias.
    [
      '/Stories/Ashcombe-Vision/Quotes/Leader-Vision/',
      '/stories/ashcombe-vision/quotes/leader-vision',
    ],
  ])('%s answers 301 to %s', async (from, to) => {
    const res = await request(t.app).get(from)
    expect(res.status).toBe(301)
    expect(res.headers.location).toBe(to)
  })

  it('an alias of a draft leads nowhere outside development', async () => {
    expect((await request(t.app).get('/stories/kettlewick-old')).status).toBe(404)
    expect(
      (await request(t.app).get('/stories/kettlewick-draft-story/quotes/leader-draft')).status,
    ).toBe(404)
  })

  it.each([
    `${STORY}/quotes/nope`,
    `${STORY}/quotes/constructor`,
    `${STORY}/quotes/__proto__`,
    `${STORY}/quotes/leader-commercial`,
    '/stories/nope/quotes/leader-vision',
    '/stories/ashcombe-vision/quotes/nope',
    '/stories/constructor/quotes/leader-vision',
    '/embed/stories/nope',
    '/embed/stories/constructor',
    '/embed/stories/ashcombe-vale-finds-its-vision/quotes/nope',
    '/embed/stories/nope/quotes/leader-vision',
    '/embed/stories/ashcombe-vision/quotes/nope',
    '/themes/nope/feed.xml',
    '/themes/constructor/feed.xml',
  ])('%s is a 404 page', async (path) => {
    const res = await request(t.app).get(path)
    expect(res.status).toBe(404)
    expect(res.text).toContain('Page not found')
  })
})

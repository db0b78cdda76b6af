import request from 'supertest'
import { beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../helpers/app.js'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})

const STORY = '/stories/ashcombe-vale-finds-its-vision'

describe('pages', () => {
  it.each([
    ['/', 'How councils improve with help from their peers'],
    ['/stories', 'Stories'],
    [STORY, 'Ashcombe Vale finds its vision'],
    ['/councils', 'Councils'],
    ['/councils/ashcombe-vale-district-council', 'Ashcombe Vale District Council'],
    ['/themes', 'Themes'],
    ['/themes/vision-and-place', 'Vision and place-shaping'],
    ['/about', 'About the library'],
  ])('%s answers 200 with its heading, in the layout', async (path, heading) => {
    const res = await request(t.app).get(path)
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(res.text).toMatch(new RegExp(`<h1 class="govuk-heading-(xl|l)">${heading}</h1>`))
    expect(res.text).toContain('href="#main-content"')
    expect(res.text).toContain('The stories in this library are illustrative')
    expect(res.text).toContain('<form class="app-header-search" action="/search"')
    expect(res.text).not.toMatch(/GOV\.UK|govuk-header__logo|crown/i)
  })

  it.each([
    ['/stories', 'Stories', 'page'],
    [STORY, 'Stories', 'true'],
    ['/themes', 'Themes', 'page'],
    ['/themes/vision-and-place', 'Themes', 'true'],
    ['/councils/ashcombe-vale-district-council', 'Councils', 'true'],
    ['/about', 'About', 'page'],
    ['/', undefined, undefined],
  ])(
    "%s: govuk-frontend's service navigation marks %s (aria-current=%s)",
    async (path, section, current) => {
      const res = await request(t.app).get(path)
      const nav =
        /<nav aria-label="Main" class="govuk-service-navigation__wrapper">[\s\S]*?<\/nav>/.exec(
          res.text,
        )?.[0]
      expect(nav).toBeDefined()
      const links = [
        ...(nav ?? '').matchAll(
          /<a class="govuk-service-navigation__link" href="([^"]+)"([^>]*)>/g,
        ),
      ].map((m) => ({ href: m[1], current: /aria-current="([^"]+)"/.exec(m[2] ?? '')?.[1] }))
      expect(links.map((l) => l.href)).toEqual([
        '/stories',
        '/themes',
        '/councils',
        '/search',
        '/about',
      ])
      const marked = links.filter((l) => l.current !== undefined)
      expect(marked).toEqual(
        section === undefined ? [] : [{ href: `/${section.toLowerCase()}`, current }],
      )
    },
  )

  it('home page shows latest stories, themes and regions', async () => {
    const res = await request(t.app).get('/')
    expect(res.text).toContain('href="/stories/marrowby-goes-commercial"')
    expect(res.text).toContain('href="/themes/transformation"')
    expect(res.text).toContain('href="/stories?region=north-west"')
  })

  it('story page has the summary list, impacts, narrative and every quote with its anchor', async () => {
    const res = await request(t.app).get(STORY)
    expect(res.text).toContain(
      '<title>Ashcombe Vale finds its vision – Sector-led improvement stories</title>',
    )
    expect(res.text).toContain('No overall control')
    expect(res.text).toContain('Corporate peer challenge, 2016')
    expect(res.text).toContain('5 March 2019')
    expect(res.text).toContain('10 January 2020')
    expect(res.text).toContain('<li>A cross-party board for the high street</li>')
    expect(res.text).toContain('<h3 class="govuk-heading-m">What the council faced</h3>')
    expect(res.text).toContain('id="leader-vision"')
    // "Link to this quote" goes to the quote's own page; the anchor stays on the quote.
    expect(res.text).toContain(
      'href="/stories/ashcombe-vale-finds-its-vision/quotes/leader-vision"',
    )
    expect(res.text).toContain('Chief executive, Pat Example')
    expect(res.text).toMatch(/<blockquote class="app-quote__text">\s*<p>The peers told us/)
  })

  it('related stories share themes', async () => {
    // Marrowby shares no theme with Ashcombe Vale; the draft is not served.
    const res = await request(t.app).get(STORY)
    expect(res.text).not.toContain('Related stories')
  })

  it('script and javascript: links in Markdown do not reach the page', async () => {
    const res = await request(t.app).get('/stories/marrowby-goes-commercial')
    expect(res.status).toBe(200)
    expect(res.text).not.toContain("alert('x')")
    expect(res.text).not.toContain('javascript:')
    expect(res.text).not.toContain('onerror')
    expect(res.text).toContain('href="https://www.example.org/report"')
  })

  it('escapes text from content', async () => {
    const res = await request(t.app).get('/stories/marrowby-goes-commercial')
    expect(res.text).toContain('Pen-y-Môr')
  })

  it('drafts are 404 outside development and served in development', async () => {
    expect((await request(t.app).get('/stories/kettlewick-draft-story')).status).toBe(404)
    const dev = await createTestApp({ NODE_ENV: 'development' })
    expect((await request(dev.app).get('/stories/kettlewick-draft-story')).status).toBe(200)
  })

  it('council page lists its stories; theme page lists stories and tagged quotes', async () => {
    const council = await request(t.app).get('/councils/marrowby-metropolitan-borough-council')
    expect(council.text).toContain('href="/stories/marrowby-goes-commercial"')
    const theme = await request(t.app).get('/themes/commercial-approach')
    expect(theme.text).toContain('href="/stories/marrowby-goes-commercial"')
    expect(theme.text).toContain('href="/stories/marrowby-goes-commercial#leader-commercial"')
    // Repeated quotes do not repeat the story page's ids.
    expect(theme.text).not.toContain('id="leader-commercial"')
  })
})

describe('not found and errors', () => {
  it.each([
    '/nope',
    '/stories/nope',
    '/stories/constructor',
    '/stories/__proto__',
    '/stories/has.dot',
    '/councils/nope',
    '/themes/nope',
    '/themes/constructor',
  ])('%s is a 404 page in the layout', async (path) => {
    const res = await request(t.app).get(path)
    expect(res.status).toBe(404)
    expect(res.text).toContain('Page not found')
    expect(res.text).toContain('class="app-header"')
  })

  it('an alias answers 301 to the current slug', async () => {
    const res = await request(t.app).get('/stories/ashcombe-vision')
    expect(res.status).toBe(301)
    expect(res.headers.location).toBe('/stories/ashcombe-vale-finds-its-vision')
  })

  it.each([
    ['/Stories/Ashcombe-Vale-Finds-Its-Vision', STORY],
    [`${STORY}/`, STORY],
    ['/stories/?theme=transformation', '/stories?theme=transformation'],
    ['//evil.example/', '/evil.example'],
  ])('%s redirects to the canonical %s', async (from, to) => {
    const res = await request(t.app).get(from)
    expect(res.status).toBe(301)
    expect(res.headers.location).toBe(to)
  })

  it('a malformed percent-encoding is a 400 page', async () => {
    const res = await request(t.app).get('/%E0%A4%A')
    expect(res.status).toBe(400)
    expect(res.text).toContain('Bad request')
    expect(res.text).not.toMatch(/URIError|node_modules|at \w+ \(/)
  })

  it('other methods are 405 with Allow', async () => {
    const res = await request(t.app).post('/stories')
    expect(res.status).toBe(405)
    expect(res.headers.allow).toBe('GET, HEAD')
  })
})

import request from 'supertest'
import { beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../../helpers/app.js'
import { jsonLdBlocks, linkHref, metaContent, title } from '../../helpers/html.js'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})

const BASE = 'https://stories.example.org'
const STORY = '/stories/ashcombe-vale-finds-its-vision'

describe('every page can be shared', () => {
  it.each([
    ['/', 'Sector-led improvement stories', 'website'],
    ['/stories', 'Stories – Sector-led improvement stories', 'website'],
    [STORY, 'Ashcombe Vale finds its vision – Sector-led improvement stories', 'article'],
    [
      `${STORY}/quotes/leader-vision`,
      'Quote from the leader, Ashcombe Vale District Council – Sector-led improvement stories',
      'article',
    ],
    ['/themes', 'Themes – Sector-led improvement stories', 'website'],
    [
      '/themes/vision-and-place',
      'Vision and place-shaping – Sector-led improvement stories',
      'website',
    ],
    ['/councils', 'Councils – Sector-led improvement stories', 'website'],
    [
      '/councils/ashcombe-vale-district-council',
      'Ashcombe Vale District Council – Sector-led improvement stories',
      'website',
    ],
    ['/about', 'About the library – Sector-led improvement stories', 'website'],
  ])(
    '%s has a title, description, canonical URL, Open Graph and Twitter tags',
    async (path, fullTitle, type) => {
      const res = await request(t.app).get(path)
      expect(res.status).toBe(200)
      const html = res.text
      expect(title(html)).toBe(fullTitle)
      const description = metaContent(html, 'description')
      expect(description?.length).toBeGreaterThan(20)
      expect(linkHref(html, 'canonical')).toBe(`${BASE}${path === '/' ? '/' : path}`)
      expect(metaContent(html, 'og:url')).toBe(linkHref(html, 'canonical'))
      expect(metaContent(html, 'og:title')).toBe(
        fullTitle.replace(/( – )?Sector-led improvement stories$/, '') ||
          'Sector-led improvement stories',
      )
      expect(metaContent(html, 'og:description')).toBe(description)
      expect(metaContent(html, 'og:type')).toBe(type)
      expect(metaContent(html, 'og:site_name')).toBe('Sector-led improvement stories')
      expect(metaContent(html, 'og:locale')).toBe('en_GB')
      // Stories and quotes have a picture (test/web/linking/og-image.test.ts).
      expect(metaContent(html, 'twitter:card')).toBe(
        type === 'article' ? 'summary_large_image' : 'summary',
      )
      expect(metaContent(html, 'twitter:title')).toBe(metaContent(html, 'og:title'))
      expect(metaContent(html, 'twitter:description')).toBe(description)
      // Every page advertises the site's feed; a list, search or theme names its own first.
      expect(html).toContain(
        `<link rel="alternate" type="application/atom+xml" href="${BASE}/feed.xml" title="Sector-led improvement stories: latest stories">`,
      )
    },
  )

  it('a quote page describes itself with the quote', async () => {
    const res = await request(t.app).get(`${STORY}/quotes/chief-executive-complexity`)
    expect(metaContent(res.text, 'og:description')).toBe(
      'Working in no overall control is complex; the peer challenge gave us a neutral space to agree priorities.',
    )
  })

  it('a story page describes itself with its summary and dates', async () => {
    const res = await request(t.app).get(STORY)
    expect(metaContent(res.text, 'description')).toBe(
      'A hung council agreed a shared vision for its place after a corporate peer challenge.',
    )
    expect(metaContent(res.text, 'article:published_time')).toBe('2019-03-05')
    expect(metaContent(res.text, 'article:modified_time')).toBe('2020-01-10')
  })

  it('the canonical URL of a list keeps its filters in a fixed order and drops nonsense', async () => {
    const res = await request(t.app).get('/stories?year=2016&theme=vision-and-place&theme=nope&x=1')
    expect(linkHref(res.text, 'canonical')).toBe(`${BASE}/stories?theme=vision-and-place&year=2016`)
  })

  it('error pages claim no canonical URL', async () => {
    const res = await request(t.app).get('/stories/nope')
    expect(res.status).toBe(404)
    expect(linkHref(res.text, 'canonical')).toBeUndefined()
  })

  it('story and quote pages advertise oEmbed; theme pages their own feed', async () => {
    const story = await request(t.app).get(STORY)
    expect(linkHref(story.text, 'alternate', 'application/json+oembed')).toBe(
      `${BASE}/oembed?url=${encodeURIComponent(`${BASE}${STORY}`)}&format=json`,
    )
    expect(story.text).toMatch(
      /<link rel="alternate" type="application\/json\+oembed" href="[^"]+" title="Ashcombe Vale finds its vision">/,
    )
    const quote = await request(t.app).get(`${STORY}/quotes/leader-vision`)
    expect(linkHref(quote.text, 'alternate', 'application/json+oembed')).toBe(
      `${BASE}/oembed?url=${encodeURIComponent(`${BASE}${STORY}/quotes/leader-vision`)}&format=json`,
    )
    const theme = await request(t.app).get('/themes/transformation')
    expect(theme.text).toContain(
      `<link rel="alternate" type="application/atom+xml" href="${BASE}/themes/transformation/feed.xml"`,
    )
    expect(linkHref(theme.text, 'alternate', 'application/json+oembed')).toBeUndefined()
  })
})

describe('JSON-LD', () => {
  it('a story is an Article about a GovernmentOrganization', async () => {
    const res = await request(t.app).get(STORY)
    const blocks = jsonLdBlocks(res.text)
    expect(blocks).toHaveLength(1)
    const data = JSON.parse(blocks[0] ?? '')
    expect(data).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'Article',
      url: `${BASE}${STORY}`,
      headline: 'Ashcombe Vale finds its vision',
      datePublished: '2019-03-05',
      dateModified: '2020-01-10',
      about: { '@type': 'GovernmentOrganization', name: 'Ashcombe Vale District Council' },
    })
  })

  it('a quote is a Quotation by a person at the council, part of the story', async () => {
    const res = await request(t.app).get(`${STORY}/quotes/chief-executive-complexity`)
    const data = JSON.parse(jsonLdBlocks(res.text)[0] ?? '')
    expect(data).toMatchObject({
      '@type': 'Quotation',
      text: 'Working in no overall control is complex; the peer challenge gave us a neutral space to agree priorities.',
      creator: {
        '@type': 'Person',
        name: 'Pat Example',
        jobTitle: 'Chief executive',
        worksFor: { '@type': 'GovernmentOrganization', name: 'Ashcombe Vale District Council' },
      },
      isPartOf: { '@type': 'Article', '@id': `${BASE}${STORY}` },
    })
  })

  it('content cannot break out of the script element', async () => {
    const res = await request(t.app).get(`${STORY}/quotes/deputy-leader-awkward`)
    const blocks = jsonLdBlocks(res.text)
    expect(blocks).toHaveLength(1)
    const raw = blocks[0] ?? ''
    expect(raw).not.toMatch(/<|>|&/)
    const data = JSON.parse(raw)
    expect(data.text).toBe(
      'We said "yes, at once", and then, after a long night, "we\'ll write it down".\nNext line: </script><script>alert(1)</script> <!-- & ]]> too.',
    )
    // The page has no other script than its two files and this data block.
    expect(res.text.match(/<script/g)).toHaveLength(3)
  })

  it('pages other than stories and quotes have none', async () => {
    const res = await request(t.app).get('/stories')
    expect(jsonLdBlocks(res.text)).toHaveLength(0)
  })
})

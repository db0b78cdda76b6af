import { parse } from 'csv-parse/sync'
import request from 'supertest'
import { beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../../helpers/app.js'

const BASE = 'https://stories.example.org'
const ASHCOMBE = 'ashcombe-vale-finds-its-vision'
const MARROWBY = 'marrowby-goes-commercial'
const AWKWARD =
  'We said "yes, at once", and then, after a long night, "we\'ll write it down".\nNext line: </script><script>alert(1)</script> <!-- & ]]> too.'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})

/** The raw bytes of a response, whatever its type. */
async function raw(path: string): Promise<{ res: request.Response; bytes: Buffer }> {
  const res = await request(t.app)
    .get(path)
    .buffer(true)
    .parse((r, cb) => {
      const chunks: Buffer[] = []
      r.on('data', (c: Buffer) => chunks.push(c))
      r.on('end', () => cb(null, Buffer.concat(chunks)))
    })
  return { res, bytes: res.body as Buffer }
}

describe('/api/stories', () => {
  it('lists published stories with the documented fields, pagination and links', async () => {
    const res = await request(t.app).get('/api/stories')
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(res.headers['access-control-allow-origin']).toBe('*')
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin')
    expect(res.body.data.map((s: { slug: string }) => s.slug)).toEqual([MARROWBY, ASHCOMBE])
    expect(res.body.meta).toEqual({
      total: 2,
      page: 1,
      totalPages: 1,
      pageSize: 20,
      sort: 'newest',
      filters: { theme: [], region: [], councilType: [], control: [], challenge: [], year: [] },
    })
    expect(res.body.links).toEqual({
      self: `${BASE}/api/stories`,
      first: `${BASE}/api/stories`,
      last: `${BASE}/api/stories`,
      prev: null,
      next: null,
      html: `${BASE}/stories`,
      storiesCsv: `${BASE}/stories.csv`,
      quotesCsv: `${BASE}/quotes.csv`,
    })
    expect(res.body.data[1]).toEqual({
      slug: ASHCOMBE,
      title: 'Ashcombe Vale finds its vision',
      url: `${BASE}/stories/${ASHCOMBE}`,
      apiUrl: `${BASE}/api/stories/${ASHCOMBE}`,
      council: {
        slug: 'ashcombe-vale-district-council',
        name: 'Ashcombe Vale District Council',
        url: `${BASE}/councils/ashcombe-vale-district-council`,
      },
      councilType: { value: 'district', label: 'District council' },
      region: { value: 'south-west', label: 'South West' },
      politicalControl: { value: 'no-overall-control', label: 'No overall control' },
      challenge: { type: { value: 'corporate', label: 'Corporate peer challenge' }, year: 2016 },
      themes: ['vision-and-place', 'political-leadership'],
      summary:
        'A hung council agreed a shared vision for its place after a corporate peer challenge.',
      published: '2019-03-05',
      updated: '2020-01-10',
      quoteCount: 3,
    })
  })

  it.each([
    ['theme=vision-and-place', [ASHCOMBE]],
    ['region=north-west', [MARROWBY]],
    ['year=2016&year=2018', [MARROWBY, ASHCOMBE]],
    ['sort=oldest', [ASHCOMBE, MARROWBY]],
    ['theme=transformation&region=south-west', []],
    ['theme=nonsense&page=abc&sort=../../x', [MARROWBY, ASHCOMBE]],
  ])('filters and sorts like /stories: ?%s', async (query, slugs) => {
    const res = await request(t.app).get(`/api/stories?${query}`)
    expect(res.status).toBe(200)
    expect(res.body.data.map((s: { slug: string }) => s.slug)).toEqual(slugs)
  })

  it('links keep the filters, in a fixed order', async () => {
    const res = await request(t.app).get(
      '/api/stories?year=2016&sort=oldest&theme=vision-and-place',
    )
    expect(res.body.meta.filters.theme).toEqual(['vision-and-place'])
    expect(res.body.meta.sort).toBe('oldest')
    expect(res.body.links.self).toBe(
      `${BASE}/api/stories?theme=vision-and-place&year=2016&sort=oldest`,
    )
    expect(res.body.links.storiesCsv).toBe(
      `${BASE}/stories.csv?theme=vision-and-place&year=2016&sort=oldest`,
    )
  })
})

describe('/api/stories/:slug', () => {
  it('gives the whole story, with quotes and the narrative, and nothing internal', async () => {
    const res = await request(t.app).get(`/api/stories/${ASHCOMBE}`)
    expect(res.status).toBe(200)
    expect(res.headers['access-control-allow-origin']).toBe('*')
    const story = res.body.data
    expect(story.impacts).toEqual([
      'A shared vision agreed by all three groups',
      'A cross-party board for the high street',
      'A new partnership with the county',
    ])
    expect(story.reportUrl).toBeNull()
    expect(story.quotes[1]).toEqual({
      id: 'chief-executive-complexity',
      text: 'Working in no overall control is complex; the peer challenge gave us a neutral space to agree priorities.',
      speaker: { value: 'chief-executive', label: 'Chief executive' },
      name: 'Pat Example',
      theme: 'political-leadership',
      url: `${BASE}/stories/${ASHCOMBE}/quotes/chief-executive-complexity`,
      urlInStory: `${BASE}/stories/${ASHCOMBE}#chief-executive-complexity`,
      embedUrl: `${BASE}/embed/stories/${ASHCOMBE}/quotes/chief-executive-complexity`,
    })
    expect(story.quotes[2].text).toBe(AWKWARD)
    expect(story.narrativeHtml).toContain('<strong>three groups</strong>')
    expect(story.narrativeText).toContain('Ashcombe Vale had three groups and no majority.')
    const json = JSON.stringify(res.body)
    for (const internal of [
      'sourcePath',
      'bodyMarkdown',
      'bodyHtml',
      'bodyText',
      'draft',
      'aliases',
      '.md',
      'storySlug',
    ]) {
      expect(json).not.toContain(internal)
    }
  })

  it('leaves out what a story does not have, as null', async () => {
    const res = await request(t.app).get(`/api/stories/${MARROWBY}`)
    expect(res.body.data.updated).toBeNull()
    expect(res.body.data.quotes[0].name).toBeNull()
    expect(res.body.data.narrativeHtml).not.toContain('<script')
  })

  it.each([
    '/api/stories/nope',
    '/api/stories/constructor',
    '/api/stories/__proto__',
    '/api/stories/kettlewick-draft-story',
    '/api/stories/kettlewick-old',
    '/api/stories/has.dot',
    '/api/nope',
    '/api/themes/nope',
  ])('%s is a JSON 404', async (path) => {
    const res = await request(t.app).get(path)
    expect(res.status).toBe(404)
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(res.headers['access-control-allow-origin']).toBe('*')
    expect(res.body).toEqual({ error: 'Not found' })
  })
})

describe('/api/themes and /api/councils', () => {
  it('lists themes with their published story counts', async () => {
    const res = await request(t.app).get('/api/themes')
    expect(res.status).toBe(200)
    expect(res.headers['access-control-allow-origin']).toBe('*')
    expect(res.body.data).toContainEqual({
      slug: 'transformation',
      title: 'Transformation',
      description: 'Re-booting change programmes that had stalled.',
      url: `${BASE}/themes/transformation`,
      feedUrl: `${BASE}/themes/transformation/feed.xml`,
      storyCount: 1,
      storiesApiUrl: `${BASE}/api/stories?theme=transformation`,
    })
  })

  it('lists councils with their published stories', async () => {
    const res = await request(t.app).get('/api/councils')
    expect(res.status).toBe(200)
    expect(res.body.data.map((c: { slug: string }) => c.slug)).toEqual([
      'ashcombe-vale-district-council',
      'marrowby-metropolitan-borough-council',
    ])
    expect(res.body.data[0]).toEqual({
      slug: 'ashcombe-vale-district-council',
      name: 'Ashcombe Vale District Council',
      url: `${BASE}/councils/ashcombe-vale-district-council`,
      councilType: { value: 'district', label: 'District council' },
      region: { value: 'south-west', label: 'South West' },
      storyCount: 1,
      stories: [
        {
          slug: ASHCOMBE,
          title: 'Ashcombe Vale finds its vision',
          url: `${BASE}/stories/${ASHCOMBE}`,
          apiUrl: `${BASE}/api/stories/${ASHCOMBE}`,
        },
      ],
    })
  })

  it('/api lists the endpoints', async () => {
    const res = await request(t.app).get('/api')
    expect(res.body.links.stories).toBe(`${BASE}/api/stories`)
  })
})

describe('CSV downloads', () => {
  const BOM = Buffer.from([0xef, 0xbb, 0xbf])

  it('/quotes.csv round-trips commas, double quotes and line breaks', async () => {
    const { res, bytes } = await raw('/quotes.csv')
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8')
    expect(res.headers['content-disposition']).toBe('attachment; filename=quotes.csv')
    expect(res.headers['access-control-allow-origin']).toBe('*')
    expect(bytes.subarray(0, 3).equals(BOM)).toBe(true)
    const rows = parse(bytes, { bom: true, columns: true }) as Record<string, string>[]
    expect(rows).toHaveLength(5)
    const awkward = rows.find((r) => r.quote_id === 'deputy-leader-awkward')
    expect(awkward).toEqual({
      story_slug: ASHCOMBE,
      story_title: 'Ashcombe Vale finds its vision',
      council: 'Ashcombe Vale District Council',
      challenge_type: 'Corporate peer challenge',
      challenge_year: '2016',
      quote_id: 'deputy-leader-awkward',
      speaker: 'Deputy leader',
      name: "Sam O'Neill",
      text: AWKWARD,
      theme: '',
      url: `${BASE}/stories/${ASHCOMBE}/quotes/deputy-leader-awkward`,
      url_in_story: `${BASE}/stories/${ASHCOMBE}#deputy-leader-awkward`,
    })
    expect(rows.find((r) => r.quote_id === 'leader-commercial')?.text).toBe(
      'We had to become more commercial without losing sight of residents in Pen-y-Môr.',
    )
  })

  it('/stories.csv has one row per matching story, all of them, with the same filters as /stories', async () => {
    const { res, bytes } = await raw('/stories.csv?region=south-west')
    expect(res.headers['content-disposition']).toBe('attachment; filename=stories.csv')
    const rows = parse(bytes, { bom: true, columns: true }) as Record<string, string>[]
    expect(rows.map((r) => r.slug)).toEqual([ASHCOMBE])
    expect(rows[0]).toMatchObject({
      title: 'Ashcombe Vale finds its vision',
      council_type: 'District council',
      region: 'South West',
      political_control: 'No overall control',
      challenge_type: 'Corporate peer challenge',
      challenge_year: '2016',
      themes: 'Vision and place-shaping; Political leadership and no overall control',
      impacts:
        'A shared vision agreed by all three groups; A cross-party board for the high street; A new partnership with the county',
      quote_count: '3',
      published: '2019-03-05',
      updated: '2020-01-10',
      url: `${BASE}/stories/${ASHCOMBE}`,
    })
    const all = parse((await raw('/stories.csv?sort=oldest&page=2')).bytes, {
      bom: true,
      columns: true,
    }) as Record<string, string>[]
    expect(all.map((r) => r.slug)).toEqual([ASHCOMBE, MARROWBY])
  })

  it('/quotes.csv follows the filters too; an empty result still has its header row', async () => {
    const { bytes } = await raw('/quotes.csv?region=north-west')
    const rows = parse(bytes, { bom: true, columns: true }) as Record<string, string>[]
    expect(rows.map((r) => r.quote_id)).toEqual([
      'leader-commercial',
      'chief-executive-transformation',
    ])
    const empty = (await raw('/stories.csv?theme=transformation&region=south-west')).bytes
    expect(empty.toString('utf8')).toMatch(/^\uFEFFslug,title,council,/)
    expect(parse(empty, { bom: true, columns: true })).toEqual([])
  })

  it('the /stories page links to the downloads for its current filters', async () => {
    const res = await request(t.app).get('/stories?region=north-west&sort=oldest')
    expect(res.text).toContain(
      'href="/stories.csv?region=north-west&amp;sort=oldest" download>Download these stories as CSV</a>',
    )
    expect(res.text).toContain('href="/quotes.csv?region=north-west&amp;sort=oldest"')
    expect(res.text).toContain('href="/api/stories?region=north-west&amp;sort=oldest"')
  })
})

import request from 'supertest'
import { beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../helpers/app.js'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})

const search = (query: string) => request(t.app).get(`/search?${query}`)
const summary = (html: string): string =>
  (/<p class="app-result-summary" role="status">([\s\S]*?)<\/p>/.exec(html)?.[1] ?? '')
    .replace(/\s+/g, ' ')
    .trim()
/** Links to quotes in their stories, in page order: each quote result's heading is its story. */
const quoteLinks = (html: string): string[] =>
  [
    ...html.matchAll(
      /<h3 class="app-quote__story"><a class="govuk-link" href="(\/stories\/[a-z0-9-]+#[a-z0-9-]+)">[^<]+<\/a><\/h3>\s*<figure class="app-quote">/g,
    ),
  ].map((m) => m[1] ?? '')
const storyLinks = (html: string): string[] =>
  [
    ...html.matchAll(
      /<h3 class="app-card__title"><a class="govuk-link" href="\/stories\/([a-z0-9-]+)"/g,
    ),
  ].map((m) => m[1] ?? '')

describe('/search', () => {
  it('without words shows the form and themes, not "no results"', async () => {
    const res = await request(t.app).get('/search')
    expect(res.status).toBe(200)
    expect(res.text).toContain(
      '<title>Search stories and quotes – Sector-led improvement stories</title>',
    )
    expect(res.text).toContain('id="app-search-q"')
    expect(res.text).not.toContain('No results')
    expect(res.text).toContain('href="/themes/transformation"')
  })

  it('puts quotes first, with marks, speaker, council and a link to the quote in its story', async () => {
    const res = await search('q=overall')
    expect(res.status).toBe(200)
    expect(summary(res.text)).toBe('3 results for “overall”: 2 quotes and 1 story.')
    expect(res.text).toContain(
      '<title>Search: overall (3 results) – Sector-led improvement stories</title>',
    )
    expect(quoteLinks(res.text).sort()).toEqual([
      '/stories/ashcombe-vale-finds-its-vision#chief-executive-complexity',
      '/stories/ashcombe-vale-finds-its-vision#leader-vision',
    ])
    expect(res.text).toContain('With no <mark>overall</mark> control, we needed one story')
    expect(res.text).toMatch(
      /<cite class="app-quote__speaker">Leader<\/cite>, Ashcombe Vale District Council/,
    )
    const quotesAt = res.text.indexOf('<h2 class="govuk-heading-m">Quotes</h2>')
    expect(quotesAt).toBeGreaterThan(-1)
    expect(quotesAt).toBeLessThan(res.text.indexOf('<h2 class="govuk-heading-m">Stories</h2>'))
    expect(storyLinks(res.text)).toEqual(['ashcombe-vale-finds-its-vision'])
    // The header search box keeps the words.
    expect(res.text).toMatch(/id="app-header-search" name="q" type="search" value="overall"/)
  })

  it('story results have a highlighted title and snippet', async () => {
    const res = await search('q=commercial')
    expect(res.text).toContain('Marrowby takes a <mark>commercial</mark> approach')
    expect(res.text).toMatch(/<p class="app-card__summary">[^<]*<mark>commercial<\/mark>/)
  })

  it('lists results with every word first, then those with some, each naming what it lacks', async () => {
    const all = await search('q=commercial+transformation')
    expect(summary(all.text)).toMatch(/ 1 has all of your words\.$/)
    expect(all.text).not.toContain('No result has all of your words')
    // No quote has both words: the page starts with the quotes having one, under their heading.
    expect(all.text).not.toContain('<h2 class="govuk-heading-m">Quotes</h2>')
    const partial = all.text.indexOf('>Quotes with some of your words</h2>')
    expect(partial).toBeGreaterThan(0)
    expect(all.text.slice(partial)).toMatch(
      /<p class="app-missing">Missing: <span class="app-missing__word">(commercial|transformation)<\/span><\/p>/,
    )
    const any = await search('q=commercial+vision')
    expect(any.text).toContain('No result has all of your words')
    expect(summary(any.text)).toMatch(/quote.*None has all of your words\.$/)
  })

  it('exact phrases and exclusions', async () => {
    const phrase = await search(`q=${encodeURIComponent('"no overall control"')}`)
    expect(quoteLinks(phrase.text).sort()).toEqual([
      '/stories/ashcombe-vale-finds-its-vision#chief-executive-complexity',
      '/stories/ashcombe-vale-finds-its-vision#leader-vision',
    ])
    expect(phrase.text).toContain('<mark>no overall control</mark>')
    const wrongOrder = await search(`q=${encodeURIComponent('"control overall"')}`)
    expect(summary(wrongOrder.text)).toContain('No results')
    const excluded = await search('q=transformation+-stalled')
    expect(quoteLinks(excluded.text)).toEqual([])
    const kept = await search('q=transformation')
    expect(quoteLinks(kept.text)).toContain(
      '/stories/marrowby-goes-commercial#chief-executive-transformation',
    )
  })

  it('folds accents and hyphens both ways', async () => {
    for (const q of ['Pen-y-Môr', 'pen-y-mor', 'pen y mor', 'penymor']) {
      const res = await search(`q=${encodeURIComponent(q)}`)
      expect(quoteLinks(res.text), q).toEqual([
        '/stories/marrowby-goes-commercial#leader-commercial',
      ])
    }
  })

  it('combines filters with the words, and counts options for the words', async () => {
    const res = await search('q=council&region=north-west')
    expect(res.status).toBe(200)
    for (const link of quoteLinks(res.text))
      expect(link).toMatch(/^\/stories\/marrowby-goes-commercial#/)
    expect(res.text).toMatch(/value="north-west" checked>/)
    const none = await search('q=overall&region=north-west')
    expect(summary(none.text)).toBe('No results for “overall” with these filters.')
    expect(none.text).toContain('Search again without filters')
  })

  it('a speaker filter shows quotes only, and counts speakers', async () => {
    const res = await search('q=council&speaker=chief-executive')
    expect(storyLinks(res.text)).toEqual([])
    expect(res.text).toContain('A speaker is chosen, so only quotes are shown.')
    expect(res.text).toMatch(
      /value="chief-executive" checked>\s*<label[^>]*>\s*Chief executive <span class="app-filters__count">\(\d+\)/,
    )
  })

  it('offers a "did you mean" that finds results', async () => {
    const res = await search('q=overal')
    expect(summary(res.text)).toBe('No results for “overal”.')
    const link = /Did you mean <a class="govuk-link" href="([^"]+)">overall<\/a>\?/.exec(res.text)
    expect(link?.[1]).toBe('/search?q=overall')
    const followed = await request(t.app).get(link?.[1] ?? '')
    expect(summary(followed.text)).toMatch(/^3 results/)
  })

  it('offers it above partial results too, when no result has every word', async () => {
    const res = await search('q=overal+council')
    expect(summary(res.text)).toMatch(/None has all of your words\.$/)
    expect(res.text).toMatch(
      /Did you mean <a class="govuk-link" href="[^"]+">overall council<\/a>\?/,
    )
  })

  it('says when the words were cut, and which were not searched', async () => {
    const long = 'overall '.repeat(60)
    const res = await search(`q=${encodeURIComponent(long)}`)
    expect(res.text).toContain('Your search was longer than 200 characters')
    const stop = await search('q=the+overall')
    expect(stop.text).toMatch(/Not searched for:\s*“the” \(too common to search for\)/)
  })

  it('sorts by newest when asked', async () => {
    const res = await search('q=council&sort=newest')
    const stories = storyLinks(res.text)
    expect(stories[0]).toBe('marrowby-goes-commercial')
    expect(res.text).toMatch(/<option value="newest" selected>/)
  })

  it('never shows drafts', async () => {
    const res = await search('q=draft')
    expect(res.text).not.toContain('kettlewick')
  })

  it.each([
    'q=a&q=b',
    'q[]=x',
    'q[x]=y',
    'page=-1&q=council',
    'sort[]=x&q=council',
    'speaker=nobody&q=council',
  ])('copes with %s', async (query) => {
    const res = await search(query)
    expect(res.status).toBe(200)
  })
})

interface FacetJson {
  value: string
  count: number
}

describe('/api/search', () => {
  it('returns the same results as the page, as JSON, readable from any origin', async () => {
    const res = await request(t.app).get('/api/search?q=overall')
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(res.headers['access-control-allow-origin']).toBe('*')
    const body = res.body as {
      data: { type: string; url: string; textHtml?: string; snippetHtml?: string }[]
      meta: Record<string, unknown>
      links: Record<string, string | null>
    }
    expect(body.data.map((d) => d.type)).toEqual(['quote', 'quote', 'story'])
    expect(body.data[0]?.textHtml).toContain('<mark>overall</mark>')
    // The story matched on a theme title, so its snippet is the start of its summary.
    expect(body.data[2]?.snippetHtml).toMatch(/^A hung council/)
    expect(body.meta).toMatchObject({
      query: 'overall',
      total: 3,
      quoteTotal: 2,
      storyTotal: 1,
      page: 1,
      totalPages: 1,
      pageSize: 20,
      sort: 'relevance',
      relaxed: false,
      truncated: false,
    })
    expect(body.links.html).toBe('https://stories.example.org/search?q=overall')
    expect(body.links.next).toBeNull()
  })

  it('takes the same filters', async () => {
    const res = await request(t.app).get('/api/search?q=council&speaker=leader&region=north-west')
    const body = res.body as {
      data: { type: string; speaker: { value: string } }[]
      meta: { filters: unknown }
    }
    expect(body.data.every((d) => d.type === 'quote' && d.speaker.value === 'leader')).toBe(true)
    expect(body.meta.filters).toMatchObject({ region: ['north-west'], speaker: ['leader'] })
  })

  it('marks partial results: the words each has and lacks, and whether any lack some', async () => {
    const res = await request(t.app).get('/api/search?q=council+vision+overall')
    const body = res.body as {
      data: { type: string; matched: string[]; missing: string[] }[]
      meta: Record<string, unknown>
    }
    expect(body.meta).toMatchObject({
      partial: true,
      relaxed: false,
      words: ['council', 'vision', 'overall'],
      quoteTotal: 2,
      quoteFullTotal: 1,
      storyTotal: 1,
      storyFullTotal: 1,
    })
    expect(body.data.map((d) => [d.type, d.matched, d.missing])).toEqual([
      ['quote', ['council', 'vision', 'overall'], []],
      ['quote', ['council', 'overall'], ['vision']],
      ['story', ['council', 'vision', 'overall'], []],
    ])
    const strict = await request(t.app).get('/api/search?q=overall')
    expect(strict.body).toMatchObject({ meta: { partial: false, words: ['overall'] } })
  })

  it('counts partial results in the facets: each count is what ticking the option gives', async () => {
    for (const q of [
      'council vision overall',
      'commercial transformation',
      'leader vision budget',
    ]) {
      const res = await request(t.app).get(`/api/search?q=${encodeURIComponent(q)}`)
      const { facets } = (res.body as { meta: { facets: Record<string, FacetJson[]> } }).meta
      for (const [param, options] of Object.entries(facets)) {
        for (const option of options) {
          const ticked = await request(t.app).get(
            `/api/search?q=${encodeURIComponent(q)}&${param}=${option.value}`,
          )
          const { total } = (ticked.body as { meta: { total: number } }).meta
          expect(total, `${q}: ${param}=${option.value}`).toBe(option.count)
        }
      }
    }
  })

  it('suggests corrections when nothing matches', async () => {
    const res = await request(t.app).get('/api/search?q=overal')
    expect(res.body).toMatchObject({
      data: [],
      meta: {
        total: 0,
        suggestions: [{ query: 'overall', url: 'https://stories.example.org/search?q=overall' }],
      },
    })
  })
})

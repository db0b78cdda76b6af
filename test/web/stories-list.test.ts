import request from 'supertest'
import { beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../helpers/app.js'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})

const listed = (html: string): string[] =>
  [
    ...html.matchAll(
      /<h2 class="app-card__title">\s*<a class="govuk-link" href="\/stories\/([a-z0-9-]+)"/g,
    ),
  ].map((m) => m[1] ?? '')

describe('/stories', () => {
  it('lists published stories newest first, not drafts', async () => {
    const res = await request(t.app).get('/stories')
    expect(listed(res.text)).toEqual(['marrowby-goes-commercial', 'ashcombe-vale-finds-its-vision'])
    expect(res.text).toContain('2 stories')
  })

  it.each([
    ['theme=vision-and-place', ['ashcombe-vale-finds-its-vision']],
    [
      'theme=vision-and-place&theme=commercial-approach',
      ['marrowby-goes-commercial', 'ashcombe-vale-finds-its-vision'],
    ],
    ['region=north-west', ['marrowby-goes-commercial']],
    ['councilType=district', ['ashcombe-vale-finds-its-vision']],
    ['control=labour', ['marrowby-goes-commercial']],
    ['challenge=finance', ['marrowby-goes-commercial']],
    ['year=2016', ['ashcombe-vale-finds-its-vision']],
    ['theme=transformation&region=south-west', []],
    ['theme=transformation&region=north-west&year=2018', ['marrowby-goes-commercial']],
    ['sort=oldest', ['ashcombe-vale-finds-its-vision', 'marrowby-goes-commercial']],
    ['sort=council', ['ashcombe-vale-finds-its-vision', 'marrowby-goes-commercial']],
    // Nonsense is ignored, never a 500.
    ['theme=nonsense', ['marrowby-goes-commercial', 'ashcombe-vale-finds-its-vision']],
    [
      'theme[]=x&region[x]=y&page=abc&sort=../../etc',
      ['marrowby-goes-commercial', 'ashcombe-vale-finds-its-vision'],
    ],
    ['page=99999', ['marrowby-goes-commercial', 'ashcombe-vale-finds-its-vision']],
    ['year=2016&year=2016&year=1900', ['ashcombe-vale-finds-its-vision']],
  ])('?%s lists %j', async (query, expected) => {
    const res = await request(t.app).get(`/stories?${query}`)
    expect(res.status).toBe(200)
    expect(listed(res.text)).toEqual(expected)
  })

  it('shows counts per option, disjunctive within a filter', async () => {
    const res = await request(t.app).get('/stories?region=north-west')
    // Both regions keep their counts while one is ticked…
    expect(res.text).toMatch(
      /value="north-west" checked>\s*<label[^>]*>\s*North West <span class="app-filters__count">\(1\)<\/span>/,
    )
    expect(res.text).toMatch(
      /value="south-west">\s*<label[^>]*>\s*South West <span class="app-filters__count">\(1\)<\/span>/,
    )
    // …while other filters count within the selection.
    expect(res.text).toMatch(
      /value="finance">\s*<label[^>]*>\s*Finance peer challenge <span class="app-filters__count">\(1\)<\/span>/,
    )
    expect(res.text).not.toContain('value="corporate"')
  })

  it('offers links to remove each selected filter', async () => {
    const res = await request(t.app).get('/stories?region=north-west&year=2018')
    expect(res.text).toContain('href="/stories?year=2018"')
    expect(res.text).toContain('href="/stories?region=north-west"')
    expect(res.text).toContain('Clear all filters')
  })
})

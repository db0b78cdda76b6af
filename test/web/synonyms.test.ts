import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadSiteContent, type SiteContentStats } from '../../src/site/load.js'
import { runSearch } from '../../src/web/search-results.js'
import { createTestApp, FIXTURE_CONTENT, type TestApp } from '../helpers/app.js'

/*
 * The fixture content's synonyms.yml has [NOC, no overall control]: the search page says what it
 * also searched for, and /api/search reports it in `meta.expansions`.
 */

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})

const alsoSearched = (html: string): string | undefined =>
  /<p class="govuk-body-s" id="app-also-searched">([\s\S]*?)<\/p>/.exec(html)?.[1]

describe('/search with a synonym', () => {
  it('finds the quotes that write it out, marks them, and says it also searched for it', async () => {
    const res = await request(t.app).get('/search?q=NOC')
    expect(res.status).toBe(200)
    expect(alsoSearched(res.text)).toBe('Also searched for: no overall control')
    expect(res.text).toContain('<mark>no overall control</mark>')
    const phrase = await request(t.app).get(
      `/search?q=${encodeURIComponent('"no overall control"')}`,
    )
    const count = (html: string) => /(\d+) results? for/.exec(html)?.[1]
    expect(count(res.text)).toBe(count(phrase.text))
    expect(Number(count(res.text))).toBeGreaterThan(0)
  })

  it('says nothing when no word has a synonym', async () => {
    const res = await request(t.app).get('/search?q=overall')
    expect(alsoSearched(res.text)).toBeUndefined()
  })

  it('names each term when several were expanded', async () => {
    const res = await request(t.app).get('/search?q=NOC+CPC')
    expect(alsoSearched(res.text)).toBe(
      'Also searched for: no overall control (for NOC); corporate peer challenge (for CPC)',
    )
  })
})

describe('/api/search with a synonym', () => {
  it('reports the expansions in meta', async () => {
    const res = await request(t.app).get('/api/search?q=NOC')
    const body = res.body as { data: unknown[]; meta: { expansions: unknown; total: number } }
    expect(body.meta.expansions).toEqual([{ term: 'NOC', alsoSearched: ['no overall control'] }])
    expect(body.meta.total).toBeGreaterThan(0)
    const none = await request(t.app).get('/api/search?q=overall')
    expect((none.body as { meta: { expansions: unknown } }).meta.expansions).toEqual([])
  })
})

describe('a changed synonyms.yml', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'synonyms-reload-'))
  afterAll(() => rmSync(root, { recursive: true, force: true }))

  it('is taken up by a reload with the same search index (no re-index)', async () => {
    const contentDir = path.join(root, 'content')
    const cacheDir = path.join(root, 'cache')
    cpSync(FIXTURE_CONTENT, contentDir, { recursive: true })
    const load = async () => {
      const stats: SiteContentStats = { content: {}, search: {} }
      const site = await loadSiteContent({ contentDir, dev: false, cacheDir }, stats)
      return { site, source: stats.search.source }
    }
    const first = await load()
    expect(first.source).toBe('built')
    expect(runSearch(first.site, { q: 'hung' }).outcome.expansions).toEqual([])
    writeFileSync(
      path.join(contentDir, 'synonyms.yml'),
      '- [NOC, no overall control]\n- [hung, no overall control]\n',
    )
    const second = await load()
    expect(second.source).toBe('loaded')
    const outcome = runSearch(second.site, { q: 'hung' }).outcome
    expect(outcome.expansions).toEqual([{ term: 'hung', alsoSearched: ['no overall control'] }])
  })
})

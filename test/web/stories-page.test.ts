import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Express } from 'express'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeCorpus } from '../../scripts/generate-corpus.js'
import { createApp } from '../../src/app.js'
import { loadConfig, type Config } from '../../src/config.js'
import { loadSiteContent } from '../../src/site/load.js'
import { ContentState } from '../../src/site/state.js'
import { createLogger } from '../../src/logger.js'
import { fromRoot } from '../../src/paths.js'
import { FIXTURE_CONTENT } from '../helpers/app.js'

/**
 * /stories over many filters, sorts and pages and hostile query strings: over the fixture
 * content (drafts, two stories), the bundled stories, and a generated corpus of 130 stories
 * (seven pages) whose theme titles were made hostile. Every answer is a page, with nothing
 * from the request or the content unescaped, and the page cache (on in these apps, as in
 * production) gives the same page as rendering it.
 */

const BASE_URL = 'https://stories.example.org'
const HOSTILE_THEME = `Transformation <script>alert("x")</script> & 'co' \\ done`

const QUERIES = [
  '',
  'theme=transformation',
  'theme=transformation&region=london',
  'theme=political-leadership&region=north-west',
  'theme=financial-sustainability&councilType=district',
  'region=east-midlands&control=labour',
  'councilType=unitary&control=no-overall-control',
  'theme=vision-and-place&theme=commercial-approach',
  'theme=vision-and-place&councilType=county&sort=council',
  'year=2016',
  'year=2016&year=2016&year=1900',
  'challenge=finance&control=labour&region=north-west',
  'sort=oldest',
  'sort=council',
  'sort=council&page=2',
  'page=2',
  'page=3&sort=oldest',
  'page=7',
  'page=5',
  'page=4',
  'sort=oldest&page=6',
  'page=99999',
  'page=0',
  'page=-1',
  'page=abc',
  'theme=transformation&page=2',
  'theme=transformation&region=south-west',
  'theme=nonsense',
  'theme[]=x&region[x]=y&page=abc&sort=../../etc',
  'theme=%3Cscript%3Ealert(1)%3C%2Fscript%3E&region=%22%3E%3Cimg%20src%3Dx%3E',
  'sort=%27%3E%3Csvg%20onload%3Dalert(1)%3E&page=%26amp%3B',
  'theme=transformation%00&region=%E2%80%AE',
  'q=%3Cb%3E&theme=transformation&sort=newest',
  'region=london&region=london&region=north-west&sort=oldest&page=2',
]

interface Site {
  name: string
  app: Express
  content: ContentState
  config: Config
}

const sites: Site[] = []
let generated: string

async function site(name: string, contentDir: string): Promise<Site> {
  const config = loadConfig({
    NODE_ENV: 'test',
    CONTENT_DIR: contentDir,
    LOG_LEVEL: 'silent',
    BASE_URL,
    CACHE_DIR: '',
  })
  const content = new ContentState(await loadSiteContent(config))
  return {
    name,
    app: createApp({ config, content, logger: createLogger(config) }),
    content,
    config,
  }
}

beforeAll(async () => {
  generated = mkdtempSync(path.join(tmpdir(), 'stories-page-'))
  writeCorpus(generated, { count: 130, seed: 7 })
  const themes = path.join(generated, 'themes.yml')
  const yaml = readFileSync(themes, 'utf8')
  expect(yaml).toContain('title: Transformation\n')
  writeFileSync(
    themes,
    yaml.replace('title: Transformation\n', `title: ${JSON.stringify(HOSTILE_THEME)}\n`),
  )
  sites.push(await site('fixtures', FIXTURE_CONTENT))
  sites.push(await site('bundled', fromRoot('content')))
  sites.push(await site('generated', generated))
})

afterAll(() => {
  rmSync(generated, { recursive: true, force: true })
})

async function served(s: Site, query: string): Promise<string> {
  const res = await request(s.app).get(query === '' ? '/stories' : `/stories?${query}`)
  expect(res.status).toBe(200)
  expect(res.headers['content-type']).toBe('text/html; charset=utf-8')
  return res.text
}

/** Markup that must never come through from a query string or a theme title. */
const UNESCAPED = /<script>alert|<img src=x>|<svg onload|<\/script>"/

describe('/stories, over many query strings', () => {
  it.each(['fixtures', 'bundled', 'generated'])('over the %s content', async (name) => {
    const s = sites.find((x) => x.name === name) as Site
    for (const query of QUERIES) {
      const html = await served(s, query)
      expect({ query, unescaped: UNESCAPED.exec(html)?.[0] }).toEqual({
        query,
        unescaped: undefined,
      })
      expect(html).toContain('<h1 class="govuk-heading-xl">Stories</h1>')
      expect(html).toContain('<form class="app-filters" method="get" action="/stories"')
      // Asked again (from the page cache), the same page.
      expect(await served(s, query)).toBe(html)
    }
  })

  it('covers what it claims: pages, empty lists, selections and hostile labels', async () => {
    const s = sites.find((x) => x.name === 'generated') as Site
    const many = await served(s, 'sort=council&page=2')
    expect(many).toContain('<nav class="govuk-pagination"')
    expect(many).toContain('<title>Stories, page 2 of 7 – ')
    expect(many).toContain(
      'rel="canonical" href="https://stories.example.org/stories?sort=council&amp;page=2"',
    )
    const filtered = await served(s, 'theme=transformation&page=2')
    expect(filtered).toContain(
      'Transformation &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39; &#92; done',
    )
    expect(filtered).toContain('<h2 class="govuk-heading-s">Filtered by</h2>')
    expect(filtered).not.toContain('<script>alert')
    const none = await served(s, 'theme=transformation&region=south-west&year=2016')
    expect(none).toContain('No stories match these filters.')
  })

  it('shows the problems of a failed reload, and drops them after a good one', async () => {
    const s = await site('fixtures again', FIXTURE_CONTENT)
    const before = await served(s, 'region=north-west')
    s.content.reportProblems(['stories/x.md:3: title: <b>bad</b> & "worse"'])
    const withProblems = await served(s, 'region=north-west')
    expect(withProblems).toContain('The content has problems')
    expect(withProblems).toContain('&lt;b&gt;bad&lt;/b&gt; &amp; &quot;worse&quot;')
    s.content.replace(s.content.current)
    expect(await served(s, 'region=north-west')).toBe(before)
  })

  it('answers HEAD with the headers of GET and no body', async () => {
    const s = sites[0] as Site
    const get = await request(s.app)
      .get('/stories?region=north-west')
      .set('Accept-Encoding', 'identity')
    const head = await request(s.app).head('/stories?region=north-west')
    expect(head.status).toBe(200)
    expect(head.headers.etag).toBe(get.headers.etag)
    expect(head.headers['content-length']).toBe(get.headers['content-length'])
    expect(head.text ?? '').toBe('')
  })
})

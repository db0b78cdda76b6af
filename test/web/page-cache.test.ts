import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import express from 'express'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { loadSiteContent } from '../../src/content/index.js'
import { ContentState } from '../../src/content/state.js'
import { PageCache } from '../../src/web/page-cache.js'
import { createTestApp, FIXTURE_CONTENT } from '../helpers/app.js'

/** Story pages are rendered once per content snapshot and served as the same bytes after. */
describe('story page cache', () => {
  const path = '/stories/ashcombe-vale-finds-its-vision'

  it('serves the same bytes and ETag as the first render; 304 when fresh', async () => {
    const { app } = await createTestApp()
    const first = await request(app).get(path)
    const second = await request(app).get(path).set('Accept-Encoding', 'identity')
    expect(second.status).toBe(200)
    expect(second.text).toBe(first.text)
    expect(second.headers.etag).toBe(first.headers.etag)
    expect(second.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(second.headers['content-length']).toBe(String(Buffer.byteLength(first.text)))
    const fresh = await request(app).get(path).set('If-None-Match', String(first.headers.etag))
    expect(fresh.status).toBe(304)
    expect(fresh.text).toBe('')
  })

  it('a new content snapshot or new problems to show empty it', async () => {
    const { app, content } = await createTestApp()
    const before = await request(app).get(path)
    content.reportProblems(['content/stories/x.md:3: title: is required'])
    const withProblems = await request(app).get(path)
    expect(withProblems.text).toContain('title: is required')
    expect(withProblems.headers.etag).not.toBe(before.headers.etag)
    content.replace(
      await loadSiteContent({ contentDir: FIXTURE_CONTENT, dev: false, cacheDir: undefined }),
    )
    const after = await request(app).get(path)
    expect(after.text).toBe(before.text)
    expect(after.text).not.toContain('title: is required')
  })

  it('keeps at most its byte budget, dropping the least recently used', async () => {
    const content = new ContentState(
      await loadSiteContent({ contentDir: FIXTURE_CONTENT, dev: false, cacheDir: undefined }),
    )
    const cache = new PageCache(content, 25)
    const app = express()
    let renders = 0
    app.engine('txt', (_file, options, done) => {
      renders++
      done(null, String((options as { text: string }).text))
    })
    app.set('view engine', 'txt')
    const views = mkdtempSync(join(tmpdir(), 'page-cache-'))
    writeFileSync(join(views, 'page.txt'), '')
    app.set('views', views)
    app.get('/:key', (req, res, next) => {
      cache.send(req, res, next, req.params.key, 'page', () => ({
        text: req.params.key.repeat(10),
      }))
    })
    for (const key of ['a', 'b', 'a', 'c', 'a']) await request(app).get(`/${key}`)
    // 10 bytes each, 25 allowed: a, b, then c pushes out b (a was used more recently).
    expect(renders).toBe(3)
    expect(cache.size).toBe(2)
    await request(app).get('/b')
    expect(renders).toBe(4)
    rmSync(views, { recursive: true })
  })
})

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import compression from 'compression'
import express from 'express'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { loadSiteContent } from '../../src/site/load.js'
import { ContentState } from '../../src/site/state.js'
import { PageCache } from '../../src/web/page-cache.js'
import { createTestApp, FIXTURE_CONTENT } from '../helpers/app.js'
import { rawClient, type RawResponse } from '../helpers/raw-http.js'

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

  describe('compressed once per encoding', () => {
    /** A cache with one page of `size` bytes at /page, behind compression() as in the app. */
    async function cachedPageApp(size = 5000, cacheControl = 'public, max-age=300') {
      const content = new ContentState(
        await loadSiteContent({ contentDir: FIXTURE_CONTENT, dev: false, cacheDir: undefined }),
      )
      const cache = new PageCache(content)
      const app = express()
      app.set('etag', 'strong')
      app.use(compression())
      app.engine('txt', (_file, options, done) => {
        done(null, String((options as { text: string }).text))
      })
      app.set('view engine', 'txt')
      const views = mkdtempSync(join(tmpdir(), 'page-cache-'))
      writeFileSync(join(views, 'page.txt'), '')
      app.set('views', views)
      const text = `<!DOCTYPE html><p>${'peer challenge '.repeat(size / 15)}`.slice(0, size)
      app.get('/page', (req, res, next) => {
        res.set('Cache-Control', cacheControl)
        cache.send(req, res, next, 'page', 'page', () => ({ text }))
      })
      // The same page, compressed by compression() as before the cache kept compressed bodies.
      app.get('/live', (_req, res) => {
        res.set('Cache-Control', cacheControl).type('html').send(text)
      })
      const client = await rawClient(app)
      return {
        cache,
        text,
        client,
        async close() {
          await client.close()
          rmSync(views, { recursive: true })
        },
      }
    }
    const headerNames = (res: RawResponse) => Object.keys(res.headers).filter((n) => n !== 'date')

    it('brotli and gzip bodies decode to the page, with the headers compression() sends', async () => {
      const { cache, text, client, close } = await cachedPageApp()
      for (const [accept, decode] of [
        ['br', brotliDecompressSync],
        ['gzip', gunzipSync],
      ] as const) {
        const cached = await client.send('GET', '/page', { 'Accept-Encoding': accept })
        const again = await client.send('GET', '/page', { 'Accept-Encoding': accept })
        const live = await client.send('GET', '/live', { 'Accept-Encoding': accept })
        expect(cached.headers['content-encoding']).toBe(accept)
        expect(cached.headers.vary).toBe('Accept-Encoding')
        expect(cached.headers['content-length']).toBeUndefined()
        expect(decode(cached.body).toString()).toBe(text)
        expect(again.body.equals(cached.body)).toBe(true)
        // compression() keeps the ETag of the uncompressed body.
        expect(cached.headers.etag).toBe(live.headers.etag)
        expect(headerNames(cached)).toEqual(headerNames(live))
        expect(cached.body.equals(live.body)).toBe(true)
      }
      expect(cache.compressedBodies).toBe(2)
      await close()
    })

    it('HEAD, a 304, deflate and identity are answered as before, and nothing is kept for them', async () => {
      const { cache, client, close } = await cachedPageApp()
      const cases: [string, Record<string, string>][] = [
        ['HEAD', { 'Accept-Encoding': 'br' }],
        ['GET', { 'Accept-Encoding': 'deflate' }],
        ['GET', { 'Accept-Encoding': 'identity' }],
        ['GET', {}],
      ]
      const { etag } = (await client.send('GET', '/live')).headers
      cases.push(['GET', { 'Accept-Encoding': 'gzip, br', 'If-None-Match': String(etag) }])
      for (const [method, headers] of cases) {
        const cached = await client.send(method, '/page', headers)
        const live = await client.send(method, '/live', headers)
        expect(cached.status, `${method} ${JSON.stringify(headers)}`).toBe(live.status)
        expect(cached.headers['content-encoding']).toBe(live.headers['content-encoding'])
        expect(cached.headers['content-length']).toBe(live.headers['content-length'])
        expect(headerNames(cached)).toEqual(headerNames(live))
        expect(cached.body.equals(live.body)).toBe(true)
      }
      expect(cache.compressedBodies).toBe(0)
      await close()
    })

    it('a small page or Cache-Control: no-transform is never compressed', async () => {
      for (const [size, cacheControl] of [
        [500, 'public'],
        [5000, 'public, no-transform'],
      ] as const) {
        const { cache, client, close } = await cachedPageApp(size, cacheControl)
        const res = await client.send('GET', '/page', { 'Accept-Encoding': 'br' })
        expect(res.headers['content-encoding']).toBeUndefined()
        expect(cache.compressedBodies).toBe(0)
        await close()
      }
    })
  })
})

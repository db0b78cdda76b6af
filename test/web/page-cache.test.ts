import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import express from 'express'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.js'
import { loadSiteContent } from '../../src/site/load.js'
import { ContentState } from '../../src/site/state.js'
import { compressionWhenAccepted } from '../../src/web/compression.js'
import { PageCache } from '../../src/web/page-cache.js'
import { createTestApp, FIXTURE_CONTENT } from '../helpers/app.js'
import { rawClient, type RawClient, type RawResponse } from '../helpers/raw-http.js'

/** Headers in the order they were sent, without the one that differs by the clock. */
const headerList = (res: RawResponse) => Object.entries(res.headers).filter(([n]) => n !== 'date')

const fixtureState = async () =>
  new ContentState(
    await loadSiteContent({ contentDir: FIXTURE_CONTENT, dev: false, cacheDir: undefined }),
  )

/**
 * A small app with the cache (unless maxBytes is undefined) in front of routes that count their renders: one per path, the
 * page `size` bytes of text; /png an image, /feed.xml an Atom feed, /json JSON, /gone a 404, /embed a page whose route
 * changes a header the middleware before it set and adds one.
 */
async function cachedApp(maxBytes: number | undefined, size = 5000) {
  const content = await fixtureState()
  const cache = new PageCache(content, maxBytes ?? 0)
  const renders = new Map<string, number>()
  const count = (path: string) => renders.set(path, (renders.get(path) ?? 0) + 1)
  const app = express()
  app.set('etag', 'strong')
  app.use(compressionWhenAccepted())
  app.use((_req, res, next) => {
    res.set('Cache-Control', 'public, max-age=300')
    res.set('Content-Security-Policy', "frame-ancestors 'self'")
    next()
  })
  if (maxBytes !== undefined) app.use(cache.handle)
  const text = (key: string) =>
    `<!DOCTYPE html><p>${key} ${'peer challenge '.repeat(size / 15)}`.slice(0, size)
  app.get('/embed', (req, res) => {
    count(req.url)
    res.set('Content-Security-Policy', 'frame-ancestors https://a.example')
    res.set('X-Robots-Tag', 'noindex')
    res.type('html').send(text('embed'))
  })
  app.get('/png', (req, res) => {
    count(req.url)
    res.type('png').send(Buffer.alloc(4096, 7))
  })
  app.get('/feed.xml', (req, res) => {
    count(req.url)
    res.type('application/atom+xml; charset=utf-8').send(`<feed>${text('feed')}</feed>`)
  })
  app.get('/json', (req, res) => {
    count(req.url)
    res.json({ ok: true })
  })
  app.get('/gone', (req, res) => {
    count(req.url)
    res.status(404).type('html').send(text('gone'))
  })
  app.get('/:key', (req, res) => {
    count(req.url)
    res.type('html').send(text(`${req.params.key} ${JSON.stringify(req.query)}`))
  })
  return { app, cache, content, renders }
}

describe('the page cache', () => {
  it('keeps 200 HTML, images and feeds; not JSON, errors or other methods', async () => {
    const { app, cache, renders } = await cachedApp(1024 * 1024)
    const paths = ['/a', '/png', '/feed.xml', '/json', '/gone']
    for (const path of [...paths, ...paths]) await request(app).get(path)
    expect(Object.fromEntries(renders)).toEqual({
      '/a': 1,
      '/png': 1,
      '/feed.xml': 1,
      '/json': 2,
      '/gone': 2,
    })
    expect(cache.size).toBe(3)
    await request(app).post('/a')
    expect(cache.size).toBe(3)
  })

  it('shares one entry between equivalent query strings, and not between different ones', async () => {
    const { app, renders } = await cachedApp(1024 * 1024)
    const same = ['/a?x=1&y=2', '/a?y=2&x=1', '/a?x=%31&y=2', '/a?y=2&x=1&']
    const bodies = new Set<string>()
    for (const path of same) bodies.add((await request(app).get(path)).text)
    expect(bodies.size).toBe(1)
    for (const path of ['/a?x=1&x=2', '/a?x=2&x=1', '/a?x=1', '/a']) await request(app).get(path)
    expect([...renders.values()].reduce((a, b) => a + b)).toBe(5)
  })

  it('keeps at most its byte budget, dropping the least recently used', async () => {
    // Each page is 5,000 bytes and a little more for its key and headers.
    const { app, cache, renders } = await cachedApp(12_000)
    const get = (path: string, encoding = 'identity') =>
      request(app).get(path).set('Accept-Encoding', encoding)
    for (const key of ['a', 'b', 'a', 'c', 'a']) await get(`/${key}`)
    // a, b, then c pushes out b (a was used more recently).
    expect(Object.fromEntries(renders)).toEqual({ '/a': 1, '/b': 1, '/c': 1 })
    expect(cache.size).toBe(2)
    expect(cache.bytes).toBeLessThanOrEqual(12_000)
    await get('/b')
    expect(renders.get('/b')).toBe(2)
    // Compressed bodies count too.
    const before = cache.bytes
    await get('/b', 'br')
    await get('/b', 'gzip')
    expect(cache.compressedBodies).toBe(2)
    expect(cache.bytes).toBeGreaterThan(before)
    expect(cache.bytes).toBeLessThanOrEqual(12_000)
  })

  it('a new content snapshot or new problems to show empty it', async () => {
    const { app, cache, content } = await cachedApp(1024 * 1024)
    await request(app).get('/a')
    expect(cache.size).toBe(1)
    content.reportProblems(['content/stories/x.md:3: title: is required'])
    expect(cache.size).toBe(0)
    await request(app).get('/a')
    content.replace(await fixtureState().then((s) => s.current))
    expect(cache.size).toBe(0)
  })

  describe('answers as the route does', () => {
    let live: RawClient
    let cached: RawClient
    let compressed: () => number
    beforeAll(async () => {
      // The same routes without the cache, and with it.
      live = await rawClient((await cachedApp(undefined)).app)
      const b = await cachedApp(1024 * 1024)
      cached = await rawClient(b.app)
      compressed = () => b.cache.compressedBodies
    })
    afterAll(async () => {
      await live.close()
      await cached.close()
    })

    const cases: [string, string, Record<string, string>][] = [
      ['GET', '/page', {}],
      ['GET', '/page', { 'Accept-Encoding': 'br' }],
      ['GET', '/page', { 'Accept-Encoding': 'gzip' }],
      ['GET', '/page', { 'Accept-Encoding': 'gzip, deflate, br' }],
      ['GET', '/page', { 'Accept-Encoding': 'deflate' }],
      ['GET', '/page', { 'Accept-Encoding': 'identity' }],
      ['HEAD', '/page', { 'Accept-Encoding': 'br' }],
      ['GET', '/embed', { 'Accept-Encoding': 'br' }],
      ['GET', '/embed', {}],
      ['GET', '/png', { 'Accept-Encoding': 'br' }],
      ['GET', '/png', {}],
    ]
    it.each(cases)(
      '%s %s %j: the same status, headers and bytes',
      async (method, path, headers) => {
        // Twice: the first fills the cache, the second is served from it.
        for (let i = 0; i < 2; i++) {
          const a = await live.send(method, path, headers)
          const b = await cached.send(method, path, headers)
          expect(b.status).toBe(a.status)
          expect(headerList(b)).toEqual(headerList(a))
          expect(b.body.equals(a.body)).toBe(true)
        }
      },
    )

    it('a fresh If-None-Match is a 304, as rendering gives', async () => {
      const { etag } = (await live.send('GET', '/page')).headers
      for (const headers of [{}, { 'Accept-Encoding': 'gzip, br' }] as Record<string, string>[]) {
        const a = await live.send('GET', '/page', { ...headers, 'If-None-Match': String(etag) })
        const b = await cached.send('GET', '/page', { ...headers, 'If-None-Match': String(etag) })
        expect(b.status).toBe(304)
        expect(headerList(b)).toEqual(headerList(a))
        expect(b.body.length).toBe(0)
      }
    })

    it('keeps brotli and gzip bodies that decode to the page; never compresses an image', async () => {
      const plain = await cached.send('GET', '/page')
      const br = await cached.send('GET', '/page', { 'Accept-Encoding': 'br' })
      const gzip = await cached.send('GET', '/page', { 'Accept-Encoding': 'gzip' })
      expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true)
      expect(gunzipSync(gzip.body).equals(plain.body)).toBe(true)
      const png = await cached.send('GET', '/png', { 'Accept-Encoding': 'br' })
      expect(png.headers['content-type']).toBe('image/png')
      expect(png.headers['content-encoding']).toBeUndefined()
      // /page in brotli and gzip, /embed in brotli (the cases above); nothing for the image.
      expect(compressed()).toBe(3)
    })
  })
})

describe('the page cache in the app', () => {
  it('is on by default and off with PAGE_CACHE_MB=0: the same pages either way', async () => {
    expect(loadConfig({}).pageCacheBytes).toBe(64 * 1024 * 1024)
    expect(loadConfig({ NODE_ENV: 'development' }).pageCacheBytes).toBe(0)
    expect(loadConfig({ PAGE_CACHE_MB: '0.5' }).pageCacheBytes).toBe(512 * 1024)
    expect(() => loadConfig({ PAGE_CACHE_MB: '-1' })).toThrow(/PAGE_CACHE_MB/)
    expect(() => loadConfig({ PAGE_CACHE_MB: 'lots' })).toThrow(/PAGE_CACHE_MB/)
    const on = await rawClient((await createTestApp()).app)
    const off = await rawClient((await createTestApp({ PAGE_CACHE_MB: '0' })).app)
    try {
      for (const path of [
        '/',
        '/stories?region=north-west',
        '/stories/ashcombe-vale-finds-its-vision',
        '/search?q=peers',
        '/themes/transformation',
        '/nope',
        '/feed.xml',
        '/stories/feed.xml?region=north-west&theme=transformation',
        '/stories/feed.xml?theme=transformation&region=north-west',
        '/search/feed.xml?q=peers&speaker=leader',
        '/stories/feed.xml?region=atlantis',
      ]) {
        for (let i = 0; i < 2; i++) {
          for (const headers of [{}, { 'Accept-Encoding': 'br' }] as Record<string, string>[]) {
            const a = await off.send('GET', path, headers)
            const b = await on.send('GET', path, headers)
            expect(b.status, path).toBe(a.status)
            expect(headerList(b), path).toEqual(headerList(a))
            expect(b.body.equals(a.body), path).toBe(true)
          }
        }
      }
    } finally {
      await on.close()
      await off.close()
    }
  })
})

import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PAGE_CACHE_CONTROL } from '../../src/web/caching.js'
import { readAssetManifest } from '../../src/web/asset-manifest.js'
import { createTestApp } from '../helpers/app.js'
import { createBrokenApp } from '../helpers/broken-app.js'
import { rawClient, type RawClient } from '../helpers/raw-http.js'
import { expectSecurityHeaders } from '../helpers/security.js'

let client: RawClient
let broken: RawClient
beforeAll(async () => {
  client = await rawClient((await createTestApp()).app)
  broken = await rawClient(createBrokenApp())
})
afterAll(async () => {
  await client?.close()
  await broken?.close()
})

const get = (path: string, headers: Record<string, string> = {}) =>
  client.send('GET', path, headers)

describe('Cache-Control', () => {
  it.each([
    '/',
    '/stories',
    '/stories?theme=transformation&sort=oldest',
    '/stories/ashcombe-vale-finds-its-vision',
    '/councils',
    '/councils/ashcombe-vale-district-council',
    '/themes',
    '/themes/transformation',
    '/about',
    '/accessibility',
  ])('%s: cacheable by anyone for 5 minutes, then stale-while-revalidate', async (path) => {
    const res = await get(path)
    expect(res.status).toBe(200)
    expect(res.headers['cache-control']).toBe(PAGE_CACHE_CONTROL)
    expect(PAGE_CACHE_CONTROL).toBe('public, max-age=300, stale-while-revalidate=86400')
    // A strong validator (no W/ prefix).
    expect(res.headers.etag).toMatch(/^"[^"]+"$/)
  })

  it('redirects are cacheable like pages; not-found briefly; health checks never', async () => {
    expect((await get('/Stories')).headers['cache-control']).toBe(PAGE_CACHE_CONTROL)
    expect((await get('/nope')).headers['cache-control']).toBe('public, max-age=60')
    expect((await get('/healthz')).headers['cache-control']).toBe('no-store')
    expect((await get('/readyz')).headers['cache-control']).toBe('no-store')
  })

  it.each([
    ['400', () => get('/%E0%A4%A'), 400],
    ['405', () => client.send('POST', '/stories'), 405],
    ['500', () => broken.send('GET', '/stories'), 500],
  ] as const)('%s answers are never stored', async (_name, send, status) => {
    const res = await send()
    expect(res.status).toBe(status)
    expect(res.headers['cache-control']).toBe('no-store')
  })

  it('fingerprinted assets are cached for a year as immutable; the manifest is not served', async () => {
    const css = await get(`/assets/${readAssetManifest()['app.css']}`)
    expect(css.status).toBe(200)
    expect(css.headers['cache-control']).toBe('public, max-age=31536000, immutable')
    expect((await get('/assets/manifest.json')).status).toBe(404)
    expect((await get('/favicon.svg')).headers['cache-control']).toBe('public, max-age=86400')
    // The scripts' sources are built into /assets/ and served only from there.
    const script = await get(`/assets/${readAssetManifest()['app.js']}`)
    expect(script.status).toBe(200)
    expect(script.body.toString('utf8')).toMatch(
      /from '\.\/govuk-service-navigation\.[0-9a-f]{12}\.mjs'/,
    )
    for (const source of ['/js/app.js', '/js/embed.js', '/js/embed-card.js']) {
      expect((await get(source)).status).toBe(404)
    }
  })
})

describe('conditional requests', () => {
  it('If-None-Match with the current ETag is a 304 with no body, same validators and headers', async () => {
    const first = await get('/stories/ashcombe-vale-finds-its-vision')
    const etag = String(first.headers.etag)
    const again = await get('/stories/ashcombe-vale-finds-its-vision', { 'If-None-Match': etag })
    expect(again.status).toBe(304)
    expect(again.body.length).toBe(0)
    expect(again.headers.etag).toBe(etag)
    expect(again.headers['cache-control']).toBe(PAGE_CACHE_CONTROL)
    expectSecurityHeaders(again.headers, '304')
  })

  it('a stale ETag gets the page; ETags differ between pages and are stable', async () => {
    const a = await get('/stories')
    const b = await get('/themes')
    expect(a.headers.etag).not.toBe(b.headers.etag)
    expect((await get('/stories')).headers.etag).toBe(a.headers.etag)
    const res = await get('/stories', { 'If-None-Match': '"not-the-etag"' })
    expect(res.status).toBe(200)
  })
})

describe('compression', () => {
  it.each([
    ['br', 'br'],
    ['gzip', 'gzip'],
    ['gzip, deflate, br', 'br'],
    ['br;q=0.1, gzip', 'gzip'],
    ['identity', undefined],
  ])('Accept-Encoding: %s → %s, and the same page', async (accept, encoding) => {
    const plain = await get('/accessibility')
    const res = await get('/accessibility', { 'Accept-Encoding': accept })
    expect(res.status).toBe(200)
    expect(res.headers['content-encoding']).toBe(encoding)
    expect(res.headers.vary).toMatch(/Accept-Encoding/i)
    const body =
      encoding === 'br'
        ? brotliDecompressSync(res.body)
        : encoding === 'gzip'
          ? gunzipSync(res.body)
          : res.body
    expect(body.toString('utf8')).toBe(plain.body.toString('utf8'))
    if (encoding) expect(res.body.length).toBeLessThan(plain.body.length / 2)
  })

  it('compresses CSS and scripts too', async () => {
    const res = await get(`/assets/${readAssetManifest()['app.css']}`, { 'Accept-Encoding': 'br' })
    expect(res.headers['content-encoding']).toBe('br')
    expect(brotliDecompressSync(res.body).toString()).toContain('.app-header')
  })
})

import compression from 'compression'
import express, { type Express, type RequestHandler } from 'express'
import helmet from 'helmet'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { compressionWhenAccepted, negotiatedEncoding } from '../../src/web/compression.js'
import { HELMET_OPTIONS, recordHeaderEdits } from '../../src/web/security-headers.js'
import { rawClient, type RawClient, type RawResponse } from '../helpers/raw-http.js'

/**
 * The cheaper stand-ins for helmet and compression answer exactly as the middleware they
 * replace: the same headers, in the same order, and the same body bytes. Each pair of apps
 * differs only in that one middleware.
 */
const BIG_HTML = `<!DOCTYPE html><p>${'story '.repeat(400)}</p>`

function appWith(middleware: RequestHandler): Express {
  const app = express()
  app.disable('x-powered-by')
  app.set('etag', 'strong')
  app.use(middleware)
  app.get('/big', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300').type('html').send(BIG_HTML)
  })
  app.get('/small', (_req, res) => {
    res.type('html').send('<p>short</p>')
  })
  app.get('/no-transform', (_req, res) => {
    res.set('Cache-Control', 'public, No-Transform').type('html').send(BIG_HTML)
  })
  app.get('/png', (_req, res) => {
    res.type('png').send(Buffer.alloc(4096, 1))
  })
  app.get('/streamed', (_req, res) => {
    res.type('html')
    res.write(BIG_HTML)
    res.end(BIG_HTML)
  })
  return app
}

/** Headers in the order they were sent, without the one that differs by the clock. */
function headerList(res: RawResponse): [string, unknown][] {
  return Object.entries(res.headers).filter(([name]) => name !== 'date')
}

describe('helmet, recorded once', () => {
  let withHelmet: RawClient
  let withRecording: RawClient
  beforeAll(async () => {
    withHelmet = await rawClient(appWith(helmet(HELMET_OPTIONS)))
    const { set, removed } = recordHeaderEdits(helmet(HELMET_OPTIONS))
    withRecording = await rawClient(
      appWith((_req, res, next) => {
        for (const name of removed) res.removeHeader(name)
        for (const [name, value] of set) res.setHeader(name, value)
        next()
      }),
    )
  })
  afterAll(async () => {
    await withHelmet.close()
    await withRecording.close()
  })

  it('sets the same headers in the same order as helmet itself', async () => {
    const a = await withHelmet.send('GET', '/big')
    const b = await withRecording.send('GET', '/big')
    expect(headerList(b)).toEqual(headerList(a))
    expect(b.body.equals(a.body)).toBe(true)
    expect(headerList(a).length).toBeGreaterThan(12)
  })

  it('refuses a middleware whose headers depend on the request', () => {
    const perRequest = helmet.contentSecurityPolicy({
      useDefaults: false,
      directives: {
        'default-src': ["'none'"],
        'script-src': [(req) => `'nonce-${String(req.url)}'`],
      },
    })
    expect(() => recordHeaderEdits(perRequest)).toThrow(/depend on the request/)
  })

  it('refuses a middleware that fails', () => {
    expect(() =>
      recordHeaderEdits((_req, _res, next) => {
        next(new Error('bad directive'))
      }),
    ).toThrow('bad directive')
  })
})

describe('compression only when the client accepts it', () => {
  let withCompression: RawClient
  let withStandIn: RawClient
  beforeAll(async () => {
    withCompression = await rawClient(appWith(compression()))
    withStandIn = await rawClient(appWith(compressionWhenAccepted()))
  })
  afterAll(async () => {
    await withCompression.close()
    await withStandIn.close()
  })

  const cases: [string, string, Record<string, string>][] = [
    ['GET', '/big', {}],
    ['HEAD', '/big', {}],
    ['GET', '/small', {}],
    ['GET', '/no-transform', {}],
    ['GET', '/png', {}],
    ['GET', '/streamed', {}],
    ['GET', '/big', { 'Accept-Encoding': 'identity' }],
    ['GET', '/big', { 'Accept-Encoding': '' }],
    ['GET', '/big', { 'Accept-Encoding': 'gzip;q=0, br;q=0' }],
    ['GET', '/big', { 'Accept-Encoding': 'gzip, deflate, br' }],
    ['GET', '/big', { 'Accept-Encoding': 'gzip' }],
    ['GET', '/big', { 'Accept-Encoding': 'deflate' }],
    ['GET', '/streamed', { 'Accept-Encoding': 'br' }],
    ['GET', '/nope', {}],
  ]
  it.each(cases)('%s %s %j: the same answer as compression()', async (method, path, headers) => {
    const a = await withCompression.send(method, path, headers)
    const b = await withStandIn.send(method, path, headers)
    expect(b.status).toBe(a.status)
    expect(headerList(b)).toEqual(headerList(a))
    expect(b.body.equals(a.body)).toBe(true)
  })

  it('a 304 gets no Vary, as with compression()', async () => {
    const first = await withStandIn.send('GET', '/big')
    const etag = String(first.headers.etag)
    const a = await withCompression.send('GET', '/big', { 'If-None-Match': etag })
    const b = await withStandIn.send('GET', '/big', { 'If-None-Match': etag })
    expect(b.status).toBe(304)
    expect(headerList(b)).toEqual(headerList(a))
    expect(b.headers.vary).toBeUndefined()
  })

  it.each([
    [undefined, 'identity'],
    ['', 'identity'],
    ['identity', 'identity'],
    ['gzip', 'gzip'],
    ['deflate', 'deflate'],
    ['gzip, deflate, br', 'br'],
    ['gzip, deflate, br, zstd', 'br'],
    ['br;q=0.5, gzip', 'gzip'],
    ['*', 'br'],
    ['br;q=0, gzip;q=0, deflate;q=0', 'identity'],
  ])('Accept-Encoding %j negotiates %s, as compression() does', async (accept, expected) => {
    const request = { headers: accept === undefined ? {} : { 'accept-encoding': accept } }
    expect(negotiatedEncoding(request as Parameters<typeof negotiatedEncoding>[0])).toBe(expected)
    const answered = await withCompression.send(
      'GET',
      '/big',
      accept === undefined ? {} : { 'Accept-Encoding': accept },
    )
    expect(answered.headers['content-encoding'] ?? 'identity').toBe(expected)
  })
})

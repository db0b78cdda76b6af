import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib'
import compression from 'compression'
import type { OutgoingHttpHeader } from 'node:http'
import type { Request, RequestHandler, Response } from 'express'
import type { ContentState, SiteContent } from '../site/state.js'
import { COMPRESSION_THRESHOLD, negotiatedEncoding, noTransform } from './compression.js'

/**
 * The encodings kept compressed, made as `compression` 1.8 makes them (brotli at quality 4,
 * gzip at zlib's default level), so a kept body is byte for byte what it would send. Anything
 * else it negotiates (deflate) it compresses per request, as before.
 */
const PRECOMPRESS = {
  br: (body: Buffer) =>
    brotliCompressSync(body, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 4 } }),
  gzip: (body: Buffer) => gzipSync(body),
} as const
type PrecompressedEncoding = keyof typeof PRECOMPRESS

/** What an answer costs besides its bodies and key (the entry, its map slots, its headers). */
const ENTRY_OVERHEAD = 512

/** What a route did to the headers the middleware before it had set, in order. */
interface HeaderEdits {
  set: readonly (readonly [name: string, value: OutgoingHttpHeader])[]
  removed: readonly string[]
}

/** The answer a route gave, as sent: enough to send it again without running the route. */
interface Page {
  body: Buffer
  /** Content-Type as sent (text/html; charset=utf-8, image/png, ...). */
  type: string
  etag: string | undefined
  /** What the route did to the headers the middleware before it had set (embeds widen the CSP). */
  headers: HeaderEdits
  /** Whether `compression` would compress this type (HTML yes, PNG no). */
  compressible: boolean
  /** The body compressed, per encoding, made the first time a client asks for it. */
  compressed: Map<PrecompressedEncoding, Buffer>
  /** Bytes counted against the budget: the key, bodies, headers and overhead. */
  bytes: number
}

/**
 * The one cache of rendered answers. Every page the routes render depends only on its path,
 * its query string and the content snapshot (and on configuration, fixed for the process), so
 * a route's 200 answer is kept and sent again, bytes, headers and all, until that changes.
 *
 * - Key: the path and the query string normalised (parameters in name order, each one's values
 *   in their order, percent-encoding decoded and re-encoded): `?b=2&a=1` and `?a=1&b=%32` are
 *   one page, as the routes read parameters by name. Routes never see anything else of the
 *   request (headers, cookies, Host) that could change a page.
 * - Snapshot: a new snapshot (ContentState.replace) or new problems to show (a failed
 *   development reload) empty it.
 * - Budget: bytes (PAGE_CACHE_MB), counting compressed bodies; the least recently used go
 *   first. A budget of 0 means no cache at all (setUpRoutes does not install it).
 * - What is kept: GET and HEAD answers with status 200 sent with `res.send` (res.render ends
 *   there) of a type in CACHED_TYPES. Errors, 404s, redirects, JSON and downloads are never
 *   kept; they go through untouched.
 *
 * A kept answer is the one rendering gives: the same body and ETag (Express's own, computed
 * when it was first sent), the headers the middleware before it sets plus those the route set
 * (replayed in order), 304 when fresh. A client that accepts brotli or gzip gets the body
 * compressed once and kept beside it, instead of `compression` compressing the same bytes for
 * every request: the answer `compression` gives (same ETag, `Vary: Accept-Encoding`, the
 * `Content-Encoding`, no Content-Length, headers in its order), and only when it would
 * compress (a compressible type, not HEAD, a 304, a small body or `no-transform`).
 */
export class PageCache {
  readonly #content: ContentState
  readonly #maxBytes: number
  #snapshot: SiteContent | undefined
  #problems: readonly string[] | undefined
  /** In order of use, least recent first: a Map keeps insertion order. */
  readonly #pages = new Map<string, Page>()
  #bytes = 0

  constructor(content: ContentState, maxBytes: number) {
    this.#content = content
    this.#maxBytes = maxBytes
  }

  /** The number of answers held (for tests). */
  get size(): number {
    this.#check()
    return this.#pages.size
  }

  /** The bytes counted against the budget (for tests). */
  get bytes(): number {
    this.#check()
    return this.#bytes
  }

  /** The number of compressed bodies held, over all answers (for tests). */
  get compressedBodies(): number {
    this.#check()
    let count = 0
    for (const page of this.#pages.values()) count += page.compressed.size
    return count
  }

  /** The middleware: sends a held answer, or lets the route answer and keeps what it sent. */
  readonly handle: RequestHandler = (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next()
    this.#check()
    const key = pageCacheKey(req)
    const held = this.#pages.get(key)
    if (held !== undefined) {
      // Most recently used last.
      this.#pages.delete(key)
      this.#pages.set(key, held)
      this.#send(req, res, key, held)
      return
    }
    this.#keepWhatIsSent(req, res, key)
    next()
  }

  #keepWhatIsSent(req: Request, res: Response, key: string): void {
    const snapshot = this.#snapshot
    const before = new Map(Object.entries(res.getHeaders()))
    const send = res.send
    res.send = ((body?: unknown) => {
      // Once: res.send calls itself for objects (JSON), which are never kept.
      res.send = send
      const edits = res.statusCode === 200 ? headerEdits(before, res) : undefined
      const result = send.call(res, body)
      if (
        edits !== undefined &&
        snapshot === this.#snapshot &&
        (typeof body === 'string' || Buffer.isBuffer(body))
      ) {
        const type = String(res.getHeader('Content-Type') ?? '')
        if (CACHED_TYPES.has(type.split(';')[0]?.trim().toLowerCase() ?? '')) {
          const etag = res.getHeader('ETag')
          this.#put(key, {
            body: typeof body === 'string' ? Buffer.from(body) : body,
            type,
            etag: etag === undefined ? undefined : String(etag),
            headers: edits,
            compressible: compression.filter(req, res),
            compressed: new Map(),
            bytes: 0,
          })
        }
      }
      return result
    }) as Response['send']
  }

  #send(req: Request, res: Response, key: string, page: Page): void {
    for (const name of page.headers.removed) res.removeHeader(name)
    for (const [name, value] of page.headers.set) res.setHeader(name, value)
    const encoding = negotiatedEncoding(req)
    if (
      (encoding === 'br' || encoding === 'gzip') &&
      page.compressible &&
      req.method !== 'HEAD' &&
      page.body.length >= COMPRESSION_THRESHOLD &&
      !noTransform(res)
    ) {
      // The order compression leaves them in: Content-Type, ETag, Vary, Content-Encoding.
      res.setHeader('Content-Type', page.type)
      if (page.etag !== undefined) res.setHeader('ETag', page.etag)
      // A 304 is sent as before: compression leaves it alone (it has no Content-Type).
      if (!req.fresh) {
        res.vary('Accept-Encoding')
        res.setHeader('Content-Encoding', encoding)
        // write, then end: no Content-Length, as compression sends it.
        res.write(this.#compressed(key, page, encoding))
        res.end()
        return
      }
    }
    // In the order res.send sets them, so the headers are the same as when it was rendered;
    // res.send answers 304 when the request is fresh.
    res.setHeader('Content-Type', page.type)
    res.setHeader('Content-Length', String(page.body.length))
    if (page.etag !== undefined) res.setHeader('ETag', page.etag)
    res.send(page.body)
  }

  #compressed(key: string, page: Page, encoding: PrecompressedEncoding): Buffer {
    let body = page.compressed.get(encoding)
    if (body === undefined) {
      body = PRECOMPRESS[encoding](page.body)
      page.compressed.set(encoding, body)
      // Counted against the budget only while the page is held.
      if (this.#pages.get(key) === page) {
        page.bytes += body.length
        this.#bytes += body.length
        this.#evict()
      }
    }
    return body
  }

  #check(): void {
    const { current, problems } = this.#content
    if (this.#snapshot !== current || this.#problems !== problems) {
      this.#snapshot = current
      this.#problems = problems
      this.#pages.clear()
      this.#bytes = 0
    }
  }

  #put(key: string, page: Page): void {
    page.bytes = ENTRY_OVERHEAD + key.length * 2 + page.body.length + headerBytes(page.headers)
    if (page.bytes > this.#maxBytes) return
    const old = this.#pages.get(key)
    if (old !== undefined) {
      this.#pages.delete(key)
      this.#bytes -= old.bytes
    }
    this.#pages.set(key, page)
    this.#bytes += page.bytes
    this.#evict()
  }

  #evict(): void {
    for (const [oldest, old] of this.#pages) {
      if (this.#bytes <= this.#maxBytes) break
      this.#pages.delete(oldest)
      this.#bytes -= old.bytes
    }
  }
}

/**
 * The types of answer kept: pages, images made on request, and Atom feeds (feed readers ask
 * for the same few again and again; writing one of 50 stories took a median 17–25 ms at 1,000
 * stories, against 2–7 ms sent from here: `npx tsx scripts/bench-feeds.ts`, with and without
 * `--page-cache-mb 64`). Compared on the media type, without parameters.
 */
export const CACHED_TYPES: ReadonlySet<string> = new Set([
  'text/html',
  'image/png',
  'application/atom+xml',
])

/**
 * The page's key: its path and its query string normalised, so that query strings the routes
 * read the same way share one entry. Routes read parameters by name from `req.query` (Express's
 * parse: repeated names become lists, in their order), never in the order the names came.
 */
export function pageCacheKey(req: Request): string {
  if (!req.url.includes('?')) return req.path
  const query = req.query as Record<string, unknown>
  const pairs: [string, string][] = []
  for (const name of Object.keys(query).sort()) {
    const value = query[name]
    for (const item of Array.isArray(value) ? value : [value]) {
      pairs.push([name, typeof item === 'string' ? item : JSON.stringify(item)])
    }
  }
  return pairs.length === 0 ? req.path : `${req.path}?${new URLSearchParams(pairs).toString()}`
}

/** What was done to the headers since `before` (names as the route wrote them). */
function headerEdits(before: ReadonlyMap<string, unknown>, res: Response): HeaderEdits {
  const now = res.getHeaders()
  // Node documents outgoingMessage.getRawHeaderNames() (since 15.13); @types/node 20 types it
  // on ClientRequest only.
  const raw = (res as unknown as { getRawHeaderNames(): string[] }).getRawHeaderNames()
  const rawNames = new Map(raw.map((name) => [name.toLowerCase(), name]))
  const set: [string, OutgoingHttpHeader][] = []
  for (const [name, value] of Object.entries(now)) {
    if (value === undefined || sameValue(before.get(name), value)) continue
    set.push([rawNames.get(name) ?? name, value])
  }
  const removed = [...before.keys()].filter((name) => !Object.hasOwn(now, name))
  return { set, removed }
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => v === b[i])
  }
  return a === b
}

function headerBytes({ set, removed }: HeaderEdits): number {
  let bytes = 0
  for (const [name, value] of set) bytes += (name.length + String(value).length) * 2
  for (const name of removed) bytes += name.length * 2
  return bytes
}

import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib'
import type { NextFunction, Request, Response } from 'express'
import type { ContentState, SiteContent } from '../site/state.js'
import { COMPRESSION_THRESHOLD, negotiatedEncoding, noTransform } from './compression.js'

/** Rendered pages kept at most (by bytes of HTML); the oldest used go first. */
export const PAGE_CACHE_BYTES = 32 * 1024 * 1024

interface Page {
  body: Buffer
  etag: string
  /** The body compressed, per encoding, made the first time a client asks for it. */
  compressed: Map<PrecompressedEncoding, Buffer>
}

/**
 * The encodings kept compressed, made as `compression` 1.8 makes them (brotli at quality 4,
 * gzip at zlib's default level). Anything else it negotiates (deflate) it compresses per
 * request, as before.
 */
const PRECOMPRESS = {
  br: (body: Buffer) =>
    brotliCompressSync(body, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 4 } }),
  gzip: (body: Buffer) => gzipSync(body),
} as const
type PrecompressedEncoding = keyof typeof PRECOMPRESS

/**
 * Pages that depend only on the content (a story page) rendered once and kept as bytes with
 * their strong ETag, since content changes only on restart or a development reload: a new
 * snapshot (ContentState.replace) or new problems to show empty the cache. The answer is the
 * same as rendering every time: the same body and ETag (Express's own ETag function), the same
 * headers (set by the middleware before the route, as for any page), 304 when fresh.
 *
 * A client that accepts brotli or gzip gets the page compressed once and kept with it, instead
 * of `compression` compressing the same bytes for every request. The answer is the one
 * `compression` gives: same ETag (it does not change it), `Vary: Accept-Encoding`, the
 * `Content-Encoding`, no Content-Length (chunked), headers in its order; and only when it
 * would compress (not for HEAD, a 304, a small page or `Cache-Control: no-transform`).
 */
export class PageCache {
  readonly #content: ContentState
  readonly #maxBytes: number
  #snapshot: SiteContent | undefined
  #problems: readonly string[] | undefined
  readonly #pages = new Map<string, Page>()
  #bytes = 0

  constructor(content: ContentState, maxBytes = PAGE_CACHE_BYTES) {
    this.#content = content
    this.#maxBytes = maxBytes
  }

  /** The number of pages held (for tests). */
  get size(): number {
    this.#check()
    return this.#pages.size
  }

  /** The number of compressed bodies held, over all pages (for tests). */
  get compressedBodies(): number {
    this.#check()
    let count = 0
    for (const page of this.#pages.values()) count += page.compressed.size
    return count
  }

  /** Sends the page for `key`, rendering `view` with `locals()` only if it is not held. */
  send(
    req: Request,
    res: Response,
    next: NextFunction,
    key: string,
    view: string,
    locals: () => object,
  ): void {
    this.#check()
    const held = this.#pages.get(key)
    if (held !== undefined) {
      // Most recently used last: Map keeps insertion order.
      this.#pages.delete(key)
      this.#pages.set(key, held)
      this.#send(req, res, key, held)
      return
    }
    const snapshot = this.#snapshot
    res.render(view, locals(), (error: Error | null, html?: string) => {
      if (error) return next(error)
      const body = Buffer.from(html ?? '')
      const etagFn = req.app.get('etag fn') as ((b: Buffer, e: string) => string) | undefined
      const page: Page = { body, etag: etagFn?.(body, 'utf8') ?? '', compressed: new Map() }
      if (snapshot === this.#snapshot) this.#put(key, page)
      this.#send(req, res, key, page)
    })
  }

  #send(req: Request, res: Response, key: string, page: Page): void {
    const encoding = negotiatedEncoding(req)
    if (
      (encoding === 'br' || encoding === 'gzip') &&
      req.method !== 'HEAD' &&
      page.body.length >= COMPRESSION_THRESHOLD &&
      !noTransform(res)
    ) {
      // The order compression leaves them in: Content-Type, ETag, Vary, Content-Encoding.
      res.type('html')
      if (page.etag !== '') res.set('ETag', page.etag)
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
    sendPage(res, page)
  }

  #compressed(key: string, page: Page, encoding: PrecompressedEncoding): Buffer {
    let body = page.compressed.get(encoding)
    if (body === undefined) {
      body = PRECOMPRESS[encoding](page.body)
      page.compressed.set(encoding, body)
      // Counted against the budget only while the page is held.
      if (this.#pages.get(key) === page) {
        this.#bytes += body.length
        this.#evict()
      }
    }
    return body
  }

  #check(): void {
    if (this.#snapshot !== this.#content.current || this.#problems !== this.#content.problems) {
      this.#snapshot = this.#content.current
      this.#problems = this.#content.problems
      this.#pages.clear()
      this.#bytes = 0
    }
  }

  #put(key: string, page: Page): void {
    if (page.body.length > this.#maxBytes) return
    this.#pages.set(key, page)
    this.#bytes += page.body.length
    this.#evict()
  }

  #evict(): void {
    for (const [oldest, old] of this.#pages) {
      if (this.#bytes <= this.#maxBytes) break
      this.#pages.delete(oldest)
      this.#bytes -= pageBytes(old)
    }
  }
}

function pageBytes(page: Page): number {
  let bytes = page.body.length
  for (const body of page.compressed.values()) bytes += body.length
  return bytes
}

function sendPage(res: Response, page: Page): void {
  // In the order res.send sets them for a rendered string, so the headers are byte-identical.
  res.type('html').set('Content-Length', String(page.body.length))
  if (page.etag !== '') res.set('ETag', page.etag)
  res.send(page.body)
}

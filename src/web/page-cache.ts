import type { NextFunction, Request, Response } from 'express'
import type { ContentState, SiteContent } from '../content/state.js'

/** Rendered pages kept at most (by bytes of HTML); the oldest used go first. */
export const PAGE_CACHE_BYTES = 32 * 1024 * 1024

interface Page {
  body: Buffer
  etag: string
}

/**
 * Pages that depend only on the content (a story page) rendered once and kept as bytes with
 * their strong ETag, since content changes only on restart or a development reload: a new
 * snapshot (ContentState.replace) or new problems to show empty the cache. The answer is the
 * same as rendering every time: the same body and ETag (Express's own ETag function), the same
 * headers (set by the middleware before the route, as for any page), 304 when fresh.
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
      sendPage(res, held)
      return
    }
    const snapshot = this.#snapshot
    res.render(view, locals(), (error: Error | null, html?: string) => {
      if (error) return next(error)
      const body = Buffer.from(html ?? '')
      const etagFn = req.app.get('etag fn') as ((b: Buffer, e: string) => string) | undefined
      const page = { body, etag: etagFn?.(body, 'utf8') ?? '' }
      if (snapshot === this.#snapshot) this.#put(key, page)
      sendPage(res, page)
    })
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
    for (const [oldest, old] of this.#pages) {
      if (this.#bytes <= this.#maxBytes) break
      this.#pages.delete(oldest)
      this.#bytes -= old.body.length
    }
  }
}

function sendPage(res: Response, page: Page): void {
  // In the order res.send sets them for a rendered string, so the headers are byte-identical.
  res.type('html').set('Content-Length', String(page.body.length))
  if (page.etag !== '') res.set('ETag', page.etag)
  res.send(page.body)
}

import type { NextFunction, Request, Response } from 'express'

/**
 * HTTP caching, in one place. The site is read-only and the same for everyone, so any
 * shared cache (a CDN, a reverse proxy) may keep its pages:
 *
 * - pages and API answers (2xx, and redirects): fresh for 5 minutes, then served stale for up
 *   to a day while the cache revalidates in the background; revalidation is cheap, as every
 *   answer carries a strong ETag and a matching If-None-Match gets a 304;
 * - errors: 5xx (and 400/405) are never stored; 404 briefly (see not-found.ts);
 * - /assets/: content-hashed file names, cached for a year as immutable (see static.ts).
 */
export const PAGE_CACHE_CONTROL = 'public, max-age=300, stale-while-revalidate=86400'
export const NO_STORE = 'no-store'

/** The default for everything the routes answer; a route or the error handler may override it. */
export function pageCaching(_req: Request, res: Response, next: NextFunction): void {
  res.set('Cache-Control', PAGE_CACHE_CONTROL)
  next()
}

import type { NextFunction, Request, Response } from 'express'
import helmet from 'helmet'

/**
 * The Content Security Policy, written out in full rather than helmet's defaults (which
 * allow inline styles). No inline script or style anywhere: the one script govuk-frontend's
 * template would inline lives in a file here instead.
 */
export function cspDirectives(frameAncestors: readonly string[] = ["'self'"]) {
  return {
    'default-src': ["'none'"],
    'script-src': ["'self'"],
    'style-src': ["'self'"],
    'img-src': ["'self'", 'data:'],
    'font-src': ["'self'"],
    'connect-src': ["'self'"],
    'manifest-src': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': [...frameAncestors],
    'base-uri': ["'none'"],
    'object-src': ["'none'"],
  }
}

export const ALLOWED_METHODS = 'GET, HEAD'

/**
 * For /embed/ cards only: the same policy, but the sites in EMBED_ORIGINS may frame the card,
 * and it may be loaded cross-origin. Replaces the headers setUpSecurity set; call it once a
 * card is found (a 404 keeps the site's own headers).
 */
export function embedHeaders(
  embedOrigins: readonly string[],
): (req: Request, res: Response, done: () => void) => void {
  const csp = helmet.contentSecurityPolicy({
    useDefaults: false,
    directives: cspDirectives(["'self'", ...embedOrigins]),
  })
  const corp = helmet.crossOriginResourcePolicy({ policy: 'cross-origin' })
  return (req, res, done) => {
    csp(req, res, () => corp(req, res, done))
  }
}

/** For open data (API, oEmbed, CSV): any site may read it, from a browser too. */
export function openDataHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Access-Control-Allow-Origin', '*')
  res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin')
  next()
}

/** The options the site's pages are served with (embeds and open data adjust a few, per route). */
export const HELMET_OPTIONS = {
  contentSecurityPolicy: { useDefaults: false, directives: cspDirectives() },
  strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
  referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
  crossOriginResourcePolicy: { policy: 'same-origin' },
  crossOriginOpenerPolicy: { policy: 'same-origin' },
  xFrameOptions: false, // frame-ancestors in the CSP says it, per route
} as const satisfies Parameters<typeof helmet>[0]

/**
 * The editors' CMS (/admin, everything under it, and its bundle in /assets/cms/) runs a
 * single-page app that needs more than the site: inline styles (Sveltia CMS's form is unusable
 * without them), GitHub's API and avatars, images it makes itself (data: and blob:), and the
 * sign-in popup (COOP same-origin-allow-popups). Scripts stay 'self' alone, with no eval: Sveltia
 * runs without it.
 * Only these paths get it; every other route keeps the site's policy.
 */
export function isCmsPath(path: string): boolean {
  return path === '/admin' || path.startsWith('/admin/') || path.startsWith('/assets/cms/')
}

export const GITHUB_API = 'https://api.github.com'
const GITHUB_USER_CONTENT = [
  'https://avatars.githubusercontent.com',
  'https://raw.githubusercontent.com',
]

export function cmsCspDirectives() {
  const site = cspDirectives()
  return {
    ...site,
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:', ...GITHUB_USER_CONTENT],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'", GITHUB_API],
    'media-src': ["'self'", 'blob:'],
    'worker-src': ["'self'", 'blob:'],
    'frame-src': ["'self'", 'blob:'],
  }
}

export const CMS_HELMET_OPTIONS = {
  ...HELMET_OPTIONS,
  contentSecurityPolicy: { useDefaults: false, directives: cmsCspDirectives() },
  crossOriginOpenerPolicy: { policy: 'same-origin-allow-popups' },
} as const satisfies Parameters<typeof helmet>[0]

/** Search engines keep the CMS out of their results (robots.txt also disallows /admin). */
export const CMS_EXTRA_HEADERS: readonly (readonly [string, string])[] = [
  ['X-Robots-Tag', 'noindex'],
]

/** What a middleware does to a response's headers, in the order it does it. */
export interface HeaderEdits {
  set: readonly (readonly [name: string, value: string])[]
  removed: readonly string[]
}

/**
 * Runs a header-setting middleware (helmet) once against a stand-in response and records what
 * it does. Worth it because helmet's output here is the same for every request (a fixed CSP,
 * no nonces: nothing is inline), yet it costs a dozen chained calls per request. A middleware
 * that depended on the request, answered asynchronously or failed is refused: its headers
 * cannot be worked out once.
 */
export function recordHeaderEdits(
  middleware: (req: Request, res: Response, next: (error?: unknown) => void) => void,
): HeaderEdits {
  const set: [string, string][] = []
  const removed: string[] = []
  const response = {
    setHeader(name: string, value: unknown) {
      if (typeof value !== 'string') throw new Error(`header ${name} is not a single string`)
      set.push([name, value])
      return response
    },
    removeHeader(name: string) {
      removed.push(name)
    },
  }
  const request = new Proxy(
    {},
    {
      get(_target, key) {
        throw new Error(`the headers depend on the request (req.${String(key)})`)
      },
    },
  )
  let finished = false
  middleware(request as Request, response as unknown as Response, (error?: unknown) => {
    if (error !== undefined) throw error
    finished = true
  })
  if (!finished) throw new Error('the middleware did not finish synchronously')
  return { set, removed }
}

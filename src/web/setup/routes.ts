import type { Express, NextFunction, Request, Response } from 'express'
import type { AppDeps } from '../deps.js'
import { pageCaching } from '../caching.js'
import { PageCache } from '../page-cache.js'
import { registerAdminRoutes } from '../routes/admin.js'
import { registerApiRoutes } from '../routes/api.js'
import { registerCmsSignInRoutes } from '../routes/cms-sign-in.js'
import { registerCouncilRoutes } from '../routes/councils.js'
import { registerCrawlerRoutes } from '../routes/crawlers.js'
import { registerDownloadRoutes } from '../routes/downloads.js'
import { registerEmbedRoutes } from '../routes/embeds.js'
import { registerFeedRoutes } from '../routes/feeds.js'
import { registerHealthRoutes } from '../routes/health.js'
import { registerHomeRoutes } from '../routes/home.js'
import { registerImageRoutes } from '../routes/images.js'
import { registerOembedRoutes } from '../routes/oembed.js'
import { registerPageRoutes } from '../routes/pages.js'
import { registerQuoteRoutes } from '../routes/quotes.js'
import { registerSearchRoutes } from '../routes/search.js'
import { registerStoryRoutes } from '../routes/stories.js'
import { registerThemeRoutes } from '../routes/themes.js'

/**
 * One URL per page. Express matches case-insensitively and ignores trailing slashes by
 * default; here those are off, and such requests are redirected (301) to the lower-case,
 * slash-free path instead, keeping the query string.
 */
export function canonicalPathRedirect(req: Request, res: Response, next: NextFunction): void {
  const path = req.path
  try {
    decodeURIComponent(path)
  } catch {
    // A malformed percent-encoding: say so (400) rather than redirect to a mangled URL.
    return next(Object.assign(new URIError('Malformed URL'), { status: 400, expose: true }))
  }
  let canonical = path.length > 1 ? path.replace(/\/+$/, '') : path
  // Lower-case the letters, but not the hex digits of %XX escapes.
  canonical = canonical.replace(/%[0-9A-Fa-f]{2}|[A-Z]+/g, (m) =>
    m.startsWith('%') ? m : m.toLowerCase(),
  )
  // Never redirect to `//host`: that would be an open redirect to another site.
  canonical = canonical.replace(/^\/{2,}/, '/') || '/'
  if (canonical === path) return next()
  const queryAt = req.originalUrl.indexOf('?')
  const query = queryAt === -1 ? '' : req.originalUrl.slice(queryAt)
  res.redirect(301, canonical + query)
}

export function setUpRoutes(app: Express, deps: AppDeps): void {
  app.use(pageCaching)
  app.use(canonicalPathRedirect)
  registerHealthRoutes(app, deps)
  // The CMS's sign-in answers carry a token or set a cookie: never kept, so before the cache.
  registerCmsSignInRoutes(app, deps)
  // The editors' CMS: its page names the current bundle and its configuration follows the
  // content, so neither goes through the page cache.
  registerAdminRoutes(app, deps)
  // Every page route after this line is served from the one cache of rendered answers.
  if (deps.config.pageCacheBytes > 0) {
    app.use(new PageCache(deps.content, deps.config.pageCacheBytes).handle)
  }
  registerHomeRoutes(app, deps)
  registerStoryRoutes(app, deps)
  registerCouncilRoutes(app, deps)
  registerThemeRoutes(app, deps)
  registerPageRoutes(app, deps)
  // Before the API's catch-all 404 under /api.
  registerSearchRoutes(app, deps)
  // Linking: quote pages, link-preview images, embeds, oEmbed, feeds, open data, crawlers.
  registerQuoteRoutes(app, deps)
  registerImageRoutes(app, deps)
  registerEmbedRoutes(app, deps)
  registerOembedRoutes(app, deps)
  registerFeedRoutes(app, deps)
  registerApiRoutes(app, deps)
  registerDownloadRoutes(app, deps)
  registerCrawlerRoutes(app, deps)
}

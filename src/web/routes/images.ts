import type { Express, Request, Response } from 'express'
import type { AppDeps } from '../deps.js'
import { PAGE_CACHE_CONTROL } from '../caching.js'
import { paths } from '../links.js'
import { lookUpQuote, lookUpStory } from '../lookup.js'
import { ogImageRenderer, quoteOgCard, storyOgCard, type OgCard } from '../og-image.js'

/**
 * How long a picture may be kept. Pages link to it with `?v=<version>`, a hash of everything
 * its bytes depend on (src/web/og-image.ts), so a changed quote, title or council gets a new
 * address: link previews (Slack, Teams, LinkedIn) keep pictures by URL and would otherwise
 * show the old one long after a re-scrape. The bytes at a versioned address never change, so
 * it is cached for a year as immutable, like /assets/, and a CDN draws each card only once.
 * Without `v`, or with a `v` that is no longer current (a page cached before the change), the
 * current picture is sent with the pages' policy (5 minutes, then stale while revalidating),
 * as what that address shows can change. Either way the ETag is the version, so revalidating
 * costs a template render and a hash, not a drawing (~0.1-0.3 s).
 */
export const VERSIONED_IMAGE_CACHE_CONTROL = 'public, max-age=31536000, immutable'

/**
 * /stories/<slug>/image.png and /stories/<slug>/quotes/<id>/image.png: the 1200×630 pictures
 * of a story and of a quote that link previews show (og:image), drawn on request.
 */
export function registerImageRoutes(app: Express, { content }: AppDeps): void {
  const renderer = ogImageRenderer(app)

  const sendCard = async (req: Request, res: Response, card: OgCard): Promise<void> => {
    const { html, version } = renderer.markup(card)
    res.set(
      'Cache-Control',
      req.query.v === version ? VERSIONED_IMAGE_CACHE_CONTROL : PAGE_CACHE_CONTROL,
    )
    // Link previews may show the picture from their own origin.
    res.set('Cross-Origin-Resource-Policy', 'cross-origin')
    res.type('png').set('ETag', `"${version}"`)
    if (req.fresh) {
      res.status(304).end()
      return
    }
    res.send(await renderer.png(html))
  }

  app.get('/stories/:slug/image.png', async (req, res, next) => {
    const found = lookUpStory(content.current.library, req.params.slug)
    if (found.kind === 'alias')
      return res.redirect(301, withQuery(req, `${paths.story(found.slug)}/image.png`))
    if (found.kind === 'none') return next()
    await sendCard(req, res, storyOgCard(found.story))
  })

  app.get('/stories/:slug/quotes/:quoteId/image.png', async (req, res, next) => {
    const found = lookUpQuote(content.current.library, req.params.slug, req.params.quoteId)
    if (found.kind === 'none') return next()
    const { story, quote } = found
    if (found.renamed) return res.redirect(301, withQuery(req, `${paths.quote(quote)}/image.png`))
    await sendCard(req, res, quoteOgCard(story, quote))
  })
}

/** The same query string on the new address (the version stays valid across a rename). */
function withQuery(req: Request, path: string): string {
  const at = req.originalUrl.indexOf('?')
  return at === -1 ? path : path + req.originalUrl.slice(at)
}

import type { Express, Request, Response } from 'express'
import type { AppDeps } from '../deps.js'
import { paths } from '../links.js'
import { lookUpQuote, lookUpStory } from '../lookup.js'
import { ogImagePath, ogImageRenderer, quoteOgCard, storyOgCard, type OgCard } from '../og-image.js'

/**
 * How long a picture may be kept. Pages link to it at `?v=<version>`, a hash of everything its
 * bytes depend on (src/web/og-image.ts), so a changed quote, title or council gets a new
 * address: link previews (Slack, Teams, LinkedIn) keep pictures by URL, and would otherwise
 * show the old one long after the page changed. The bytes at a versioned address never
 * change, so it is cached for a year as immutable, like /assets/: a CDN asks for each picture
 * once. A day with stale-while-revalidate would have kept old pictures in previews for a day,
 * and had every CDN revalidate all 90,000 pictures of a large library daily.
 *
 * Any other address of a picture (no `v`, an old one from a page cached before the change, a
 * made-up one) is redirected to the current one rather than drawn: drawing costs about a
 * tenth of a second of CPU, so only the one address that caches can keep is ever drawn. The
 * redirect itself is cached like a page (5 minutes), as its target can change.
 */
export const VERSIONED_IMAGE_CACHE_CONTROL = 'public, max-age=31536000, immutable'

/**
 * /stories/<slug>/image.png and /stories/<slug>/quotes/<id>/image.png: the 1200×630 pictures
 * of a story and of a quote that link previews show (og:image), drawn on request.
 */
export function registerImageRoutes(app: Express, { content }: AppDeps): void {
  const renderer = ogImageRenderer(app)

  const sendCard = async (
    req: Request,
    res: Response,
    pagePath: string,
    card: OgCard,
  ): Promise<void> => {
    const { html, version } = renderer.markup(card)
    if (req.query.v !== version) return res.redirect(302, ogImagePath(pagePath, version))
    res.set('Cache-Control', VERSIONED_IMAGE_CACHE_CONTROL)
    // Link previews may show the picture from their own origin.
    res.set('Cross-Origin-Resource-Policy', 'cross-origin')
    // The version is a hash of all the bytes depend on: a strong validator, known without
    // drawing, so revalidation costs a template render and a hash.
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
    await sendCard(req, res, paths.story(found.story), storyOgCard(found.story))
  })

  app.get('/stories/:slug/quotes/:quoteId/image.png', async (req, res, next) => {
    const found = lookUpQuote(content.current.library, req.params.slug, req.params.quoteId)
    if (found.kind === 'none') return next()
    const { story, quote } = found
    if (found.renamed) return res.redirect(301, withQuery(req, `${paths.quote(quote)}/image.png`))
    await sendCard(req, res, paths.quote(quote), quoteOgCard(story, quote))
  })
}

/** The same query string on the new address (the version stays valid across a rename). */
function withQuery(req: Request, path: string): string {
  const at = req.originalUrl.indexOf('?')
  return at === -1 ? path : path + req.originalUrl.slice(at)
}

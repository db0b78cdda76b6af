import { readFileSync } from 'node:fs'
import type { Express, Request, Response } from 'express'
import { readAssetManifest } from '../asset-manifest.js'
import type { AppDeps } from '../deps.js'
import { fromRoot } from '../../paths.js'
import { EMBED_SCRIPT_PATH, quoteTitle } from '../embed-code.js'
import { absoluteUrl, paths } from '../links.js'
import { lookUpQuote, lookUpStory } from '../lookup.js'
import { embedHeaders } from '../security-headers.js'

/**
 * /embed.js has a fixed name: it is pasted into other sites' pages with the embed code, so it
 * cannot carry a content hash like /assets/ and must not be cached as immutable. A change must
 * reach every host page without anyone editing it, so browsers and proxies keep it for a day
 * and may use a stale copy for a week more while they fetch the new one in the background
 * (a 304, thanks to the ETag). The message format stays readable by older copies of the card
 * and the script, since either may be up to eight days older than the other.
 */
export const EMBED_SCRIPT_CACHE_CONTROL = 'public, max-age=86400, stale-while-revalidate=604800'

/** The built /embed.js (public/js/embed.js, via scripts/build-assets.mjs), read once. */
function readEmbedScript(): Buffer {
  const file = readAssetManifest()['embed.js']
  if (file === undefined) throw new Error('dist/assets has no embed.js: run `npm run build`')
  return readFileSync(fromRoot('dist', 'assets', file))
}

/**
 * /embed/…: cards that other sites (EMBED_ORIGINS) may put in an iframe. Only these pages
 * relax frame-ancestors; every other page keeps 'self'.
 */
export function registerEmbedRoutes(app: Express, { content, config }: AppDeps): void {
  const frameable = embedHeaders(config.embedOrigins)
  const renderCard = (req: Request, res: Response, view: string, locals: object): void => {
    frameable(req, res, () => {
      // The card is a fragment of the quote or story page, which is what search should show.
      res.set('X-Robots-Tag', 'noindex').render(view, locals)
    })
  }
  // A card's former address (a story's `aliases`) is still in embed code pasted before the
  // rename: its redirect must be frameable too, or the browser shows an error in the frame.
  const redirectCard = (req: Request, res: Response, location: string): void => {
    frameable(req, res, () => res.redirect(301, location))
  }

  // Loaded by other sites' pages (so Cross-Origin-Resource-Policy must allow them).
  const embedScript = readEmbedScript()
  app.get(EMBED_SCRIPT_PATH, (_req, res) => {
    res
      .set({
        'Content-Type': 'text/javascript; charset=utf-8',
        'Cache-Control': EMBED_SCRIPT_CACHE_CONTROL,
        'Cross-Origin-Resource-Policy': 'cross-origin',
      })
      .send(embedScript)
  })

  app.get('/embed/stories/:slug', (req, res, next) => {
    const { library } = content.current
    const found = lookUpStory(library, req.params.slug)
    if (found.kind === 'alias')
      return redirectCard(req, res, paths.embedStory({ slug: found.slug }))
    if (found.kind === 'none') return next()
    const { story } = found
    renderCard(req, res, 'embed/story.njk', {
      story,
      title: story.title,
      canonicalUrl: absoluteUrl(config.baseUrl, paths.story(story)),
      sourceUrl: absoluteUrl(config.baseUrl, paths.story(story)),
    })
  })

  app.get('/embed/stories/:slug/quotes/:quoteId', (req, res, next) => {
    const found = lookUpQuote(content.current.library, req.params.slug, req.params.quoteId)
    if (found.kind === 'none') return next()
    const { story, quote } = found
    if (found.renamed) return redirectCard(req, res, paths.embedQuote(quote))
    renderCard(req, res, 'embed/quote.njk', {
      story,
      quote,
      title: quoteTitle(story, quote),
      canonicalUrl: absoluteUrl(config.baseUrl, paths.quote(quote)),
      sourceUrl: absoluteUrl(config.baseUrl, paths.quoteInStory(quote)),
    })
  })
}

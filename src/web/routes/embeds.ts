import type { Express, Request, Response } from 'express'
import type { AppDeps } from '../deps.js'
import { quoteTitle } from '../embed-code.js'
import { absoluteUrl, paths } from '../links.js'
import { lookUpQuote, lookUpStory } from '../lookup.js'
import { embedHeaders } from '../security-headers.js'

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

  app.get('/embed/stories/:slug', (req, res, next) => {
    const { library } = content.current
    const found = lookUpStory(library, req.params.slug)
    if (found.kind === 'alias') return res.redirect(301, paths.embedStory({ slug: found.slug }))
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
    if (found.renamed) return res.redirect(301, paths.embedQuote(quote))
    renderCard(req, res, 'embed/quote.njk', {
      story,
      quote,
      title: quoteTitle(story, quote),
      canonicalUrl: absoluteUrl(config.baseUrl, paths.quote(quote)),
      sourceUrl: absoluteUrl(config.baseUrl, paths.quoteInStory(quote)),
    })
  })
}

import type { Express } from 'express'
import type { AppDeps } from '../deps.js'
import { citationFor } from '../citation.js'
import { quoteEmbedCode, quoteTitle, speakerPhrase } from '../embed-code.js'
import { absoluteUrl, paths } from '../links.js'
import { lookUpQuote } from '../lookup.js'
import { quoteOgImage } from '../og-image.js'
import { SITE_NAME } from '../view-environment.js'
import { quoteStructuredData } from '../structured-data.js'

/** /stories/<slug>/quotes/<id>: one quote on a page of its own, to share and cite. */
export function registerQuoteRoutes(app: Express, { content, config }: AppDeps): void {
  app.get('/stories/:slug/quotes/:quoteId', async (req, res, next) => {
    const { library } = content.current
    const found = lookUpQuote(library, req.params.slug, req.params.quoteId)
    if (found.kind === 'none') return next()
    const { story, quote } = found
    // The story was renamed: the same quote under its current slug.
    if (found.renamed) return res.redirect(301, paths.quote(quote))

    const url = absoluteUrl(config.baseUrl, paths.quote(quote))
    res.render('pages/quote.njk', {
      story,
      quote,
      title: quoteTitle(story, quote),
      speakerPhrase: speakerPhrase(quote),
      url,
      citation: citationFor(story, url, SITE_NAME),
      embed: await quoteEmbedCode(req.app, config.baseUrl, story, quote),
      embedAllowed: config.embedOrigins.length > 0,
      council: library.councilBySlug.get(story.councilSlug),
      structuredData: quoteStructuredData(story, quote, config.baseUrl, SITE_NAME),
      ogImage: quoteOgImage(app, config.baseUrl, story, quote),
    })
  })
}

import type { Express, Response } from 'express'
import type { AppDeps } from '../deps.js'
import { quotesCsv, storiesCsv } from '../open-data/csv.js'
import { openDataHeaders } from '../security-headers.js'
import { storyListing } from '../listing/story-listing.js'
import { PAGE_CACHE_CONTROL } from '../caching.js'

function sendCsv(res: Response, filename: string, body: string): void {
  res
    .set('Cache-Control', PAGE_CACHE_CONTROL)
    .attachment(filename)
    .type('text/csv; charset=utf-8')
    .send(body)
}

/**
 * /stories.csv and /quotes.csv: every story matching the same filters and sort as /stories
 * (all of them, not one page), and their quotes.
 */
export function registerDownloadRoutes(app: Express, { content, config }: AppDeps): void {
  app.get('/stories.csv', openDataHeaders, (req, res) => {
    const { library } = content.current
    const { sorted } = storyListing(library, req.query)
    sendCsv(res, 'stories.csv', storiesCsv(sorted, library, config.baseUrl))
  })

  app.get('/quotes.csv', openDataHeaders, (req, res) => {
    const { library } = content.current
    const { sorted } = storyListing(library, req.query)
    sendCsv(res, 'quotes.csv', quotesCsv(sorted, library, config.baseUrl))
  })
}

import type { Express, Response } from 'express'
import type { AppDeps } from '../deps.js'
import { FILTER_PARAMS } from '../listing/filters.js'
import { PAGE_CACHE_CONTROL } from '../caching.js'
import { absoluteUrl } from '../links.js'
import { lookUpStory } from '../lookup.js'
import { councilJson, storyJson, storySummaryJson, themeJson } from '../open-data/json.js'
import { PAGE_SIZE, pageLinks } from '../pagination.js'
import { openDataHeaders } from '../security-headers.js'
import { listingSearchParams, storyListing } from '../listing/story-listing.js'

function send(res: Response, body: unknown, status = 200): void {
  res
    .status(status)
    .set('Cache-Control', status === 200 ? PAGE_CACHE_CONTROL : 'public, max-age=60')
    .json(body)
}

/**
 * The open data API (docs/api.md): JSON, readable from any origin. Filters, sort and
 * pagination are those of /stories, from the same code.
 */
export function registerApiRoutes(app: Express, { content, config }: AppDeps): void {
  const url = (path: string): string => absoluteUrl(config.baseUrl, path)

  app.use('/api', openDataHeaders)

  app.get('/api', (_req, res) => {
    send(res, {
      links: {
        stories: url('/api/stories'),
        themes: url('/api/themes'),
        councils: url('/api/councils'),
        storiesCsv: url('/stories.csv'),
        quotesCsv: url('/quotes.csv'),
        feed: url('/feed.xml'),
      },
    })
  })

  app.get('/api/stories', (req, res) => {
    const { library } = content.current
    const { filters, sort, page } = storyListing(library, req.query)
    const params = listingSearchParams(filters, sort)
    const withPage = (path: string, n: number | undefined): string => {
      const p = new URLSearchParams(params)
      if (n !== undefined && n > 1) p.set('page', String(n))
      return url(p.size === 0 ? path : `${path}?${p.toString()}`)
    }
    send(res, {
      data: page.items.map((s) => storySummaryJson(s, config.baseUrl)),
      meta: {
        total: page.total,
        page: page.page,
        totalPages: page.totalPages,
        pageSize: PAGE_SIZE,
        sort,
        filters: Object.fromEntries(FILTER_PARAMS.map((p) => [p, filters[p]])),
      },
      links: {
        ...pageLinks(page, (n) => withPage('/api/stories', n)),
        html: withPage('/stories', page.page),
        storiesCsv: withPage('/stories.csv', undefined),
        quotesCsv: withPage('/quotes.csv', undefined),
      },
    })
  })

  app.get('/api/stories/:slug', (req, res, next) => {
    const found = lookUpStory(content.current.library, req.params.slug)
    if (found.kind === 'alias') return res.redirect(301, `/api/stories/${found.slug}`)
    if (found.kind === 'none') return next()
    send(res, { data: storyJson(found.story, config.baseUrl) })
  })

  app.get('/api/themes', (_req, res) => {
    const { library } = content.current
    const counts = new Map<string, number>()
    for (const story of library.stories) {
      for (const theme of story.themes) counts.set(theme, (counts.get(theme) ?? 0) + 1)
    }
    send(res, {
      data: library.themes.map((t) => themeJson(t, counts.get(t.slug) ?? 0, config.baseUrl)),
    })
  })

  app.get('/api/councils', (_req, res) => {
    send(res, { data: content.current.library.councils.map((c) => councilJson(c, config.baseUrl)) })
  })

  // Anything else under /api is a JSON 404, not the HTML page.
  app.use('/api', (_req, res) => {
    send(res, { error: 'Not found' }, 404)
  })
}

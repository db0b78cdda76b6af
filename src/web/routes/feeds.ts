import type { Express, Response } from 'express'
import type { AppDeps } from '../deps.js'
import { SLUG_PATTERN } from '../../content/schema.js'
import { paths } from '../links.js'
import {
  BadFeedQuery,
  searchFeed,
  searchFeedStories,
  SEARCH_FEED_PATH,
  storiesFeed,
  STORIES_FEED_PATH,
  unknownFilterValue,
} from '../list-feeds.js'
import { FILTER_PARAMS, filterOptions, libraryFacets, parseFilters } from '../listing/filters.js'
import { atomFeed } from '../open-data/atom.js'
import { runSearch, SEARCH_FILTER_PARAMS } from '../search-results.js'
import { SITE_NAME } from '../view-environment.js'

function sendAtom(res: Response, xml: string): void {
  res
    .set('Cache-Control', 'public, max-age=900')
    .type('application/atom+xml; charset=utf-8')
    .send(xml)
}

/**
 * Atom feeds of new stories: all of them, one per theme, one per filtered list
 * (/stories/feed.xml) and one per search (/search/feed.xml); see list-feeds.ts.
 */
export function registerFeedRoutes(app: Express, { content, config }: AppDeps): void {
  app.get('/feed.xml', (_req, res) => {
    const { library } = content.current
    sendAtom(
      res,
      atomFeed({
        stories: library.stories,
        library,
        baseUrl: config.baseUrl,
        title: SITE_NAME,
        subtitle: 'New stories of councils improving with help from their peers.',
        selfPath: '/feed.xml',
        htmlPath: '/stories',
        siteName: SITE_NAME,
      }),
    )
  })

  app.get('/themes/:slug/feed.xml', (req, res, next) => {
    const slug = req.params.slug
    if (!SLUG_PATTERN.test(slug)) return next()
    const { library } = content.current
    const theme = library.themeBySlug.get(slug)
    if (!theme) return next()
    sendAtom(
      res,
      atomFeed({
        stories: library.stories.filter((s) => s.themes.includes(slug)),
        library,
        baseUrl: config.baseUrl,
        title: `${theme.title} – ${SITE_NAME}`,
        subtitle: theme.description,
        selfPath: paths.themeFeed(theme),
        htmlPath: paths.theme(theme),
        siteName: SITE_NAME,
      }),
    )
  })

  app.get(STORIES_FEED_PATH, (req, res, next) => {
    const { library } = content.current
    const bad = unknownFilterValue(library, req.query, FILTER_PARAMS)
    if (bad !== undefined) return next(bad)
    const options = filterOptions(library)
    const filters = parseFilters(req.query, options)
    // The page's own filtering; library order is newest first.
    const { matching } = libraryFacets(library, filters, options)
    const feed = storiesFeed(library, filters)
    sendAtom(
      res,
      atomFeed({
        stories: matching,
        library,
        baseUrl: config.baseUrl,
        title: feed.title,
        subtitle: `New stories in ${SITE_NAME} that match these filters.`,
        selfPath: feed.path,
        htmlPath: feed.pagePath,
        siteName: SITE_NAME,
      }),
    )
  })

  app.get(SEARCH_FEED_PATH, (req, res, next) => {
    const site = content.current
    const { library } = site
    const bad = unknownFilterValue(library, req.query, SEARCH_FILTER_PARAMS)
    if (bad !== undefined) return next(bad)
    // Ranked by relevance, so a story's best quote is the one its entry quotes; the feed
    // lists the stories newest first whatever `sort` says.
    const results = runSearch(site, { ...(req.query as object), sort: 'relevance', page: '1' })
    // The words as searched (control characters removed): none means no feed to follow.
    if (results.query.trim() === '') {
      return next(
        new BadFeedQuery(
          'A search feed needs words to search for, in q (for example ?q=devolution). ' +
            'To follow a list of stories without words, use the feed of the stories list.',
        ),
      )
    }
    const { stories, matchedQuotes } = searchFeedStories(library, results)
    const feed = searchFeed(library, results.query, results.filters, results.speakers)
    sendAtom(
      res,
      atomFeed({
        stories,
        matchedQuotes,
        library,
        baseUrl: config.baseUrl,
        title: feed.title,
        subtitle: `New stories and quotes in ${SITE_NAME} that match this search.`,
        selfPath: feed.path,
        htmlPath: feed.pagePath,
        siteName: SITE_NAME,
      }),
    )
  })
}

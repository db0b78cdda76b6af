import type { Express } from 'express'
import type { AppDeps } from '../deps.js'
import { FILTER_LEGENDS, FILTER_PARAMS, hasFilters } from '../listing/filters.js'
import type { Library } from '../../content/library.js'
import { filterPanel, selectedFields } from '../filter-panel.js'
import { absoluteUrl, paths } from '../links.js'
import { storiesFeed } from '../list-feeds.js'
import { listingSearchParams, STORY_SORTS, storyListing } from '../listing/story-listing.js'
import { lookUpStory } from '../lookup.js'
import { storyOgImage } from '../og-image.js'
import { paginationParams, type Page } from '../pagination.js'
import { selectedFilters } from '../selected-filters.js'
import { SITE_NAME } from '../view-environment.js'
import { storyStructuredData } from '../structured-data.js'

/** The list's title: it tells screen readers and tabs which page of which list this is. */
export function storiesPageTitle(filtered: boolean, page: Page<unknown>): string {
  return (
    'Stories' +
    (filtered ? ' (filtered)' : '') +
    (page.totalPages > 1 ? `, page ${page.page} of ${page.totalPages}` : '')
  )
}

/** What views/pages/stories.njk is rendered with, for a query string. */
export function storiesPageLocals(library: Library, query: unknown, baseUrl: string) {
  const { filters, sort, page, facets } = storyListing(library, query)
  const params = listingSearchParams(filters, sort)
  const canonical = new URLSearchParams(params)
  if (page.page > 1) canonical.set('page', String(page.page))
  const withQuery = (path: string): string =>
    params.size === 0 ? path : `${path}?${params.toString()}`
  return {
    pageTitle: storiesPageTitle(hasFilters(filters), page),
    page,
    filterPanel: filterPanel({
      action: '/stories',
      facets,
      legends: FILTER_LEGENDS,
      params: FILTER_PARAMS,
      // The sort is kept when it is not the default.
      hidden: sort !== 'newest' ? [{ name: 'sort', value: sort }] : [],
      resultsId: 'app-results',
    }),
    selectedFields: selectedFields(facets, FILTER_PARAMS),
    selected: selectedFilters(facets, FILTER_PARAMS, FILTER_LEGENDS, '/stories', params),
    sort,
    sorts: STORY_SORTS,
    pagination: paginationParams(page, '/stories', params),
    canonicalUrl: absoluteUrl(
      baseUrl,
      canonical.size === 0 ? '/stories' : `/stories?${canonical.toString()}`,
    ),
    // The list's own feed: its filters, newest first (not its sort or page).
    feed: storiesFeed(library, filters),
    downloads: {
      storiesCsv: withQuery('/stories.csv'),
      quotesCsv: withQuery('/quotes.csv'),
      json: withQuery('/api/stories'),
    },
  }
}

export function registerStoryRoutes(app: Express, { content, config }: AppDeps): void {
  app.get('/stories', (req, res) => {
    const { library } = content.current
    res.render('pages/stories.njk', storiesPageLocals(library, req.query, config.baseUrl))
  })

  app.get('/stories/:slug', (req, res, next) => {
    const { library } = content.current
    const found = lookUpStory(library, req.params.slug)
    // Browsers keep a #quote fragment across this redirect, so quote links survive renames.
    if (found.kind === 'alias') return res.redirect(301, paths.story(found.slug))
    if (found.kind === 'none') return next()
    const { story } = found
    res.render('pages/story.njk', {
      story,
      themes: story.themes.map((t) => library.themeBySlug.get(t)).filter(Boolean),
      related: library.relatedStories(story),
      council: library.councilBySlug.get(story.councilSlug),
      structuredData: storyStructuredData(story, config.baseUrl, SITE_NAME),
      ogImage: storyOgImage(app, config.baseUrl, story),
    })
  })
}

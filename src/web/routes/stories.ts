import type { Express } from 'express'
import type { AppDeps } from '../deps.js'
import { FILTER_LEGENDS, FILTER_PARAMS, hasFilters, type FilterParam } from '../listing/filters.js'
import type { Library } from '../../content/library.js'
import { absoluteUrl, paths } from '../links.js'
import {
  listingSearchParams,
  STORY_SORTS,
  storyListing,
  type StorySort,
} from '../listing/story-listing.js'
import { lookUpStory } from '../lookup.js'
import { storyOgImage } from '../og-image.js'
import { PageCache } from '../page-cache.js'
import { paginationParams } from '../pagination.js'
import { selectedFilters } from '../selected-filters.js'
import { PageShell } from '../page-shell.js'
import { SITE_NAME, viewEnvironment } from '../view-environment.js'
import {
  storiesMainChunks,
  storiesPageTitle,
  storiesTemplateLocals,
  type StoriesPageLocals,
} from '../stories-page.js'
import { StoryCardList } from '../story-cards.js'
import { FilterForm, type FilterFormParams } from '../filter-form.js'
import { storyStructuredData } from '../structured-data.js'

/** The list page's filter form: its filters, with the sort kept when it is not the default. */
export function listFilterForm(
  facets: ReturnType<typeof storyListing>['facets'],
  sort: StorySort,
): FilterFormParams<FilterParam> {
  return {
    action: '/stories',
    facets,
    legends: FILTER_LEGENDS,
    params: FILTER_PARAMS,
    hidden: sort !== 'newest' ? [{ name: 'sort', value: sort }] : [],
    resultsId: 'app-results',
  }
}

/** What the list page is made from: the story cards and filter form, each made once. */
export interface StoriesPageParts {
  cardList: StoryCardList
  filterForm: FilterForm
}

/** The locals of views/pages/stories.njk for a query string (also the fast path's input). */
export function storiesPageLocals(
  library: Library,
  query: unknown,
  baseUrl: string,
  { cardList, filterForm }: StoriesPageParts,
): StoriesPageLocals {
  const { filters, sort, page, facets } = storyListing(library, query)
  const params = listingSearchParams(filters, sort)
  const canonical = new URLSearchParams(params)
  if (page.page > 1) canonical.set('page', String(page.page))
  const withQuery = (path: string): string =>
    params.size === 0 ? path : `${path}?${params.toString()}`
  return {
    pageTitle: storiesPageTitle(hasFilters(filters), page),
    page,
    storyCards: cardList.chunks(page.items),
    filterForm: filterForm.chunks(listFilterForm(facets, sort)),
    selectedFields: FILTER_PARAMS.flatMap((param) =>
      facets[param].filter((o) => o.selected).map((o) => ({ name: param, value: o.value })),
    ),
    selected: selectedFilters(facets, FILTER_PARAMS, FILTER_LEGENDS, '/stories', params),
    sort,
    sorts: STORY_SORTS,
    pagination: paginationParams(page, '/stories', params),
    canonicalUrl: absoluteUrl(
      baseUrl,
      canonical.size === 0 ? '/stories' : `/stories?${canonical.toString()}`,
    ),
    downloads: {
      storiesCsv: withQuery('/stories.csv'),
      quotesCsv: withQuery('/quotes.csv'),
      json: withQuery('/api/stories'),
    },
  }
}

export function registerStoryRoutes(app: Express, { content, config }: AppDeps): void {
  const env = viewEnvironment(app)
  const parts: StoriesPageParts = {
    cardList: new StoryCardList(env, { keep: !config.dev }),
    filterForm: new FilterForm(env),
  }
  const shell = new PageShell(env, content, {
    view: 'pages/stories.njk',
    block: 'content',
    path: '/stories',
    slots: ['pageTitle', 'canonicalUrl'],
    keep: !config.dev,
  })
  app.get('/stories', (req, res) => {
    const { library } = content.current
    const locals = storiesPageLocals(library, req.query, config.baseUrl, parts)
    // The layout rendered once and the content written in TypeScript: the same bytes as
    // rendering the template (test/web/stories-page.test.ts), without Nunjucks per request.
    const body = shell.bytes(locals, storiesMainChunks(locals))
    if (body === undefined) return res.render('pages/stories.njk', storiesTemplateLocals(locals))
    // As res.send sets the type for a string: sent as bytes, the same headers (and ETag).
    res.type('html').send(body)
  })

  const storyPages = new PageCache(content)
  app.get('/stories/:slug', (req, res, next) => {
    const { library } = content.current
    const found = lookUpStory(library, req.params.slug)
    // Browsers keep a #quote fragment across this redirect, so quote links survive renames.
    if (found.kind === 'alias') return res.redirect(301, paths.story(found.slug))
    if (found.kind === 'none') return next()
    const { story } = found
    // Rendered once per content snapshot; then the same bytes and ETag every time.
    storyPages.send(req, res, next, story.slug, 'pages/story.njk', () => ({
      story,
      themes: story.themes.map((t) => library.themeBySlug.get(t)).filter(Boolean),
      related: library.relatedStories(story),
      council: library.councilBySlug.get(story.councilSlug),
      structuredData: storyStructuredData(story, config.baseUrl, SITE_NAME),
      ogImage: storyOgImage(app, config.baseUrl, story),
    }))
  })
}

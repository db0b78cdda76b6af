import type { Express } from 'express'
import type { AppDeps } from '../../app.js'
import {
  FILTER_LEGENDS,
  FILTER_PARAMS,
  filterOptions,
  filtersToSearchParams,
  hasFilters,
  libraryFacets,
  parseFilters,
  queryValue,
  type FilterParam,
  type StoryFilters,
} from '../../content/filters.js'
import type { Library } from '../../content/library.js'
import type { Story } from '../../content/model.js'
import { absoluteUrl, paths } from '../links.js'
import { lookUpStory } from '../lookup.js'
import { storyOgImage } from '../og-image.js'
import { PageCache } from '../page-cache.js'
import { paginate, paginationParams, parsePageNumber } from '../pagination.js'
import { selectedFilters } from '../selected-filters.js'
import { PageShell } from '../page-shell.js'
import { SITE_NAME, viewEnvironment } from '../setup/views.js'
import {
  storiesMainChunks,
  storiesPageTitle,
  storiesTemplateLocals,
  type StoriesPageLocals,
} from '../stories-page.js'
import { StoryCardList } from '../story-cards.js'
import { FilterForm, type FilterFormParams } from '../filter-form.js'
import { storyStructuredData } from '../structured-data.js'

export const STORY_SORTS = {
  newest: 'Newest first',
  oldest: 'Oldest first',
  council: 'Council A to Z',
} as const
export type StorySort = keyof typeof STORY_SORTS

export function parseSort(raw: string): StorySort {
  return Object.hasOwn(STORY_SORTS, raw) ? (raw as StorySort) : 'newest'
}

const councilRanks = new WeakMap<readonly Story[], Map<Story, number>>()

export function sortStories(stories: readonly Story[], sort: StorySort, all = stories): Story[] {
  // Library order is newest first already.
  if (sort === 'newest') return [...stories]
  if (sort === 'oldest') return [...stories].reverse()
  // Council A to Z: the order of all stories is worked out once, then looked up.
  let rank = councilRanks.get(all)
  if (rank === undefined) {
    const ordered = [...all].sort(
      (a, b) =>
        a.council.localeCompare(b.council, 'en-GB', { sensitivity: 'base' }) ||
        b.published.localeCompare(a.published),
    )
    rank = new Map(ordered.map((s, i) => [s, i]))
    councilRanks.set(all, rank)
  }
  const r = rank
  return [...stories].sort((a, b) => (r.get(a) ?? 0) - (r.get(b) ?? 0))
}

/** The filtered, sorted story list for a query string: shared by /stories and the APIs. */
export function storyListing(library: Library, query: unknown) {
  const options = filterOptions(library)
  const filters = parseFilters(query, options)
  const sort = parseSort(queryValue(query, 'sort'))
  const { matching, facets } = libraryFacets(library, filters, options)
  const sorted = sortStories(matching, sort, library.stories)
  const page = paginate(sorted, parsePageNumber(queryValue(query, 'page')))
  /** `sorted` is every matching story (for downloads); `page` is the slice to show. */
  return { filters, sort, sorted, page, facets, options }
}

/** The query string that names a listing: its filters and sort, in a fixed order (no page). */
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

export function listingSearchParams(filters: StoryFilters, sort: StorySort): URLSearchParams {
  const params = filtersToSearchParams(filters)
  if (sort !== 'newest') params.set('sort', sort)
  return params
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

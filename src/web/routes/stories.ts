import type { Express } from 'express'
import type { AppDeps } from '../../app.js'
import {
  FILTER_LEGENDS,
  FILTER_PARAMS,
  facetCounts,
  filterOptions,
  filtersToSearchParams,
  hasFilters,
  parseFilters,
  queryValue,
  storyMatches,
} from '../../content/filters.js'
import type { Library } from '../../content/library.js'
import type { Story } from '../../content/model.js'
import { SLUG_PATTERN } from '../../content/schema.js'
import { paginate, paginationParams, parsePageNumber } from '../pagination.js'

export const STORY_SORTS = {
  newest: 'Newest first',
  oldest: 'Oldest first',
  council: 'Council A to Z',
} as const
export type StorySort = keyof typeof STORY_SORTS

export function parseSort(raw: string): StorySort {
  return Object.hasOwn(STORY_SORTS, raw) ? (raw as StorySort) : 'newest'
}

export function sortStories(stories: readonly Story[], sort: StorySort): Story[] {
  // Library order is newest first already.
  if (sort === 'newest') return [...stories]
  if (sort === 'oldest') return [...stories].reverse()
  return [...stories].sort(
    (a, b) =>
      a.council.localeCompare(b.council, 'en-GB', { sensitivity: 'base' }) ||
      b.published.localeCompare(a.published),
  )
}

/** The filtered, sorted story list for a query string: shared by /stories and the APIs. */
export function storyListing(library: Library, query: unknown) {
  const options = filterOptions(library)
  const filters = parseFilters(query, options)
  const sort = parseSort(queryValue(query, 'sort'))
  const matching = library.stories.filter((s) => storyMatches(s, filters))
  const sorted = sortStories(matching, sort)
  const page = paginate(sorted, parsePageNumber(queryValue(query, 'page')))
  const facets = facetCounts(library.stories, filters, options)
  return { filters, sort, page, facets, options }
}

export function registerStoryRoutes(app: Express, { content }: AppDeps): void {
  app.get('/stories', (req, res) => {
    const { library } = content.current
    const { filters, sort, page, facets } = storyListing(library, req.query)
    const params = filtersToSearchParams(filters)
    if (sort !== 'newest') params.set('sort', sort)
    const selected = FILTER_PARAMS.flatMap((param) =>
      facets[param]
        .filter((o) => o.selected)
        .map((o) => {
          const without = new URLSearchParams(params)
          without.delete(param, o.value)
          const qs = without.toString()
          return {
            param,
            legend: FILTER_LEGENDS[param],
            label: o.label,
            removeHref: qs === '' ? '/stories' : `/stories?${qs}`,
          }
        }),
    )
    res.render('pages/stories.njk', {
      page,
      facets,
      legends: FILTER_LEGENDS,
      filterParams: FILTER_PARAMS,
      filtered: hasFilters(filters),
      selected,
      sort,
      sorts: STORY_SORTS,
      pagination: paginationParams(page, '/stories', params),
    })
  })

  app.get('/stories/:slug', (req, res, next) => {
    const slug = req.params.slug
    if (!SLUG_PATTERN.test(slug)) return next()
    const { library } = content.current
    const story = library.storyBySlug.get(slug)
    if (!story) {
      const current = library.aliasToSlug.get(slug)
      // Browsers keep a #quote fragment across this redirect, so quote links survive renames.
      if (current !== undefined) return res.redirect(301, `/stories/${current}`)
      return next()
    }
    res.render('pages/story.njk', {
      story,
      themes: story.themes.map((t) => library.themeBySlug.get(t)).filter(Boolean),
      related: library.relatedStories(story),
      council: library.councilBySlug.get(story.councilSlug),
    })
  })
}

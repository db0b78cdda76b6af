import type { Library } from '../../content/library.js'
import type { Story } from '../../content/model.js'
import { derived } from '../../site/derived.js'
import { paginate, parsePageNumber } from '../pagination.js'
import { queryValue } from '../query-params.js'
import {
  filterOptions,
  filtersToSearchParams,
  libraryFacets,
  parseFilters,
  type StoryFilters,
} from './filters.js'

export const STORY_SORTS = {
  newest: 'Newest first',
  oldest: 'Oldest first',
  council: 'Council A to Z',
} as const
export type StorySort = keyof typeof STORY_SORTS

export function parseSort(raw: string): StorySort {
  return Object.hasOwn(STORY_SORTS, raw) ? (raw as StorySort) : 'newest'
}

/** Every story's place in council A to Z order (worked out once per list of stories). */
function councilRank(all: readonly Story[]): Map<Story, number> {
  const ordered = [...all].sort(
    (a, b) =>
      a.council.localeCompare(b.council, 'en-GB', { sensitivity: 'base' }) ||
      b.published.localeCompare(a.published),
  )
  return new Map(ordered.map((s, i) => [s, i]))
}

export function sortStories(stories: readonly Story[], sort: StorySort, all = stories): Story[] {
  // Library order is newest first already.
  if (sort === 'newest') return [...stories]
  if (sort === 'oldest') return [...stories].reverse()
  // Council A to Z: the order of all stories is worked out once, then looked up.
  const rank = derived(all, councilRank)
  return [...stories].sort((a, b) => (rank.get(a) ?? 0) - (rank.get(b) ?? 0))
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
export function listingSearchParams(filters: StoryFilters, sort: StorySort): URLSearchParams {
  const params = filtersToSearchParams(filters)
  if (sort !== 'newest') params.set('sort', sort)
  return params
}

import type { Library } from '../content/library.js'
import type { Quote, Story } from '../content/model.js'
import { SPEAKERS, type Speaker } from '../content/vocabulary.js'
import { derived } from '../site/derived.js'
import {
  FILTER_PARAMS,
  filterOptions,
  filtersToSearchParams,
  hasFilters,
  type StoryFilters,
} from './listing/filters.js'
import { FEED_LIMIT } from './open-data/atom.js'
import { queryValues } from './query-params.js'
import { searchParams, type SearchFilterParam, type SearchResults } from './search-results.js'

/**
 * The feeds of the story list and of search (issue 19): where a page's feed is, what it is
 * called, which query strings a feed refuses, and which stories a search feed lists. The
 * feeds are written by open-data/atom.ts, as the site's and the themes' are.
 *
 * A feed takes the page's parameters, read by the page's own functions (parseFilters,
 * parseSpeakers, queryValue), so it lists what the page lists. It is always newest first and
 * whole (up to FEED_LIMIT), so `sort` and `page` are left out of its address and ignored in it.
 */

export const STORIES_FEED_PATH = '/stories/feed.xml'
export const SEARCH_FEED_PATH = '/search/feed.xml'

/** A page's own feed: where it is (a path with the canonical query) and its title. */
export interface ListFeed {
  path: string
  title: string
  /** The page the feed follows, with the same parameters. */
  pagePath: string
}

const withQuery = (path: string, params: URLSearchParams): string =>
  params.size === 0 ? path : `${path}?${params.toString()}`

/**
 * The order the title names filters in: where and what kind of council, then the subject,
 * then when ("Stories: London, Transformation"), which reads as a sentence does. The
 * address keeps the pages' parameter order (FILTER_PARAMS).
 */
const TITLE_ORDER: readonly SearchFilterParam[] = [
  'region',
  'councilType',
  'control',
  'theme',
  'challenge',
  'year',
  'speaker',
]

/** What each parameter's values are, in words (titles and the 400 page). */
const VALUE_NOUNS: Readonly<Record<SearchFilterParam, string>> = {
  theme: 'theme',
  region: 'region',
  councilType: 'type of council',
  control: 'political control',
  challenge: 'type of challenge',
  year: 'year of challenge',
  speaker: 'speaker',
}

/** Labels of the options a filter can take, by value (once per library). */
function optionLabels(library: Library): Record<SearchFilterParam, ReadonlyMap<string, string>> {
  return derived(library, computeOptionLabels)
}

function computeOptionLabels(
  library: Library,
): Record<SearchFilterParam, ReadonlyMap<string, string>> {
  const options = filterOptions(library)
  const labels = {} as Record<SearchFilterParam, ReadonlyMap<string, string>>
  for (const param of FILTER_PARAMS) {
    labels[param] = new Map(options[param].map((o) => [o.value, o.label]))
  }
  labels.speaker = new Map(Object.entries(SPEAKERS))
  return labels
}

/**
 * The filters in words, for a feed's title: the filters in TITLE_ORDER, each as its ticked
 * options' labels in the filter panel's order, joined by "or" (a filter's options are ORed).
 * "Other" says of what ("Other type of council"), as two filters have an option of that name.
 */
export function filtersInWords(
  library: Library,
  filters: StoryFilters,
  speakers: readonly Speaker[] = [],
): string[] {
  const labels = optionLabels(library)
  const words: string[] = []
  for (const param of TITLE_ORDER) {
    const ticked: readonly string[] = param === 'speaker' ? speakers : filters[param]
    if (ticked.length === 0) continue
    const named = [...labels[param]].filter(([value]) => ticked.includes(value))
    const label = (text: string): string =>
      text === 'Other' ? `Other ${VALUE_NOUNS[param]}` : text
    words.push(named.map(([, text]) => label(text)).join(' or '))
  }
  return words
}

/** The feed of /stories with these filters. */
export function storiesFeed(library: Library, filters: StoryFilters): ListFeed {
  const params = filtersToSearchParams(filters)
  const words = filtersInWords(library, filters)
  return {
    path: withQuery(STORIES_FEED_PATH, params),
    title: hasFilters(filters) ? `Stories: ${words.join(', ')}` : 'Stories',
    pagePath: withQuery('/stories', params),
  }
}

/** The feed of /search for these words and filters (its page's parameters in its order). */
export function searchFeed(
  library: Library,
  query: string,
  filters: StoryFilters,
  speakers: readonly Speaker[],
): ListFeed {
  const params = new URLSearchParams({ q: query })
  for (const [name, value] of searchParams(filters, speakers, 'relevance')) {
    params.append(name, value)
  }
  const words = [`“${query}”`, ...filtersInWords(library, filters, speakers)]
  return {
    path: withQuery(SEARCH_FEED_PATH, params),
    title: `Search: ${words.join(', ')}`,
    pagePath: withQuery('/search', params),
  }
}

/** A feed's query string that it cannot answer truthfully, and why (for the 400 page). */
export class BadFeedQuery extends Error {
  readonly status = 400
  readonly expose = true
  /** What the person asking is told, on the 400 page. */
  readonly explanation: string

  constructor(explanation: string) {
    super('Bad feed query')
    this.name = 'BadFeedQuery'
    this.explanation = explanation
  }
}

/** Values longer than this are cut in the 400 page's explanation. */
const SHOWN_VALUE_CHARS = 60

/**
 * The first filter value in the query string that names no option, as a BadFeedQuery. The
 * pages ignore such values (a link to a removed theme still lists stories), but a feed
 * reader would then be subscribed, without a word, to a wider list than was asked for: it
 * gets a 400 that names the value instead. Parameters the pages do not read at all (and
 * `theme[]`-style names, which they do not read either) and empty values are ignored here as
 * there.
 */
export function unknownFilterValue(
  library: Library,
  query: unknown,
  params: readonly SearchFilterParam[],
): BadFeedQuery | undefined {
  const labels = optionLabels(library)
  for (const param of params) {
    for (const value of queryValues(query, param)) {
      // An empty value (`?year=`, as a form may send) asks for nothing: ignored.
      if (value === '' || labels[param].has(value)) continue
      // Control characters (a NUL) have no place in a page; a long value is cut.
      const printable = value.replace(/\p{Cc}/gu, '')
      const shown =
        printable.length > SHOWN_VALUE_CHARS
          ? `${printable.slice(0, SHOWN_VALUE_CHARS)}…`
          : printable
      const noun = VALUE_NOUNS[param]
      return new BadFeedQuery(
        `The ${noun} “${shown}”${noun === param ? '' : ` (${param})`} is not one this site ` +
          'has, so this feed cannot follow it. Choose filters on the stories list or the ' +
          'search page, then use its “Get updates to these results” link.',
      )
    }
  }
  return undefined
}

/** Each story's place in library.stories (newest first), once per library. */
function storyPlaces(library: Library): ReadonlyMap<Story, number> {
  return derived(library, computeStoryPlaces)
}

function computeStoryPlaces(library: Library): ReadonlyMap<Story, number> {
  return new Map(library.stories.map((story, i) => [story, i]))
}

/**
 * The newest `limit` stories a search found, newest first, whatever order the page shows them
 * in: those that matched through a quote (with the best-ranked such quote, for the entry's
 * summary) and those that matched themselves. A story found both ways is listed once. A common
 * word finds most of the library (72,000 quotes at 10,000 stories), so the found stories are
 * marked by their place and read off in library order, not sorted.
 */
export function searchFeedStories(
  library: Library,
  results: Pick<SearchResults, 'ranked'>,
  limit = FEED_LIMIT,
): { stories: Story[]; matchedQuotes: Map<Story, Quote> } {
  const { quotes, quoteStories, stories: matchedStories } = results.ranked
  const places = storyPlaces(library)
  const found = new Uint8Array(library.stories.length)
  const mark = (story: Story): void => {
    const place = places.get(story)
    if (place !== undefined) found[place] = 1
  }
  quoteStories.forEach(mark)
  matchedStories.forEach(mark)
  const stories: Story[] = []
  for (let i = 0; i < found.length && stories.length < limit; i++) {
    if (found[i] === 1) stories.push(library.stories[i] as Story)
  }
  const listed = new Set(stories)
  const matchedQuotes = new Map<Story, Quote>()
  quoteStories.forEach((story, n) => {
    if (listed.has(story) && !matchedQuotes.has(story)) matchedQuotes.set(story, quotes[n] as Quote)
  })
  return { stories, matchedQuotes }
}

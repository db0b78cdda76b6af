import {
  FILTER_LEGENDS,
  FILTER_PARAMS,
  weightedFacetCounts,
  filterOptions,
  filtersToSearchParams,
  hasFilters,
  parseFilters,
  queryValue,
  queryValues,
  storyFilter,
  type FacetOption,
  type FilterParam,
  type StoryFilters,
} from '../content/filters.js'
import type { Library } from '../content/library.js'
import type { Quote, Story } from '../content/model.js'
import { SPEAKERS, type Speaker } from '../content/vocabulary.js'
import {
  highlightQuote,
  highlightText,
  storySnippet,
  type SearchEngine,
  type SearchOutcome,
  type SearchSort,
} from '../search/index.js'
import { paginate, parsePageNumber, type Page } from './pagination.js'

/**
 * /search and /api/search share this: the engine ranks every matching quote and story for the
 * words; here they are narrowed by the /stories filters (on the quote's story) and by the
 * quote's speaker, counted per filter option, and cut to one page. Highlighting runs only on
 * the page shown.
 */

export const SEARCH_SORTS: Readonly<Record<SearchSort, string>> = {
  relevance: 'Most relevant',
  newest: 'Newest first',
}

export type SearchFilterParam = FilterParam | 'speaker'
export const SEARCH_FILTER_PARAMS: readonly SearchFilterParam[] = [...FILTER_PARAMS, 'speaker']
export const SEARCH_FILTER_LEGENDS: Readonly<Record<SearchFilterParam, string>> = {
  ...FILTER_LEGENDS,
  speaker: 'Who said it (quotes)',
}

export interface QuoteResult {
  kind: 'quote'
  quote: Quote
  story: Story
  /** Escaped quote text with matched words in <mark>. */
  textHtml: string
}

export interface StoryResult {
  kind: 'story'
  story: Story
  /** Escaped title with matched words in <mark>. */
  titleHtml: string
  /** Escaped snippet around the best match, matched words in <mark>. */
  snippetHtml: string
}

export type SearchResult = QuoteResult | StoryResult

export interface SearchResults {
  /** The query as searched (control characters removed, cut to the limit). */
  query: string
  outcome: SearchOutcome
  filters: StoryFilters
  speakers: Speaker[]
  sort: SearchSort
  quoteTotal: number
  storyTotal: number
  page: Page<SearchResult>
  facets: Record<SearchFilterParam, FacetOption[]>
  /** The filter and sort parameters, without q and page (for links that keep them). */
  params: URLSearchParams
  /** Whether any filter is applied. */
  filtered: boolean
}

export function parseSearchSort(raw: string): SearchSort {
  return raw === 'newest' ? 'newest' : 'relevance'
}

export function parseSpeakers(query: unknown): Speaker[] {
  return [...new Set(queryValues(query, 'speaker'))].filter((v): v is Speaker =>
    Object.hasOwn(SPEAKERS, v),
  )
}

export function searchParams(filters: StoryFilters, speakers: readonly string[], sort: SearchSort) {
  const params = filtersToSearchParams(filters)
  for (const speaker of speakers) params.append('speaker', speaker)
  if (sort !== 'relevance') params.set('sort', sort)
  return params
}

const quoteMaps = new WeakMap<Story, Map<string, Quote>>()

/** A story's quote by id (a Map per story, made on first use). */
function quoteOf(story: Story, id: string): Quote | undefined {
  let map = quoteMaps.get(story)
  if (map === undefined) {
    map = new Map(story.quotes.map((q) => [q.id, q]))
    quoteMaps.set(story, map)
  }
  return map.get(id)
}

export function runSearch(library: Library, engine: SearchEngine, query: unknown): SearchResults {
  const options = filterOptions(library)
  const filters = parseFilters(query, options)
  const speakers = parseSpeakers(query)
  const sort = parseSearchSort(queryValue(query, 'sort'))
  const outcome = engine.search(queryValue(query, 'q'), { sort })
  const passes = storyFilter(library, filters)

  // One pass over the hits: quotes whose story passes the story filters (before the speaker
  // filter, for its counts), and for the facet counts, the results each story stands for with
  // the speaker filter applied (its matching quotes, plus the story itself).
  const quotesInFilter: { quote: Quote; story: Story }[] = []
  const weight = new Map<Story, number>()
  const speakerCounts = new Map<string, number>()
  for (const hit of outcome.quoteHits) {
    const story = library.storyBySlug.get(hit.storySlug)
    const quote = story && quoteOf(story, hit.quoteId)
    if (!story || !quote) continue
    if (passes(story)) {
      quotesInFilter.push({ quote, story })
      speakerCounts.set(quote.speaker, (speakerCounts.get(quote.speaker) ?? 0) + 1)
    }
    if (speakers.length === 0 || speakers.includes(quote.speaker)) {
      weight.set(story, (weight.get(story) ?? 0) + 1)
    }
  }
  const quotes =
    speakers.length === 0
      ? quotesInFilter
      : quotesInFilter.filter(({ quote }) => speakers.includes(quote.speaker))
  // A speaker is a quote's: choosing one shows quotes only.
  const stories: Story[] = []
  if (speakers.length === 0) {
    for (const hit of outcome.storyHits) {
      const story = library.storyBySlug.get(hit.storySlug)
      if (!story) continue
      weight.set(story, (weight.get(story) ?? 0) + 1)
      if (passes(story)) stories.push(story)
    }
  }

  const results: (
    { kind: 'quote'; quote: Quote; story: Story } | { kind: 'story'; story: Story }
  )[] = [
    ...quotes.map(({ quote, story }) => ({ kind: 'quote' as const, quote, story })),
    ...stories.map((story) => ({ kind: 'story' as const, story })),
  ]
  const raw = paginate(results, parsePageNumber(queryValue(query, 'page')))
  const page: Page<SearchResult> = {
    ...raw,
    items: raw.items.map((item) =>
      item.kind === 'quote'
        ? { ...item, textHtml: highlightQuote(item.quote.text, outcome) }
        : {
            ...item,
            titleHtml: highlightText(item.story.title, outcome),
            snippetHtml: storySnippet(item.story, outcome, 240),
          },
    ),
  }

  return {
    query: outcome.query,
    outcome,
    filters,
    speakers,
    sort,
    quoteTotal: quotes.length,
    storyTotal: stories.length,
    page,
    facets: searchFacets(library, weight, speakerCounts, filters, speakers),
    params: searchParams(filters, speakers, sort),
    filtered: hasFilters(filters) || speakers.length > 0,
  }
}

/**
 * Counts for the current words: an option's count is how many results (quotes and stories)
 * there would be with it ticked, other filters as they are (ticked options of the same filter
 * are ORed, so they do not count each other out).
 */
function searchFacets(
  library: Library,
  weight: ReadonlyMap<Story, number>,
  speakerCounts: ReadonlyMap<string, number>,
  filters: StoryFilters,
  speakers: readonly Speaker[],
): Record<SearchFilterParam, FacetOption[]> {
  const storyFacets = weightedFacetCounts(library, weight, filters)
  return {
    ...storyFacets,
    speaker: Object.entries(SPEAKERS).map(([value, label]) => ({
      value,
      label,
      count: speakerCounts.get(value) ?? 0,
      selected: speakers.includes(value as Speaker),
    })),
  }
}

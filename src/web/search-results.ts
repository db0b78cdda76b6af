import {
  FILTER_LEGENDS,
  FILTER_PARAMS,
  weightedFacetCounts,
  filterOptions,
  filtersToSearchParams,
  hasFilters,
  parseFilters,
  filterMask,
  type FacetOption,
  type FilterParam,
  type StoryFilters,
} from './listing/filters.js'
import type { Library } from '../content/library.js'
import type { Quote, Story } from '../content/model.js'
import { SPEAKERS, type Speaker } from '../content/vocabulary.js'
import { SnippetIndex, type SearchOutcome, type SearchSort } from '../search/index.js'
import { derived } from '../site/derived.js'
import type { SiteContent } from '../site/state.js'
import { queryValue, queryValues } from './query-params.js'
import { paginateCount, parsePageNumber, type Page } from './pagination.js'

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

/** Which of the searched words (`SearchOutcome.words`) a result has and lacks. */
export interface WordsMatched {
  matched: string[]
  /** Empty for a result having every word; else a partial result ("Missing: power"). */
  missing: string[]
}

export interface QuoteResult extends WordsMatched {
  kind: 'quote'
  quote: Quote
  story: Story
  /** Escaped quote text with matched words in <mark>. */
  textHtml: string
}

export interface StoryResult extends WordsMatched {
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
  /** How many of quoteTotal (the first ones) have every word; the rest are partial. */
  quoteFullTotal: number
  /** How many of storyTotal (the first ones) have every word. */
  storyFullTotal: number
  page: Page<SearchResult>
  /**
   * Every result before paging, in the page's order (the search feed lists them all): the
   * quotes, each with its story at the same place in quoteStories, then the stories.
   */
  ranked: {
    quotes: readonly Quote[]
    quoteStories: readonly Story[]
    stories: readonly Story[]
  }
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

interface HitTarget {
  /** Place in library.stories (for the filter bitsets and facet weights). */
  i: number
  /** Each quote by id, with its speaker's place in SPEAKER_KEYS. */
  quotes: ReadonlyMap<string, { quote: Quote; speaker: number }>
}

const SPEAKER_KEYS = Object.keys(SPEAKERS) as Speaker[]

/** Story slug → its place and its quotes by id (to number the engine's documents once). */
function targetsOf(library: Library): ReadonlyMap<string, HitTarget> {
  return new Map(
    library.stories.map((story, i) => [
      story.slug,
      {
        i,
        quotes: new Map(
          story.quotes.map((quote) => [
            quote.id,
            { quote, speaker: SPEAKER_KEYS.indexOf(quote.speaker) },
          ]),
        ),
      },
    ]),
  )
}

/** The engine's story and quote numbers mapped to the library, once per (library, engine). */
interface NumberedTargets {
  /** Engine story number → place in library.stories, or -1. */
  storyPlace: Int32Array
  /** Engine quote number → its story's place in library.stories, or -1. */
  quotePlace: Int32Array
  quotes: (Quote | undefined)[]
  /** Engine quote number → its speaker's place in SPEAKER_KEYS. */
  quoteSpeaker: Uint8Array
}

function numberedTargetsOf({ library, search: engine }: SiteContent): NumberedTargets {
  const bySlug = targetsOf(library)
  const slugs = engine.storySlugs
  const refs = engine.quoteRefs
  const targets: NumberedTargets = {
    storyPlace: Int32Array.from(slugs, (slug) => bySlug.get(slug)?.i ?? -1),
    quotePlace: new Int32Array(refs.length),
    quotes: new Array<Quote | undefined>(refs.length),
    quoteSpeaker: new Uint8Array(refs.length),
  }
  refs.forEach((ref, n) => {
    const target = bySlug.get(slugs[ref.story] as string)
    const found = target?.quotes.get(ref.quoteId)
    targets.quotePlace[n] = target === undefined || found === undefined ? -1 : target.i
    targets.quotes[n] = found?.quote
    targets.quoteSpeaker[n] = found?.speaker ?? 0
  })
  return targets
}

/**
 * Each snapshot's stories and quotes tokenised once for highlighting, as they are first shown; a
 * reload brings a new library, and so a new index.
 */
const newSnippetIndex = (): SnippetIndex => new SnippetIndex()

export function runSearch(site: SiteContent, query: unknown): SearchResults {
  const { library, search: engine } = site
  const options = filterOptions(library)
  const filters = parseFilters(query, options)
  const speakers = parseSpeakers(query)
  const sort = parseSearchSort(queryValue(query, 'sort'))
  const { storyPlace, quotePlace, quotes, quoteSpeaker } = derived(site, numberedTargetsOf)
  const mask = filterMask(library, filters)
  const passes = (i: number): boolean =>
    mask === undefined || (((mask[i >>> 5] as number) >>> (i & 31)) & 1) === 1
  // By speaker's place in SPEAKER_KEYS: is it wanted, and how many quotes it has here.
  const wanted = SPEAKER_KEYS.map((k) => speakers.length === 0 || speakers.includes(k))
  // The engine ranks only what the filters let through (a speaker is a quote's: choosing one
  // shows quotes only); the facet counts below are made from every match.
  const outcome = engine.search(queryValue(query, 'q'), {
    sort,
    synonyms: site.synonyms,
    keepStory: (n) => {
      const i = storyPlace[n] as number
      return speakers.length === 0 && i >= 0 && passes(i)
    },
    keepQuote: (n) => {
      const i = quotePlace[n] as number
      return i >= 0 && passes(i) && wanted[quoteSpeaker[n] as number] === true
    },
  })
  const libraryStories = library.stories
  const quoteList: Quote[] = []
  const quoteStories: Story[] = []
  for (const n of outcome.quoteNumbers) {
    quoteList.push(quotes[n] as Quote)
    quoteStories.push(libraryStories[quotePlace[n] as number] as Story)
  }
  const stories: Story[] = []
  for (const n of outcome.storyNumbers)
    stories.push(libraryStories[storyPlace[n] as number] as Story)
  const { words } = outcome
  const wordsOf = (i: number, allWords: number, had: Uint16Array): WordsMatched => {
    if (i < allWords) return { matched: [...words], missing: [] }
    const bits = had[i - allWords] as number
    const has = (k: number) => ((bits >>> k) & 1) === 1
    return {
      matched: words.filter((_, k) => has(k)),
      missing: words.filter((_, k) => !has(k)),
    }
  }

  // For the facet counts, one pass over every match (there can be ~100,000: no object or string
  // per match): quotes whose story passes the story filters, by speaker (before the speaker
  // filter, for its own counts), and the results each story stands for with the speaker filter
  // applied (its matching quotes, plus the story itself), by the story's place in the library.
  const bySpeaker = new Float64Array(SPEAKER_KEYS.length)
  const weights = new Float64Array(library.stories.length)
  const weighed: number[] = []
  const { matchedQuoteNumbers, matchedStoryNumbers } = outcome
  for (let h = 0; h < matchedQuoteNumbers.length; h++) {
    const n = matchedQuoteNumbers[h] as number
    const i = quotePlace[n] as number
    if (i < 0) continue
    const speaker = quoteSpeaker[n] as number
    if (passes(i)) bySpeaker[speaker] = (bySpeaker[speaker] as number) + 1
    if (wanted[speaker] === true) {
      if (weights[i] === 0) weighed.push(i)
      weights[i] = (weights[i] as number) + 1
    }
  }
  const speakerCounts = new Map(SPEAKER_KEYS.map((k, n) => [k as string, bySpeaker[n] as number]))
  if (speakers.length === 0) {
    for (let h = 0; h < matchedStoryNumbers.length; h++) {
      const i = storyPlace[matchedStoryNumbers[h] as number] as number
      if (i < 0) continue
      if (weights[i] === 0) weighed.push(i)
      weights[i] = (weights[i] as number) + 1
    }
  }

  // Quotes first, then stories; only the page shown is made into results and highlighted.
  const page = paginateCount<SearchResult>(
    quoteList.length + stories.length,
    parsePageNumber(queryValue(query, 'page')),
    (start, end) => {
      const highlighter = derived(site, newSnippetIndex).forQuery(outcome.highlight)
      const items: SearchResult[] = []
      for (let n = start; n < end; n++) {
        if (n < quoteList.length) {
          const quote = quoteList[n] as Quote
          const story = quoteStories[n] as Story
          items.push({
            kind: 'quote',
            quote,
            story,
            textHtml: highlighter.quote(story, quote),
            ...wordsOf(n, outcome.quoteAllWords, outcome.quoteWordsHad),
          })
        } else {
          const story = stories[n - quoteList.length] as Story
          items.push({
            kind: 'story',
            story,
            titleHtml: highlighter.storyTitle(story),
            snippetHtml: highlighter.storySnippet(story, 240),
            ...wordsOf(n - quoteList.length, outcome.storyAllWords, outcome.storyWordsHad),
          })
        }
      }
      return items
    },
  )

  return {
    query: outcome.query,
    outcome,
    filters,
    speakers,
    sort,
    quoteTotal: quoteList.length,
    storyTotal: stories.length,
    quoteFullTotal: outcome.quoteAllWords,
    storyFullTotal: outcome.storyAllWords,
    page,
    ranked: { quotes: quoteList, quoteStories, stories },
    facets: searchFacets(library, weighed, weights, speakerCounts, filters, speakers),
    params: searchParams(filters, speakers, sort),
    filtered: hasFilters(filters) || speakers.length > 0,
  }
}

/**
 * Counts for the current words: an option's count is how many results (quotes and stories, those
 * with some of the words included: the engine decides whether to add them before any filter)
 * there would be with it ticked, other filters as they are (ticked options of the same filter
 * are ORed, so they do not count each other out).
 */
function searchFacets(
  library: Library,
  weighed: readonly number[],
  weights: Float64Array,
  speakerCounts: ReadonlyMap<string, number>,
  filters: StoryFilters,
  speakers: readonly Speaker[],
): Record<SearchFilterParam, FacetOption[]> {
  const storyFacets = weightedFacetCounts(library, weighed, weights, filters)
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

import type { Express } from 'express'
import type { AppDeps } from '../deps.js'
import { MAX_QUERY_CHARS } from '../../search/index.js'
import { FILTER_PARAMS } from '../listing/filters.js'
import { filterPanel, selectedFields } from '../filter-panel.js'
import { absoluteUrl } from '../links.js'
import { searchFeed } from '../list-feeds.js'
import { quoteJson, storySummaryJson } from '../open-data/json.js'
import { PAGE_SIZE, pageLinks, paginationParams } from '../pagination.js'
import {
  SEARCH_FILTER_LEGENDS,
  SEARCH_FILTER_PARAMS,
  SEARCH_SORTS,
  runSearch,
  type SearchResults,
} from '../search-results.js'
import { selectedFilters } from '../selected-filters.js'
import { openDataHeaders } from '../security-headers.js'

/** `/search?q=…` plus the filter and sort parameters: one shareable URL per state. */
function href(path: string, q: string, params: URLSearchParams, page = 1): string {
  const p = new URLSearchParams()
  if (q !== '') p.set('q', q)
  for (const [k, v] of params) p.append(k, v)
  if (page > 1) p.set('page', String(page))
  return p.size === 0 ? path : `${path}?${p.toString()}`
}

const WHY_IGNORED = {
  'stop-word': 'too common to search for',
  'too-long': 'longer than 40 characters',
  'too-many': 'only the first 12 words are searched',
  'too-short': 'a word* search needs at least 2 letters',
} as const

export function registerSearchRoutes(app: Express, { content, config }: AppDeps): void {
  app.get('/search', (req, res) => {
    const { library } = content.current
    const results = runSearch(content.current, req.query)
    const { query, outcome, params, page } = results
    const withQ = new URLSearchParams(params)
    if (query !== '') withQ.set('q', query)
    res.locals.headerQuery = query
    res.render('pages/search.njk', {
      results,
      // The page's results by kind (quotes come first), those with every word before the rest.
      quoteItems: page.items.filter((item) => item.kind === 'quote' && item.missing.length === 0),
      partialQuoteItems: page.items.filter(
        (item) => item.kind === 'quote' && item.missing.length > 0,
      ),
      storyItems: page.items.filter((item) => item.kind === 'story' && item.missing.length === 0),
      partialStoryItems: page.items.filter(
        (item) => item.kind === 'story' && item.missing.length > 0,
      ),
      query,
      // Nothing to search for yet: show the form and ways in, not "no results".
      blank: outcome.empty && query.trim() === '',
      maxQueryChars: MAX_QUERY_CHARS,
      ignored: outcome.ignored.map((i) => ({ word: i.word, why: WHY_IGNORED[i.reason] })),
      suggestions: outcome.suggestions.map((s) => ({
        query: s.query,
        href: href('/search', s.query, params),
      })),
      filterPanel: filterPanel({
        action: '/search',
        facets: results.facets,
        legends: SEARCH_FILTER_LEGENDS,
        params: SEARCH_FILTER_PARAMS,
        hidden: [
          ...(query !== '' ? [{ name: 'q', value: query }] : []),
          ...(results.sort !== 'relevance' ? [{ name: 'sort', value: results.sort }] : []),
        ],
        resultsId: 'app-results',
        countsNote: outcome.partial
          ? 'Each number is how many results, with all or some of your words, that option gives.'
          : 'Each number is how many results that option gives.',
      }),
      selectedFields: selectedFields(results.facets, SEARCH_FILTER_PARAMS),
      selected: selectedFilters(
        results.facets,
        SEARCH_FILTER_PARAMS,
        SEARCH_FILTER_LEGENDS,
        '/search',
        withQ,
      ),
      clearFiltersHref: href('/search', query, new URLSearchParams()),
      sorts: SEARCH_SORTS,
      pagination: paginationParams(page, '/search', withQ),
      themes: library.themes,
      apiHref: href('/api/search', query, params, page.page),
      // Words to follow: the search's feed (its words and filters, newest first).
      feed:
        query.trim() === ''
          ? undefined
          : searchFeed(library, query, results.filters, results.speakers),
      canonicalUrl: absoluteUrl(config.baseUrl, href('/search', query, params, page.page)),
    })
  })

  app.get('/api/search', openDataHeaders, (req, res) => {
    const results = runSearch(content.current, req.query)
    res.json(searchJson(results, config.baseUrl))
  })
}

/** The JSON of /api/search (docs/api.md): the same results, filters and pages as /search. */
export function searchJson(results: SearchResults, baseUrl: string) {
  const { query, outcome, params, page } = results
  const url = (path: string, n?: number): string =>
    absoluteUrl(baseUrl, href(path, query, params, n))
  return {
    data: page.items.map((item) =>
      item.kind === 'quote'
        ? {
            type: 'quote' as const,
            ...quoteJson(item.quote, baseUrl),
            textHtml: item.textHtml,
            story: storySummaryJson(item.story, baseUrl),
            matched: item.matched,
            missing: item.missing,
          }
        : {
            type: 'story' as const,
            ...storySummaryJson(item.story, baseUrl),
            titleHtml: item.titleHtml,
            snippetHtml: item.snippetHtml,
            matched: item.matched,
            missing: item.missing,
          },
    ),
    meta: {
      query,
      truncated: outcome.truncated,
      relaxed: outcome.relaxed,
      partial: outcome.partial,
      words: outcome.words,
      total: page.total,
      quoteTotal: results.quoteTotal,
      storyTotal: results.storyTotal,
      quoteFullTotal: results.quoteFullTotal,
      storyFullTotal: results.storyFullTotal,
      page: page.page,
      totalPages: page.totalPages,
      pageSize: PAGE_SIZE,
      sort: results.sort,
      filters: {
        ...Object.fromEntries(FILTER_PARAMS.map((p) => [p, results.filters[p]])),
        speaker: results.speakers,
      },
      facets: Object.fromEntries(
        SEARCH_FILTER_PARAMS.map((p) => [
          p,
          results.facets[p].map((o) => ({
            value: o.value,
            label: o.label,
            count: o.count,
            selected: o.selected,
          })),
        ]),
      ),
      suggestions: outcome.suggestions.map((s) => ({
        query: s.query,
        url: absoluteUrl(baseUrl, href('/search', s.query, params)),
      })),
      ignored: outcome.ignored,
      expansions: outcome.expansions,
    },
    links: {
      ...pageLinks(page, (n) => url('/api/search', n)),
      html: url('/search', page.page),
    },
  }
}

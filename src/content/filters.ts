import type { Library } from './library.js'
import type { Story } from './model.js'
import { CHALLENGE_TYPES, COUNCIL_TYPES, POLITICAL_CONTROLS, REGIONS } from './vocabulary.js'

/**
 * The /stories filter parameters: a public contract (LGA pages link to them). Each is
 * repeatable: OR within a parameter, AND across parameters. Unknown values are ignored.
 */
export const FILTER_PARAMS = ['theme', 'region', 'councilType', 'control', 'challenge', 'year'] as const
export type FilterParam = (typeof FILTER_PARAMS)[number]
export type StoryFilters = Readonly<Record<FilterParam, readonly string[]>>

export const FILTER_LEGENDS: Readonly<Record<FilterParam, string>> = {
  theme: 'Theme',
  region: 'Region',
  councilType: 'Type of council',
  control: 'Political control',
  challenge: 'Type of challenge',
  year: 'Year of challenge',
}

const MAX_VALUES_PER_PARAM = 50

/**
 * Express 5 gives a query value as a string, an array (`q=a&q=b`), or an object (`q[x]=a`).
 * Normalise to a list of strings; anything else is dropped.
 */
export function queryValues(query: unknown, name: string): string[] {
  if (query === null || typeof query !== 'object') return []
  const raw: unknown = Object.hasOwn(query, name) ? (query as Record<string, unknown>)[name] : undefined
  const list = Array.isArray(raw) ? raw : [raw]
  return list.filter((v): v is string => typeof v === 'string').slice(0, MAX_VALUES_PER_PARAM)
}

/** The first string value of a parameter, or '' (for `q`, `page`, `sort`). */
export function queryValue(query: unknown, name: string): string {
  return queryValues(query, name)[0] ?? ''
}

export interface FilterOption {
  value: string
  label: string
}

/** Every option of every filter, in display order. */
export function filterOptions(library: Library): Record<FilterParam, FilterOption[]> {
  const fromRecord = (record: Record<string, string>): FilterOption[] =>
    Object.entries(record).map(([value, label]) => ({ value, label }))
  const years = [...new Set(library.stories.map((s) => s.challenge.year))].sort((a, b) => b - a)
  return {
    theme: library.themes.map((t) => ({ value: t.slug, label: t.title })),
    region: fromRecord(REGIONS),
    councilType: fromRecord(COUNCIL_TYPES),
    control: fromRecord(POLITICAL_CONTROLS),
    challenge: fromRecord(CHALLENGE_TYPES),
    year: years.map((y) => ({ value: String(y), label: String(y) })),
  }
}

/** A story's values for each filter parameter. */
export function storyFacetValues(story: Story): Record<FilterParam, readonly string[]> {
  return {
    theme: story.themes,
    region: [story.region],
    councilType: [story.councilType],
    control: story.politicalControl === undefined ? [] : [story.politicalControl],
    challenge: [story.challenge.type],
    year: [String(story.challenge.year)],
  }
}

export function parseFilters(
  query: unknown,
  options: Record<FilterParam, FilterOption[]>,
): StoryFilters {
  const parsed = {} as Record<FilterParam, string[]>
  for (const param of FILTER_PARAMS) {
    const valid = new Set(options[param].map((o) => o.value))
    parsed[param] = [...new Set(queryValues(query, param))].filter((v) => valid.has(v))
  }
  return parsed
}

export function hasFilters(filters: StoryFilters): boolean {
  return FILTER_PARAMS.some((p) => filters[p].length > 0)
}

export function storyMatches(story: Story, filters: StoryFilters, except?: FilterParam): boolean {
  const values = storyFacetValues(story)
  for (const param of FILTER_PARAMS) {
    if (param === except) continue
    const wanted = filters[param]
    if (wanted.length === 0) continue
    if (!values[param].some((v) => wanted.includes(v))) return false
  }
  return true
}

export interface FacetOption extends FilterOption {
  count: number
  selected: boolean
}

/**
 * Counts per option, "disjunctive" style: an option's count is the number of results if
 * it were added to the current selection, so counts within one filter do not collapse to
 * zero once one of its options is ticked.
 */
export function facetCounts(
  stories: readonly Story[],
  filters: StoryFilters,
  options: Record<FilterParam, FilterOption[]>,
  weight: (story: Story) => number = () => 1,
): Record<FilterParam, FacetOption[]> {
  const counts = {} as Record<FilterParam, Map<string, number>>
  for (const param of FILTER_PARAMS) counts[param] = new Map()
  for (const story of stories) {
    const values = storyFacetValues(story)
    const w = weight(story)
    if (w === 0) continue
    for (const param of FILTER_PARAMS) {
      if (!storyMatches(story, filters, param)) continue
      for (const value of values[param]) {
        counts[param].set(value, (counts[param].get(value) ?? 0) + w)
      }
    }
  }
  const result = {} as Record<FilterParam, FacetOption[]>
  for (const param of FILTER_PARAMS) {
    result[param] = options[param].map((o) => ({
      ...o,
      count: counts[param].get(o.value) ?? 0,
      selected: filters[param].includes(o.value),
    }))
  }
  return result
}

/** Query string for a filter state (for pagination and "remove filter" links). */
export function filtersToSearchParams(filters: StoryFilters): URLSearchParams {
  const params = new URLSearchParams()
  for (const param of FILTER_PARAMS) for (const value of filters[param]) params.append(param, value)
  return params
}

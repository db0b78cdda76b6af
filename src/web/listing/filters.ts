import type { Library } from '../../content/library.js'
import type { Story } from '../../content/model.js'
import { derived } from '../../site/derived.js'
import { queryValues } from '../query-params.js'
import {
  CHALLENGE_TYPES,
  COUNCIL_TYPES,
  POLITICAL_CONTROLS,
  REGIONS,
} from '../../content/vocabulary.js'

/**
 * The /stories filter parameters: a public contract (LGA pages link to them). Each is
 * repeatable: OR within a parameter, AND across parameters. Unknown values are ignored.
 */
export const FILTER_PARAMS = [
  'theme',
  'region',
  'councilType',
  'control',
  'challenge',
  'year',
] as const
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

export interface FilterOption {
  value: string
  label: string
}

/** Every option of every filter, in display order (worked out once per library). */
export function filterOptions(library: Library): Record<FilterParam, FilterOption[]> {
  return derived(library, computeFilterOptions)
}

function computeFilterOptions(library: Library): Record<FilterParam, FilterOption[]> {
  const fromRecord = (record: Record<string, string>): FilterOption[] =>
    Object.entries(record).map(([value, label]) => ({ value, label }))
  const years = [...new Set(library.stories.map((s) => s.challenge.year))].sort((a, b) => b - a)
  const options = {
    theme: library.themes.map((t) => ({ value: t.slug, label: t.title })),
    region: fromRecord(REGIONS),
    councilType: fromRecord(COUNCIL_TYPES),
    control: fromRecord(POLITICAL_CONTROLS),
    challenge: fromRecord(CHALLENGE_TYPES),
    year: years.map((y) => ({ value: String(y), label: String(y) })),
  }
  return options
}

/** A story's values for each filter parameter (worked out once per story). */
export function storyFacetValues(story: Story): Record<FilterParam, readonly string[]> {
  return derived(story, computeStoryFacetValues)
}

function computeStoryFacetValues(story: Story): Record<FilterParam, readonly string[]> {
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
  const active = FILTER_PARAMS.filter((p) => filters[p].length > 0)
  for (const story of stories) {
    const w = weight(story)
    if (w === 0) continue
    const values = storyFacetValues(story)
    // A story counts for a filter's options if it passes every other filter: so it counts
    // everywhere if it fails none, only for that filter if it fails one, nowhere if it fails two.
    let failed: FilterParam | undefined
    let failures = 0
    for (const param of active) {
      const wanted = filters[param]
      if (!values[param].some((v) => wanted.includes(v))) {
        failed = param
        if (++failures > 1) break
      }
    }
    if (failures > 1) continue
    for (const param of FILTER_PARAMS) {
      if (failures === 1 && param !== failed) continue
      const map = counts[param]
      for (const value of values[param]) map.set(value, (map.get(value) ?? 0) + w)
    }
  }
  return facetOptions(filters, options, (param, value) => counts[param].get(value) ?? 0)
}

function facetOptions(
  filters: StoryFilters,
  options: Record<FilterParam, FilterOption[]>,
  count: (param: FilterParam, value: string, i: number) => number,
): Record<FilterParam, FacetOption[]> {
  const result = {} as Record<FilterParam, FacetOption[]>
  for (const param of FILTER_PARAMS) {
    // Fields written out: `{ ...o }` here took 80% of facetOptions' time (V8's object-spread
    // path), 0.1 ms per /stories request at 1,000 stories; same fields, same order.
    result[param] = options[param].map((o, i) => ({
      value: o.value,
      label: o.label,
      count: count(param, o.value, i),
      selected: filters[param].includes(o.value),
    }))
  }
  return result
}

/**
 * The whole library's stories as bitsets, one per filter option (bit i: library.stories[i] has
 * it), built once per library: /stories then filters and counts with a few hundred word
 * operations instead of a pass over every story per filter.
 */
interface FacetIndex {
  words: number
  bits: Record<FilterParam, Map<string, Uint32Array>>
  /** Story → its position in library.stories. */
  position: Map<Story, number>
  /** Per filter, per story position: indexes in filterOptions(library)[param] of its values. */
  optionIds: Record<FilterParam, number[][]>
  /** Per filter: how many options filterOptions(library) has, and their bitsets by index. */
  optionCount: Record<FilterParam, number>
  bitsById: Record<FilterParam, Uint32Array[]>
  /** Per filter: each option's value → its index in filterOptions(library)[param]. */
  idOf: Record<FilterParam, Map<string, number>>
  /** Options numbered across filters: a filter's first option's number, and how many in all. */
  offset: Record<FilterParam, number>
  total: number
  /** pairs[a * total + b]: the stories having both option a and option b (a = b: having a). */
  pairs: Uint32Array
  /** Filters where no story has two values, so the stories of two options never overlap. */
  singleValued: Record<FilterParam, boolean>
  /**
   * Every story's options, numbered across filters (as in `pairs`), in one flat array: story i's
   * are storyOptions[storyOptionStart[i] .. storyOptionStart[i + 1]), filter by filter. Search
   * counts its facets over thousands of matches; one run per story is read without following an
   * array per story and per filter.
   */
  storyOptionStart: Uint32Array
  storyOptions: Uint16Array
  /** The filter (its place in FILTER_PARAMS) of each option number. */
  paramOfOption: Uint8Array
}

function facetIndex(library: Library): FacetIndex {
  return derived(library, computeFacetIndex)
}

function computeFacetIndex(library: Library): FacetIndex {
  const words = Math.ceil(library.stories.length / 32)
  const bits = {} as Record<FilterParam, Map<string, Uint32Array>>
  for (const param of FILTER_PARAMS) bits[param] = new Map()
  library.stories.forEach((story, i) => {
    const values = storyFacetValues(story)
    for (const param of FILTER_PARAMS) {
      for (const value of values[param]) {
        let set = bits[param].get(value)
        if (set === undefined) bits[param].set(value, (set = new Uint32Array(words)))
        set[i >>> 5] = (set[i >>> 5] as number) | (1 << (i & 31))
      }
    }
  })
  const options = filterOptions(library)
  const optionIds = {} as Record<FilterParam, number[][]>
  for (const param of FILTER_PARAMS) {
    const at = new Map(options[param].map((o, i) => [o.value, i]))
    optionIds[param] = library.stories.map((story) =>
      storyFacetValues(story)[param].flatMap((v) => {
        const id = at.get(v)
        return id === undefined ? [] : [id]
      }),
    )
  }
  const optionCount = {} as Record<FilterParam, number>
  const bitsById = {} as Record<FilterParam, Uint32Array[]>
  for (const param of FILTER_PARAMS) {
    optionCount[param] = options[param].length
    bitsById[param] = options[param].map((o) => bits[param].get(o.value) ?? new Uint32Array(words))
  }
  const idOf = {} as Record<FilterParam, Map<string, number>>
  const offset = {} as Record<FilterParam, number>
  const singleValued = {} as Record<FilterParam, boolean>
  let total = 0
  for (const param of FILTER_PARAMS) {
    idOf[param] = new Map(options[param].map((o, i) => [o.value, i]))
    offset[param] = total
    total += options[param].length
    singleValued[param] = optionIds[param].every((ids) => ids.length <= 1)
  }
  // A few thousand counters (about 70 options squared), filled in one pass over the stories.
  const pairs = new Uint32Array(total * total)
  const ids: number[] = []
  const storyOptionStart = new Uint32Array(library.stories.length + 1)
  const allIds: number[] = []
  library.stories.forEach((_, i) => {
    ids.length = 0
    for (const param of FILTER_PARAMS) {
      for (const id of optionIds[param][i] as number[]) ids.push(offset[param] + id)
    }
    for (const a of ids)
      for (const b of ids) pairs[a * total + b] = (pairs[a * total + b] as number) + 1
    storyOptionStart[i] = allIds.length
    allIds.push(...ids)
  })
  storyOptionStart[library.stories.length] = allIds.length
  const paramOfOption = new Uint8Array(total)
  FILTER_PARAMS.forEach((param, p) =>
    paramOfOption.fill(p, offset[param], offset[param] + optionCount[param]),
  )
  return {
    words,
    bits,
    position: new Map(library.stories.map((story, i) => [story, i])),
    optionIds,
    optionCount,
    bitsById,
    idOf,
    offset,
    total,
    pairs,
    singleValued,
    storyOptionStart,
    storyOptions: Uint16Array.from(allIds),
    paramOfOption,
  }
}

/** Stories passing every filter (but `except`), as a bitset over library.stories. */
function matchingBits(index: FacetIndex, filters: StoryFilters, except?: FilterParam): Uint32Array {
  const mask = new Uint32Array(index.words).fill(0xffffffff)
  for (const param of FILTER_PARAMS) {
    if (param === except || filters[param].length === 0) continue
    const any = new Uint32Array(index.words)
    for (const value of filters[param]) {
      const set = index.bits[param].get(value)
      if (set === undefined) continue
      for (let w = 0; w < any.length; w++) any[w] = (any[w] as number) | (set[w] as number)
    }
    for (let w = 0; w < mask.length; w++) mask[w] = (mask[w] as number) & (any[w] as number)
  }
  return mask
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333)
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24
}

/**
 * facetCounts over some of the library's stories, each with a weight (search: the results a
 * story stands for), from the library's bitsets and option ids: no strings per story.
 * `positions` are the stories' places in library.stories; `weights[position]` their weights.
 */
export function weightedFacetCounts(
  library: Library,
  positions: readonly number[],
  weights: Float64Array,
  filters: StoryFilters,
): Record<FilterParam, FacetOption[]> {
  const options = filterOptions(library)
  const index = facetIndex(library)
  const active = FILTER_PARAMS.filter((p) => filters[p].length > 0)
  // Per active filter: the stories having any of its ticked options.
  const anyOf = active.map((p) => {
    const only = {} as Record<FilterParam, readonly string[]>
    for (const q of FILTER_PARAMS) only[q] = q === p ? filters[p] : []
    return matchingBits(index, only as StoryFilters)
  })
  const failedParam = active.map((p) => FILTER_PARAMS.indexOf(p))
  // One counter per option number; each option's weights are added in the order of `positions`,
  // as before, so the sums are the same to the last bit.
  const counts = new Float64Array(index.total)
  const { storyOptionStart: start, storyOptions: story, paramOfOption } = index
  for (const i of positions) {
    const w = weights[i] as number
    if (w === 0) continue
    let failed = -1
    let failures = 0
    for (let a = 0; a < anyOf.length; a++) {
      if (((((anyOf[a] as Uint32Array)[i >>> 5] as number) >>> (i & 31)) & 1) === 0) {
        failed = failedParam[a] as number
        if (++failures > 1) break
      }
    }
    if (failures > 1) continue
    const end = start[i + 1] as number
    if (failures === 0) {
      for (let k = start[i] as number; k < end; k++) {
        const o = story[k] as number
        counts[o] = (counts[o] as number) + w
      }
    } else {
      // Failing one filter only: the story counts towards that filter's options alone.
      for (let k = start[i] as number; k < end; k++) {
        const o = story[k] as number
        if (paramOfOption[o] === failed) counts[o] = (counts[o] as number) + w
      }
    }
  }
  return facetOptions(
    filters,
    options,
    (param, _value, i) => (counts[index.offset[param] + i] as number | undefined) ?? 0,
  )
}

/**
 * The stories passing the filters as a bitset over library.stories (bit i: library.stories[i]),
 * or undefined when there are no filters (every story passes).
 */
export function filterMask(library: Library, filters: StoryFilters): Uint32Array | undefined {
  return hasFilters(filters) ? matchingBits(facetIndex(library), filters) : undefined
}

/**
 * The library's stories that pass the filters (in library order) and the facet counts, as
 * facetCounts(library.stories, …) would give them, from the library's bitsets.
 */
export function libraryFacets(
  library: Library,
  filters: StoryFilters,
  options: Record<FilterParam, FilterOption[]>,
): { matching: Story[]; facets: Record<FilterParam, FacetOption[]> } {
  const index = facetIndex(library)
  const all = matchingBits(index, filters)
  const matching: Story[] = []
  // The set bits only, in order: a filtered list matches a small part of the library.
  for (let w = 0; w < all.length; w++) {
    let word = all[w] as number
    while (word !== 0) {
      const i = (w << 5) | (31 - Math.clz32(word & -word))
      word &= word - 1
      const story = library.stories[i]
      if (story === undefined) break
      matching.push(story)
    }
  }
  // Counts by option index need the options in the index's order, which is filterOptions'.
  if (options === filterOptions(library)) {
    return { matching, facets: facetOptions(filters, options, countsByWalk(index, filters, all)) }
  }
  const masks = new Map<FilterParam, Uint32Array>()
  const facets = facetOptions(filters, options, (param, value) => {
    let mask = masks.get(param)
    // A filter with nothing ticked leaves out no story: its mask is the full match.
    if (mask === undefined) {
      mask = filters[param].length === 0 ? all : matchingBits(index, filters, param)
      masks.set(param, mask)
    }
    const set = index.bits[param].get(value)
    if (set === undefined) return 0
    let n = 0
    for (let w = 0; w < mask.length; w++) n += popcount((mask[w] as number) & (set[w] as number))
    return n
  })
  return { matching, facets }
}

/**
 * libraryFacets' counts by option index (of filterOptions(library)), from the stories each
 * filter's counts cover (those passing every other filter): their option ids are added up.
 * A popcount per option over the whole library (the way for options not in the index's
 * order) costs options × words, about 22,000 word operations per request at 10,000 stories,
 * while the bench's two-filter lists cover a few hundred stories. The filters with nothing
 * ticked share the full match, so it is walked once for all of them; a mask is walked only
 * when that is cheaper than the popcounts (an unfiltered list covers every story).
 */
const WALK_COST = 4

function countsByWalk(
  index: FacetIndex,
  filters: StoryFilters,
  all: Uint32Array,
): (param: FilterParam, value: string, i: number) => number {
  const stories = index.position.size
  const counts = {} as Record<FilterParam, Uint32Array>
  const idle: FilterParam[] = []
  for (const param of FILTER_PARAMS) {
    counts[param] = new Uint32Array(index.optionCount[param])
    if (filters[param].length === 0) idle.push(param)
  }
  const count = (mask: Uint32Array, params: readonly FilterParam[]): void => {
    let options = 0
    for (const param of params) options += index.optionCount[param]
    let size = 0
    for (let w = 0; w < mask.length; w++) size += popcount(mask[w] as number)
    // Walking adds each covered story's ids for every filter; popcounts cost a word per option.
    // A story walked costs about four word operations (measured at 1,000 and 10,000 stories).
    if (size * params.length * WALK_COST > options * mask.length) {
      for (const param of params) {
        const row = counts[param]
        index.bitsById[param].forEach((set, id) => {
          let n = 0
          for (let w = 0; w < mask.length; w++) {
            n += popcount((mask[w] as number) & (set[w] as number))
          }
          row[id] = n
        })
      }
      return
    }
    const rows = params.map((param) => counts[param])
    const ids = params.map((param) => index.optionIds[param])
    for (let w = 0; w < mask.length; w++) {
      let word = mask[w] as number
      while (word !== 0) {
        const i = (w << 5) | (31 - Math.clz32(word & -word))
        word &= word - 1
        if (i >= stories) break
        for (let p = 0; p < rows.length; p++) {
          const row = rows[p] as Uint32Array
          for (const id of (ids[p] as number[][])[i] as number[]) row[id] = (row[id] as number) + 1
        }
      }
    }
  }
  if (idle.length > 0) count(all, idle)
  for (const param of FILTER_PARAMS) {
    if (filters[param].length === 0) continue
    if (!countFromPairs(index, filters, param, counts[param])) {
      count(matchingBits(index, filters, param), [param])
    }
  }
  return (param, _value, i) => counts[param][i] ?? 0
}

/**
 * A ticked filter's counts from the index's pair counts, when the stories they cover are one
 * other filter's ticked options (or every story): its option's count is then the stories
 * having both, summed over the other filter's ticked options when no story has two of those.
 * That is every list with one or two filters ticked, one value each or values of a
 * one-value filter (region, type of council, control, challenge, year): a few lookups per
 * option instead of a pass over the library's bitsets. False when it does not apply.
 */
function countFromPairs(
  index: FacetIndex,
  filters: StoryFilters,
  param: FilterParam,
  row: Uint32Array,
): boolean {
  let other: FilterParam | undefined
  for (const q of FILTER_PARAMS) {
    if (q === param || filters[q].length === 0) continue
    if (other !== undefined) return false
    other = q
  }
  const { pairs, total } = index
  const first = index.offset[param]
  if (other === undefined) {
    for (let i = 0; i < row.length; i++) row[i] = pairs[(first + i) * total + first + i] as number
    return true
  }
  const values = filters[other]
  if (values.length > 1 && !index.singleValued[other]) return false
  const columns: number[] = []
  for (const value of values) {
    const id = index.idOf[other].get(value)
    if (id === undefined) return false
    const column = index.offset[other] + id
    if (columns.includes(column)) return false
    columns.push(column)
  }
  for (let i = 0; i < row.length; i++) {
    let n = 0
    for (const column of columns) n += pairs[(first + i) * total + column] as number
    row[i] = n
  }
  return true
}

/** Query string for a filter state (for pagination and "remove filter" links). */
export function filtersToSearchParams(filters: StoryFilters): URLSearchParams {
  const params = new URLSearchParams()
  for (const param of FILTER_PARAMS) for (const value of filters[param]) params.append(param, value)
  return params
}

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeCorpus } from '../../scripts/generate-corpus.js'
import {
  FILTER_PARAMS,
  facetCounts,
  filterOptions,
  libraryFacets,
  weightedFacetCounts,
  storyFacetValues,
  type FilterParam,
  type StoryFilters,
} from '../../src/web/listing/filters.js'
import type { Library } from '../../src/content/library.js'
import { loadContent } from '../../src/content/load.js'
import type { Story } from '../../src/content/model.js'
import { mulberry32 } from '../../scripts/generate-corpus.js'
import { sortStories } from '../../src/web/listing/story-listing.js'

/**
 * Facet counts and filtering are computed from bitsets (libraryFacets) and a one-pass count
 * (facetCounts); both must give what the plain definition gives: an option's count is the
 * number of stories passing every other filter that have that option.
 */
let library: Library
let root: string
beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'facets-'))
  writeCorpus(root, { count: 300, seed: 11 })
  library = await loadContent({ contentDir: root, includeDrafts: false })
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

function matches(story: Story, filters: StoryFilters, except?: FilterParam): boolean {
  const values = storyFacetValues(story)
  return FILTER_PARAMS.every(
    (p) => p === except || filters[p].length === 0 || values[p].some((v) => filters[p].includes(v)),
  )
}

function reference(stories: readonly Story[], filters: StoryFilters, weight: (s: Story) => number) {
  const options = filterOptions(library)
  return Object.fromEntries(
    FILTER_PARAMS.map((p) => [
      p,
      options[p].map((o) => ({
        ...o,
        count: stories
          .filter((s) => matches(s, filters, p) && storyFacetValues(s)[p].includes(o.value))
          .reduce((n, s) => n + weight(s), 0),
        selected: filters[p].includes(o.value),
      })),
    ]),
  )
}

function randomFilters(random: () => number): StoryFilters {
  const options = filterOptions(library)
  const filters = {} as Record<FilterParam, string[]>
  for (const p of FILTER_PARAMS) {
    filters[p] = options[p].filter(() => random() < 0.12).map((o) => o.value)
  }
  return filters
}

describe('facets', () => {
  it('libraryFacets and facetCounts agree with the definition on 200 random filter sets', () => {
    const random = mulberry32(5)
    const none = randomFilters(() => 1)
    for (const filters of [none, ...Array.from({ length: 200 }, () => randomFilters(random))]) {
      const { matching, facets } = libraryFacets(library, filters, filterOptions(library))
      expect(matching).toEqual(library.stories.filter((s) => matches(s, filters)))
      expect(facets).toEqual(reference(library.stories, filters, () => 1))
      // Options that are not the library's own (by identity) are counted by popcounts instead.
      const copied = libraryFacets(library, filters, { ...filterOptions(library) })
      expect(copied).toEqual({ matching, facets })
      const subset = library.stories.filter((_, i) => i % 3 !== 0)
      const weight = (s: Story): number => s.quotes.length % 4
      expect(facetCounts(subset, filters, filterOptions(library), weight)).toEqual(
        reference(subset, filters, weight),
      )
      const weights = new Float64Array(library.stories.length)
      const positions = subset.map((s) => library.stories.indexOf(s))
      for (const i of positions) weights[i] = weight(library.stories[i] as Story)
      expect(weightedFacetCounts(library, positions, weights, filters)).toEqual(
        reference(subset, filters, weight),
      )
    }
    // 201 filter sets, each counted five ways: 7 s on a busy two-core machine.
  }, 60_000)

  it('libraryFacets agrees with the definition on 300 sets of one or two filters (its pair counts)', () => {
    const random = mulberry32(9)
    const options = filterOptions(library)
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T
    for (let n = 0; n < 300; n++) {
      const filters = {} as Record<FilterParam, string[]>
      for (const p of FILTER_PARAMS) filters[p] = []
      const first = pick(FILTER_PARAMS)
      const params = random() < 0.3 ? [first] : [first, pick(FILTER_PARAMS.filter((p) => p !== first))]
      for (const p of params) {
        // One value mostly; two or three (themes overlap, regions do not) a third of the time.
        const count = random() < 0.66 ? 1 : 2 + Math.floor(random() * 2)
        while (filters[p].length < Math.min(count, options[p].length)) {
          const value = pick(options[p]).value
          if (!filters[p].includes(value)) filters[p].push(value)
        }
      }
      const { matching, facets } = libraryFacets(library, filters, options)
      expect(matching).toEqual(library.stories.filter((s) => matches(s, filters)))
      expect(facets).toEqual(reference(library.stories, filters, () => 1))
    }
  })

  it('sorting by council from the memoised order equals sorting the subset itself', () => {
    const subset = library.stories.filter((_, i) => i % 4 === 1)
    const direct = [...subset].sort(
      (a, b) =>
        a.council.localeCompare(b.council, 'en-GB', { sensitivity: 'base' }) ||
        b.published.localeCompare(a.published),
    )
    expect(sortStories(subset, 'council', library.stories)).toEqual(direct)
    expect(sortStories(subset, 'council')).toEqual(direct)
  })
})

import { describe, expect, it } from 'vitest'
import { benchQueries } from '../../scripts/bench/queries.js'
import {
  filterMask,
  filterOptions,
  parseFilters,
  weightedFacetCounts,
} from '../../src/web/listing/filters.js'
import { buildLibrary } from '../../src/content/library.js'
import { SPEAKERS, type Speaker } from '../../src/content/vocabulary.js'
import { buildSearchEngine, type SearchSort } from '../../src/search/index.js'
import { runSearch } from '../../src/web/search-results.js'
import { generateStories } from '../search/fixtures/factory.js'
import * as before from '../search/fixtures/highlight-before.js'

/*
 * runSearch asks the engine to rank only what the filters let through, and counts the facets
 * from every match. Whatever the query and filters, that must give what ranking every match and
 * filtering afterwards gives (the reference below, written the slow, obvious way from the
 * engine's hit objects): the same totals, the same results in the same order on every page, the
 * same counts.
 */

const { stories, themes } = generateStories(160, 31)
const library = buildLibrary(stories, themes)
const engine = buildSearchEngine(library.stories, library.themes)
/** One snapshot, as the app holds it: what runSearch derives from it is worked out once. */
const site = { library, search: engine }
const SPEAKER_KEYS = Object.keys(SPEAKERS) as Speaker[]

function reference(query: Record<string, string | string[]>) {
  const filters = parseFilters(query, filterOptions(library))
  const speakers = ([] as string[]).concat(query.speaker ?? []) as Speaker[]
  const sort: SearchSort = query.sort === 'newest' ? 'newest' : 'relevance'
  const outcome = engine.search(String(query.q ?? ''), { sort })
  const mask = filterMask(library, filters)
  const place = new Map(library.stories.map((s, i) => [s.slug, i]))
  const passes = (i: number) => mask === undefined || ((mask[i >>> 5] as number) >>> (i & 31)) & 1
  const wanted = (s: Speaker) => speakers.length === 0 || speakers.includes(s)
  const items: string[] = []
  const weights = new Float64Array(library.stories.length)
  const weighed: number[] = []
  const bySpeaker = new Map<string, number>(SPEAKER_KEYS.map((k) => [k, 0]))
  for (const hit of outcome.quoteHits) {
    const i = place.get(hit.storySlug) as number
    const quote = library.stories[i]?.quotes.find((q) => q.id === hit.quoteId)
    if (quote === undefined) continue
    if (passes(i)) {
      bySpeaker.set(quote.speaker, (bySpeaker.get(quote.speaker) ?? 0) + 1)
      if (wanted(quote.speaker)) items.push(`quote ${hit.storySlug}#${hit.quoteId}`)
    }
    if (wanted(quote.speaker)) {
      if (weights[i] === 0) weighed.push(i)
      weights[i] = (weights[i] as number) + 1
    }
  }
  const quoteTotal = items.length
  if (speakers.length === 0) {
    for (const hit of outcome.storyHits) {
      const i = place.get(hit.storySlug) as number
      if (weights[i] === 0) weighed.push(i)
      weights[i] = (weights[i] as number) + 1
      if (passes(i)) items.push(`story ${hit.storySlug}`)
    }
  }
  return {
    quoteTotal,
    storyTotal: items.length - quoteTotal,
    items,
    relaxed: outcome.relaxed,
    facets: weightedFacetCounts(library, weighed, weights, filters),
    bySpeaker: Object.fromEntries(bySpeaker),
  }
}

describe('runSearch', () => {
  const regions = [...new Set(library.stories.map((s) => s.region))]
  const themeSlugs = library.themes.map((t) => t.slug)
  const queries = benchQueries().filter((_, i) => i % 4 === 0)

  it('gives what ranking every match and filtering afterwards gives, for any filters', () => {
    let withResults = 0
    queries.forEach((q, n) => {
      const variants: Record<string, string | string[]>[] = [
        { q },
        { q, theme: themeSlugs[n % themeSlugs.length] as string },
        {
          q,
          region: [
            regions[n % regions.length] as string,
            regions[(n + 1) % regions.length] as string,
          ],
        },
        { q, speaker: 'leader', sort: 'newest' },
        {
          q,
          theme: themeSlugs[(n + 3) % themeSlugs.length] as string,
          speaker: ['leader', 'chief-executive'],
        },
      ]
      for (const query of variants) {
        const expected = reference(query)
        const context = JSON.stringify(query)
        const total = expected.items.length
        for (const page of [1, 2, Math.max(1, Math.ceil(total / 20))]) {
          const got = runSearch(site, { ...query, page: String(page) })
          expect(got.quoteTotal, context).toBe(expected.quoteTotal)
          expect(got.storyTotal, context).toBe(expected.storyTotal)
          expect(got.outcome.relaxed, context).toBe(expected.relaxed)
          const shown = got.page.items.map((r) =>
            r.kind === 'quote' ? `quote ${r.story.slug}#${r.quote.id}` : `story ${r.story.slug}`,
          )
          expect(shown, `${context} page ${page}`).toEqual(
            expected.items.slice((got.page.page - 1) * 20, got.page.page * 20),
          )
          const { speaker, ...storyFacets } = got.facets
          expect(storyFacets, context).toEqual(expected.facets)
          expect(Object.fromEntries(speaker.map((o) => [o.value, o.count])), context).toEqual(
            expected.bySpeaker,
          )
        }
        if (total > 20) withResults++
      }
    })
    // The pages beyond the first were really compared.
    expect(withResults).toBeGreaterThan(40)
    // Every query with five sets of filters, three pages each: 5 s on a busy two-core machine.
  }, 60_000)

  it('highlights the page as the tokenising highlighter did, from the library it is given', () => {
    const highlighted = (snapshot: typeof site, query: object) => {
      const got = runSearch(snapshot, query)
      return got.page.items.map((r) =>
        r.kind === 'quote'
          ? [r.textHtml, before.highlightQuote(r.quote.text, got.outcome)]
          : [
              `${r.titleHtml} ${r.snippetHtml}`,
              `${before.highlightText(r.story.title, got.outcome)} ${before.storySnippet(r.story, got.outcome, 240)}`,
            ],
      )
    }
    let compared = 0
    for (const q of queries) {
      for (const query of [{ q }, { q, page: '2' }, { q, sort: 'newest' }]) {
        for (const [ours, theirs] of highlighted(site, query)) {
          expect(ours, JSON.stringify(query)).toBe(theirs)
          compared++
        }
      }
    }
    expect(compared).toBeGreaterThan(1000)
    // A reload brings a new library (new story objects): the stories' new texts are shown, not
    // what was stored for the old ones under the same slugs.
    const reloaded = buildLibrary(
      library.stories.map((s) => ({ ...s, bodyText: `Rewritten: ${s.bodyText.slice(0, 400)}` })),
      library.themes,
    )
    const reloadedEngine = buildSearchEngine(reloaded.stories, reloaded.themes)
    const reloadedSite = { library: reloaded, search: reloadedEngine }
    const pairs = highlighted(reloadedSite, { q: 'council' })
    expect(pairs.length).toBeGreaterThan(0)
    for (const [ours, theirs] of pairs) expect(ours).toBe(theirs)
    expect(runSearch(reloadedSite, { q: 'rewritten' }).storyTotal).toBe(reloaded.stories.length)
    const rewritten = highlighted(reloadedSite, { q: 'rewritten' })
    for (const [ours] of rewritten.slice(0, 5)) expect(ours).toContain('<mark>Rewritten</mark>')
  })
})

import { beforeAll, describe, expect, it } from 'vitest'
import { loadSiteContent } from '../../src/site/load.js'
import type { SiteContent } from '../../src/site/state.js'
import { JUDGED_SEARCHES, judgedFigures } from './fixtures/judged-searches.js'

/*
 * The search against the bundled stories (content/), as people use it: the judged searches
 * (written from the gist of the quotes) and quotes typed from memory, word for word.
 */

let site: SiteContent
beforeAll(async () => {
  site = await loadSiteContent({ contentDir: 'content', dev: false })
})

/** The quote results of a search, as `story-slug#quote-id`, best first. */
const quoteRefs = (q: string): string[] =>
  site.search
    .search(q, { synonyms: site.synonyms })
    .quoteHits.map((h) => `${h.storySlug}#${h.quoteId}`)

describe('judged searches (test/search/fixtures/judged-searches.ts)', () => {
  it('are at least 40, each naming a bundled quote', () => {
    expect(JUDGED_SEARCHES.length).toBeGreaterThanOrEqual(40)
    const quotes = new Set(
      site.library.stories.flatMap((s) => s.quotes.map((q) => `${s.slug}#${q.id}`)),
    )
    expect(JUDGED_SEARCHES.filter((j) => !quotes.has(j.quote))).toEqual([])
  })

  it('find their quote among the first 3 quote results at least 95% of the time, and always in the first 10', () => {
    const figures = judgedFigures((j) => quoteRefs(j.query).indexOf(j.quote) + 1)
    expect(figures.beyond10).toEqual([])
    expect(figures.recallAt3).toBeGreaterThanOrEqual(0.95)
  })
})

describe('a quote typed from memory', () => {
  it('six consecutive words of any quote, without quote marks, find that quote first', () => {
    const misses: string[] = []
    for (const story of site.library.stories) {
      for (const quote of story.quotes) {
        const words = quote.text.split(/\s+/)
        // From the middle of the quote, where a person joins a remembered sentence.
        const from = Math.max(0, Math.floor((words.length - 6) / 2))
        const typed = words.slice(from, from + 6).join(' ')
        const first = quoteRefs(typed)[0]
        if (first !== `${story.slug}#${quote.id}`) misses.push(`${typed} → ${first ?? 'nothing'}`)
      }
    }
    expect(misses).toEqual([])
  })
})

/**
 * One in-process search measurement, run by scripts/bench.ts in a child process of its own so
 * its memory figures are its own. Prints one JSON line on stdout.
 *
 *   tsx scripts/bench/search-child.ts --content <dir> --mode engine|naive
 *
 * Both modes also time the common-word queries (COMMON_QUERIES in queries.ts) apart, and the
 * engine says what share of the stories each matches.
 *
 * - engine: loads the content with the site's loader (from the content cache given by --cache,
 *   if any), builds the site's search engine (timed), then runs the fixed 200 queries (see
 *   below for the passes).
 * - naive: the baseline a first version would ship: the same loader, then a Lunr index with
 *   positions on every field, built at every start; `readyMs` is process start to index built
 *   (what such a server's start-up would cost), queried with the same 200 queries.
 */
import { parseArgs } from 'node:util'
import lunr from 'lunr'
import type { Story } from '../../src/content/model.js'
import type * as LoadModule from '../../src/content/load.js'
import type * as SearchModule from '../../src/search/index.js'
import type * as SearchCacheModule from '../../src/site/search-cache.js'
import { benchQueries, COMMON_QUERIES } from './queries.js'

export interface SearchChildResult {
  mode: 'engine' | 'naive'
  /** True when the index was loaded from the cache (buildMs is then the load). */
  loaded: boolean
  stories: number
  loadMs: number
  buildMs: number
  /** Process start (node's time origin) to the index being ready. */
  readyMs: number
  peakRssMB: number
  rssMB: number
  p50Ms: number
  p99Ms: number
  samples: number
  /** The common-word queries (COMMON_QUERIES), measured apart in the same passes. */
  common: {
    p50Ms: number
    p99Ms: number
    samples: number
    /** Share of the stories each query matches, without filters (engine mode only). */
    matchShare: Record<string, number>
  }
}

const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? NaN
}

/** The naive index: every field of a story (quotes included) in one Lunr index, with positions. */
function buildNaive(stories: readonly Story[]): lunr.Index {
  return lunr(function () {
    this.ref('slug')
    this.metadataWhitelist = ['position']
    for (const f of ['title', 'council', 'summary', 'impacts', 'themes', 'body', 'quotes']) {
      this.field(f)
    }
    for (const s of stories) {
      this.add({
        slug: s.slug,
        title: s.title,
        council: s.council,
        summary: s.summary,
        impacts: s.impacts.join('\n'),
        themes: s.themes.join(' '),
        body: s.bodyText,
        quotes: s.quotes.map((q) => q.text).join('\n'),
      })
    }
  })
}

/** The query as a naive version would run it: tokens through Lunr's own pipeline, no parser. */
function naiveSearch(idx: lunr.Index, input: string): number {
  const words = input.toLowerCase().match(/-?[a-z0-9]+\*?/g) ?? []
  return idx.query((q) => {
    for (const word of words) {
      const negated = word.startsWith('-')
      const wildcard = word.endsWith('*')
      const term = word.replace(/^-|\*$/g, '')
      if (term === '') continue
      q.term(term, {
        presence: negated ? lunr.Query.presence.PROHIBITED : lunr.Query.presence.OPTIONAL,
        ...(wildcard ? { wildcard: lunr.Query.wildcard.TRAILING, usePipeline: false } : {}),
      })
    }
  }).length
}

/**
 * The built code (dist/), as the server runs it: the content cache is keyed by the code that
 * made it, so loading through src/ here would not match the server's cache (and would rewrite it).
 */
const dist = (file: string): string => new URL(`../../dist/src/${file}`, import.meta.url).href
const { loadContent } = (await import(dist('content/load.js'))) as typeof LoadModule
const { buildSearchEngine } = (await import(dist('search/index.js'))) as typeof SearchModule
const { loadOrBuildSearch } = (await import(
  dist('site/search-cache.js')
)) as typeof SearchCacheModule

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      content: { type: 'string' },
      mode: { type: 'string', default: 'engine' },
      cache: { type: 'string' },
      // Load the index from the cache the server wrote instead of building it (large sizes:
      // the build is timed by the server's first start).
      'load-index': { type: 'boolean', default: false },
    },
  })
  if (values.content === undefined) throw new Error('--content is required')
  const mode = values.mode === 'naive' ? 'naive' : 'engine'
  const l0 = performance.now()
  const library = await loadContent({
    contentDir: values.content,
    includeDrafts: false,
    ...(values.cache === undefined ? {} : { cacheDir: values.cache }),
  })
  const loadMs = performance.now() - l0
  const b0 = performance.now()
  /** Runs a query; returns the number of stories it matched. */
  let search: (q: string) => number
  if (mode === 'naive') {
    const idx = buildNaive(library.stories)
    search = (q) => naiveSearch(idx, q)
  } else if (values['load-index'] && values.cache !== undefined) {
    const stats: { source?: 'loaded' | 'built' } = {}
    const engine = loadOrBuildSearch(
      library.stories,
      library.themes,
      { cacheDir: values.cache, contentDir: values.content },
      stats,
    )
    if (stats.source !== 'loaded') throw new Error('the search index was not in the cache')
    search = (q) => engine.search(q).storyHits.length
  } else {
    const engine = buildSearchEngine(library.stories, library.themes)
    search = (q) => engine.search(q).storyHits.length
  }
  const buildMs = performance.now() - b0
  const readyMs = performance.now()
  const peakRssMB = process.resourceUsage().maxRSS / 1024
  const rssMB = process.memoryUsage().rss / 1024 / 1024
  const queries = benchQueries()
  // Up to 1,000 stories: a warm-up pass, then three measured passes (600 samples). Larger: a
  // warm-up over every tenth query and one measured pass (200 samples), or the bench would not
  // fit in 10 minutes when a query takes ~100 ms.
  const large = library.stories.length > 2000
  for (const q of large ? queries.filter((_, i) => i % 10 === 0) : queries) search(q)
  const passes = large ? 1 : 3
  const samples: number[] = []
  const common: number[] = []
  const matchShare: Record<string, number> = {}
  for (const q of COMMON_QUERIES) matchShare[q] = search(q) / library.stories.length
  for (let pass = 0; pass < passes; pass++) {
    for (const q of queries) {
      const t = performance.now()
      search(q)
      samples.push(performance.now() - t)
    }
    // Ten samples of each common query a pass: 40, or 120 up to 1,000 stories.
    for (let i = 0; i < 10; i++) {
      for (const q of COMMON_QUERIES) {
        const t = performance.now()
        search(q)
        common.push(performance.now() - t)
      }
    }
  }
  const result: SearchChildResult = {
    mode,
    loaded: values['load-index'] === true,
    stories: library.stories.length,
    loadMs,
    buildMs,
    readyMs,
    peakRssMB,
    rssMB,
    p50Ms: quantile(samples, 0.5),
    p99Ms: quantile(samples, 0.99),
    samples: samples.length,
    common: {
      p50Ms: quantile(common, 0.5),
      p99Ms: quantile(common, 0.99),
      samples: common.length,
      matchShare: mode === 'engine' ? matchShare : {},
    },
  }
  process.stdout.write(`${JSON.stringify(result)}\n`)
}

await main()

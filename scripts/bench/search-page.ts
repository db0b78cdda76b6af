/**
 * The search page's work in-process, without HTTP: for the 50 filtered queries the HTTP bench
 * sends to /search (`httpSearchPaths()`), the time of `runSearch` (the engine with the page's
 * filters, facet counts, the page of 20 results highlighted: all of /search but the template)
 * and, for comparison, of `engine.search` alone on the same words with no filter. One warm-up
 * pass, then three measured passes (150 samples per size).
 *
 *   npx tsx scripts/bench/search-page.ts                 # sizes 1000, 10000
 *   npx tsx scripts/bench/search-page.ts --sizes 19,1000
 *
 * Content comes from scripts/bench/corpus.ts; a start-up cache is kept in .cache/bench/ so that
 * runs after the first start quickly.
 */
import path from 'node:path'
import { parseArgs } from 'node:util'
import { loadSiteContent } from '../../src/site/load.js'
import { runSearch } from '../../src/web/search-results.js'
import { corpusFor, root } from './corpus.js'
import { httpSearchPaths } from './queries.js'

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '1000,10000' } } })

/** A path's query string as Express parses it: repeated parameters become arrays. */
function queryOf(address: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  for (const [key, value] of new URLSearchParams(address.split('?')[1] ?? '')) {
    const held = out[key]
    out[key] = held === undefined ? value : ([] as string[]).concat(held, value)
  }
  return out
}

const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] as number
}
const summary = (xs: number[]) => ({
  p50: quantile(xs, 0.5),
  p99: quantile(xs, 0.99),
  mean: xs.reduce((a, b) => a + b, 0) / xs.length,
})

const queries = httpSearchPaths().map(queryOf)
const rows = []
for (const size of values.sizes.split(',').map(Number)) {
  const contentDir = corpusFor(size, (m) => console.error(m))
  const cacheDir = path.join(root, '.cache', 'bench', `search-page-cache-${size}`)
  const site = await loadSiteContent({ contentDir, dev: false, cacheDir })
  const sortOf = (q: Record<string, string | string[]>) =>
    q.sort === 'newest' ? ('newest' as const) : ('relevance' as const)
  for (const q of queries) runSearch(site, q)
  const engine: number[] = []
  const page: number[] = []
  for (let pass = 0; pass < 3; pass++) {
    for (const q of queries) {
      let t = performance.now()
      site.search.search(String(q.q), { sort: sortOf(q) })
      engine.push(performance.now() - t)
      t = performance.now()
      runSearch(site, q)
      page.push(performance.now() - t)
    }
  }
  const e = summary(engine)
  const p = summary(page)
  rows.push({
    stories: size,
    'engine alone p50 ms': e.p50.toFixed(2),
    'engine alone p99 ms': e.p99.toFixed(2),
    'engine alone mean ms': e.mean.toFixed(2),
    'runSearch p50 ms': p.p50.toFixed(2),
    'runSearch p99 ms': p.p99.toFixed(2),
    'runSearch mean ms': p.mean.toFixed(2),
  })
}
console.table(rows)

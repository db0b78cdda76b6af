/**
 * Two checkouts' search, in one process, on the same queries in turns: this checkout's engine
 * and another's (a `git worktree` at an earlier commit, with its own node_modules), so that the
 * load of a shared machine falls on both alike. For each of the 200 bench queries (in-process,
 * `engine.search`, no filters) and the 50 filtered search pages (`runSearch`: the engine with the
 * page's filters, facets and highlighting), five rounds, the two alternating which goes first.
 * Prints p50, p99 and mean for both, per kind of query, and the queries that slowed the most.
 *
 *   git worktree add /tmp/search-before <commit> && cp -a node_modules /tmp/search-before/
 *   npx tsx scripts/bench/compare-search.ts /tmp/search-before          # 10,000 stories
 *   npx tsx scripts/bench/compare-search.ts /tmp/search-before 1000
 *
 * Each checkout keeps its start-up cache in its own .cache/bench/ (search-page.ts's), so the
 * first run builds both indexes (a minute at 10,000).
 */
import path from 'node:path'
import { corpusFor, root } from './corpus.js'
import { benchQueries, CATEGORIES, httpSearchPaths } from './queries.js'
import type * as LoadModuleType from '../../src/site/load.js'
import type * as ResultsModuleType from '../../src/web/search-results.js'

/** Each checkout's own modules, typed as this checkout's (the functions' signatures agree). */
type LoadModule = typeof LoadModuleType
type ResultsModule = typeof ResultsModuleType
type Site = Awaited<ReturnType<LoadModule['loadSiteContent']>>

interface Checkout {
  site: Site
  runSearch: ResultsModule['runSearch']
}

const [other = '', sizeArg = '10000'] = process.argv.slice(2)
if (other === '') {
  console.error('usage: tsx scripts/bench/compare-search.ts OTHER_CHECKOUT [STORIES]')
  process.exit(2)
}
const size = Number(sizeArg)
const content = corpusFor(size, (m) => console.error(m))

async function checkout(dir: string): Promise<Checkout> {
  const { loadSiteContent } = (await import(path.join(dir, 'src/site/load.ts'))) as LoadModule
  const { runSearch } = (await import(path.join(dir, 'src/web/search-results.ts'))) as ResultsModule
  const cacheDir = path.join(dir, '.cache', 'bench', `search-page-cache-${size}`)
  return { site: await loadSiteContent({ contentDir: content, dev: false, cacheDir }), runSearch }
}

const before = await checkout(path.resolve(other))
const after = await checkout(root)
const queries = benchQueries()
const pages = httpSearchPaths().map((p) => Object.fromEntries(new URLSearchParams(p.split('?')[1])))
const time = (f: () => unknown): number => {
  const t = performance.now()
  f()
  return performance.now() - t
}
// Warm-up pass.
for (const c of [before, after]) {
  for (const q of queries) c.site.search.search(q)
  for (const p of pages) c.runSearch(c.site, p)
}
const engine = { before: queries.map((): number[] => []), after: queries.map((): number[] => []) }
const page = { before: [] as number[], after: [] as number[] }
for (let round = 0; round < 5; round++) {
  queries.forEach((q, i) => {
    const order =
      (round + i) % 2 === 0 ? (['before', 'after'] as const) : (['after', 'before'] as const)
    for (const which of order) {
      const c = which === 'before' ? before : after
      engine[which][i]?.push(time(() => c.site.search.search(q)))
    }
  })
  pages.forEach((p, i) => {
    const order =
      (round + i) % 2 === 0 ? (['before', 'after'] as const) : (['after', 'before'] as const)
    for (const which of order) {
      const c = which === 'before' ? before : after
      page[which].push(time(() => c.runSearch(c.site, p)))
    }
  })
}
const quantile = (xs: number[], f: number): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.ceil(f * s.length) - 1)] ?? NaN
}
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length
const row = (name: string, a: number[], b: number[]) => ({
  name,
  'before p50': quantile(a, 0.5).toFixed(2),
  'after p50': quantile(b, 0.5).toFixed(2),
  'before p99': quantile(a, 0.99).toFixed(2),
  'after p99': quantile(b, 0.99).toFixed(2),
  'before mean': mean(a).toFixed(2),
  'after mean': mean(b).toFixed(2),
  'mean ratio': (mean(b) / mean(a)).toFixed(2),
})
const rows = [row('engine, 200 queries', engine.before.flat(), engine.after.flat())]
for (const [name, [from, to]] of Object.entries(CATEGORIES)) {
  rows.push(
    row(`  ${name}`, engine.before.slice(from, to).flat(), engine.after.slice(from, to).flat()),
  )
}
rows.push(row('runSearch, 50 pages', page.before, page.after))
console.log(`${size} stories; before: ${other}; after: ${root}; 5 rounds in turns`)
console.table(rows)
console.log('slowed most (median after / before, ms before → after):')
queries
  .map((q, i) => {
    const a = quantile(engine.before[i] ?? [], 0.5)
    const b = quantile(engine.after[i] ?? [], 0.5)
    return { q, ratio: b / a, a, b }
  })
  .sort((x, y) => y.ratio - x.ratio)
  .slice(0, 8)
  .forEach(({ q, ratio, a, b }) =>
    console.log(`  ${ratio.toFixed(2)}× ${a.toFixed(1)} → ${b.toFixed(1)}  ${q}`),
  )

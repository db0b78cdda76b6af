/**
 * What the site benchmark measured for one corpus at one size, and the table it prints: one
 * column per corpus and size, one row per figure, with the targets (docs/performance.md).
 */
import type { CorpusProfile } from '../generate-corpus.js'
import type { FrontFigure } from './front.js'
import type { PageWeight } from './pages.js'
import type { LoadResult } from './processes.js'
import type { SearchChildResult } from './search-child.js'

/** One page type over HTTP with the page cache (default): the site against its ceiling. */
export interface HttpFigure {
  bytes: number
  site: LoadResult
  ceiling: LoadResult
  ratio: number
}

export interface SizeResult {
  corpus: CorpusProfile
  size: number
  stories: number
  firstStartMs: number
  firstStartPeakRssMB: number | undefined
  restartMs: number
  restartPeakRssMB: number | undefined
  /** The server's peak RSS at the end of the HTTP runs (page cache and all). */
  endPeakRssMB: number | undefined
  search: SearchChildResult
  naive: SearchChildResult | undefined
  /** With the page cache, at the bench's connections (50). */
  http: {
    story: HttpFigure
    list: HttpFigure
    search: HttpFigure | undefined
    commonSearch: HttpFigure | undefined
  }
  /**
   * With the page cache off (PAGE_CACHE_MB=0: what a first visit to an address costs), at 10
   * connections, each run cycling through its addresses (50 for search).
   */
  uncached: {
    story: LoadResult
    list: LoadResult
    search: LoadResult | undefined
    commonSearch: LoadResult | undefined
  }
  pageWeight: PageWeight
  cluster:
    | {
        workers: number
        readyMs: number
        peakRssMB: number | undefined
        story: LoadResult
        gain: number
      }
    | undefined
  /** Story pages through the front (nginx, cache hits) against the app alone; with the cluster run. */
  front: FrontFigure | undefined
}

interface Row {
  figure: string
  values: string[]
  target1000: string
  target10000: string
}

const f = (x: number | undefined, d = 0): string =>
  x === undefined || !Number.isFinite(x)
    ? '–'
    : x.toLocaleString('en-GB', { minimumFractionDigits: d, maximumFractionDigits: d })
const s = (ms: number): string => `${f(ms / 1000, 2)} s`
const vs = (ours: number | undefined, naive: number | undefined): string =>
  ours === undefined || naive === undefined || ours === 0 ? '' : ` (${f(naive / ours, 1)}× naive)`
/** p50 / p99, and how many requests got no answer within autocannon's 10 s. */
const latency = (l: LoadResult): string =>
  `${f(l.p50)} / ${f(l.p99)} ms` +
  (l.timeouts + l.errors > 0
    ? ` (${f(l.timeouts + l.errors)} of ${f(l.requests + l.timeouts + l.errors)} timed out)`
    : '')

export function report(results: SizeResult[], connections: number): string {
  const rows: Row[] = []
  const row = (
    figure: string,
    value: (r: SizeResult) => string,
    target1000 = '',
    target10000 = '',
  ): void => {
    rows.push({ figure, values: results.map(value), target1000, target10000 })
  }

  // Start-up and memory.
  row('stories served', (r) => f(r.stories))
  row(
    'first start (no cache) to ready',
    (r) => s(r.firstStartMs) + vs(r.firstStartMs, r.naive?.readyMs),
    '≤ 6 s',
    '≤ 40 s, ≥ 5× naive',
  )
  row(
    'restart on unchanged content',
    (r) => s(r.restartMs) + vs(r.restartMs, r.naive?.readyMs),
    '≤ 1.5 s',
    '≤ 12 s',
  )
  row(
    'peak RSS after ready (first start / restart)',
    (r) =>
      `${f(r.firstStartPeakRssMB)} / ${f(r.restartPeakRssMB)} MB` +
      vs(r.firstStartPeakRssMB, r.naive?.peakRssMB),
    '≤ 250 MB',
    '≤ 1 GB',
  )
  row('peak RSS at the end of the HTTP runs', (r) => `${f(r.endPeakRssMB)} MB`)
  row('naive baseline: ready / peak RSS', (r) =>
    r.naive ? `${s(r.naive.readyMs)} / ${f(r.naive.peakRssMB)} MB` : 'not run (--naive)',
  )

  // Search in-process.
  row(
    'search index build (first start)',
    (r) => s(r.search.buildMs) + vs(r.search.buildMs, r.naive?.buildMs),
  )
  row(
    'search in-process p50 / p99 (200 queries; × 3 up to 1,000)',
    (r) =>
      `${f(r.search.p50Ms, 2)} / ${f(r.search.p99Ms, 2)} ms` +
      (r.naive ? ` (naive ${f(r.naive.p50Ms, 1)} / ${f(r.naive.p99Ms, 1)} ms)` : ''),
    '≤ 2 / ≤ 10 ms',
    '≤ 15 / ≤ 80 ms',
  )
  row('common-word search in-process p50 / p99; least share of stories matched', (r) => {
    const shares = Object.values(r.search.common.matchShare)
    const least = shares.length > 0 ? ` (${f(Math.min(...shares) * 100)}%)` : ''
    return `${f(r.search.common.p50Ms, 2)} / ${f(r.search.common.p99Ms, 2)} ms${least}`
  })

  // HTTP with the page cache: each page type against its ceiling.
  const cached = (
    name: string,
    pick: (r: SizeResult) => HttpFigure | undefined,
    t1: string,
    t10: string,
  ): void => {
    row(
      `${name}: req/s site / ceiling = ratio`,
      (r) => {
        const h = pick(r)
        return h ? `${f(h.site.rps)} / ${f(h.ceiling.rps)} = ${f(h.ratio, 2)}` : 'no /search'
      },
      t1,
      t10,
    )
    row(`${name}: p50 / p99 latency, ${connections} connections`, (r) => {
      const h = pick(r)
      return h ? `${latency(h.site)} (ceiling ${f(h.ceiling.p50)} / ${f(h.ceiling.p99)})` : '–'
    })
  }
  cached('story page', (r) => r.http.story, '≥ 0.9', '≥ 0.9')
  cached('stories list, 2 filters', (r) => r.http.list, '≥ 0.5', '≥ 0.9')
  cached('search page (50 queries)', (r) => r.http.search, '≥ 0.5', '≥ 0.9')
  cached('common-word search page', (r) => r.http.commonSearch, '', '')

  // HTTP with the page cache off, at 10 connections.
  const uncached = (
    name: string,
    pick: (r: SizeResult) => LoadResult | undefined,
    t1: string,
    t10: string,
  ): void => {
    row(
      `${name}, PAGE_CACHE_MB=0: p50 / p99, 10 connections (req/s)`,
      (r) => {
        const l = pick(r)
        return l ? `${latency(l)} (${f(l.rps)})` : 'no /search'
      },
      t1,
      t10,
    )
  }
  uncached('story page', (r) => r.uncached.story, '', '')
  uncached('stories list, 2 filters', (r) => r.uncached.list, '', 'p99 ≤ 50 ms')
  uncached('search page (50 queries)', (r) => r.uncached.search, 'p99 ≤ 50 ms', 'p99 ≤ 250 ms')
  uncached('common-word search page', (r) => r.uncached.commonSearch, '', '')

  row(
    'story page weight, compressed, with CSS and JS',
    (r) => `${f(r.pageWeight.totalBytes / 1024, 1)} KB (${r.pageWeight.encoding})`,
    '≤ 60 KB',
    '≤ 60 KB',
  )
  row('cluster: story req/s, WEB_CONCURRENCY=2 vs 1', (r) =>
    r.cluster
      ? `${f(r.cluster.story.rps)} vs ${f(r.http.story.site.rps)} = ${f(r.cluster.gain, 2)}×`
      : '–',
  )
  row('front (nginx, cache hits): story req/s vs the app alone', (r) =>
    r.front === undefined
      ? '–'
      : 'skipped' in r.front
        ? `skipped: ${r.front.skipped}`
        : `${f(r.front.front.rps)} vs ${f(r.front.appAloneRps)} = ${f(r.front.ratio, 2)}× (p99 ${f(r.front.front.p99)} ms)`,
  )

  const header = [
    'figure',
    ...results.map((r) => `${r.corpus} N = ${f(r.size)}`),
    'target 1,000',
    'target 10,000',
  ]
  const lines = [
    header,
    header.map(() => '---'),
    ...rows.map((r) => [r.figure, ...r.values, r.target1000, r.target10000]),
  ]
  return lines.map((cells) => `| ${cells.join(' | ')} |`).join('\n')
}

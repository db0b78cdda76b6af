/**
 * The site's benchmark, in one sitting: `npm run bench` (docs/performance.md explains each figure).
 *
 *   npm run bench                         # both corpora at 1,000 and 10,000; 15 s HTTP runs
 *   npm run bench -- --quick              # N = 19 and 1,000, standard corpus, 5 s runs (smoke test)
 *   npm run bench -- --naive              # also the naive baseline at 10,000 (minutes, ~2.5 GB)
 *   npm run bench -- --corpus heavy --sizes 1000 --duration 10
 *
 * Two corpora (scripts/bench/corpus.ts): `standard` (narratives of 320 to about 1,400 words,
 * 4 to 12 quotes) and `heavy` (about 1,400 words and 8 quotes a story). For each corpus and size:
 * the in-process search figures (child process), the naive baseline (a Lunr index with positions
 * on every field, built at every start; at 10,000 only with --naive), cold start of the real
 * built server (`node dist/src/server.js`) with an empty cache and again on unchanged content,
 * then HTTP load with autocannon in a separate process on loopback:
 * - with the page cache (the default), against a bare Express 5 app serving a fixed string of
 *   the same size (the ceiling, run for half the time: its rate is steady within seconds);
 * - with the page cache off (PAGE_CACHE_MB=0), at 10 connections: what a first visit costs;
 * for story pages, filtered lists, the 50 rotating searches and the common-word searches; page
 * weight; and on the standard corpus at 1,000, the story-page run with WEB_CONCURRENCY=2 and
 * through the front (nginx from `npm run front`, on cache hits; skipped with the reason when
 * nginx is not installed).
 * Prints one table and writes bench-results/bench.json (git-ignored).
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, release, tmpdir, totalmem } from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { CORPUS_PROFILES, type CorpusProfile } from './generate-corpus.js'
import { corpusFor, root } from './bench/corpus.js'
import { LIST_PATHS, meanBytes, pageWeight, storyPaths } from './bench/pages.js'
import {
  childPids,
  elapsedSeconds,
  get,
  load,
  log,
  peakRssMB,
  searchChild,
  SERVER,
  startBare,
  startServer,
  type LoadResult,
  type Server,
} from './bench/processes.js'
import { httpCommonSearchPaths, httpSearchPaths } from './bench/queries.js'
import { measureFront } from './bench/front.js'
import { report, type HttpFigure, type SizeResult } from './bench/report.js'
import type { SearchChildResult } from './bench/search-child.js'

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    naive: { type: 'boolean', default: false },
    corpus: { type: 'string' },
    sizes: { type: 'string' },
    duration: { type: 'string' },
    connections: { type: 'string', default: '50' },
  },
})
const sizes = (args.sizes ?? (args.quick ? '19,1000' : '1000,10000'))
  .split(',')
  .map((s) => Number(s.trim()))
  .filter((n) => Number.isInteger(n) && n > 0)
const corpora = (args.corpus ?? (args.quick ? 'standard' : CORPUS_PROFILES.join(',')))
  .split(',')
  .map((c) => c.trim() as CorpusProfile)
for (const c of corpora) {
  if (!CORPUS_PROFILES.includes(c))
    throw new Error(`--corpus: ${c} is not one of ${CORPUS_PROFILES.join(', ')}`)
}
const duration = Number(args.duration ?? (args.quick ? 5 : 15))
const connections = Number(args.connections)
/** The connections of the runs with the page cache off (the latency targets are at 10). */
const UNCACHED_CONNECTIONS = 10

// ------------------------------------------------------------------------------------------------
// One corpus at one size
// ------------------------------------------------------------------------------------------------

async function runSize(corpus: CorpusProfile, size: number, cluster: boolean): Promise<SizeResult> {
  const name = `${corpus} N=${size}`
  const content = corpusFor(size, log, corpus)
  const cacheDir = mkdtempSync(path.join(tmpdir(), 'bench-cache-'))
  const env = { CONTENT_DIR: content, CACHE_DIR: cacheDir, WEB_CONCURRENCY: '1' }
  try {
    log(`${name}: first start (empty cache)`)
    const first = await startServer(env)
    await first.stop()
    // The in-process figures reuse the content cache the first start wrote (they time the index
    // build and the queries, not content loading); the naive baseline parses everything itself.
    // Above 2,000 stories the child loads the index the first start built (and timed) rather
    // than building it again: it would cost a minute of the 15.
    const loadIndex = size > 2000
    log(`${name}: in-process search`)
    const search = searchChild(content, 'engine', cacheDir, loadIndex)
    search.buildMs = first.searchBuildMs ?? search.buildMs
    let naive: SearchChildResult | undefined
    if (size <= 1000 || args.naive) {
      log(`${name}: naive baseline (Lunr, positions on every field)`)
      naive = searchChild(content, 'naive')
    }
    log(`${name}: restart on unchanged content`)
    const server = await startServer(env)
    const cached = await measureHttp(name, content, server, first, { corpus, size, search, naive })
    const front = cluster
      ? await measureFront({
          origin: server.origin,
          paths: storyPaths(content),
          appAloneRps: cached.http.story.site.rps,
          load: (origin, paths) => load(origin, paths, connections, duration),
          log: (message) => log(`${name}: ${message}`),
        })
      : undefined
    await server.stop()

    log(`${name}: restart with the page cache off (PAGE_CACHE_MB=0)`)
    const uncachedServer = await startServer({ ...env, PAGE_CACHE_MB: '0' })
    const uncached = await measureUncached(name, content, uncachedServer)
    await uncachedServer.stop()
    const result: SizeResult = { ...cached, uncached, cluster: undefined, front }

    if (cluster) {
      log(`${name}: WEB_CONCURRENCY=2`)
      const two = await startServer({ ...env, WEB_CONCURRENCY: '2' }, 2)
      const paths = storyPaths(content)
      await meanBytes(two.origin, paths)
      await meanBytes(two.origin, paths)
      const story = await load(two.origin, paths, connections, duration)
      await two.stop()
      result.cluster = {
        workers: 2,
        readyMs: two.readyMs,
        peakRssMB: two.peakRssMB,
        story,
        gain: story.rps / result.http.story.site.rps,
      }
    }
    return result
  } finally {
    rmSync(cacheDir, { recursive: true, force: true })
  }
}

/** Whether this build serves /search (the bench also runs on older commits). */
const servesSearch = async (origin: string): Promise<boolean> =>
  (await get(`${origin}${httpSearchPaths()[0] ?? '/search'}`)).status === 200

/** HTTP with the page cache (the default): each page type against the bare Express ceiling. */
async function measureHttp(
  name: string,
  content: string,
  server: Server,
  first: Server,
  measured: Pick<SizeResult, 'corpus' | 'size' | 'search' | 'naive'>,
): Promise<Omit<SizeResult, 'uncached' | 'cluster' | 'front'>> {
  const stories = storyPaths(content)
  const searches = httpSearchPaths()
  const common = httpCommonSearchPaths()
  const searchReady = await servesSearch(server.origin)
  // One pass over every address first: sizes for the ceiling, and warm caches and JIT.
  const storyBytes = await meanBytes(server.origin, stories)
  const listBytes = await meanBytes(server.origin, LIST_PATHS)
  const searchBytes = searchReady ? await meanBytes(server.origin, searches) : 0
  const commonBytes = searchReady ? await meanBytes(server.origin, common) : 0
  const bare = await startBare([
    storyBytes,
    listBytes,
    ...(searchReady ? [searchBytes, commonBytes] : []),
  ])
  const figure = async (page: string, paths: string[], bytes: number): Promise<HttpFigure> => {
    log(`${name}: HTTP ${page} (${paths.length} addresses, ${bytes} bytes)`)
    const site = await load(server.origin, paths, connections, duration)
    // The bare app's throughput is steady within seconds: half the time keeps the bench short.
    const ceiling = await load(bare.origin, [`/${bytes}`], connections, Math.max(5, duration / 2))
    return { bytes, site, ceiling, ratio: site.rps / ceiling.rps }
  }
  try {
    const story = await figure('story page', stories, storyBytes)
    const list = await figure('stories list, two filters', LIST_PATHS, listBytes)
    let search: HttpFigure | undefined
    let commonSearch: HttpFigure | undefined
    if (searchReady) {
      search = await figure('search', searches, searchBytes)
      commonSearch = await figure('common-word search', common, commonBytes)
    } else {
      log(`${name}: /search is not served by this build: search HTTP figures skipped`)
    }
    const weight = await pageWeight(server.origin, stories[0] as string)
    const pid = server.child.pid ?? 0
    return {
      ...measured,
      stories: measured.search.stories,
      firstStartMs: first.readyMs,
      firstStartPeakRssMB: first.peakRssMB,
      restartMs: server.readyMs,
      restartPeakRssMB: server.peakRssMB,
      endPeakRssMB: peakRssMB([pid, ...childPids(pid)]),
      http: { story, list, search, commonSearch },
      pageWeight: weight,
    }
  } finally {
    await bare.stop()
  }
}

/**
 * HTTP with the page cache off (PAGE_CACHE_MB=0), at 10 connections: every request is made
 * afresh, as a first visit to an address is. One pass over every address first (JIT warm-up).
 * Story pages, which have no target here, run for half the time.
 */
async function measureUncached(
  name: string,
  content: string,
  server: Server,
): Promise<SizeResult['uncached']> {
  const run = async (page: string, paths: string[], seconds = duration): Promise<LoadResult> => {
    await meanBytes(server.origin, paths)
    log(`${name}: HTTP ${page}, page cache off, ${UNCACHED_CONNECTIONS} connections`)
    return load(server.origin, paths, UNCACHED_CONNECTIONS, seconds)
  }
  const searchReady = await servesSearch(server.origin)
  return {
    story: await run('story page', storyPaths(content), Math.max(5, duration / 2)),
    list: await run('stories list', LIST_PATHS),
    search: searchReady ? await run('search', httpSearchPaths()) : undefined,
    commonSearch: searchReady
      ? await run('common-word search', httpCommonSearchPaths())
      : undefined,
  }
}

// ------------------------------------------------------------------------------------------------
// Report
// ------------------------------------------------------------------------------------------------

function gitCommit(): string {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: root,
      encoding: 'utf8',
    }).trim()
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      cwd: root,
      encoding: 'utf8',
    }).trim()
    return dirty === '' ? sha : `${sha} (with uncommitted changes)`
  } catch {
    return 'unknown'
  }
}

async function main(): Promise<void> {
  if (!existsSync(SERVER)) {
    log('dist/ is missing: npm run build')
    execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' })
  }
  const results: SizeResult[] = []
  // The cluster run, once: on the first corpus at 1,000 if measured (story pages are served from
  // memory at any size, and two workers start in seconds rather than a minute), else at the
  // largest size.
  const clusterAt = sizes.includes(1000) ? 1000 : Math.max(...sizes)
  for (const corpus of corpora) {
    for (const size of sizes) {
      results.push(await runSize(corpus, size, corpus === corpora[0] && size === clusterAt))
    }
  }
  const table = report(results, connections)
  const elapsed = elapsedSeconds()
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}, ${Math.round(totalmem() / 1024 ** 3)} GB, Linux ${release()}, Node ${process.version}`
  const out = {
    date: new Date().toISOString(),
    commit: gitCommit(),
    command: `npm run bench${process.argv.slice(2).length ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    machine,
    corpora,
    durationSeconds: duration,
    connections,
    uncachedConnections: UNCACHED_CONNECTIONS,
    elapsedSeconds: Math.round(elapsed),
    results,
    table,
  }
  const dir = path.join(root, 'bench-results')
  mkdirSync(dir, { recursive: true })
  const json = `${JSON.stringify(out, null, 2)}\n`
  writeFileSync(path.join(dir, 'bench.json'), json)
  writeFileSync(path.join(dir, `bench-${out.date.replace(/[:.]/g, '-')}.json`), json)
  console.log(`\n${out.command} · ${out.date} · commit ${out.commit}\n${machine}\n`)
  console.log(table)
  console.log(`\nfinished in ${Math.round(elapsed)} s; wrote bench-results/bench.json`)
}

await main()

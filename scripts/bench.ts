/**
 * The site's benchmark, in one sitting: `npm run bench` (docs/performance.md explains each figure).
 *
 *   npm run bench                         # N = 19 (bundled), 1,000 and 10,000; 20 s HTTP runs
 *   npm run bench -- --quick              # N = 19 and 1,000, 5 s HTTP runs (a smoke test)
 *   npm run bench -- --naive              # also the naive baseline at 10,000 (minutes, ~2.5 GB)
 *   npm run bench -- --sizes 1000 --duration 10
 *
 * For each size: the in-process search figures (child process), the naive baseline (a Lunr index
 * with positions on every field, built at every start; at 10,000 only with --naive), cold start
 * of the real built server (`node dist/src/server.js`) with an empty cache and again on unchanged
 * content, then HTTP load with autocannon in a separate process on loopback against the server and
 * against a bare Express 5 app serving a fixed string of the same size (the ceiling, run for half
 * the time: its rate is steady within seconds), page weight,
 * and at 1,000 the same story-page run with WEB_CONCURRENCY=2, and through the front (nginx
 * from `npm run front`, on cache hits; skipped with the reason when nginx is not installed).
 * Prints one table and writes bench-results/bench.json (git-ignored).
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { request } from 'node:http'
import { createServer } from 'node:net'
import { cpus, release, tmpdir, totalmem } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { corpusFor as corpusOf } from './bench/corpus.js'
import { httpSearchPaths } from './bench/queries.js'
import type { SearchChildResult } from './bench/search-child.js'
import { measureFront, type FrontFigure } from './bench/front.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const SERVER = path.join(root, 'dist', 'src', 'server.js')
const MB = 1024 * 1024

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    naive: { type: 'boolean', default: false },
    sizes: { type: 'string' },
    duration: { type: 'string' },
    connections: { type: 'string', default: '50' },
  },
})
const sizes = (args.sizes ?? (args.quick ? '19,1000' : '19,1000,10000'))
  .split(',')
  .map((s) => Number(s.trim()))
  .filter((n) => Number.isInteger(n) && n > 0)
const duration = Number(args.duration ?? (args.quick ? 5 : 20))
const connections = Number(args.connections)
const benchStarted = performance.now()

const log = (message: string): void => {
  const s = ((performance.now() - benchStarted) / 1000).toFixed(0).padStart(4)
  process.stderr.write(`[${s} s] ${message}\n`)
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

// ------------------------------------------------------------------------------------------------
// Corpus and processes
// ------------------------------------------------------------------------------------------------

/** The content folder for a size (scripts/bench/corpus.ts). */
const corpusFor = (size: number): string => corpusOf(size, log)

async function freePort(): Promise<number> {
  const probe = createServer()
  probe.listen(0, '127.0.0.1')
  await once(probe, 'listening')
  const address = probe.address()
  const port = typeof address === 'object' && address ? address.port : 0
  probe.close()
  await once(probe, 'close')
  return port
}

interface Raw {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Buffer
  /** Bytes on the wire for the response: status line and headers plus the (encoded) body. */
  wireBytes: number
}

function get(url: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        const body = Buffer.concat(chunks)
        const head = res.rawHeaders.reduce((n, h) => n + Buffer.byteLength(h) + 2, 0) + 2 + 17
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body,
          wireBytes: head + body.length,
        })
      })
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end()
  })
}

/** VmHWM (peak resident set) of a process and its children, in MB; undefined off Linux. */
function peakRssMB(pids: number[]): number | undefined {
  let total = 0
  for (const pid of pids) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8')
      const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1])
      if (Number.isFinite(kb)) total += kb
    } catch {
      return undefined
    }
  }
  return total / 1024
}

function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number)
  } catch {
    return []
  }
}

interface Server {
  origin: string
  /** The search index build in this start-up, from the server's log (when it built one). */
  searchBuildMs: number | undefined
  child: ChildProcess
  readyMs: number
  peakRssMB: number | undefined
  stop(): Promise<void>
}

/**
 * Starts the built server and waits for /readyz (and, with several workers, for every worker
 * to say it is listening: /readyz answers as soon as the first one does).
 */
async function startServer(env: Record<string, string>, workers = 1): Promise<Server> {
  const port = await freePort()
  const origin = `http://127.0.0.1:${port}`
  // Request logs (pino, JSON lines) are written as in production, to a file: read for the
  // start-up lines only.
  const logDir = mkdtempSync(path.join(tmpdir(), 'bench-log-'))
  const logFile = path.join(logDir, 'server.log')
  const out = openSync(logFile, 'w')
  const started = performance.now()
  const child = spawn(process.execPath, [SERVER], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      PORT: String(port),
      BASE_URL: origin,
      ...env,
    },
    stdio: ['ignore', out, 'pipe'],
  })
  closeSync(out)
  let stderr = ''
  child.stderr?.setEncoding('utf8').on('data', (c: string) => (stderr += c))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const allListening = (): boolean =>
    workers === 1 ||
    readFileSync(logFile, 'utf8').includes(`"listening":${workers},"of":${workers}`)
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}: ${stderr}`)
    const ok = await get(`${origin}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    )
    if (ok && allListening()) break
    await sleep(20)
  }
  const readyMs = performance.now() - started
  const pid = child.pid ?? 0
  const rss = peakRssMB([pid, ...childPids(pid)])
  const loaded = readFileSync(logFile, 'utf8')
    .split('\n')
    .filter((line) => line.includes('"content loaded"'))
    .map((line) => JSON.parse(line) as { searchBuildMs?: number })[0]
  return {
    origin,
    child,
    readyMs,
    peakRssMB: rss,
    searchBuildMs: loaded?.searchBuildMs,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM')
      await exited
      rmSync(logDir, { recursive: true, force: true })
    },
  }
}

async function startBare(bodySizes: number[]): Promise<{ origin: string; stop(): Promise<void> }> {
  const port = await freePort()
  const child = spawn(
    process.execPath,
    [
      path.join(root, 'scripts', 'bench', 'bare-express.mjs'),
      String(port),
      ...bodySizes.map(String),
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  )
  await once(child.stdout, 'data')
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  return {
    origin: `http://127.0.0.1:${port}`,
    async stop() {
      child.kill('SIGTERM')
      await exited
    },
  }
}

interface LoadResult {
  requests: number
  rps: number
  p50: number
  p99: number
  max: number
  errors: number
  timeouts: number
  non2xx: number
}

async function load(
  origin: string,
  paths: string[],
  conns = connections,
  seconds = duration,
): Promise<LoadResult> {
  const child = spawn(
    process.execPath,
    [
      path.join(root, 'scripts', 'bench', 'load.mjs'),
      JSON.stringify({ url: origin, paths, connections: conns, duration: seconds }),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  )
  let out = ''
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c))
  const [code] = (await once(child, 'exit')) as [number | null]
  if (code !== 0) throw new Error(`autocannon exited ${String(code)}`)
  const result = JSON.parse(out) as LoadResult
  if (result.errors + result.timeouts + result.non2xx > 0) {
    log(`  warning: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx`)
  }
  return result
}

function searchChild(
  content: string,
  mode: 'engine' | 'naive',
  cacheDir?: string,
  loadIndex = false,
): SearchChildResult {
  const child = spawnSync(
    process.execPath,
    [
      ...process.execArgv,
      path.join(root, 'scripts', 'bench', 'search-child.ts'),
      '--content',
      content,
      '--mode',
      mode,
      ...(cacheDir === undefined ? [] : ['--cache', cacheDir]),
      ...(loadIndex ? ['--load-index'] : []),
    ],
    { encoding: 'utf8', maxBuffer: 16 * MB, stdio: ['ignore', 'pipe', 'inherit'] },
  )
  if (child.status !== 0)
    throw new Error(`search child (${mode}) failed with ${String(child.status)}`)
  return JSON.parse(child.stdout) as SearchChildResult
}

// ------------------------------------------------------------------------------------------------
// One size
// ------------------------------------------------------------------------------------------------

interface HttpFigure {
  bytes: number
  site: LoadResult
  ceiling: LoadResult
  ratio: number
}

interface SizeResult {
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
  http: { story: HttpFigure; list: HttpFigure; search: HttpFigure | undefined }
  searchAt10: LoadResult | undefined
  pageWeight: {
    htmlBytes: number
    totalBytes: number
    wireBytes: number
    encoding: string
    files: Record<string, number>
  }
  cluster:
    | {
        workers: number
        readyMs: number
        peakRssMB: number | undefined
        story: LoadResult
        gain: number
      }
    | undefined
  /** Story pages through the front (nginx, cache hits) against the app alone; at the cluster size. */
  front: FrontFigure | undefined
}

function storyPaths(content: string, count = 20): string[] {
  const files = readdirSync(path.join(content, 'stories'))
    .filter((f) => f.endsWith('.md'))
    .sort()
  const step = Math.max(1, Math.floor(files.length / count))
  const picked: string[] = []
  for (let i = 0; i < files.length && picked.length < count; i += step) {
    picked.push(`/stories/${(files[i] as string).slice(0, -3)}`)
  }
  return picked
}

const LIST_PATHS = [
  '/stories?theme=transformation&region=london',
  '/stories?theme=political-leadership&region=north-west',
  '/stories?theme=financial-sustainability&councilType=district',
  '/stories?theme=governance-and-culture&region=south-east',
  '/stories?region=east-midlands&control=labour',
  '/stories?theme=commercial-approach&challenge=corporate',
  '/stories?theme=learning-culture&region=yorkshire-and-the-humber',
  '/stories?councilType=unitary&control=no-overall-control',
  '/stories?theme=service-improvement&region=west-midlands',
  '/stories?theme=vision-and-place&councilType=county',
]

async function meanBytes(origin: string, paths: string[]): Promise<number> {
  let total = 0
  for (const p of paths) {
    const res = await get(`${origin}${p}`)
    if (res.status !== 200) throw new Error(`${p} answered ${res.status}`)
    total += res.body.length
  }
  return Math.round(total / paths.length)
}

async function pageWeight(origin: string, storyPath: string): Promise<SizeResult['pageWeight']> {
  // What a browser sends; the server picks brotli.
  const headers = { 'Accept-Encoding': 'gzip, deflate, br, zstd' }
  const page = await get(`${origin}${storyPath}`, headers)
  const { brotliDecompressSync, gunzipSync } = await import('node:zlib')
  const enc = String(page.headers['content-encoding'] ?? 'identity')
  const html = (
    enc === 'br'
      ? brotliDecompressSync(page.body)
      : enc === 'gzip'
        ? gunzipSync(page.body)
        : page.body
  ).toString('utf8')
  const assets = new Set<string>()
  for (const m of html.matchAll(/<(?:link[^>]+href|script[^>]+src)="(\/[^"]+)"/g)) {
    const tag = m[0]
    if (tag.startsWith('<script') || /rel="(?:stylesheet|icon)"/.test(tag))
      assets.add(m[1] as string)
  }
  const files: Record<string, number> = { [storyPath]: page.body.length }
  let total = page.body.length
  let wire = page.wireBytes
  for (const asset of assets) {
    const res = await get(`${origin}${asset}`, headers)
    files[asset] = res.body.length
    total += res.body.length
    wire += res.wireBytes
  }
  return { htmlBytes: page.body.length, totalBytes: total, wireBytes: wire, encoding: enc, files }
}

async function runSize(size: number, cluster: boolean): Promise<SizeResult> {
  const content = corpusFor(size)
  const cacheDir = mkdtempSync(path.join(tmpdir(), 'bench-cache-'))
  const env = { CONTENT_DIR: content, CACHE_DIR: cacheDir, WEB_CONCURRENCY: '1' }
  try {
    log(`N=${size}: first start (empty cache)`)
    const first = await startServer(env)
    await first.stop()
    // The in-process figures reuse the content cache the first start wrote (they time the index
    // build and the queries, not content loading); the naive baseline parses everything itself.
    // Above 2,000 stories the child loads the index the first start built (and timed) rather
    // than building it again: it would cost a minute of the 10.
    const loadIndex = size > 2000
    log(`N=${size}: in-process search`)
    const search = searchChild(content, 'engine', cacheDir, loadIndex)
    search.buildMs = first.searchBuildMs ?? search.buildMs
    let naive: SearchChildResult | undefined
    if (size <= 1000 || args.naive) {
      log(`N=${size}: naive baseline (Lunr, positions on every field)`)
      naive = searchChild(content, 'naive')
    }
    log(`N=${size}: restart on unchanged content`)
    const server = await startServer(env)
    const result = await measureHttp(size, content, server, search, naive, first)
    if (cluster) {
      result.front = await measureFront({
        origin: server.origin,
        paths: storyPaths(content),
        appAloneRps: result.http.story.site.rps,
        load: (origin, paths) => load(origin, paths),
        log: (message) => log(`N=${size}: ${message}`),
      })
    }
    await server.stop()
    if (cluster) {
      log(`N=${size}: WEB_CONCURRENCY=2`)
      const two = await startServer({ ...env, WEB_CONCURRENCY: '2' }, 2)
      const paths = storyPaths(content)
      await meanBytes(two.origin, paths)
      await meanBytes(two.origin, paths)
      const story = await load(two.origin, paths)
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

async function measureHttp(
  size: number,
  content: string,
  server: Server,
  search: SearchChildResult,
  naive: SearchChildResult | undefined,
  first: Server,
): Promise<SizeResult> {
  const stories = storyPaths(content)
  const searches = httpSearchPaths()
  const searchReady = (await get(`${server.origin}${searches[0] ?? '/search'}`)).status === 200
  // One pass over every address first: sizes for the ceiling, and warm caches and JIT.
  const storyBytes = await meanBytes(server.origin, stories)
  const listBytes = await meanBytes(server.origin, LIST_PATHS)
  const searchBytes = searchReady ? await meanBytes(server.origin, searches) : 0
  const bare = await startBare([storyBytes, listBytes, ...(searchReady ? [searchBytes] : [])])
  const figure = async (name: string, paths: string[], bytes: number): Promise<HttpFigure> => {
    log(`N=${size}: HTTP ${name} (${paths.length} addresses, ${bytes} bytes)`)
    const site = await load(server.origin, paths)
    // The bare app's throughput is steady within seconds: half the time keeps the whole run
    // under 10 minutes.
    const ceiling = await load(bare.origin, [`/${bytes}`], connections, Math.max(5, duration / 2))
    return { bytes, site, ceiling, ratio: site.rps / ceiling.rps }
  }
  try {
    const story = await figure('story page', stories, storyBytes)
    const list = await figure('stories list, two filters', LIST_PATHS, listBytes)
    let searchFigure: HttpFigure | undefined
    let searchAt10: LoadResult | undefined
    if (searchReady) {
      searchFigure = await figure('search', searches, searchBytes)
      log(`N=${size}: HTTP search at 10 connections`)
      searchAt10 = await load(server.origin, searches, 10)
    } else {
      log(`N=${size}: /search is not served by this build: search HTTP figures skipped`)
    }
    const weight = await pageWeight(server.origin, stories[0] as string)
    const pid = server.child.pid ?? 0
    const endPeakRssMB = peakRssMB([pid, ...childPids(pid)])
    return {
      size,
      stories: search.stories,
      firstStartMs: first.readyMs,
      firstStartPeakRssMB: first.peakRssMB,
      restartMs: server.readyMs,
      restartPeakRssMB: server.peakRssMB,
      endPeakRssMB,
      search,
      naive,
      http: { story, list, search: searchFigure },
      searchAt10,
      pageWeight: weight,
      cluster: undefined,
      front: undefined,
    }
  } finally {
    await bare.stop()
  }
}

// ------------------------------------------------------------------------------------------------
// Report
// ------------------------------------------------------------------------------------------------

interface Row {
  figure: string
  values: string[]
  target1000: string
  target10000: string
}

function report(results: SizeResult[]): string {
  const f = (x: number | undefined, d = 0): string =>
    x === undefined || !Number.isFinite(x)
      ? '–'
      : x.toLocaleString('en-GB', { minimumFractionDigits: d, maximumFractionDigits: d })
  const s = (ms: number): string => `${f(ms / 1000, 2)} s`
  const vs = (
    ours: number | undefined,
    naive: number | undefined,
    higherIsBetter = false,
  ): string => {
    if (ours === undefined || naive === undefined || ours === 0) return ''
    const r = higherIsBetter ? ours / naive : naive / ours
    return ` (${f(r, 1)}× naive)`
  }
  /** p50 / p99, and how many requests got no answer within autocannon's 10 s. */
  const latency = (l: LoadResult): string =>
    `${f(l.p50)} / ${f(l.p99)} ms` +
    (l.timeouts + l.errors > 0
      ? ` (${f(l.timeouts + l.errors)} of ${f(l.requests + l.timeouts + l.errors)} timed out)`
      : '')
  const rows: Row[] = [
    {
      figure: 'stories served',
      values: results.map((r) => f(r.stories)),
      target1000: '',
      target10000: '',
    },
    {
      figure: 'first start (no cache) to ready',
      values: results.map((r) => s(r.firstStartMs) + vs(r.firstStartMs, r.naive?.readyMs)),
      target1000: '≤ 6 s',
      target10000: '≤ 40 s, ≥ 5× naive',
    },
    {
      figure: 'restart on unchanged content',
      values: results.map((r) => s(r.restartMs) + vs(r.restartMs, r.naive?.readyMs)),
      target1000: '≤ 1.5 s',
      target10000: '≤ 12 s',
    },
    {
      figure: 'peak RSS after ready (first start / restart)',
      values: results.map(
        (r) =>
          `${f(r.firstStartPeakRssMB)} / ${f(r.restartPeakRssMB)} MB` +
          vs(r.firstStartPeakRssMB, r.naive?.peakRssMB),
      ),
      target1000: '≤ 250 MB',
      target10000: '≤ 1 GB',
    },
    {
      figure: 'peak RSS at the end of the HTTP runs',
      values: results.map((r) => `${f(r.endPeakRssMB)} MB`),
      target1000: '',
      target10000: '',
    },
    {
      figure: 'naive baseline: ready / peak RSS',
      values: results.map((r) =>
        r.naive ? `${s(r.naive.readyMs)} / ${f(r.naive.peakRssMB)} MB` : 'not run (--naive)',
      ),
      target1000: '',
      target10000: '',
    },
    {
      figure: 'search index build (first start)',
      values: results.map((r) => s(r.search.buildMs) + vs(r.search.buildMs, r.naive?.buildMs)),
      target1000: '',
      target10000: '',
    },
    {
      figure: 'search in-process p50 / p99 (200 queries; × 3 up to 1,000)',
      values: results.map(
        (r) =>
          `${f(r.search.p50Ms, 2)} / ${f(r.search.p99Ms, 2)} ms` +
          (r.naive ? ` (naive ${f(r.naive.p50Ms, 1)} / ${f(r.naive.p99Ms, 1)} ms)` : ''),
      ),
      target1000: '≤ 2 / ≤ 10 ms',
      target10000: '≤ 15 / ≤ 80 ms',
    },
    {
      figure: 'search page p50 / p99, 10 connections',
      values: results.map((r) => (r.searchAt10 ? latency(r.searchAt10) : 'no /search')),
      target1000: 'p99 ≤ 50 ms',
      target10000: 'p99 ≤ 250 ms',
    },
  ]
  const http = (
    name: string,
    pick: (r: SizeResult) => HttpFigure | undefined,
    t1: string,
    t10: string,
  ) => {
    rows.push({
      figure: `${name}: req/s site / ceiling = ratio`,
      values: results.map((r) => {
        const h = pick(r)
        return h ? `${f(h.site.rps)} / ${f(h.ceiling.rps)} = ${f(h.ratio, 2)}` : 'no /search'
      }),
      target1000: t1,
      target10000: t10,
    })
    rows.push({
      figure: `${name}: p50 / p99 latency, ${connections} connections`,
      values: results.map((r) => {
        const h = pick(r)
        return h ? `${latency(h.site)} (ceiling ${f(h.ceiling.p50)} / ${f(h.ceiling.p99)})` : '–'
      }),
      target1000: '',
      target10000: '',
    })
  }
  http('story page', (r) => r.http.story, '≥ 0.9', '≥ 0.9')
  http('stories list, 2 filters', (r) => r.http.list, '≥ 0.5', '≥ 0.3')
  http('search page', (r) => r.http.search, '≥ 0.5', '≥ 0.3')
  rows.push({
    figure: 'story page weight, compressed, with CSS and JS',
    values: results.map(
      (r) => `${f(r.pageWeight.totalBytes / 1024, 1)} KB (${r.pageWeight.encoding})`,
    ),
    target1000: '≤ 60 KB',
    target10000: '≤ 60 KB',
  })
  rows.push({
    figure: 'cluster: story req/s, WEB_CONCURRENCY=2 vs 1',
    values: results.map((r) =>
      r.cluster
        ? `${f(r.cluster.story.rps)} vs ${f(r.http.story.site.rps)} = ${f(r.cluster.gain, 2)}×`
        : '–',
    ),
    target1000: '',
    target10000: '',
  })
  rows.push({
    figure: 'front (nginx, cache hits): story req/s vs the app alone',
    values: results.map((r) =>
      r.front === undefined
        ? '–'
        : 'skipped' in r.front
          ? `skipped: ${r.front.skipped}`
          : `${f(r.front.front.rps)} vs ${f(r.front.appAloneRps)} = ${f(r.front.ratio, 2)}× (p99 ${f(r.front.front.p99)} ms)`,
    ),
    target1000: '',
    target10000: '',
  })
  const header = [
    'figure',
    ...results.map((r) => `N = ${f(r.size)}`),
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
  // The cluster run: at 1,000 if measured (story pages are served from memory at any size, and
  // two workers start in seconds rather than a minute), else at the largest size.
  const clusterAt = sizes.includes(1000) ? 1000 : Math.max(...sizes)
  for (const size of sizes) results.push(await runSize(size, size === clusterAt))
  const table = report(results)
  const elapsed = (performance.now() - benchStarted) / 1000
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}, ${Math.round(totalmem() / 1024 ** 3)} GB, Linux ${release()}, Node ${process.version}`
  const out = {
    date: new Date().toISOString(),
    commit: gitCommit(),
    command: `npm run bench${process.argv.slice(2).length ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    machine,
    durationSeconds: duration,
    connections,
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

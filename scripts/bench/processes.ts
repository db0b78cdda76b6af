/**
 * The processes of the site benchmark (scripts/bench.ts): the built server, the bare Express
 * ceiling, autocannon runs and the in-process search child, each in a process of its own, and
 * what is read from them (HTTP answers, peak RSS from /proc).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { freePort } from '../../test/e2e/support/server.js'
import { root } from './corpus.js'
import type { SearchChildResult } from './search-child.js'

export const SERVER = path.join(root, 'dist', 'src', 'server.js')
const MB = 1024 * 1024
const benchStarted = performance.now()

/** Seconds since the bench started, then the message, on stderr. */
export const log = (message: string): void => {
  const s = ((performance.now() - benchStarted) / 1000).toFixed(0).padStart(4)
  process.stderr.write(`[${s} s] ${message}\n`)
}
export const elapsedSeconds = (): number => (performance.now() - benchStarted) / 1000
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

// One way of finding a free loopback port, shared with the browser suite's server helper.
export { freePort }

export interface Raw {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Buffer
  /** Bytes on the wire for the response: status line and headers plus the (encoded) body. */
  wireBytes: number
}

export function get(url: string, headers: Record<string, string> = {}): Promise<Raw> {
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
export function peakRssMB(pids: number[]): number | undefined {
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

export function childPids(pid: number): number[] {
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

export interface Server {
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
export async function startServer(env: Record<string, string>, workers = 1): Promise<Server> {
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

export async function startBare(
  bodySizes: number[],
): Promise<{ origin: string; stop(): Promise<void> }> {
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

export interface LoadResult {
  requests: number
  rps: number
  p50: number
  p99: number
  max: number
  errors: number
  timeouts: number
  non2xx: number
}

export async function load(
  origin: string,
  paths: string[],
  conns: number,
  seconds: number,
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

export function searchChild(
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

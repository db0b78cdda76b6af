import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createServer } from 'node:net'
import { once } from 'node:events'
import { fromRoot } from '../../../src/paths.js'
import { FIXTURE_CONTENT } from '../../helpers/app.js'

export const SERVER_ENTRY = fromRoot('dist', 'src', 'server.js')

export interface RunningServer {
  baseUrl: string
  port: number
  child: ChildProcess
  /** Everything the child wrote to stderr (start-up problems). */
  stderr: () => string
  /** Everything the child wrote to stdout (its JSON log lines), with `logs: true`. */
  stdout: () => string
  /** SIGTERM, then wait for the exit; resolves with the exit code. */
  stop: () => Promise<number | null>
}

/** A free loopback port, chosen by the operating system. */
export async function freePort(): Promise<number> {
  const probe = createServer()
  probe.listen(0, '127.0.0.1')
  await once(probe, 'listening')
  const address = probe.address()
  const port = typeof address === 'object' && address ? address.port : 0
  probe.close()
  await once(probe, 'close')
  return port
}

async function waitUntilReady(baseUrl: string, child: ChildProcess, stderr: () => string) {
  const deadline = Date.now() + 15_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`the server exited with code ${child.exitCode}:\n${stderr()}`)
    }
    try {
      const res = await fetch(`${baseUrl}/readyz`)
      if (res.status === 200) return
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`the server did not become ready within 15 s:\n${stderr()}`)
}

/**
 * Starts the REAL built server (`node dist/src/server.js`) as a child process on a free
 * loopback port, over the fixture content unless told otherwise, and waits for /readyz.
 */
export async function startServer(
  options: {
    contentDir?: string
    env?: Record<string, string>
    logs?: boolean
    port?: number
  } = {},
): Promise<RunningServer> {
  if (!existsSync(SERVER_ENTRY)) throw new Error(`${SERVER_ENTRY} is missing: run npm run build`)
  // The port is free when chosen; if another process takes it first, try again (unless the
  // caller named the port: a restart on the port a proxy knows).
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort())
    const baseUrl = `http://127.0.0.1:${port}`
    let errors = ''
    let output = ''
    const child = spawn(process.execPath, [SERVER_ENTRY], {
      cwd: fromRoot(),
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'test',
        // No start-up cache unless a test asks for one: test content lives in temporary folders,
        // each of which would leave a cache file in the project's .cache/.
        CACHE_DIR: '',
        LOG_LEVEL: options.logs === true ? 'info' : 'silent',
        PORT: String(port),
        BASE_URL: baseUrl,
        CONTENT_DIR: options.contentDir ?? FIXTURE_CONTENT,
        ...options.env,
      },
      stdio: ['ignore', options.logs === true ? 'pipe' : 'ignore', 'pipe'],
    })
    child.stdout?.setEncoding('utf8')
    child.stdout?.on('data', (chunk: string) => {
      output += chunk
    })
    child.stderr?.setEncoding('utf8')
    child.stderr?.on('data', (chunk: string) => {
      errors += chunk
    })
    const stderr = (): string => errors
    const exited = new Promise<number | null>((resolve) => {
      if (child.exitCode !== null) resolve(child.exitCode)
      else child.once('exit', (code) => resolve(code))
    })
    try {
      await waitUntilReady(baseUrl, child, stderr)
    } catch (error) {
      child.kill('SIGKILL')
      await exited
      if (attempt < 3 && options.port === undefined && errors.includes('EADDRINUSE')) continue
      throw error
    }
    return {
      baseUrl,
      port,
      child,
      stderr,
      stdout: () => output,
      stop: async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
        return exited
      },
    }
  }
}

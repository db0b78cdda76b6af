import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, mkdtempSync, readFileSync, rmSync, cpSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { fromRoot } from '../../src/paths.js'
import { FIXTURE_CONTENT } from '../helpers/app.js'
import { SERVER_ENTRY, startServer } from './support/server.js'

/** WEB_CONCURRENCY=2: the built server as a cluster primary with two workers. */
const roots: string[] = []
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true })
})

/** The child processes of a process (Linux). */
function childrenOf(pid: number): number[] {
  const file = `/proc/${pid}/task/${pid}/children`
  if (!existsSync(file)) return []
  return readFileSync(file, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number)
}
const alive = (pid: number): boolean => existsSync(`/proc/${pid}`)

describe('WEB_CONCURRENCY=2', () => {
  it('serves from two worker processes and shuts down cleanly on SIGTERM', async () => {
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'cluster-cache-'))
    roots.push(cacheDir)
    const server = await startServer({ env: { WEB_CONCURRENCY: '2', CACHE_DIR: cacheDir } })
    const pid = server.child.pid as number
    // The second worker starts once the first is listening: wait for both.
    let workers: number[] = []
    for (let i = 0; i < 100 && workers.length < 2; i++) {
      workers = childrenOf(pid)
      if (workers.length < 2) await new Promise((resolve) => setTimeout(resolve, 50))
    }
    if (process.platform === 'linux') expect(workers).toHaveLength(2)
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        fetch(`${server.baseUrl}${i % 2 ? '/stories' : '/stories/ashcombe-vale-finds-its-vision'}`),
      ),
    )
    expect(answers.map((r) => r.status)).toEqual(Array.from({ length: 40 }, () => 200))

    // A request in flight when SIGTERM arrives is finished, then everything exits 0.
    const slow = connect(server.port, '127.0.0.1')
    await once(slow, 'connect')
    let raw = ''
    slow.setEncoding('latin1').on('data', (c: string) => (raw += c))
    const closed = once(slow, 'close')
    slow.write('GET /stories/ashcombe-vale-finds-its-vision HTTP/1.1\r\nHost: x\r\n')
    await new Promise((resolve) => setTimeout(resolve, 200))
    const started = Date.now()
    const exited = server.stop()
    await new Promise((resolve) => setTimeout(resolve, 200))
    slow.write('Connection: close\r\n\r\n')
    await closed
    expect(raw).toMatch(/^HTTP\/1\.1 200 OK\r\n/)
    expect(raw).toContain('</html>')
    expect(await exited).toBe(0)
    expect(Date.now() - started).toBeLessThan(10_000)
    for (const worker of workers) expect(alive(worker)).toBe(false)
  })

  it('on invalid content, exits 1 and lists the problems once', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cluster-bad-'))
    roots.push(dir)
    cpSync(FIXTURE_CONTENT, dir, { recursive: true })
    const file = path.join(dir, 'stories', 'marrowby-goes-commercial.md')
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^region: .*$/m, 'region: atlantis'))
    const child = spawn(process.execPath, [SERVER_ENTRY], {
      cwd: fromRoot(),
      env: {
        PATH: process.env.PATH ?? '',
        CONTENT_DIR: dir,
        CACHE_DIR: '',
        PORT: '0',
        LOG_LEVEL: 'silent',
        WEB_CONCURRENCY: '2',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let stderr = ''
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    const [code] = (await once(child, 'exit')) as [number | null]
    expect(code).toBe(1)
    expect(stderr.match(/The content has 1 problem:/g)).toHaveLength(1)
    expect(stderr).toContain('region: ')
  })
})

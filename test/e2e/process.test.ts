import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { connect, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { fromRoot } from '../../src/paths.js'
import { FIXTURE_CONTENT } from '../helpers/app.js'
import { SERVER_ENTRY, startServer } from './support/server.js'

/** The real server as a process: health, shutdown, broken clients, start-up and `npm run validate`. */
const baseUrl = inject('baseUrl')
const temp: string[] = []
afterAll(() => {
  for (const dir of temp) rmSync(dir, { recursive: true, force: true })
})

function open(port: number): Promise<Socket> {
  const socket = connect(port, '127.0.0.1')
  return once(socket, 'connect').then(() => socket)
}

/** Everything the socket receives until the server closes it. */
function readAll(socket: Socket): Promise<string> {
  let data = ''
  socket.setEncoding('latin1')
  socket.on('data', (chunk: string) => {
    data += chunk
  })
  return once(socket, 'close').then(() => data)
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('health', () => {
  it('/healthz and /readyz answer 200, uncached', async () => {
    for (const [path, text] of [
      ['/healthz', 'ok'],
      ['/readyz', 'ready'],
    ] as const) {
      const res = await fetch(`${baseUrl}${path}`)
      expect(res.status).toBe(200)
      expect(res.headers.get('cache-control')).toBe('no-store')
      expect(await res.text()).toBe(text)
    }
  })
})

describe('graceful shutdown', () => {
  it('on SIGTERM: stops accepting, finishes the request in flight, exits 0 within 10 s', async () => {
    const server = await startServer()
    // A slow client: half its request sent. To the server that request is in flight.
    const slow = await open(server.port)
    const response = readAll(slow)
    slow.write('GET /stories/ashcombe-vale-finds-its-vision HTTP/1.1\r\nHost: x\r\n')
    // An idle keep-alive connection, as a load balancer keeps: it must not delay the exit.
    const idle = await open(server.port)
    idle.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n')
    await once(idle, 'data')
    await sleep(200)

    const started = Date.now()
    const exited = server.stop()
    // New connections are refused…
    let refused = false
    for (let i = 0; i < 40 && !refused; i++) {
      refused = await fetch(`${server.baseUrl}/healthz`).then(
        () => false,
        () => true,
      )
      if (!refused) await sleep(50)
    }
    expect(refused).toBe(true)
    // …while the slow client finishes its request and gets the whole page.
    slow.write('Connection: keep-alive\r\n\r\n')
    const raw = await response
    expect(raw).toMatch(/^HTTP\/1\.1 200 OK\r\n/)
    expect(raw).toContain('Ashcombe Vale finds its vision')
    expect(raw.trimEnd()).toMatch(/<\/html>(\r\n0)?$/)
    expect(await exited).toBe(0)
    expect(Date.now() - started).toBeLessThan(10_000)
    idle.destroy()
  })

  it('every log line reaches stdout: one per request, and the last ones on exit', async () => {
    // The logger writes asynchronously (src/logger.ts); nothing may be lost or held back.
    const server = await startServer({ logs: true })
    const requests = 200
    await Promise.all(
      Array.from({ length: requests }, (_, i) =>
        fetch(`${server.baseUrl}/stories?page=${(i % 3) + 1}`).then((res) => res.arrayBuffer()),
      ),
    )
    expect(await server.stop()).toBe(0)
    const lines = server
      .stdout()
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { msg: string; req?: { url: string } })
    const logged = lines.filter((l) => l.msg === 'request completed' && l.req?.url !== '/readyz')
    expect(logged).toHaveLength(requests)
    expect(lines.map((l) => l.msg).slice(-2)).toEqual(['shutting down', 'closed'])
  })

  it('a client that disconnects mid-response breaks nothing', async () => {
    const { port } = new URL(baseUrl)
    // Twenty clients that hang up as the page starts to arrive, and five that hang up
    // half-way through sending their request.
    const rude = Array.from({ length: 20 }, async () => {
      const socket = await open(Number(port))
      socket.write('GET /accessibility HTTP/1.1\r\nHost: x\r\nAccept-Encoding: br\r\n\r\n')
      await once(socket, 'data')
      socket.destroy()
    })
    const halfway = Array.from({ length: 5 }, async () => {
      const socket = await open(Number(port))
      socket.write('GET /stories HTTP/1.1\r\nHo')
      await sleep(20)
      socket.destroy()
    })
    await Promise.all([...rude, ...halfway])
    const res = await fetch(`${baseUrl}/stories`)
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('</html>')
  })
})

/** A copy of the fixture content with a bad story added. */
function badContent(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'bad-content-'))
  temp.push(dir)
  mkdirSync(path.join(dir, 'stories'))
  writeFileSync(
    path.join(dir, 'themes.yml'),
    readFileSync(path.join(FIXTURE_CONTENT, 'themes.yml')),
  )
  const good = readFileSync(
    path.join(FIXTURE_CONTENT, 'stories', 'marrowby-goes-commercial.md'),
    'utf8',
  )
  writeFileSync(path.join(dir, 'stories', 'good.md'), good)
  writeFileSync(path.join(dir, 'stories', 'typo.md'), good.replace('summary:', 'summery:'))
  writeFileSync(path.join(dir, 'stories', 'script.md'), good.replace(/^---/, '---js'))
  // A term that search skips as too common: found only by checking against the search.
  writeFileSync(
    path.join(dir, 'synonyms.yml'),
    '- [NOC, no overall control]\n- [IN, intervention notice]\n',
  )
  return dir
}

function run(command: string, args: string[], env: Record<string, string>) {
  const child = spawn(command, args, {
    cwd: fromRoot(),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
  return once(child, 'close').then(([code]) => ({ code: code as number, stdout, stderr }))
}

describe('invalid content', () => {
  it('npm run validate exits 0 on good content', async () => {
    const result = await run('npm', ['run', '--silent', 'validate'], {
      CONTENT_DIR: FIXTURE_CONTENT,
    })
    expect(result.stderr).toBe('')
    expect(result.stdout).toMatch(/^Content is valid: 3 stories \(1 drafts\), 4 themes/)
    expect(result.code).toBe(0)
  })

  it('npm run validate exits 1 and lists every problem', async () => {
    const dir = badContent()
    const result = await run('npm', ['run', '--silent', 'validate'], { CONTENT_DIR: dir })
    expect(result.code).toBe(1)
    const shown = path.relative(fromRoot(), dir)
    const where = shown.startsWith('..') ? dir : shown
    expect(result.stderr.trim().split('\n')).toEqual([
      `${where}/synonyms.yml:2: [1][0]: "IN" is only words that search skips as too common, so it can never be searched for: leave it out, or write it as part of a longer term`,
      `${where}/stories/script.md:1: (frontmatter): front matter must be YAML opened by a line of exactly "---" (found "---js"); JavaScript and other engines are not allowed`,
      `${where}/stories/typo.md:2: summary: is required`,
      `${where}/stories/typo.md:13: summery: unknown field; did you mean "summary"? (see docs/content-guide.md)`,
      '',
      '4 problem(s) found.',
    ])
  })

  it('the server refuses to start on invalid content, listing the problems, exit 1', async () => {
    const result = await run(process.execPath, [SERVER_ENTRY], {
      CONTENT_DIR: badContent(),
      CACHE_DIR: '',
      PORT: '0',
      LOG_LEVEL: 'silent',
    })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('The content has 4 problems:')
    expect(result.stderr).toContain('summery: unknown field')
    expect(result.stderr).toContain('"IN" is only words that search skips')
    expect(result.stderr).toContain('The server did not start.')
    expect(result.stderr).not.toMatch(/\n\s+at /)
  })
})

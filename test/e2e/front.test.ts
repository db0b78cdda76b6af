import { spawn, type ChildProcess } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fromRoot } from '../../src/paths.js'
import { FIXTURE_CONTENT } from '../helpers/app.js'
import { ageFrontCache, frontCacheDir } from './support/front-cache.js'
import { freePort, startServer, type RunningServer } from './support/server.js'
import { frontToolMissing, MissingTool } from './support/tools.js'

/**
 * The production front as `npm run front` runs it: Debian's nginx with deploy/nginx.conf,
 * over two instances of the built server, on free ports. Needs nginx and openssl (.ci/run
 * installs them); without them this is one skipped line, or a failure under CI=true.
 */

interface Answer {
  status: number
  headers: IncomingHttpHeaders
  body: Buffer
}

function get(url: string, headers: Record<string, string> = {}): Promise<Answer> {
  const target = new URL(url)
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest
  return new Promise((resolve, reject) => {
    // The front's certificate is self-signed, made by npm run front.
    const req = send(target, { headers, rejectUnauthorized: false, agent: false }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      )
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end()
  })
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** What the app decides and the front must pass on as it is. */
const APP_HEADERS = [
  'content-security-policy',
  'strict-transport-security',
  'referrer-policy',
  'x-content-type-options',
  'cross-origin-opener-policy',
  'cross-origin-resource-policy',
  'origin-agent-cluster',
  'x-frame-options',
  'permissions-policy',
  'cache-control',
  'etag',
  'vary',
  'content-type',
  'content-encoding',
]

const missing = frontToolMissing()

if (missing !== undefined) {
  it('the front: nginx over two instances', (context) => {
    if (process.env.CI === 'true') throw new MissingTool(missing)
    context.skip(missing)
  })
} else {
  describe('the front: nginx over two instances', () => {
    let contentDir: string
    const ports: number[] = []
    const instances: RunningServer[] = []
    let httpPort: number
    let httpsPort: number
    let front: ChildProcess
    let frontOutput = ''
    let frontUrl: string

    const startInstance = (i: number): Promise<RunningServer> =>
      startServer({
        contentDir,
        port: ports[i] as number,
        logs: true,
        env: { TRUST_PROXY: 'loopback', BASE_URL: frontUrl },
      }).then((server) => (instances[i] = server))

    beforeAll(async () => {
      contentDir = mkdtempSync(path.join(tmpdir(), 'front-content-'))
      cpSync(FIXTURE_CONTENT, contentDir, { recursive: true })
      httpPort = await freePort()
      httpsPort = await freePort()
      frontUrl = `https://127.0.0.1:${httpsPort}`
      ports.push(await freePort(), await freePort())
      await Promise.all([startInstance(0), startInstance(1)])

      front = spawn('npm', ['run', '--silent', 'front'], {
        cwd: fromRoot(),
        env: {
          ...process.env,
          FRONT_HTTP_PORT: String(httpPort),
          FRONT_HTTPS_PORT: String(httpsPort),
          UPSTREAMS: ports.map((p) => `127.0.0.1:${p}`).join(','),
          TLS_CERT: '',
          TLS_KEY: '',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      front.stdout?.setEncoding('utf8').on('data', (chunk: string) => (frontOutput += chunk))
      front.stderr?.setEncoding('utf8').on('data', (chunk: string) => (frontOutput += chunk))
      const deadline = Date.now() + 30_000
      for (;;) {
        if (front.exitCode !== null) throw new Error(`npm run front exited:\n${frontOutput}`)
        if (Date.now() > deadline) throw new Error(`the front did not answer:\n${frontOutput}`)
        const ready = await get(`${frontUrl}/readyz`).catch(() => undefined)
        if (ready?.status === 200) break
        await sleep(100)
      }
    })

    afterAll(async () => {
      if (front && front.exitCode === null) {
        const exited = new Promise((resolve) => front.once('exit', resolve))
        front.kill('SIGTERM')
        await exited
        // SIGTERM stops nginx before npm run front exits: nothing is left listening.
        expect(frontOutput).toContain('front: stopped')
        await expect(get(`${frontUrl}/healthz`)).rejects.toThrow()
      }
      await Promise.all(instances.map((instance) => instance.stop()))
      if (contentDir) rmSync(contentDir, { recursive: true, force: true })
    })

    it('answers HTTP with a 301 to the same address over HTTPS', async () => {
      const res = await get(`http://127.0.0.1:${httpPort}/stories?theme=transformation`)
      expect(res.status).toBe(301)
      expect(res.headers.location).toBe(`${frontUrl}/stories?theme=transformation`)
    })

    it('serves the second request for a page from its cache', async () => {
      const first = await get(`${frontUrl}/themes`, { 'Accept-Encoding': 'br' })
      const second = await get(`${frontUrl}/themes`, { 'Accept-Encoding': 'br' })
      expect([first.status, second.status]).toEqual([200, 200])
      expect(first.headers['x-cache-status']).toBe('MISS')
      expect(second.headers['x-cache-status']).toBe('HIT')
      expect(second.body.equals(first.body)).toBe(true)
      // Each encoding is its own entry (Vary: Accept-Encoding), as the app compressed it.
      const plain = await get(`${frontUrl}/themes`)
      expect(plain.headers['x-cache-status']).toBe('MISS')
      expect(plain.headers['content-encoding']).toBeUndefined()
    })

    it('passes the app’s security, caching and compression headers on unchanged', async () => {
      const direct = instances[0]?.baseUrl as string
      for (const [pathname, encoding] of [
        ['/stories/ashcombe-vale-finds-its-vision', 'br'],
        ['/embed/stories/ashcombe-vale-finds-its-vision', 'gzip'],
        ['/stories/no-such-story', 'br'],
        ['/search?q=council', 'identity'],
        ['/healthz', 'gzip'],
      ] as const) {
        const headers = { 'Accept-Encoding': encoding }
        const app = await get(`${direct}${pathname}`, headers)
        const fronted = await get(`${frontUrl}${pathname}`, headers)
        expect(fronted.status, pathname).toBe(app.status)
        for (const name of APP_HEADERS) {
          expect(fronted.headers[name], `${pathname}: ${name}`).toEqual(app.headers[name])
        }
        expect(app.headers['content-security-policy'], pathname).toBeDefined()
        expect(app.headers['strict-transport-security'], pathname).toBeDefined()
        expect(fronted.body.equals(app.body), `${pathname}: body`).toBe(true)
        expect(fronted.headers['x-cache-status'], pathname).toMatch(/^(MISS|HIT)$/)
      }
    })

    it('with one instance stopped, answers 20 uncached searches in a row', async () => {
      await instances[1]?.stop()
      try {
        const answers: string[] = []
        for (let i = 0; i < 20; i++) {
          const res = await get(`${frontUrl}/search?q=council+${i}`)
          answers.push(`${res.status} ${String(res.headers['x-cache-status'])}`)
        }
        expect(answers).toEqual(Array.from({ length: 20 }, () => '200 MISS'))
      } finally {
        await startInstance(1)
      }
    })

    it('after a content change and a restart, revalidates: the changed page is new, the unchanged one a 304', async () => {
      const story = '/stories/marrowby-goes-commercial'
      const before = await get(`${frontUrl}${story}`)
      await get(`${frontUrl}/about`)
      expect(before.body.toString()).not.toContain('Revalidated through the front')

      // The new content: one story's summary changes. Each instance restarts on it in turn,
      // so one of them is always serving.
      const file = path.join(contentDir, 'stories', 'marrowby-goes-commercial.md')
      writeFileSync(
        file,
        readFileSync(file, 'utf8').replace(
          /^summary: .*$/m,
          'summary: Revalidated through the front after a content change.',
        ),
      )
      for (const i of [0, 1]) {
        await instances[i]?.stop()
        await startInstance(i)
      }

      // Still fresh (max-age=300): the front keeps serving what it has.
      const fresh = await get(`${frontUrl}${story}`)
      expect(fresh.headers['x-cache-status']).toBe('HIT')
      expect(fresh.body.equals(before.body)).toBe(true)

      // Five minutes later, as far as the cache can tell: it serves the stale copy once while
      // it asks the app again in the background with If-None-Match, then the new page.
      expect(ageFrontCache(frontCacheDir(frontOutput))).toBeGreaterThan(3)
      const stale = await get(`${frontUrl}${story}`)
      expect(stale.headers['x-cache-status']).toBe('STALE')
      let after = stale
      for (let tries = 0; tries < 100 && after.body.equals(before.body); tries++) {
        await sleep(50)
        after = await get(`${frontUrl}${story}`)
      }
      expect(after.body.toString()).toContain('Revalidated through the front')
      expect(after.headers.etag).not.toBe(before.headers.etag)
      expect(after.headers['x-cache-status']).toBe('HIT')

      // The unchanged page was revalidated by its ETag: the app answered 304, without a body.
      await get(`${frontUrl}/about`)
      const revalidations = () =>
        instances
          .flatMap((instance) => instance.stdout().split('\n'))
          .filter((line) => line.includes('"url":"/about"') && line.includes('"statusCode":304'))
      for (let tries = 0; tries < 100 && revalidations().length === 0; tries++) {
        await sleep(50)
      }
      expect(revalidations()).toHaveLength(1)
      // ... and the app saw the client's scheme through X-Forwarded-Proto (TRUST_PROXY).
      expect(revalidations()[0]).toContain('"protocol":"https"')
    })
  })
}

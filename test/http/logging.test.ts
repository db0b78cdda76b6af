import { Writable } from 'node:stream'
import { pino } from 'pino'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { loadSiteContent } from '../../src/site/load.js'
import { ContentState } from '../../src/site/state.js'
import { FIXTURE_CONTENT } from '../helpers/app.js'

/** Request logs: one JSON line per request; a failure logged once, with its request id. */
async function appWithLogs(broken = false, env: Record<string, string> = {}) {
  const lines: Record<string, unknown>[] = []
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line))
      done()
    },
  })
  const config = loadConfig({
    NODE_ENV: 'test',
    CONTENT_DIR: FIXTURE_CONTENT,
    LOG_LEVEL: 'info',
    ...env,
  })
  const content = broken
    ? ({
        get current(): never {
          throw new Error('deliberate fault')
        },
        problems: [],
      } as unknown as ContentState)
    : new ContentState(await loadSiteContent(config))
  const logger = pino({ level: 'info' }, sink)
  return { app: createApp({ config, content, logger }), lines }
}

describe('request logs', () => {
  it('one line per request with method, url, status and an id', async () => {
    const { app, lines } = await appWithLogs()
    await request(app).get('/stories?theme=transformation')
    await request(app).get('/nope')
    const requests = lines.filter((l) => l.msg === 'request completed')
    expect(requests).toHaveLength(2)
    expect(requests[0]).toMatchObject({
      req: { method: 'GET', url: '/stories?theme=transformation' },
      res: { statusCode: 200 },
    })
    expect(requests[1]).toMatchObject({ res: { statusCode: 404 } })
    expect(requests[0]?.req).toHaveProperty('id')
    expect(JSON.stringify(lines)).not.toMatch(/cookie|authorization/i)
  })

  it('each line has the fields pino-http wrote, in its order, and ids count up', async () => {
    const { app, lines } = await appWithLogs()
    await request(app).get('/stories')
    await request(app).get('/about')
    const [first, second] = lines.filter((l) => l.msg === 'request completed')
    expect(Object.keys(first ?? {})).toEqual([
      'level',
      'time',
      'pid',
      'hostname',
      'req',
      'res',
      'responseTime',
      'msg',
    ])
    expect(first).toMatchObject({ level: 30, req: { method: 'GET', url: '/stories' } })
    expect(Object.keys(first?.req as object)).toEqual([
      'id',
      'method',
      'url',
      'protocol',
      'remoteAddress',
    ])
    expect(Object.keys(first?.res as object)).toEqual(['statusCode'])
    expect(typeof first?.responseTime).toBe('number')
    const id = (line: Record<string, unknown> | undefined) => (line?.req as { id: number }).id
    expect(id(second)).toBe(id(first) + 1)
  })

  it('the client is the connection, unless TRUST_PROXY names the proxy that forwarded it', async () => {
    const forwarded = { 'X-Forwarded-For': '203.0.113.7', 'X-Forwarded-Proto': 'https' }
    const logged = async (env: Record<string, string>) => {
      const { app, lines } = await appWithLogs(false, env)
      await request(app).get('/about').set(forwarded)
      return lines.find((l) => l.msg === 'request completed')?.req
    }
    // Supertest connects over loopback.
    const direct = { protocol: 'http', remoteAddress: expect.stringMatching(/127\.0\.0\.1$/) }
    expect(await logged({})).toMatchObject(direct)
    expect(await logged({ TRUST_PROXY: '10.0.0.1' })).toMatchObject(direct)
    expect(await logged({ TRUST_PROXY: 'loopback' })).toMatchObject({
      protocol: 'https',
      remoteAddress: '203.0.113.7',
    })
  })

  it('long URLs are cut short in the log', async () => {
    const { app, lines } = await appWithLogs()
    await request(app).get(`/stories?q=${'a'.repeat(5000)}`)
    const url = String((lines.at(-1)?.req as { url: string }).url)
    expect(url.length).toBeLessThan(310)
    expect(url.endsWith('…')).toBe(true)
  })

  it('a 500 is logged once, as an error with the request id and the cause', async () => {
    const { app, lines } = await appWithLogs(true)
    await request(app).get('/stories').set('Cookie', 'secret=1')
    const errors = lines.filter((l) => (l.level as number) >= 50)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatchObject({
      msg: 'request failed',
      url: '/stories',
      err: { message: 'deliberate fault' },
    })
    expect(errors[0]).toHaveProperty('reqId')
    expect(JSON.stringify(lines)).not.toContain('secret=1')
  })
})

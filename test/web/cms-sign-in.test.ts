import { Writable } from 'node:stream'
import { pino } from 'pino'
import request from 'supertest'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../helpers/app.js'
import { REFUSAL, startGitHubStandIn, type GitHubStandIn } from '../helpers/github-stand-in.js'
import { unescapeHtml } from '../helpers/html.js'
import { SECURITY_HEADERS } from '../helpers/security.js'
import { signInScope, stateMatches } from '../../src/web/github-sign-in.js'

/**
 * The CMS's GitHub sign-in (/admin/auth, /admin/callback), through the real app, against a
 * stand-in for GitHub's token endpoint on the loopback. The browser half (which window gets
 * the token) is test/e2e/cms-sign-in.test.ts.
 */

const BASE_URL = 'https://stories.example.org'
const CMS_ENV = {
  BASE_URL,
  CMS_REPO: 'lga/peer-stories',
  CMS_GITHUB_CLIENT_ID: 'Iv1.client-id',
  CMS_GITHUB_CLIENT_SECRET: 'the-client-secret',
}

let github: GitHubStandIn
let t: TestApp
const logLines: string[] = []

beforeAll(async () => {
  github = await startGitHubStandIn()
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(...chunk.toString().split('\n').filter(Boolean))
      done()
    },
  })
  t = await createTestApp(CMS_ENV, {
    githubOAuth: github.endpoints,
    logger: pino({ level: 'info' }, sink),
  })
})
afterAll(async () => {
  await github.stop()
})
beforeEach(() => {
  github.tokenRequests.length = 0
})

/** /admin/auth as the CMS opens it: the state from its cookie, and the cookie to send back. */
async function startSignIn(app = t.app) {
  const res = await request(app).get(
    '/admin/auth?provider=github&site_id=stories.example.org&scope=repo',
  )
  expect(res.status).toBe(302)
  const setCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? [])
  const cookie = setCookie.find((c) => c.startsWith('cms-sign-in-state='))
  expect(cookie).toBeDefined()
  const state = /^cms-sign-in-state=([^;]+)/.exec(cookie ?? '')?.[1] ?? ''
  return { res, setCookie: cookie ?? '', state, cookieHeader: `cms-sign-in-state=${state}` }
}

/** The handoff element of the callback page: where the message goes and what it says. */
function handoffOf(html: string) {
  const element = /<div id="cms-sign-in"[^>]*>/.exec(html)?.[0] ?? ''
  const attribute = (name: string) => {
    const value = new RegExp(` ${name}="([^"]*)"`).exec(element)?.[1]
    return value === undefined ? undefined : unescapeHtml(value)
  }
  return {
    origin: attribute('data-origin'),
    provider: attribute('data-provider'),
    message: attribute('data-message'),
  }
}

/** The page's heading, and the text of its <main> without tags. */
const headingOf = (html: string) => /<h1[^>]*>([^<]*)<\/h1>/.exec(html)?.[1]
const mainTextOf = (html: string) =>
  unescapeHtml(/<main[^>]*>([\s\S]*)<\/main>/.exec(html)?.[1]?.replace(/<[^>]*>/g, '') ?? '')

describe('CMS sign-in: served only when the CMS has a repository and an OAuth App', () => {
  it.each([
    ['nothing set', {}],
    ['only the OAuth App', { CMS_GITHUB_CLIENT_ID: 'id', CMS_GITHUB_CLIENT_SECRET: 'secret' }],
  ])('%s: both routes are the site 404 page', async (_name, env) => {
    const { app } = await createTestApp(env, { githubOAuth: github.endpoints })
    for (const path of ['/admin/auth?provider=github', '/admin/callback?code=good&state=x']) {
      const res = await request(app).get(path)
      expect(res.status, path).toBe(404)
      expect(res.text).toContain('Page not found')
    }
    expect(github.tokenRequests).toHaveLength(0)
  })
})

describe('CMS sign-in without an OAuth App', () => {
  it.each([
    ['only CMS_REPO', { CMS_REPO: 'lga/peer-stories' }, 'Sign In Using Access Token'],
    ['development', { NODE_ENV: 'development', PAGE_CACHE_MB: '0' }, 'Work with Local Repository'],
  ])(
    '%s: /admin/auth says so and tells the CMS, and /admin/callback is the 404 page',
    async (_name, env, instead) => {
      const { app } = await createTestApp(env, { githubOAuth: github.endpoints })
      const auth = await request(app).get('/admin/auth?provider=github&scope=repo')
      expect(auth.status).toBe(404)
      expect(auth.headers['set-cookie']).toBeUndefined()
      expect(auth.headers.location).toBeUndefined()
      expect(auth.headers['cache-control']).toBe('no-store')
      expect(headingOf(auth.text)).toBe('Sign-in failed')
      const text = mainTextOf(auth.text)
      expect(text).toContain('Signing in with GitHub is not set up on this site.')
      expect(text).toContain(instead)
      const handoff = handoffOf(auth.text)
      expect(handoff.origin).toBe('https://stories.example.org')
      expect(handoff.message).toMatch(/^authorization:github:error:\{/)
      const callback = await request(app).get('/admin/callback?code=good&state=x')
      expect(callback.status).toBe(404)
      expect(callback.text).toContain('Page not found')
      expect(github.tokenRequests).toHaveLength(0)
    },
  )
})

describe('/admin/auth', () => {
  it('redirects to GitHub with the client id, our callback, the scope and a fresh state', async () => {
    const first = await startSignIn()
    const target = new URL(first.res.headers.location ?? '')
    expect(target.origin + target.pathname).toBe(github.endpoints.authorizationEndpoint)
    expect(Object.fromEntries(target.searchParams)).toEqual({
      client_id: 'Iv1.client-id',
      redirect_uri: `${BASE_URL}/admin/callback`,
      response_type: 'code',
      scope: 'repo',
      state: first.state,
    })
    expect(first.state).toMatch(/^[\w-]{43}$/)
    const second = await startSignIn()
    expect(second.state).not.toBe(first.state)
  })

  it('keeps the state in a short-lived cookie that only /admin gets, never scripts, Secure on https', async () => {
    const { res, setCookie } = await startSignIn()
    const attributes = setCookie.split('; ').slice(1)
    expect(attributes.filter((a) => !a.startsWith('Expires=')).sort()).toEqual([
      'HttpOnly',
      'Max-Age=600',
      'Path=/admin',
      'SameSite=Lax',
      'Secure',
    ])
    expect(res.headers['cache-control']).toBe('no-store')
    const { app } = await createTestApp(
      { ...CMS_ENV, BASE_URL: 'http://127.0.0.1:3000' },
      { githubOAuth: github.endpoints },
    )
    expect((await startSignIn(app)).setCookie).not.toMatch(/Secure/)
  })

  it('asks for the scope the CMS asks for, and refuses more than a CMS needs', async () => {
    const scopeOf = async (scope: string) => {
      const res = await request(t.app).get(`/admin/auth?provider=github&scope=${scope}`)
      return res.status === 302
        ? new URL(res.headers.location ?? '').searchParams.get('scope')
        : res.status
    }
    expect(await scopeOf('public_repo')).toBe('public_repo')
    expect(await scopeOf('repo,user')).toBe('repo user')
    expect(await scopeOf('')).toBe('repo')
    expect(await scopeOf('repo,delete_repo')).toBe(400)
    expect(signInScope('admin:org')).toBeUndefined()
  })

  it.each(['gitlab', 'bitbucket', ''])(
    'refuses provider "%s": 400, no cookie, no redirect',
    async (provider) => {
      const res = await request(t.app).get(`/admin/auth?provider=${provider}&scope=repo`)
      expect(res.status).toBe(400)
      expect(res.headers['set-cookie']).toBeUndefined()
      expect(res.headers.location).toBeUndefined()
      expect(res.headers['cache-control']).toBe('no-store')
      expect(res.text).toContain('Only GitHub sign-in is set up for this site.')
    },
  )
})

describe('/admin/callback', () => {
  it('right state: exchanges the code and hands the token to our own origin only', async () => {
    const { state, cookieHeader } = await startSignIn()
    const res = await request(t.app)
      .get(`/admin/callback?code=good-code-1&state=${state}`)
      .set('Cookie', cookieHeader)
    expect(res.status).toBe(200)
    expect(github.tokenRequests).toHaveLength(1)
    expect(github.tokenRequests[0]?.form).toEqual({
      grant_type: 'authorization_code',
      client_id: 'Iv1.client-id',
      client_secret: 'the-client-secret',
      code: 'good-code-1',
      redirect_uri: `${BASE_URL}/admin/callback`,
    })
    expect(github.tokenRequests[0]?.headers.accept).toBe('application/json')
    const token = github.tokens.at(-1) ?? ''
    expect(handoffOf(res.text)).toEqual({
      origin: BASE_URL,
      provider: 'github',
      message: `authorization:github:success:{"token":"${token}","provider":"github"}`,
    })
    // Only in the handoff: nowhere else in the page, and no message to any origin ('*').
    expect(res.text.split(token)).toHaveLength(2)
    expect(res.text).not.toContain('"*"')
    expect(headingOf(res.text)).toBe('Signed in to the editor')
    expect(res.text).toMatch(
      /<script type="module" src="\/assets\/admin-sign-in\.[0-9a-f]{12}\.js"><\/script>/,
    )
    expect(res.headers['cache-control']).toBe('no-store')
    // One state, one use: the cookie is cleared.
    expect(String(res.headers['set-cookie'])).toMatch(
      /^cms-sign-in-state=; Path=\/admin; Expires=Thu, 01 Jan 1970/,
    )
  })

  it('is never kept by the page cache: the same address twice is two exchanges, two tokens', async () => {
    expect(t.config.pageCacheBytes).toBeGreaterThan(0)
    const { state, cookieHeader } = await startSignIn()
    const url = `/admin/callback?code=good-again&state=${state}`
    const first = await request(t.app).get(url).set('Cookie', cookieHeader)
    const second = await request(t.app).get(url).set('Cookie', cookieHeader)
    expect(github.tokenRequests).toHaveLength(2)
    const [a, b] = github.tokens.slice(-2)
    expect(first.text).toContain(a)
    expect(second.text).toContain(b)
    expect(second.text).not.toContain(a)
  })

  it.each([
    ['a wrong state', (state: string) => `code=good&state=${state.slice(1)}x`, true],
    ['no state', () => 'code=good', true],
    ['no cookie', (state: string) => `code=good&state=${state}`, false],
    ['a repeated state parameter', (state: string) => `code=good&state=wrong&state=${state}`, true],
  ])('%s: 400, no exchange, and the CMS is told why', async (_name, query, withCookie) => {
    const { state, cookieHeader } = await startSignIn()
    const res = await request(t.app)
      .get(`/admin/callback?${query(state)}`)
      .set('Cookie', withCookie ? cookieHeader : '')
    expect(res.status).toBe(400)
    expect(github.tokenRequests).toHaveLength(0)
    expect(res.headers['cache-control']).toBe('no-store')
    expect(headingOf(res.text)).toBe('Sign-in failed')
    const { origin, message } = handoffOf(res.text)
    expect(origin).toBe(BASE_URL)
    expect(message).toMatch(/^authorization:github:error:\{.*"errorCode":"CSRF_DETECTED"/)
    expect(res.text).not.toMatch(/gho_/)
  })

  it("a refused code: the failure page says so in words, and the CMS gets GitHub's reason", async () => {
    const { state, cookieHeader } = await startSignIn()
    const res = await request(t.app)
      .get(`/admin/callback?code=expired-code&state=${state}`)
      .set('Cookie', cookieHeader)
    expect(github.tokenRequests).toHaveLength(1)
    expect(res.status).toBe(400)
    expect(headingOf(res.text)).toBe('Sign-in failed')
    expect(mainTextOf(res.text).replace(/\s+/g, ' ')).toContain(
      `You are not signed in. GitHub’s answer: “${REFUSAL.error_description}”`,
    )
    const { message } = handoffOf(res.text)
    expect(message?.startsWith('authorization:github:error:')).toBe(true)
    expect(JSON.parse(message?.slice('authorization:github:error:'.length) ?? '')).toEqual({
      provider: 'github',
      error: REFUSAL.error_description,
    })
  })

  it('an editor who cancels at GitHub: no exchange, the CMS is told', async () => {
    const { state, cookieHeader } = await startSignIn()
    const res = await request(t.app)
      .get(
        `/admin/callback?error=access_denied&error_description=The+user+has+denied+your+application+access.&state=${state}`,
      )
      .set('Cookie', cookieHeader)
    expect(res.status).toBe(400)
    expect(github.tokenRequests).toHaveLength(0)
    expect(handoffOf(res.text).message).toBe(
      'authorization:github:error:{"provider":"github","error":"The user has denied your application access."}',
    )
  })

  it('GitHub out of reach: 502, and the CMS is told to try again', async () => {
    const closed = await startGitHubStandIn()
    await closed.stop()
    const { app } = await createTestApp(CMS_ENV, { githubOAuth: closed.endpoints })
    const { state, cookieHeader } = await startSignIn(app)
    const res = await request(app)
      .get(`/admin/callback?code=good&state=${state}`)
      .set('Cookie', cookieHeader)
    expect(res.status).toBe(502)
    expect(handoffOf(res.text).message).toMatch(/"errorCode":"TOKEN_REQUEST_FAILED"/)
    expect(res.text).toContain('GitHub could not be asked for a sign-in token.')
  })

  it('logs no code, state or token (request lines and failures alike)', async () => {
    logLines.length = 0
    const { state, cookieHeader } = await startSignIn()
    await request(t.app)
      .get(`/Admin/Callback/?code=good-secret-code&state=${state}`)
      .set('Cookie', cookieHeader)
    await request(t.app)
      .get(`/admin/callback?code=good-secret-code&state=${state}`)
      .set('Cookie', cookieHeader)
    await request(t.app).get(`/admin/callback?code=refused-secret-code&state=${state}`)
    const logged = logLines.join('\n')
    expect(logged).toContain('"url":"/admin/callback?[not logged]"')
    expect(logged).toContain('"url":"/Admin/Callback/?[not logged]"')
    expect(logged).toContain('CMS sign-in failed')
    for (const secret of [
      'secret-code',
      state,
      github.tokens.at(-1) ?? 'gho_',
      'the-client-secret',
    ]) {
      expect(logged).not.toContain(secret)
    }
  })
})

describe('/admin/callback, asked with HEAD', () => {
  it('spends neither the code nor the state: the GET that follows still signs in', async () => {
    const { state, cookieHeader } = await startSignIn()
    const path = `/admin/callback?code=good-code&state=${state}`
    const head = await request(t.app).head(path).set('Cookie', cookieHeader)
    expect(head.status).toBe(200)
    expect(head.headers['set-cookie']).toBeUndefined()
    expect(github.tokenRequests).toHaveLength(0)
    const get = await request(t.app).get(path).set('Cookie', cookieHeader)
    expect(get.status).toBe(200)
    expect(github.tokenRequests).toHaveLength(1)
  })
})

describe('their security headers', () => {
  it("are the CMS's, but for the popup's opener policy (measured in test/e2e/cms-sign-in.test.ts)", async () => {
    const { state, cookieHeader } = await startSignIn()
    const admin = await request(t.app).get('/admin')
    const auth = await request(t.app).get('/admin/auth?provider=github')
    const callback = await request(t.app)
      .get(`/admin/callback?code=good-code&state=${state}`)
      .set('Cookie', cookieHeader)
    const cmsPolicy = Object.fromEntries(
      [...Object.keys(SECURITY_HEADERS), 'x-robots-tag'].map((name) => [name, admin.headers[name]]),
    )
    expect(cmsPolicy['x-robots-tag']).toBe('noindex')
    for (const [res, openerPolicy] of [
      [auth, 'same-origin-allow-popups'],
      [callback, 'unsafe-none'],
    ] as const) {
      expect(res.headers).toMatchObject({
        ...cmsPolicy,
        'cross-origin-opener-policy': openerPolicy,
        'cache-control': 'no-store',
      })
    }
  })
})

describe('stateMatches', () => {
  it('is equality of two present values', () => {
    expect(stateMatches('abc', 'abc')).toBe(true)
    expect(stateMatches('abc', 'abd')).toBe(false)
    expect(stateMatches('abc', 'abcd')).toBe(false)
    expect(stateMatches('', '')).toBe(false)
    expect(stateMatches(undefined, undefined)).toBe(false)
  })
})

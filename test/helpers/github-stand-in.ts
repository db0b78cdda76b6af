import { once } from 'node:events'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { GitHubOAuthEndpoints } from '../../src/web/github-sign-in.js'

/**
 * A stand-in for GitHub's OAuth endpoints on this machine's loopback, for the CMS sign-in tests
 * (GitHub itself cannot be reached here). It answers as GitHub does:
 *
 * - POST /login/oauth/access_token: a form with client_id, client_secret, code and
 *   redirect_uri. A code starting `good` gets a fresh token (`gho_stand_in_<n>`); any other
 *   code gets GitHub's refusal, which GitHub sends with status 200: `{ error:
 *   "bad_verification_code", error_description: … }`. Every request is recorded.
 * - GET /login/oauth/authorize: GitHub's consent page, reduced to a link, "Authorize", back to
 *   the redirect_uri with `nextCode` and the state it was given (for the browser test, which
 *   follows the popup through it: a page of another origin, as GitHub's is).
 */
export interface GitHubStandIn {
  endpoints: GitHubOAuthEndpoints
  origin: string
  /** The token requests received, in order. */
  tokenRequests: { headers: IncomingHttpHeaders; form: Record<string, string> }[]
  /** The tokens handed out, in order. */
  tokens: string[]
  /** The code the authorization endpoint sends back next. */
  nextCode: string
  stop: () => Promise<void>
}

export const REFUSAL = {
  error: 'bad_verification_code',
  error_description: 'The code passed is incorrect or expired.',
  error_uri:
    'https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors/#bad-verification-code',
}

export async function startGitHubStandIn(): Promise<GitHubStandIn> {
  const standIn: Omit<GitHubStandIn, 'endpoints' | 'origin' | 'stop'> = {
    tokenRequests: [],
    tokens: [],
    nextCode: 'good-code',
  }
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (req.method === 'GET' && url.pathname === '/login/oauth/authorize') {
      const back = new URL(url.searchParams.get('redirect_uri') ?? '')
      back.searchParams.set('code', standIn.nextCode)
      back.searchParams.set('state', url.searchParams.get('state') ?? '')
      const href = back.href.replace(/&/g, '&amp;').replace(/"/g, '&quot;')
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
      res.end(
        `<!DOCTYPE html><html lang="en"><head><title>Authorize</title><link rel="icon" href="data:,"></head>` +
          `<body><a id="authorize" href="${href}">Authorize</a></body></html>`,
      )
      return
    }
    if (req.method !== 'POST' || url.pathname !== '/login/oauth/access_token') {
      res.writeHead(404).end()
      return
    }
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => (body += chunk))
    req.on('end', () => {
      const form = Object.fromEntries(new URLSearchParams(body))
      standIn.tokenRequests.push({ headers: req.headers, form })
      let answer: object = REFUSAL
      if (form.code?.startsWith('good')) {
        const token = `gho_stand_in_${standIn.tokens.length + 1}`
        standIn.tokens.push(token)
        answer = { access_token: token, token_type: 'bearer', scope: 'repo' }
      }
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' })
      res.end(JSON.stringify(answer))
    })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
  return Object.assign(standIn, {
    origin,
    endpoints: {
      authorizationEndpoint: `${origin}/login/oauth/authorize`,
      tokenEndpoint: `${origin}/login/oauth/access_token`,
    },
    stop: async () => {
      server.closeAllConnections()
      server.close()
      await once(server, 'close')
    },
  })
}

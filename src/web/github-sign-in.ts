import { timingSafeEqual } from 'node:crypto'
import * as oauth from 'openid-client'

/**
 * Editors' sign-in to the CMS at /admin with a GitHub OAuth App (issue 17): the two halves of
 * OAuth's authorization code flow that need the app's secret, and so a server. openid-client
 * builds the authorization URL, exchanges the code and checks the token endpoint's answer.
 */

/** Where GitHub's OAuth endpoints are: GitHub's own, unless a test stands in for them. */
export interface GitHubOAuthEndpoints {
  authorizationEndpoint: string
  tokenEndpoint: string
}

export const GITHUB_OAUTH_ENDPOINTS: GitHubOAuthEndpoints = {
  authorizationEndpoint: 'https://github.com/login/oauth/authorize',
  tokenEndpoint: 'https://github.com/login/oauth/access_token',
}

/**
 * The scopes the CMS may ask for (Sveltia and Decap ask for `repo`, or `public_repo` with
 * `auth_scope`), so a crafted sign-in link cannot use the site's OAuth App to ask an editor
 * for more (`delete_repo`, `admin:org`).
 */
const ALLOWED_SCOPES = new Set(['repo', 'public_repo', 'user', 'read:user', 'user:email'])
const DEFAULT_SCOPE = 'repo'

/** The scope to ask GitHub for, from the CMS's `scope` parameter; undefined: refused. */
export function signInScope(requested: string | undefined): string | undefined {
  if (requested === undefined || requested.trim() === '') return DEFAULT_SCOPE
  const scopes = requested.split(/[\s,]+/).filter(Boolean)
  return scopes.every((scope) => ALLOWED_SCOPES.has(scope)) ? scopes.join(' ') : undefined
}

/** Constant-time comparison of the state GitHub sent back with the one the browser kept. */
export function stateMatches(returned: string | undefined, kept: string | undefined): boolean {
  if (!returned || !kept) return false
  const a = Buffer.from(returned)
  const b = Buffer.from(kept)
  return a.length === b.length && timingSafeEqual(a, b)
}

/**
 * How a sign-in ended, as the CMS is told: a token, or an error. `errorCode` is one of the
 * codes Sveltia CMS has words for in its own languages (sveltia-cms-auth's); `error` is the
 * text shown otherwise. `status` is the HTTP status of the page that says so.
 */
export type SignInResult =
  | { ok: true; token: string; status: 200 }
  | {
      ok: false
      error: string
      errorCode?: 'CSRF_DETECTED' | 'AUTH_CODE_REQUEST_FAILED' | 'TOKEN_REQUEST_FAILED'
      status: 400 | 404 | 502
      /** `error` is GitHub's own words (a refused code, a cancelled sign-in). */
      fromGitHub?: true
      /** This site has no GitHub sign-in (no OAuth App, or local editing only). */
      notSetUp?: true
      /** For the log: what went wrong underneath (never a code or a token). */
      cause?: string
    }

/** No token endpoint answer is waited for longer (the server gives a request 30 s in all). */
const TOKEN_REQUEST_TIMEOUT_SECONDS = 10

/**
 * GitHub answers a refused code with 200 and `{ error, error_description }` in the body;
 * RFC 6749 (5.2) says 400. Given the standard status, openid-client reports it as the OAuth
 * error it is (ResponseBodyError) instead of a token response without a token.
 */
async function fetchWithStandardErrorStatus(
  ...[url, options]: Parameters<oauth.CustomFetch>
): Promise<Response> {
  // openid-client's body type names Uint8Array<ArrayBufferLike>, which @types/node 20's
  // RequestInit does not list; the bodies it passes are what fetch takes.
  const response = await fetch(url, options as RequestInit)
  if (response.status !== 200) return response
  let body: unknown
  try {
    body = await response.clone().json()
  } catch {
    return response
  }
  if (typeof body !== 'object' || body === null || !('error' in body)) return response
  return new Response(JSON.stringify(body), {
    status: 400,
    headers: { 'Content-Type': 'application/json' },
  })
}

export class GitHubSignIn {
  /** Where GitHub sends the editor back: the OAuth App's callback URL. */
  readonly redirectUri: string
  readonly #client: oauth.Configuration

  /** `redirectUri`: the callback's absolute address, from BASE_URL. */
  constructor(
    github: { clientId: string; clientSecret: string },
    redirectUri: string,
    endpoints: GitHubOAuthEndpoints = GITHUB_OAUTH_ENDPOINTS,
  ) {
    this.redirectUri = redirectUri
    // client_secret_post: GitHub's documented way, the id and secret in the form body.
    this.#client = new oauth.Configuration(
      {
        issuer: new URL(endpoints.authorizationEndpoint).origin,
        authorization_endpoint: endpoints.authorizationEndpoint,
        token_endpoint: endpoints.tokenEndpoint,
      },
      github.clientId,
      undefined,
      oauth.ClientSecretPost(github.clientSecret),
    )
    this.#client.timeout = TOKEN_REQUEST_TIMEOUT_SECONDS
    this.#client[oauth.customFetch] = fetchWithStandardErrorStatus
    // Only a stand-in on the test's loopback is plain http; GitHub's endpoints are https.
    if (new URL(endpoints.tokenEndpoint).protocol === 'http:') {
      oauth.allowInsecureRequests(this.#client)
    }
  }

  /** A fresh, unguessable state (32 random bytes), for one sign-in. */
  static newState(): string {
    return oauth.randomState()
  }

  /** GitHub's page that asks the editor to let the CMS act for them. */
  authorizationUrl(state: string, scope: string): URL {
    return oauth.buildAuthorizationUrl(this.#client, {
      redirect_uri: this.redirectUri,
      scope,
      state,
    })
  }

  /**
   * The callback: `query` is what GitHub sent back (code and state, or an error: one value
   * each), `keptState` what the browser kept. The code is exchanged only when the state is the
   * one kept.
   */
  async finish(query: URLSearchParams, keptState: string | undefined): Promise<SignInResult> {
    const state = query.get('state') ?? undefined
    if (!stateMatches(state, keptState)) {
      return {
        ok: false,
        status: 400,
        errorCode: 'CSRF_DETECTED',
        error: 'This sign-in was not started from this browser, or it took longer than 10 minutes.',
      }
    }
    if (!query.has('code') && !query.has('error')) {
      return {
        ok: false,
        status: 400,
        errorCode: 'AUTH_CODE_REQUEST_FAILED',
        error: 'GitHub sent no authorization code.',
      }
    }
    // The address GitHub redirected to, rebuilt from BASE_URL (never from the request's Host):
    // its redirect_uri must be the one the authorization request named.
    const callbackUrl = new URL(this.redirectUri)
    callbackUrl.search = query.toString()
    try {
      const tokens = await oauth.authorizationCodeGrant(this.#client, callbackUrl, {
        expectedState: keptState,
      })
      return { ok: true, status: 200, token: tokens.access_token }
    } catch (error: unknown) {
      // GitHub said no: the editor cancelled (AuthorizationResponseError), or the code was
      // refused (ResponseBodyError: expired, used, or for another app).
      if (
        error instanceof oauth.AuthorizationResponseError ||
        error instanceof oauth.ResponseBodyError
      ) {
        return {
          ok: false,
          status: 400,
          error: error.error_description || error.error,
          fromGitHub: true,
        }
      }
      return {
        ok: false,
        status: 502,
        errorCode: 'TOKEN_REQUEST_FAILED',
        error: 'GitHub could not be asked for a sign-in token. Try again in a few minutes.',
        cause: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      }
    }
  }
}

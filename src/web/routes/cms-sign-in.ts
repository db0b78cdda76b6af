import { parse as parseCookies } from 'cookie'
import type { CookieOptions, Express, Response } from 'express'
import type { AppDeps } from '../deps.js'
import { NO_STORE } from '../caching.js'
import { cmsEnabled } from '../cms/cms-config.js'
import { GitHubSignIn, signInScope, type SignInResult } from '../github-sign-in.js'
import { absoluteUrl } from '../links.js'
import { queryValue } from '../query-params.js'

/**
 * The CMS's two sign-in routes (issue 17), served only when the CMS has a repository
 * (CMS_REPO) and a GitHub OAuth App (CMS_GITHUB_CLIENT_ID, CMS_GITHUB_CLIENT_SECRET); otherwise
 * both are the site's 404. The CMS at /admin opens /admin/auth in a popup; it redirects to
 * GitHub, which sends the editor back to /admin/callback; that page hands the token to the CMS
 * window with the popup protocol Decap and Sveltia CMS share (public/js/admin-sign-in.js).
 *
 * Neither answer may be kept by anyone: no-store, and registered before the page cache
 * (setUpRoutes). Their query strings (the code, the state) are not logged (request-handling.ts).
 */
export const CMS_SIGN_IN_PATHS = { auth: '/admin/auth', callback: '/admin/callback' } as const

/** The browser keeps the state between /admin/auth and /admin/callback in this cookie. */
export const STATE_COOKIE = 'cms-sign-in-state'
/** Time enough to sign in to GitHub (and set up two-factor authentication) on the way. */
const STATE_MAX_AGE_MS = 10 * 60 * 1000

/**
 * The popup's opener policies, measured in Chromium (test/e2e/cms-sign-in.test.ts). /admin/auth:
 * same-origin-allow-popups, as /admin has: the CMS's own window keeps its popup, and a window
 * of another site that opens /admin/auth loses it at once. /admin/callback: unsafe-none, as
 * the popup arrives there from GitHub's page (another origin, no policy): any other value
 * puts it in a new browsing context group, and the CMS window never hears from it. Another
 * site that opens the callback itself keeps its hold on it; the page then sends it nothing
 * (public/js/admin-sign-in.js posts to our origin only).
 */
const AUTH_OPENER_POLICY = 'same-origin-allow-popups'
const CALLBACK_OPENER_POLICY = 'unsafe-none'

/** The only provider the CMS may ask for here (its `provider` parameter). */
const PROVIDER = 'github'

/** The message the CMS window waits for, as Sveltia CMS and Decap CMS read it. */
function cmsMessage(result: SignInResult): string {
  const content = result.ok
    ? { token: result.token, provider: PROVIDER }
    : { provider: PROVIDER, error: result.error, errorCode: result.errorCode }
  return `authorization:${PROVIDER}:${result.ok ? 'success' : 'error'}:${JSON.stringify(content)}`
}

/**
 * The CMS's "Sign In with GitHub" button is always there, and always opens /admin/auth on this
 * site (cms-config.ts names it), so that without an OAuth App the popup says so here, and the
 * CMS window is told the same, instead of landing on the CMS's default sign-in service on
 * another site.
 */
const NOT_SET_UP: SignInResult = {
  ok: false,
  status: 404,
  notSetUp: true,
  error: 'Signing in with GitHub is not set up on this site.',
}

export function registerCmsSignInRoutes(app: Express, deps: AppDeps): void {
  const { cms, baseUrl } = deps.config
  if (!cmsEnabled(deps.config)) return
  const cmsOrigin = new URL(baseUrl).origin
  if (cms.repo === undefined || cms.github === undefined) {
    app.get(CMS_SIGN_IN_PATHS.auth, (_req, res) => {
      res.set('Cache-Control', NO_STORE).set('Cross-Origin-Opener-Policy', AUTH_OPENER_POLICY)
      res.status(NOT_SET_UP.status).render('pages/admin-sign-in.njk', {
        result: NOT_SET_UP,
        localEditing: cms.repo === undefined,
        handoff: { origin: cmsOrigin, provider: PROVIDER, message: cmsMessage(NOT_SET_UP) },
      })
    })
    return
  }
  const signIn = new GitHubSignIn(
    cms.github,
    absoluteUrl(baseUrl, CMS_SIGN_IN_PATHS.callback),
    deps.githubOAuth,
  )
  // Sent back only to /admin (the callback), never readable by scripts, sent on GitHub's
  // top-level redirect back to us (Lax), and only over TLS when the site is on https.
  const cookieOptions: CookieOptions = {
    httpOnly: true,
    sameSite: 'lax',
    secure: new URL(baseUrl).protocol === 'https:',
    path: '/admin',
  }

  const renderSignIn = (res: Response, result: SignInResult, handToCms: boolean): void => {
    res.status(result.status).render('pages/admin-sign-in.njk', {
      result,
      handoff: handToCms
        ? { origin: cmsOrigin, provider: PROVIDER, message: cmsMessage(result) }
        : undefined,
    })
  }

  app.get(CMS_SIGN_IN_PATHS.auth, (req, res) => {
    res.set('Cache-Control', NO_STORE).set('Cross-Origin-Opener-Policy', AUTH_OPENER_POLICY)
    const provider = queryValue(req.query, 'provider')
    const scope = signInScope(queryValue(req.query, 'scope') || undefined)
    if (provider !== PROVIDER || scope === undefined) {
      renderSignIn(
        res,
        {
          ok: false,
          status: 400,
          error:
            provider !== PROVIDER
              ? 'Only GitHub sign-in is set up for this site.'
              : 'The editor asked GitHub for more access than it needs.',
        },
        false,
      )
      return
    }
    const state = GitHubSignIn.newState()
    res.cookie(STATE_COOKIE, state, { ...cookieOptions, maxAge: STATE_MAX_AGE_MS })
    res.redirect(302, signIn.authorizationUrl(state, scope).href)
  })

  app.get(CMS_SIGN_IN_PATHS.callback, async (req, res) => {
    res.set('Cache-Control', NO_STORE).set('Cross-Origin-Opener-Policy', CALLBACK_OPENER_POLICY)
    // Express answers HEAD with the GET handler: a HEAD (a link checker, a prefetch) must not
    // spend the one-time code and state that the editor's own GET needs.
    if (req.method === 'HEAD') {
      res.status(200).end()
      return
    }
    const keptState = parseCookies(req.headers.cookie ?? '')[STATE_COOKIE]
    // One state, one use.
    res.clearCookie(STATE_COOKIE, cookieOptions)
    const query = new URLSearchParams()
    for (const name of ['code', 'state', 'error', 'error_description']) {
      const value = queryValue(req.query, name)
      if (value !== '') query.set(name, value)
    }
    const result = await signIn.finish(query, keptState)
    if (!result.ok) {
      deps.logger.warn(
        {
          reqId: req.id,
          errorCode: result.errorCode,
          error: result.error,
          cause: result.cause,
        },
        'CMS sign-in failed',
      )
    }
    renderSignIn(res, result, true)
  })
}

/// <reference lib="dom" />
// (The functions passed to evaluate run in the browser.)
import { AxeBuilder } from '@axe-core/playwright'
import { once } from 'node:events'
import { createServer, type Server } from 'node:http'
import path from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp } from '../helpers/app.js'
import { startGitHubStandIn, type GitHubStandIn } from '../helpers/github-stand-in.js'
import { artefactDir, useBrowser, VIEWPORTS } from './support/browser.js'

/**
 * The CMS sign-in popup in Chromium: a window opens /admin/auth, the popup goes through
 * "GitHub" (a stand-in on another loopback origin, test/helpers/github-stand-in.ts) and back
 * to /admin/callback, whose page hands the token to the window that opened it. A window of our
 * own origin gets it; a window of another origin that opens the same sign-in does not, even
 * when it asks for it.
 *
 * The app is the real app factory in this process (its token endpoint can only be pointed at
 * the stand-in through AppDeps, never by the environment), listening on the loopback.
 */
const browser = useBrowser()
const screenshots = artefactDir('screenshots')
const OTHER_SITE = 'http://other-site.test'

let github: GitHubStandIn
let server: Server
let base = ''

beforeAll(async () => {
  github = await startGitHubStandIn()
  server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
  const { app } = await createTestApp(
    {
      BASE_URL: base,
      CMS_REPO: 'lga/peer-stories',
      CMS_GITHUB_CLIENT_ID: 'Iv1.client-id',
      CMS_GITHUB_CLIENT_SECRET: 'the-client-secret',
    },
    { githubOAuth: github.endpoints },
  )
  server.on('request', app)
})
afterAll(async () => {
  server?.closeAllConnections()
  server?.close()
  await github?.stop()
})

/**
 * A window that opens `popupUrl` and answers "authorizing:github" from `authOrigin` as Sveltia
 * CMS does (its authorize(): the same words back to the popup), recording every message it
 * gets. As another site, it also keeps asking the popup for the token itself, every 50 ms.
 */
function openerPage(popupUrl: string, asAnotherSite: boolean): string {
  return `<!DOCTYPE html><html lang="en"><head><title>Opener</title><link rel="icon" href="data:,"></head>
<body><button id="sign-in">Sign in with GitHub</button>
<script>
  window.received = []
  let popup
  addEventListener('message', (event) => {
    received.push({ origin: event.origin, data: String(event.data) })
    if (event.origin === ${JSON.stringify(base)} && event.data === 'authorizing:github') {
      popup.postMessage(event.data, event.origin)
    }
  })
  document.getElementById('sign-in').onclick = () => {
    popup = open(${JSON.stringify(popupUrl)}, 'auth', 'width=600,height=800')
    ${asAnotherSite ? "setInterval(() => popup.postMessage('authorizing:github', '*'), 50)" : ''}
  }
</script></body></html>`
}

const SIGN_IN_PATH = '/admin/auth?provider=github&site_id=127.0.0.1&scope=repo'

/**
 * Opens a window at `openerUrl` (served by the test: ours with /admin's opener policy, as the
 * CMS page has it; another site's with none) and lets it open `popupUrl`.
 */
async function openPopupFrom(
  context: BrowserContext,
  openerUrl: string,
  popupUrl: string,
): Promise<{ opener: Page; popup: Page }> {
  const asAnotherSite = !openerUrl.startsWith(base)
  await context.route(openerUrl, (route) =>
    route.fulfill({
      contentType: 'text/html',
      headers: asAnotherSite ? {} : { 'Cross-Origin-Opener-Policy': 'same-origin-allow-popups' },
      body: openerPage(popupUrl, asAnotherSite),
    }),
  )
  const opener = await context.newPage()
  await opener.goto(openerUrl)
  const [popup] = await Promise.all([opener.waitForEvent('popup'), opener.click('#sign-in')])
  return { opener, popup }
}

const received = (page: Page) =>
  page.evaluate(
    () => (window as unknown as { received: { origin: string; data: string }[] }).received,
  )

describe('CMS sign-in popup', () => {
  let context: BrowserContext
  beforeAll(async () => {
    context = await browser().newContext()
  })
  afterAll(async () => {
    await context?.close()
  })

  it("the CMS window (our origin) gets the token, from our origin, through GitHub's page", async () => {
    const { opener, popup } = await openPopupFrom(
      context,
      `${base}/admin/test-opener`,
      base + SIGN_IN_PATH,
    )
    await popup.waitForURL(`${github.origin}/**`)
    await popup.click('#authorize')
    await opener.waitForFunction(() =>
      (window as unknown as { received: { data: string }[] }).received.some((m) =>
        m.data.startsWith('authorization:github:'),
      ),
    )
    const token = github.tokens.at(-1)
    expect(token).toMatch(/^gho_stand_in_/)
    expect(await received(opener)).toEqual([
      { origin: base, data: 'authorizing:github' },
      {
        origin: base,
        data: `authorization:github:success:{"token":"${token}","provider":"github"}`,
      },
    ])
    await opener.close()
  })

  it('a window of another origin that opens the callback does not, though it asks', async () => {
    // The worst case: the other site knows a state this browser keeps, and a good code.
    const state = 'a-state-the-other-site-knows-0123456789abcdef'
    await context.addCookies([
      {
        name: 'cms-sign-in-state',
        value: state,
        url: `${base}/admin/`,
        httpOnly: true,
        sameSite: 'Lax',
      },
    ])
    const tokensBefore = github.tokens.length
    const { opener, popup } = await openPopupFrom(
      context,
      `${OTHER_SITE}/steal`,
      `${base}/admin/callback?code=good-code&state=${state}`,
    )
    // The popup has the token, and its opener is the other site's window...
    await expect(popup.locator('h1').textContent()).resolves.toBe('Signed in to the editor')
    expect(github.tokens.length).toBe(tokensBefore + 1)
    expect(await popup.evaluate(() => window.opener !== null)).toBe(true)
    // ...but it says nothing to it, though the other site keeps asking.
    await opener.waitForTimeout(1_000)
    expect(await received(opener)).toEqual([])
    await opener.close()
  })

  it('a window of another origin that opens /admin/auth loses the popup at once', async () => {
    const { opener, popup } = await openPopupFrom(
      context,
      `${OTHER_SITE}/start`,
      base + SIGN_IN_PATH,
    )
    await popup.waitForURL(`${github.origin}/**`)
    expect(await popup.evaluate(() => window.opener)).toBeNull()
    await popup.close()
    await opener.close()
  })
})

describe('the sign-in pages', () => {
  it.each(['success', 'failure'] as const)(
    '%s: no axe violations, no console errors, at 1280 and 375 px',
    async (outcome) => {
      for (const viewport of [VIEWPORTS.desktop, VIEWPORTS.phone]) {
        const context = await browser().newContext({ viewport })
        const page = await context.newPage()
        const problems: string[] = []
        page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
        page.on('console', (message) => {
          if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
            problems.push(`console: ${message.text()}`)
          }
        })
        github.nextCode = outcome === 'success' ? 'good-code' : 'expired-code'
        await page.goto(`${base}/admin/auth?provider=github&scope=repo`)
        await page.click('#authorize')
        await page.waitForURL(`${base}/admin/callback?**`)
        await expect(page.locator('h1').textContent()).resolves.toBe(
          outcome === 'success' ? 'Signed in to the editor' : 'Sign-in failed',
        )
        const results = await new AxeBuilder({ page })
          .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
          .analyze()
        await page.screenshot({
          path: path.join(screenshots, `admin-sign-in-${outcome}-${viewport.width}.png`),
          fullPage: true,
        })
        expect(results.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([])
        expect(problems).toEqual([])
        await context.close()
      }
      github.nextCode = 'good-code'
    },
  )
})

import { AxeBuilder } from '@axe-core/playwright'
import path from 'node:path'
import type { BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, inject, it } from 'vitest'
import { PAGE_TYPES } from './page-types.js'
import { artefactDir, useBrowser, VIEWPORTS, type ViewportName } from './support/browser.js'
import { openPage } from './support/pages.js'

/**
 * axe-core on every page type, at desktop and phone widths, in Debian's Chromium against the
 * real server; a full-page screenshot of each is saved in test-results/screenshots/ for people
 * to look at.
 */
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']
const EMBED_EXEMPT_RULES = ['region', 'landmark-one-main', 'page-has-heading-one', 'bypass']

const baseUrl = inject('baseUrl')
const screenshots = artefactDir('screenshots')
const browser = useBrowser()

describe.each(Object.keys(VIEWPORTS) as ViewportName[])('at %s width', (viewport) => {
  let context: BrowserContext
  beforeAll(async () => {
    context = await browser().newContext({ viewport: VIEWPORTS[viewport] })
  })
  afterAll(async () => {
    await context?.close()
  })

  // Concurrently (Vitest's maxConcurrency, 5): each page waits on Chromium and axe most of
  // the time, so several at once keep both cores busy; each test has a page of its own.
  it.concurrent.for(PAGE_TYPES.map((type) => [type.name, type] as const))(
    '%s: axe-core finds no violations',
    async ([, type], { expect }) => {
      const page = await context.newPage()
      const problems: string[] = []
      page.on('console', (message) => {
        // Chromium logs the error status of the page itself; assets are checked below.
        if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
          problems.push(`console: ${message.text()}`)
        }
      })
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
      page.on('response', (response) => {
        // The page itself may be a 404 or 500 on purpose; its assets may not.
        if (!response.request().isNavigationRequest() && response.status() >= 400) {
          problems.push(`${response.status()} for ${response.url()}`)
        }
      })
      try {
        expect(await openPage(page, baseUrl, type)).toBe(type.status)
        const axe = new AxeBuilder({ page }).withTags(AXE_TAGS)
        // A card shown in another site's iframe is not a page: no landmarks or h1 of its own.
        if (type.embedded) axe.disableRules(EMBED_EXEMPT_RULES)
        const results = await axe.analyze()
        await page.screenshot({
          path: path.join(screenshots, `${type.name}-${VIEWPORTS[viewport].width}.png`),
          fullPage: true,
        })
        const violations = results.violations.map(
          (v) =>
            `${v.id} (${v.impact}): ${v.help}\n` +
            v.nodes.map((n) => `    ${n.target.join(' ')}: ${n.failureSummary}`).join('\n'),
        )
        expect(violations).toEqual([])
        // No CSP violations, script errors or missing assets either.
        expect(problems).toEqual([])
      } finally {
        await page.close()
      }
    },
  )
})

/// <reference lib="dom" />
// (The functions passed to page.evaluate run in the browser.)
import type { Page } from 'playwright-core'
import { describe, expect, inject, it } from 'vitest'
import { useBrowser, VIEWPORTS, type ViewportName } from './support/browser.js'

/**
 * The main navigation is govuk-frontend's service navigation, with its own script
 * (scripts/build-assets.mjs ships it; public/js/app.js starts it): on a phone the links fold
 * behind a "Menu" button; on wider screens, and without JavaScript, they show as a row.
 */
const baseUrl = inject('baseUrl')
const browser = useBrowser()

/** What a person sees of the navigation: the button (if shown) and the links shown. */
function navigation(page: Page) {
  return page.evaluate(() => {
    const button = document.querySelector<HTMLButtonElement>('.govuk-service-navigation__toggle')
    const shown = (el: Element) => el.checkVisibility()
    const links = [...document.querySelectorAll('nav[aria-label="Main"] a')]
    return {
      button:
        button && shown(button)
          ? { text: button.textContent?.trim(), expanded: button.getAttribute('aria-expanded') }
          : null,
      links: links.filter(shown).map((a) => a.textContent?.trim()),
      rows: new Set(links.filter(shown).map((a) => Math.round(a.getBoundingClientRect().top))).size,
    }
  })
}

const ALL = ['Stories', 'Themes', 'Councils', 'Search', 'About']

async function open(viewport: ViewportName, javaScriptEnabled: boolean, path = '/themes') {
  const context = await browser().newContext({ viewport: VIEWPORTS[viewport], javaScriptEnabled })
  const page = await context.newPage()
  const problems: string[] = []
  page.on('pageerror', (error) => problems.push(error.message))
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text())
  })
  await page.goto(`${baseUrl}${path}`)
  return { context, page, problems }
}

describe('the main navigation', () => {
  it('at 375 px, folds behind "Menu", which opens and closes it', async () => {
    const { context, page, problems } = await open('phone', true)
    try {
      await page.waitForSelector('[data-govuk-service-navigation-init]')
      expect(await navigation(page)).toMatchObject({
        button: { text: 'Menu', expanded: 'false' },
        links: [],
      })
      await page.click('.govuk-service-navigation__toggle')
      expect(await navigation(page)).toMatchObject({
        button: { text: 'Menu', expanded: 'true' },
        links: ALL,
      })
      // The current section says so to a screen reader.
      await expect(
        page.locator('nav[aria-label="Main"] a[aria-current="page"]').textContent(),
      ).resolves.toMatch(/Themes/)
      await page.keyboard.press('Enter') // the button keeps the focus: Enter closes it again
      expect(await navigation(page)).toMatchObject({ button: { expanded: 'false' }, links: [] })
      expect(problems).toEqual([])
    } finally {
      await context.close()
    }
  })

  it('at 375 px without JavaScript, shows every link, in rows rather than a column', async () => {
    const { context, page } = await open('phone', false)
    try {
      const shown = await navigation(page)
      expect(shown).toMatchObject({ button: null, links: ALL })
      expect(shown.rows).toBeLessThanOrEqual(2)
    } finally {
      await context.close()
    }
  })

  it.each([true, false])(
    'at 1280 px (JavaScript: %s), shows every link in one row and no button',
    async (javaScriptEnabled) => {
      const { context, page, problems } = await open('desktop', javaScriptEnabled)
      try {
        expect(await navigation(page)).toEqual({ button: null, links: ALL, rows: 1 })
        expect(problems).toEqual([])
      } finally {
        await context.close()
      }
    },
  )
})

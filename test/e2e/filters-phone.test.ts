/// <reference lib="dom" />
// (The functions passed to page.evaluate run in the browser.)
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { useBrowser, VIEWPORTS } from './support/browser.js'

/**
 * The filter panel steps aside on small screens (views/components/filters.njk): below the
 * tablet breakpoint one control, saying how many options are ticked, comes before the
 * results, and the results start on the first screen or so; on wider screens the panel shows
 * beside them. Both with and without JavaScript.
 */
const baseUrl = inject('baseUrl')
const browser = useBrowser()

const RESULT_LINK = '.app-card-list a, .app-result-list a'

/** Where (in CSS pixels from the top of the page) the first result link starts. */
function firstResultTop(page: Page): Promise<number> {
  return page.evaluate((selector) => {
    const link = document.querySelector(selector)
    if (!link) throw new Error('no result link')
    return link.getBoundingClientRect().top + window.scrollY
  }, RESULT_LINK)
}

/** The panel's state: its control's text, whether it is open, and whether the form shows. */
function panel(page: Page) {
  return page.evaluate(() => {
    const details = document.querySelector('details[data-app-filter-panel]') as HTMLDetailsElement
    const summary = details.querySelector('summary') as HTMLElement
    const form = details.querySelector('form') as HTMLElement
    return {
      control: summary.offsetParent === null ? null : summary.textContent?.trim(),
      open: details.open,
      // A closed <details> keeps its content's boxes but does not render them.
      formShown: form.checkVisibility(),
    }
  })
}

describe.each([true, false])('with JavaScript: %s', (javaScriptEnabled) => {
  let phone: BrowserContext
  let desktop: BrowserContext
  beforeAll(async () => {
    phone = await browser().newContext({ viewport: VIEWPORTS.phone, javaScriptEnabled })
    desktop = await browser().newContext({ viewport: VIEWPORTS.desktop, javaScriptEnabled })
  })
  afterAll(async () => {
    await phone?.close()
    await desktop?.close()
  })

  it.each([
    // The first story card's link.
    '/stories',
    // The first quote result's heading: its story's title (views/components/quote.njk).
    '/search?q=peers',
  ])(
    'at 375 px the control, the result count, then the results of %s: the first result link within 1,000 px',
    async (path) => {
      const page = await phone.newPage()
      try {
        await page.goto(`${baseUrl}${path}`)
        expect(await panel(page)).toEqual({ control: 'Filter', open: false, formShown: false })
        expect(await firstResultTop(page)).toBeLessThan(1000)
        const order = await page.evaluate(() => {
          const at = (s: string) => document.querySelector(s)?.getBoundingClientRect().top ?? -1
          return [
            at('details[data-app-filter-panel] summary'),
            at('.app-result-summary'),
            at('#app-sort'),
            at('.app-card-list, .app-result-list'),
          ]
        })
        expect(
          order.every((top, i) => top > 0 && (i === 0 || top > (order[i - 1] as number))),
        ).toBe(true)
      } finally {
        await page.close()
      }
    },
  )

  it('at 375 px the control says how many are ticked, and opens the panel', async () => {
    const page = await phone.newPage()
    try {
      await page.goto(`${baseUrl}/stories?region=north-west&year=2018`)
      expect(await panel(page)).toMatchObject({ control: 'Filter (2 selected)', open: false })
      await page.click('details[data-app-filter-panel] summary')
      expect(await panel(page)).toMatchObject({ open: true, formShown: true })
      await expect(
        page.locator('input[type="checkbox"][name="region"][value="north-west"]').isChecked(),
      ).resolves.toBe(true)
    } finally {
      await page.close()
    }
  })

  it('at 1280 px the panel shows beside the results', async () => {
    const page = await desktop.newPage()
    try {
      await page.goto(`${baseUrl}/stories?region=north-west`)
      if (javaScriptEnabled) {
        // Open, without its control: the panel as it always was.
        expect(await panel(page)).toEqual({ control: null, open: true, formShown: true })
      } else {
        // Without JavaScript one click opens it.
        expect(await panel(page)).toMatchObject({ control: 'Filter (1 selected)', open: false })
        await page.click('details[data-app-filter-panel] summary')
        expect(await panel(page)).toMatchObject({ open: true, formShown: true })
      }
      const [form, results] = (await page.evaluate(() =>
        ['form.app-filters', '.app-result-summary'].map(
          (s) => document.querySelector(s)?.getBoundingClientRect().toJSON() as DOMRect,
        ),
      )) as [DOMRect, DOMRect]
      // Side by side: the results to the right of the panel, starting level with it or higher.
      expect(results.left).toBeGreaterThanOrEqual(form.right)
      expect(results.top).toBeLessThanOrEqual(form.top + 1)
    } finally {
      await page.close()
    }
  })
})

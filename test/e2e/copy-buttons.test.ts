/// <reference lib="dom" />
// (The functions passed to evaluate run in the browser.)
import path from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { artefactDir, useBrowser, VIEWPORTS } from './support/browser.js'

/**
 * The quote page's copy buttons, clicked in Chromium with the clipboard allowed, and what the
 * page offers without JavaScript: the same text, selectable, and no button that does nothing.
 */
const baseUrl = inject('baseUrl')
const screenshots = artefactDir('screenshots')
const QUOTE_PATH = '/stories/ashcombe-vale-finds-its-vision/quotes/leader-vision'
const QUOTE_URL = `${baseUrl}${QUOTE_PATH}`
// Written out in full from the fixture story (published 2019-03-05), not built like the page.
const CITATION =
  'Ashcombe Vale District Council (2019) Ashcombe Vale finds its vision. ' +
  `Sector-led improvement stories. Available at: ${QUOTE_URL} (Accessed: [date]).`

const browser = useBrowser()

const readClipboard = (page: Page): Promise<string> =>
  page.evaluate(() => navigator.clipboard.readText())

describe('with JavaScript, the copy buttons copy exactly the text shown', () => {
  let context: BrowserContext
  let page: Page
  beforeAll(async () => {
    context = await browser().newContext({
      viewport: VIEWPORTS.desktop,
      permissions: ['clipboard-read', 'clipboard-write'],
    })
    page = await context.newPage()
    await page.goto(QUOTE_URL)
  })
  afterAll(async () => {
    await context?.close()
  })

  it.each([
    ['Copy link', () => QUOTE_URL],
    ['Copy citation', () => CITATION],
  ])('%s', async (label, expected) => {
    // Something else on the clipboard first, so a click that copies nothing fails.
    await page.evaluate(() => navigator.clipboard.writeText('before'))
    const button = page.getByRole('button', { name: label, exact: true })
    await button.click()
    expect(await readClipboard(page)).toBe(expected())
    // The button says so, next to it, in a live region.
    const status = button.locator('xpath=following-sibling::*[@role="status"]')
    await expect.poll(() => status.textContent()).toBe('Copied')
  })

  it('Copy embed code: the oEmbed html, as shown', async () => {
    const oembed = (await (
      await fetch(`${baseUrl}/oembed?url=${encodeURIComponent(QUOTE_URL)}`)
    ).json()) as { html: string }
    await page.getByRole('button', { name: 'Copy embed code', exact: true }).click()
    expect(await readClipboard(page)).toBe(oembed.html)
  })
})

describe('without JavaScript', () => {
  let context: BrowserContext
  let page: Page
  beforeAll(async () => {
    context = await browser().newContext({ viewport: VIEWPORTS.phone, javaScriptEnabled: false })
    page = await context.newPage()
    await page.goto(QUOTE_URL)
  })
  afterAll(async () => {
    await context?.close()
  })

  it('shows no copy button', async () => {
    // JavaScript is off indeed: body-start.js did not mark the page.
    expect(await page.locator('body.js-enabled').count()).toBe(0)
    expect(await page.getByRole('button', { name: /^Copy/ }).count()).toBe(0)
    expect(await page.locator('.app-copy, .app-copy-button').count()).toBe(0)
    await page.screenshot({ path: path.join(screenshots, 'quote-no-js-375.png'), fullPage: true })
  })

  /** Triple-clicks where a person would to select a paragraph, and returns what is selected. */
  async function tripleClickSelection(x: number, y: number): Promise<string> {
    await page.mouse.click(x, y, { clickCount: 3 })
    return page.evaluate(() => window.getSelection()?.toString() ?? '')
  }

  it('the citation is shown, selectable, and a triple click selects exactly it', async () => {
    const citation = page.locator('#citation')
    expect(await citation.isVisible()).toBe(true)
    expect((await citation.innerText()).trim()).toBe(CITATION)
    expect(await citation.evaluate((el) => getComputedStyle(el).userSelect)).not.toBe('none')
    const box = await citation.boundingBox()
    if (!box) throw new Error('the citation has no box')
    expect((await tripleClickSelection(box.x + 20, box.y + 20)).trim()).toBe(CITATION)
  })

  it('the link is shown, selectable, and a triple click beside it selects exactly it', async () => {
    const paragraph = page.locator('.app-copy-link')
    const link = paragraph.getByRole('link')
    expect(await link.isVisible()).toBe(true)
    expect(await link.innerText()).toBe(QUOTE_URL)
    expect(await link.getAttribute('href')).toBe(QUOTE_URL)
    expect(await link.evaluate((el) => getComputedStyle(el).userSelect)).not.toBe('none')
    // Not on the link (a click there follows it), but in its paragraph, after its last line.
    const end = await link.evaluate((el) => {
      const lines = el.getClientRects()
      const last = lines[lines.length - 1]
      const paragraph = el.parentElement?.getBoundingClientRect()
      if (!last || !paragraph) throw new Error('the link is not laid out in a paragraph')
      return { x: last.right, y: last.top + last.height / 2, room: paragraph.right - last.right }
    })
    expect(end.room).toBeGreaterThan(20)
    expect((await tripleClickSelection(end.x + 10, end.y)).trim()).toBe(QUOTE_URL)
    expect(page.url()).toBe(QUOTE_URL)
  })
})

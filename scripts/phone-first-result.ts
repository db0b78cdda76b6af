/// <reference lib="dom" />
// (The function passed to page.evaluate runs in the browser.)
/**
 * `npx tsx scripts/phone-first-result.ts [origin] [path …]`: how far down a 375 × 812 phone
 * screen the first result link starts (CSS pixels from the top of the page), with JavaScript
 * and without, on a running site. The browser suite holds /stories and /search?q=peers under
 * 1,000 px (test/e2e/filters-phone.test.ts); this prints the figures behind that bound.
 */
import { chromium } from 'playwright-core'
import { findChromium } from '../test/e2e/support/tools.js'

const [origin = 'http://localhost:3000', ...given] = process.argv.slice(2)
const paths = given.length > 0 ? given : ['/stories', '/search?q=peers']
const { executablePath, args } = await findChromium()
const browser = await chromium.launch({ executablePath, args })
try {
  for (const javaScriptEnabled of [true, false]) {
    const context = await browser.newContext({
      viewport: { width: 375, height: 812 },
      javaScriptEnabled,
    })
    for (const path of paths) {
      const page = await context.newPage()
      await page.goto(`${origin}${path}`)
      const top = await page.evaluate(() => {
        const link = document.querySelector('.app-card-list a, .app-result-list a')
        return link ? Math.round(link.getBoundingClientRect().top + window.scrollY) : null
      })
      console.log(
        `${javaScriptEnabled ? 'with' : 'without'} JavaScript  ${path}  ${top ?? 'no result'} px`,
      )
      await page.close()
    }
    await context.close()
  }
} finally {
  await browser.close()
}

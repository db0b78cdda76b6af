import { chromium } from 'playwright-core'
import { findChromium } from '../test/e2e/support/tools.js'
const [url, out, width, y, h] = process.argv.slice(2)
const { executablePath, args } = await findChromium()
const browser = await chromium.launch({ executablePath, args })
const page = await browser.newPage({ viewport: { width: Number(width), height: 900 } })
await page.goto(url as string)
await page.screenshot({ path: out, fullPage: true, clip: { x: 0, y: Number(y), width: Number(width), height: Number(h) } })
await browser.close()

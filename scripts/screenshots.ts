// Takes screenshots of pages of a running site at desktop and phone widths, for people to look
// at: `npx tsx scripts/screenshots.ts http://localhost:3000 / /stories ...`
// Writes test-results/screenshots/<name>-<width>.png (git-ignored). With --print, pages are
// rendered with the print stylesheet (<name>-print-<width>.png) and also saved as A4 PDFs.
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { chromium } from 'playwright-core'
import { fromRoot } from '../src/paths.js'
import { findChromium } from '../test/e2e/support/tools.js'

const args = process.argv.slice(2)
const print = args.includes('--print')
const [base, ...paths] = args.filter((a) => a !== '--print')
if (!base || paths.length === 0) {
  console.error('usage: tsx scripts/screenshots.ts BASE_URL PATH...')
  process.exit(2)
}
const out = fromRoot('test-results', 'screenshots')
mkdirSync(out, { recursive: true })
const { executablePath, args: flags } = await findChromium()
const browser = await chromium.launch({ executablePath, args: flags })
for (const width of [1280, 375]) {
  const page = await browser.newPage({ viewport: { width, height: 900 } })
  if (print) await page.emulateMedia({ media: 'print' })
  for (const p of paths) {
    await page.goto(new URL(p, base).href)
    const name =
      (p.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '') || 'home') + (print ? '-print' : '')
    const file = path.join(out, `${name}-${width}.png`)
    await page.screenshot({ path: file, fullPage: true })
    console.log(file)
    if (print && width === 1280) {
      const pdf = path.join(out, `${name}.pdf`)
      await page.pdf({ path: pdf, format: 'A4', printBackground: false })
      console.log(pdf)
    }
  }
  await page.close()
}
await browser.close()

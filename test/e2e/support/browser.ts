import { mkdirSync } from 'node:fs'
import { chromium, type Browser } from 'playwright-core'
import { afterAll, beforeAll, inject } from 'vitest'
import { fromRoot } from '../../../src/paths.js'

export const VIEWPORTS = {
  desktop: { width: 1280, height: 900 },
  phone: { width: 375, height: 812 },
} as const
export type ViewportName = keyof typeof VIEWPORTS

/** The Chromium that global-setup.ts found (system, CHROMIUM_PATH or @sparticuz/chromium). */
function launchBrowser(): Promise<Browser> {
  const { executablePath, args } = inject('chromium')
  return chromium.launch({ executablePath, args })
}

/**
 * The test file's Chromium: launched before its tests and closed after them. Call it once at the
 * top of a file; the function it returns gives the browser inside hooks and tests.
 */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined
  beforeAll(async () => {
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
  })
  return () => {
    if (browser === undefined)
      throw new Error('the browser is launched in beforeAll: use it there or later')
    return browser
  }
}

/** test-results/<folder>, git-ignored: screenshots and the HTML the checker saw. */
export function artefactDir(folder: string): string {
  const dir = fromRoot('test-results', folder)
  mkdirSync(dir, { recursive: true })
  return dir
}

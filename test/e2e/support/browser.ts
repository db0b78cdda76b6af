import { mkdirSync } from 'node:fs'
import { chromium, type Browser } from 'playwright-core'
import { inject } from 'vitest'
import { fromRoot } from '../../../src/paths.js'

export const VIEWPORTS = {
  desktop: { width: 1280, height: 900 },
  phone: { width: 375, height: 812 },
} as const
export type ViewportName = keyof typeof VIEWPORTS

/** The Chromium that global-setup.ts found (system, CHROMIUM_PATH or @sparticuz/chromium). */
export function launchBrowser(): Promise<Browser> {
  const { executablePath, args } = inject('chromium')
  return chromium.launch({ executablePath, args })
}

/** test-results/<folder>, git-ignored: screenshots and the HTML the checker saw. */
export function artefactDir(folder: string): string {
  const dir = fromRoot('test-results', folder)
  mkdirSync(dir, { recursive: true })
  return dir
}

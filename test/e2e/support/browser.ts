import { mkdirSync } from 'node:fs'
import { chromium, type Browser } from 'playwright-core'
import { fromRoot } from '../../../src/paths.js'

/** Debian's Chromium (installed by .ci/run); override with CHROMIUM_PATH. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export const VIEWPORTS = {
  desktop: { width: 1280, height: 900 },
  phone: { width: 375, height: 812 },
} as const
export type ViewportName = keyof typeof VIEWPORTS

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS })
}

/** test-results/<folder>, git-ignored: screenshots and the HTML the checker saw. */
export function artefactDir(folder: string): string {
  const dir = fromRoot('test-results', folder)
  mkdirSync(dir, { recursive: true })
  return dir
}

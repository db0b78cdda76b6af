import { execFileSync } from 'node:child_process'
import path from 'node:path'
import {
  findProgram,
  isExecutable,
  NGINX_MISSING,
  OPENSSL_MISSING,
} from '../../../scripts/front/settings.js'

/**
 * Finds the programs the browser suite needs, once, before any test runs (global-setup.ts),
 * so that a missing one fails the suite with one line saying what to install, not a stack
 * trace per test.
 */

/** How to start Chromium: the binary and the flags to pass it. */
export interface ChromiumLaunch {
  executablePath: string
  args: string[]
  /** Where it came from, for the one line the setup prints. */
  source: string
}

/** Everything the lookup reads, injectable so that its tests need not change the machine. */
export interface Lookup {
  env: NodeJS.ProcessEnv
  platform: NodeJS.Platform
  arch: string
  isExecutable: (file: string) => boolean
  /** @sparticuz/chromium's unpacked binary and its flags (unpacks to the OS temp folder). */
  bundled: () => Promise<{ executablePath: string; args: string[] }>
}

/** A program the suite needs is missing: the message is the whole story, no trace needed. */
export class MissingTool extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'MissingTool'
    // One line in vitest's report, not a stack trace.
    this.stack = `${this.name}: ${message}`
  }
}

/** The flags every Chromium gets here (headless, no sandbox as root, quiet network). */
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

/**
 * @sparticuz/chromium's flags are made for one page per process on AWS Lambda. Dropped here:
 * `--single-process` (the browser dies when the first of several pages closes), and the two
 * that turn off the same-origin policy and allow mixed content (the suite checks what a real
 * browser does with our CSP and headers).
 */
const DROPPED_FLAGS = new Set([
  '--single-process',
  '--disable-web-security',
  '--allow-running-insecure-content',
])

async function bundled(): Promise<{ executablePath: string; args: string[] }> {
  const { default: chromium } = await import('@sparticuz/chromium')
  return { executablePath: await chromium.executablePath(), args: chromium.args }
}

export const SYSTEM_LOOKUP: Lookup = {
  env: process.env,
  platform: process.platform,
  arch: process.arch,
  isExecutable,
  bundled,
}

function onPath(name: string, lookup: Lookup): string | undefined {
  for (const dir of (lookup.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue
    const file = path.join(dir, name)
    if (lookup.isExecutable(file)) return file
  }
  return undefined
}

const INSTALL_CHROMIUM =
  "install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH to a Chromium or Chrome binary"

/**
 * CHROMIUM_PATH, then /usr/bin/chromium, then `chromium` or `google-chrome` on PATH; failing
 * those, the headless Chromium inside the @sparticuz/chromium package (Linux x64 only).
 */
export async function findChromium(lookup: Lookup = SYSTEM_LOOKUP): Promise<ChromiumLaunch> {
  const configured = lookup.env.CHROMIUM_PATH
  if (configured) {
    if (!lookup.isExecutable(configured)) {
      throw new MissingTool(
        `CHROMIUM_PATH is ${configured}, which is not an executable file: fix it, or unset it to use the Chromium the suite finds`,
      )
    }
    return { executablePath: configured, args: CHROMIUM_ARGS, source: 'CHROMIUM_PATH' }
  }
  const system =
    (lookup.isExecutable('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined) ??
    onPath('chromium', lookup) ??
    onPath('google-chrome', lookup)
  if (system) return { executablePath: system, args: CHROMIUM_ARGS, source: 'the system' }

  if (lookup.platform !== 'linux' || lookup.arch !== 'x64') {
    throw new MissingTool(
      `The browser suite needs Chromium: none was found, and @sparticuz/chromium's runs only on Linux x64 (this is ${lookup.platform} ${lookup.arch}): ${INSTALL_CHROMIUM}`,
    )
  }
  let found: { executablePath: string; args: string[] }
  try {
    found = await lookup.bundled()
  } catch (error) {
    throw new MissingTool(
      `The browser suite needs Chromium: none was found, and @sparticuz/chromium's could not be unpacked (${(error as Error).message}): ${INSTALL_CHROMIUM}`,
    )
  }
  const args = found.args.filter((flag) => !DROPPED_FLAGS.has(flag))
  return { executablePath: found.executablePath, args, source: '@sparticuz/chromium' }
}

/** The Nu Html Checker runs on Java: `java -version` must run. */
export function checkJava(run: () => void = () => void runJavaVersion()): void {
  try {
    run()
  } catch {
    throw new MissingTool(
      'The HTML validity test runs the Nu Html Checker, which needs Java 11 or later: install default-jre-headless (apt-get install default-jre-headless) or put java on PATH',
    )
  }
}

function runJavaVersion(): void {
  execFileSync('java', ['-version'], { stdio: 'ignore', timeout: 30_000 })
}

/** What the test of the front lacks (nginx, openssl), as the line to print; undefined: nothing. */
export function frontToolMissing(): string | undefined {
  if (findProgram('nginx') === undefined) return NGINX_MISSING
  if (findProgram('openssl') === undefined) return OPENSSL_MISSING
  return undefined
}

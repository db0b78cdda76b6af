import { execFileSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import type { TestProject } from 'vitest/node'
import { fromRoot } from '../../../src/paths.js'
import { startEmbedHost, type EmbedHost } from './embed-host.js'
import { startServer, type RunningServer } from './server.js'
import { checkJava, findChromium, frontToolMissing, type ChromiumLaunch } from './tools.js'

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the real server child process, over the fixture content. */
    baseUrl: string
    /** The Chromium to launch, found once (see tools.ts). */
    chromium: ChromiumLaunch
    /** Origin of another site, in the server's EMBED_ORIGINS, that embeds cards (embed-host.ts). */
    embedHostOrigin: string
  }
}

function newestMtime(dir: string, pattern: RegExp): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !pattern.test(entry.name)) continue
    newest = Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs)
  }
  return newest
}

function mtime(file: string): number {
  try {
    return statSync(file).mtimeMs
  } catch {
    return 0
  }
}

/**
 * The browser suite drives the BUILT server (`dist/`, built by `npm ci`'s prepare script). In
 * development the build may be older than the sources: rebuild first, so the suite never
 * tests stale code. (Views are read from views/ at run time and need no build.)
 */
function buildIfStale(): void {
  const sources = Math.max(
    newestMtime(fromRoot('src'), /\.(ts|scss)$/),
    newestMtime(fromRoot('public'), /\.m?js$/),
    mtime(fromRoot('scripts', 'build-assets.mjs')),
  )
  const built = Math.min(
    mtime(fromRoot('dist', 'src', 'server.js')),
    mtime(fromRoot('dist', 'asset-manifest.json')),
  )
  if (built >= sources) return
  console.log('[e2e] dist/ is older than the sources: running npm run build')
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: fromRoot(), stdio: 'inherit' })
}

let server: RunningServer | undefined
let embedHost: EmbedHost | undefined

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Missing tools fail the whole suite here, once, with one line saying what to install.
  const chromium = await findChromium()
  checkJava()
  console.log(`[e2e] Chromium: ${chromium.executablePath} (from ${chromium.source})`)
  // The test of the front skips itself without nginx (fails under CI): say so here too, where
  // the default reporter shows it.
  const frontMissing = frontToolMissing()
  if (frontMissing !== undefined && process.env.CI !== 'true') {
    console.log(`[e2e] skipping the test of the front: ${frontMissing}`)
  }
  project.provide('chromium', chromium)
  buildIfStale()
  // The other site first: the library must list its origin in EMBED_ORIGINS (which also makes
  // quote pages show their embed code, so the whole suite checks that too).
  embedHost = await startEmbedHost()
  server = await startServer({ env: { EMBED_ORIGINS: embedHost.origin } })
  embedHost.setLibrary(server.baseUrl)
  project.provide('baseUrl', server.baseUrl)
  project.provide('embedHostOrigin', embedHost.origin)
  return async () => {
    await server?.stop()
    await embedHost?.stop()
  }
}

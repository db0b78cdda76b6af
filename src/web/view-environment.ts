import { createRequire } from 'node:module'
import path from 'node:path'
import type { Express } from 'express'
import nunjucks from 'nunjucks'
import type { AppDeps } from './deps.js'
import { fromRoot } from '../paths.js'
import { registerFilters } from './filters/index.js'
import { readAssetManifest } from './asset-manifest.js'

export const SITE_NAME = 'Sector-led improvement stories'

/** govuk-frontend's `dist/` folder, found by package resolution (its macros live there). */
function govukFrontendViews(): string {
  const require = createRequire(import.meta.url)
  return path.dirname(path.dirname(require.resolve('govuk-frontend/dist/govuk/all.bundle.js')))
}

export function createViewEnvironment(deps: Pick<AppDeps, 'config'>): nunjucks.Environment {
  const env = new nunjucks.Environment(
    new nunjucks.FileSystemLoader([fromRoot('views'), govukFrontendViews()], {
      noCache: deps.config.dev,
    }),
    { autoescape: true, throwOnUndefined: false, trimBlocks: true, lstripBlocks: true },
  )
  registerFilters(env)
  const manifest = readAssetManifest()
  env.addGlobal('asset', (name: string) => {
    const file = manifest[name]
    if (file === undefined) throw new Error(`Unknown asset "${name}"`)
    return `/assets/${file}`
  })
  env.addGlobal('siteName', SITE_NAME)
  env.addGlobal('baseUrl', deps.config.baseUrl)
  return env
}

export const VIEW_ENVIRONMENT = 'nunjucks environment'

/** The app's Nunjucks environment, for routes that render parts of a page themselves. */
export function viewEnvironment(app: Express): nunjucks.Environment {
  const env = app.get(VIEW_ENVIRONMENT) as nunjucks.Environment | undefined
  if (env === undefined) throw new Error('setUpViews has not run')
  return env
}

import { createRequire } from 'node:module'
import path from 'node:path'
import type { Express } from 'express'
import nunjucks from 'nunjucks'
import type { AppDeps } from './deps.js'
import { fromRoot } from '../paths.js'
import { fasterBuiltinFilters } from './filters/faster-builtins.js'
import { registerFilters } from './filters/index.js'
import { readAssetManifest } from './asset-manifest.js'
import { editorsGuideUrl } from './cms/cms-config.js'

export const SITE_NAME = 'Sector-led improvement stories'

/** govuk-frontend's `dist/` folder, found by package resolution (its macros live there). */
function govukFrontendViews(): string {
  const require = createRequire(import.meta.url)
  return path.dirname(path.dirname(require.resolve('govuk-frontend/dist/govuk/all.bundle.js')))
}

/**
 * The templates' loader, with relative names resolved once. govuk-frontend's macros include
 * their template and import others by relative name ("./template.njk", "../label/macro.njk")
 * every time they are called, and Nunjucks resolves the name (path.resolve) at each call, for
 * each loader, before it finds the compiled template in its cache: on a list page's fifty
 * checkboxes that was about a tenth of rendering it. The names resolve to the same file every
 * time, so the answer is kept (a few hundred pairs at most: the templates' own imports).
 */
function viewLoader(searchPaths: string[], noCache: boolean): nunjucks.FileSystemLoader {
  const loader = new nunjucks.FileSystemLoader(searchPaths, { noCache })
  const resolve = loader.resolve.bind(loader)
  // By the including template's path, then by the name it asked for: no key string to make.
  const resolved = new Map<string, Map<string, string>>()
  loader.resolve = (from: string, to: string): string => {
    let names = resolved.get(from)
    if (names === undefined) resolved.set(from, (names = new Map()))
    let name = names.get(to)
    if (name === undefined) names.set(to, (name = resolve(from, to)))
    return name
  }
  return loader
}

export function createViewEnvironment(deps: Pick<AppDeps, 'config'>): nunjucks.Environment {
  const env = new nunjucks.Environment(
    viewLoader([fromRoot('views'), govukFrontendViews()], deps.config.dev),
    { autoescape: true, throwOnUndefined: false, trimBlocks: true, lstripBlocks: true },
  )
  fasterBuiltinFilters(env)
  registerFilters(env)
  const manifest = readAssetManifest()
  env.addGlobal('asset', (name: string) => {
    const file = manifest[name]
    if (file === undefined) throw new Error(`Unknown asset "${name}"`)
    return `/assets/${file}`
  })
  env.addGlobal('siteName', SITE_NAME)
  env.addGlobal('baseUrl', deps.config.baseUrl)
  // The footer's "Add a story" and the About page link to it when there is one (CMS_REPO).
  env.addGlobal('editorsGuideUrl', editorsGuideUrl(deps.config))
  return env
}

export const VIEW_ENVIRONMENT = 'nunjucks environment'

/** The app's Nunjucks environment, for routes that render parts of a page themselves. */
export function viewEnvironment(app: Express): nunjucks.Environment {
  const env = app.get(VIEW_ENVIRONMENT) as nunjucks.Environment | undefined
  if (env === undefined) throw new Error('setUpViews has not run')
  return env
}

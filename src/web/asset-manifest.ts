import { readFileSync } from 'node:fs'
import { fromRoot } from '../paths.js'

export type AssetManifest = Readonly<Record<string, string>>

/**
 * Logical asset name → hashed file name, written by scripts/build-assets.mjs. It lives beside
 * dist/assets, not in it: only the hashed files themselves are served (as immutable).
 */
export function readAssetManifest(): AssetManifest {
  try {
    return JSON.parse(
      readFileSync(fromRoot('dist', 'asset-manifest.json'), 'utf8'),
    ) as AssetManifest
  } catch {
    throw new Error('dist/asset-manifest.json is missing: run `npm run build` first')
  }
}

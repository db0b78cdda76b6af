import { readdirSync } from 'node:fs'
import path from 'node:path'
import type { Express } from 'express'
import express from 'express'
import type { AppDeps } from '../deps.js'
import { fromRoot } from '../../paths.js'

/**
 * /assets/ holds content-hashed files, so they are cached for a year and never revalidated.
 * public/ holds the few files with fixed names (favicon) that browsers ask for themselves.
 */
export function setUpStatic(app: Express, _deps: AppDeps): void {
  app.use(
    '/assets',
    express.static(fromRoot('dist', 'assets'), {
      immutable: true,
      maxAge: '365d',
      index: false,
      redirect: false,
      fallthrough: true,
    }),
  )
  const servePublic = express.static(fromRoot('public'), {
    maxAge: '1d',
    index: false,
    redirect: false,
    dotfiles: 'ignore',
  })
  // Only the files public/ holds reach the file system: any other path (every page) would
  // otherwise cost a stat() that fails, on every request. Not public/js/: those are the sources
  // that scripts/build-assets.mjs builds into /assets/ (app.js's import names a hashed file
  // there), so they are served from there alone.
  const publicFiles = new Set(
    readdirSync(fromRoot('public'), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && !e.name.startsWith('.'))
      .filter((e) => path.relative(fromRoot('public'), e.parentPath).split(path.sep)[0] !== 'js')
      .map((e) =>
        path.posix.join(
          '/',
          path
            .relative(fromRoot('public'), path.join(e.parentPath, e.name))
            .split(path.sep)
            .join('/'),
        ),
      ),
  )
  app.use((req, res, next) => {
    if (publicFiles.has(req.path)) servePublic(req, res, next)
    else next()
  })
}

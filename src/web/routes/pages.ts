import type { Express } from 'express'
import type { AppDeps } from '../deps.js'

/** Pages of fixed text. */
export function registerPageRoutes(app: Express, _deps: AppDeps): void {
  app.get('/about', (_req, res) => {
    res.render('pages/about.njk')
  })
  app.get('/accessibility', (_req, res) => {
    res.render('pages/accessibility.njk')
  })
}

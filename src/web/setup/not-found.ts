import type { Express } from 'express'

/** Anything no route answered: our own 404 page, in the site's layout. */
export function setUpNotFound(app: Express): void {
  app.use((_req, res) => {
    res.status(404).set('Cache-Control', 'public, max-age=60').render('pages/not-found.njk')
  })
}

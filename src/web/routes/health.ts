import type { Express } from 'express'
import type { AppDeps } from '../deps.js'

/**
 * /healthz: the process answers. /readyz: content and index are loaded. The app is only
 * built once both are (server.ts loads first), so readiness is whether a snapshot exists.
 */
export function registerHealthRoutes(app: Express, { content }: AppDeps): void {
  app.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').type('text/plain').send('ok')
  })
  app.get('/readyz', (_req, res) => {
    const ready = content.current.library.stories !== undefined
    res
      .status(ready ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .type('text/plain')
      .send(ready ? 'ready' : 'loading')
  })
}

import express, { type Express } from 'express'
import type { AppDeps } from './web/deps.js'
import { setUpErrorHandling } from './web/setup/errors.js'
import { setUpNotFound } from './web/setup/not-found.js'
import { setUpRequestHandling } from './web/setup/request-handling.js'
import { setUpRoutes } from './web/setup/routes.js'
import { setUpSecurity } from './web/setup/security.js'
import { setUpStatic } from './web/setup/static.js'
import { setUpViews } from './web/setup/views.js'

/**
 * Builds the Express app from already-loaded dependencies. No side effects: it reads no
 * files beyond templates and assets, opens no ports and starts no timers, so tests build it
 * with fixture content and server.ts builds it once content and index are ready.
 */
export function createApp(deps: AppDeps): Express {
  const app = express()
  app.disable('x-powered-by')
  // One URL per page: /Stories/Foo and /stories/foo/ are redirected, not served twice.
  app.set('case sensitive routing', true)
  app.set('strict routing', true)
  app.set('etag', 'strong')
  // Behind a proxy (TRUST_PROXY), req.ip and req.protocol (in the request logs) come from its
  // X-Forwarded-For and X-Forwarded-Proto. Absolute links never do: they come from BASE_URL.
  app.set('trust proxy', deps.config.trustProxy)

  setUpRequestHandling(app, deps)
  setUpSecurity(app, deps)
  setUpStatic(app, deps)
  setUpViews(app, deps)
  setUpRoutes(app, deps)
  setUpNotFound(app)
  setUpErrorHandling(app, deps)
  return app
}

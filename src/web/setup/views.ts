import type { Express } from 'express'
import type { AppDeps } from '../deps.js'
import { absoluteUrl } from '../links.js'
import { createViewEnvironment, VIEW_ENVIRONMENT } from '../view-environment.js'

/** res.locals is typed in src/web/locals.ts. */
export function setUpViews(app: Express, deps: AppDeps): void {
  const env = createViewEnvironment(deps)
  env.express(app)
  app.set(VIEW_ENVIRONMENT, env)
  app.set('view engine', 'njk')
  app.use((req, res, next) => {
    res.locals.currentPath = req.path
    // The page's one address, for <link rel="canonical"> and og:url. Routes that serve
    // distinct content by query string (/stories) replace it; error pages clear it.
    res.locals.canonicalUrl = absoluteUrl(deps.config.baseUrl, req.path)
    res.locals.contentProblems = deps.content.problems
    next()
  })
}

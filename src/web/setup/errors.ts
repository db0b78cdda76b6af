import type { Express, NextFunction, Request, Response } from 'express'
import type { AppDeps } from '../deps.js'
import { NO_STORE } from '../caching.js'
import { loggedUrl } from './request-handling.js'

interface HttpError extends Error {
  status?: number
  statusCode?: number
  expose?: boolean
  /** For the person asking: what was wrong with the request (a feed's unknown filter value). */
  explanation?: string
}

/**
 * The last handler. Client errors (a bad percent-encoding in the path is a 400 URIError from
 * Express, 405 from the method guard) get a page saying so; anything else is a 500 page.
 * Errors are logged here, once, with the request id; stack traces never reach the page
 * outside development.
 */
export function setUpErrorHandling(app: Express, { logger, config }: AppDeps): void {
  app.use((error: HttpError, req: Request, res: Response, _next: NextFunction) => {
    const status = error.status ?? error.statusCode ?? 500
    const code = status >= 400 && status < 600 ? status : 500
    if (code >= 500) {
      logger.error({ err: error, reqId: req.id, url: loggedUrl(req) }, 'request failed')
    }
    if (res.headersSent) {
      // Too late for an error page; end the broken response.
      res.destroy()
      return
    }
    res.status(code).set('Cache-Control', NO_STORE)
    const view = code === 500 ? 'pages/error.njk' : 'pages/client-error.njk'
    res.render(
      view,
      {
        status: code,
        detail: config.dev && code === 500 ? (error.stack ?? error.message) : undefined,
        explanation: code < 500 && error.expose === true ? error.explanation : undefined,
      },
      (renderError: Error | null, html?: string) => {
        if (renderError) {
          logger.error({ err: renderError, reqId: req.id }, 'error page failed to render')
          res
            .type('text/plain')
            .send(code === 500 ? 'Sorry, something went wrong.' : `Error ${code}`)
          return
        }
        res.type('html').send(html)
      },
    )
  })
}

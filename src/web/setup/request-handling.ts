import type { Express, NextFunction, Request, RequestHandler, Response } from 'express'
import type { Logger } from 'pino'
import { compressionWhenAccepted } from '../compression.js'
import type { AppDeps } from '../deps.js'

declare module 'node:http' {
  interface IncomingMessage {
    /** This request's number in the process's request log (and in its error lines). */
    id?: number
  }
}

/** Request ids count up and wrap at 2^31, as pino-http's did. */
const MAX_REQUEST_ID = 0x7fffffff
/** URLs longer than this are cut short in the log. */
const LOGGED_URL_LENGTH = 300

/**
 * The request's URL as it is logged: cut to LOGGED_URL_LENGTH, and without the query string
 * under /admin, where the CMS's sign-in callback carries an OAuth code and state (any letter
 * case or trailing slash: the canonical redirect would log them on the way).
 */
export function loggedUrl(req: Request): string {
  const { originalUrl } = req
  const queryAt = originalUrl.indexOf('?')
  const path = queryAt === -1 ? originalUrl : originalUrl.slice(0, queryAt)
  const url = queryAt !== -1 && /^\/admin(\/|$)/i.test(path) ? `${path}?[not logged]` : originalUrl
  return url.length > LOGGED_URL_LENGTH ? `${url.slice(0, LOGGED_URL_LENGTH)}…` : url
}

/**
 * One JSON line per finished request: `{ req: { id, method, url, protocol, remoteAddress },
 * res: { statusCode }, responseTime }` with the message "request completed" (or "request
 * aborted"). The line pino-http 11 wrote with the serializers this site gave it, plus the
 * client's address and scheme, without what made it cost 7% of a cached page: a child logger
 * per request, built by serialising the whole request (headers included) only to keep a few
 * fields of it. `protocol` and `remoteAddress` are Express's `req.protocol` and `req.ip`: behind
 * a proxy named in TRUST_PROXY they come from X-Forwarded-Proto and X-Forwarded-For, otherwise
 * from the connection. Failures (an error, a 5xx) are not logged here: the error handler logs
 * them once, with the request id.
 */
export function requestLogging(logger: Logger): RequestHandler {
  let lastId = 0
  return (req: Request, res: Response, next: NextFunction) => {
    const id = (lastId = (lastId + 1) & MAX_REQUEST_ID)
    req.id = id
    const started = Date.now()
    const { method } = req
    const url = loggedUrl(req)
    const onDone = (error?: Error): void => {
      res.removeListener('close', onDone)
      res.removeListener('finish', onDone)
      res.removeListener('error', onDone)
      if (error !== undefined || res.statusCode >= 500) return
      logger.info(
        {
          req: { id, method, url, protocol: req.protocol, remoteAddress: req.ip },
          res: { statusCode: res.statusCode },
          responseTime: Date.now() - started,
        },
        !req.readableAborted && res.writableEnded ? 'request completed' : 'request aborted',
      )
    }
    res.on('close', onDone)
    res.on('finish', onDone)
    res.on('error', onDone)
    next()
  }
}

/** Structured request logs and response compression: the outermost layer. */
export function setUpRequestHandling(app: Express, { logger }: AppDeps): void {
  app.use(requestLogging(logger))
  app.use(compressionWhenAccepted())
}

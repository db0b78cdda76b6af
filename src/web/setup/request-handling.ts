import compression from 'compression'
import type { Express, NextFunction, Request, RequestHandler, Response } from 'express'
import Negotiator from 'negotiator'
import onHeaders from 'on-headers'
import type { Logger } from 'pino'
import type { AppDeps } from '../../app.js'

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
    const { method, originalUrl } = req
    const url =
      originalUrl.length > LOGGED_URL_LENGTH
        ? `${originalUrl.slice(0, LOGGED_URL_LENGTH)}…`
        : originalUrl
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

/** compression's default: smaller bodies are sent as they are. */
export const COMPRESSION_THRESHOLD = 1024

/** The encodings `compression` 1.8 offers, in its order of preference. */
const COMPRESSION_ENCODINGS = ['br', 'gzip', 'deflate', 'identity']
const PREFERRED_ENCODINGS = ['br', 'gzip']

/**
 * The encoding `compression` would answer this request with: br, gzip, deflate or identity.
 * A request without Accept-Encoding gets identity (compression's `enforceEncoding` default).
 */
export function negotiatedEncoding(req: Request): string {
  if (req.headers['accept-encoding'] === undefined) return 'identity'
  // negotiator 0.6.4 takes the preference order as a second argument (compression passes it);
  // its published types leave that argument out.
  const negotiator = new Negotiator(req) as unknown as {
    encoding(available: string[], preferred: string[]): string | undefined
  }
  return negotiator.encoding(COMPRESSION_ENCODINGS, PREFERRED_ENCODINGS) ?? 'identity'
}

/**
 * `compression()` only for requests it could compress. For the others (no Accept-Encoding,
 * or identity only) all it would do is add `Vary: Accept-Encoding` to a compressible
 * response that allows transforms, when its headers go out; this does that one thing, at the
 * same moment and by the same rules, without wrapping write and end, listening for close and
 * negotiating on every request.
 */
export function compressionWhenAccepted(): RequestHandler {
  const compress = compression()
  return (req: Request, res: Response, next: NextFunction) => {
    if (negotiatedEncoding(req) !== 'identity') return compress(req, res, next)
    onHeaders(res, () => {
      if (compression.filter(req, res) && !noTransform(res)) res.vary('Accept-Encoding')
    })
    next()
  }
}

/** compression's own test for `Cache-Control: no-transform`. */
export function noTransform(res: Response): boolean {
  const cacheControl = res.getHeader('Cache-Control')
  return (
    cacheControl !== undefined && /(?:^|,)\s*?no-transform\s*?(?:,|$)/i.test(String(cacheControl))
  )
}

/** Structured request logs and response compression: the outermost layer. */
export function setUpRequestHandling(app: Express, { logger }: AppDeps): void {
  app.use(requestLogging(logger))
  app.use(compressionWhenAccepted())
}

import compression from 'compression'
import type { Express } from 'express'
import { pinoHttp } from 'pino-http'
import type { AppDeps } from '../../app.js'

/** Structured request logs and response compression: the outermost layer. */
export function setUpRequestHandling(app: Express, { logger }: AppDeps): void {
  app.use(
    pinoHttp({
      logger,
      // Errors are logged once, by the error handler, with the request id.
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'silent' : 'info'),
      serializers: {
        req: (req: { method: string; url: string; id: unknown }) => ({
          id: req.id,
          method: req.method,
          url: req.url.length > 300 ? `${req.url.slice(0, 300)}…` : req.url,
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  )
  app.use(compression())
}

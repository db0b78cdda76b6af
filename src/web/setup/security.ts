import type { Express, NextFunction, Request, Response } from 'express'
import helmet from 'helmet'
import type { AppDeps } from '../deps.js'
import { ALLOWED_METHODS, HELMET_OPTIONS, recordHeaderEdits } from '../security-headers.js'

export function setUpSecurity(app: Express, _deps: AppDeps): void {
  const { set, removed } = recordHeaderEdits(helmet(HELMET_OPTIONS))

  app.use((req: Request, res: Response, next: NextFunction) => {
    // helmet's headers, as it would set them.
    for (const name of removed) res.removeHeader(name)
    for (const [name, value] of set) res.setHeader(name, value)

    // A read-only site: anything but GET and HEAD is 405, with the methods that would work.
    if (req.method === 'GET' || req.method === 'HEAD') return next()
    res.setHeader('Allow', ALLOWED_METHODS)
    if (req.method === 'OPTIONS') {
      res.status(204).end()
      return
    }
    res.status(405)
    next(Object.assign(new Error('Method not allowed'), { status: 405, expose: true }))
  })
}

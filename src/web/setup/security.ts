import type { Express, NextFunction, Request, Response } from 'express'
import helmet from 'helmet'
import type { AppDeps } from '../deps.js'
import {
  ALLOWED_METHODS,
  CMS_EXTRA_HEADERS,
  CMS_HELMET_OPTIONS,
  HELMET_OPTIONS,
  isCmsPath,
  recordHeaderEdits,
} from '../security-headers.js'

export function setUpSecurity(app: Express, _deps: AppDeps): void {
  const site = recordHeaderEdits(helmet(HELMET_OPTIONS))
  // The editors' CMS's looser policy: its paths only (see isCmsPath).
  const cms = recordHeaderEdits(helmet(CMS_HELMET_OPTIONS))
  const cmsHeaders = { removed: cms.removed, set: [...cms.set, ...CMS_EXTRA_HEADERS] }

  app.use((req: Request, res: Response, next: NextFunction) => {
    // helmet's headers, as it would set them.
    const { set, removed } = isCmsPath(req.path) ? cmsHeaders : site
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

import compression from 'compression'
import type { NextFunction, Request, RequestHandler, Response } from 'express'
import Negotiator from 'negotiator'
import onHeaders from 'on-headers'

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

// The bench's front figure: story pages through `npm run front`'s nginx (deploy/nginx.conf) on
// cache hits, against the same app alone. Needs Debian's nginx-light (or nginx) and openssl;
// without them the figure is skipped with the reason.
import { request } from 'node:https'
import { startFront } from '../front/nginx.js'
import { findProgram, NGINX_MISSING, OPENSSL_MISSING } from '../front/settings.js'
import { freePort } from './processes.js'

export interface FrontLoad {
  rps: number
  p50: number
  p99: number
  requests: number
  errors: number
  timeouts: number
  non2xx: number
}

export type FrontFigure =
  { skipped: string } | { front: FrontLoad; appAloneRps: number; ratio: number; upstreams: number }

/** One GET over TLS (the front's self-signed certificate), answering status and cache status. */
function cacheStatus(url: string): Promise<{ status: number; cache: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { rejectUnauthorized: false, agent: false }, (res) => {
      res.resume()
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          cache: String(res.headers['x-cache-status'] ?? ''),
        }),
      )
    })
    req.on('error', reject)
    req.end()
  })
}

/**
 * Starts the front over `origin` (the app the story figure was measured on), fills its cache
 * with `paths`, checks that each now answers from it (X-Cache-Status: HIT), then loads it
 * with the same paths and connections as the app's own story figure.
 */
export async function measureFront(options: {
  origin: string
  paths: string[]
  appAloneRps: number
  load: (origin: string, paths: string[]) => Promise<FrontLoad>
  log: (message: string) => void
}): Promise<FrontFigure> {
  const missing =
    findProgram('nginx') === undefined
      ? NGINX_MISSING
      : findProgram('openssl') === undefined
        ? OPENSSL_MISSING
        : undefined
  if (missing !== undefined) {
    options.log(`front figure skipped: ${missing}`)
    return { skipped: missing }
  }
  const upstream = new URL(options.origin).host
  const httpsPort = await freePort()
  const front = startFront(
    { httpPort: await freePort(), httpsPort, upstreams: [upstream], tls: undefined },
    { accessLog: false },
  )
  const frontOrigin = `https://127.0.0.1:${httpsPort}`
  try {
    for (let ready = false; !ready;) {
      if (front.nginx.exitCode !== null) throw new Error('nginx exited at start-up')
      ready = await cacheStatus(`${frontOrigin}/readyz`).then(
        (r) => r.status === 200,
        () => false,
      )
      if (!ready) await new Promise((resolve) => setTimeout(resolve, 50))
    }
    for (const p of options.paths) await cacheStatus(`${frontOrigin}${p}`)
    for (const p of options.paths) {
      const { status, cache } = await cacheStatus(`${frontOrigin}${p}`)
      if (status !== 200 || cache !== 'HIT')
        throw new Error(`${p} through the front: ${status} ${cache}`)
    }
    options.log(`front: story pages through nginx, cache hits (${options.paths.length} addresses)`)
    const result = await options.load(frontOrigin, options.paths)
    return {
      front: result,
      appAloneRps: options.appAloneRps,
      ratio: result.rps / options.appAloneRps,
      upstreams: 1,
    }
  } finally {
    await front.stop()
  }
}

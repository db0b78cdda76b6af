/**
 * `npm run front`: the production front on one machine. Runs Debian's nginx in the foreground
 * with deploy/nginx.conf: TLS on FRONT_HTTPS_PORT (8443), a 301 to it from FRONT_HTTP_PORT
 * (8080), a cache, and the app instances in UPSTREAMS (127.0.0.1:3000) behind it. TLS_CERT and
 * TLS_KEY name a certificate; without them a self-signed one for localhost is made. Writes
 * nothing in the repository. SIGTERM or Ctrl-C stops nginx gracefully, then this exits.
 * docs/deploying.md explains the set-up.
 */
import { startFront } from './front/nginx.js'
import { FrontError, readFrontSettings } from './front/settings.js'

function fail(message: string): never {
  console.error(`front: ${message}`)
  process.exit(1)
}

let front
try {
  const settings = readFrontSettings()
  front = startFront(settings)
  const upstreams = settings.upstreams.join(', ')
  console.log(
    `front: nginx (pid ${front.nginx.pid}) serving https://localhost:${settings.httpsPort}/ ` +
      `(http://localhost:${settings.httpPort}/ redirects to it) from ${upstreams}; ` +
      `cache in ${front.cacheDir}`,
  )
} catch (error) {
  if (error instanceof FrontError) fail(error.message)
  throw error
}

const running = front
let stopping = false
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return
    stopping = true
    console.log(`front: ${signal}: stopping nginx`)
    void running.stop()
  })
}
const result = await running.exited
if (stopping) {
  console.log('front: stopped')
  process.exit(0)
}
fail(`nginx exited (${String(result)})`)

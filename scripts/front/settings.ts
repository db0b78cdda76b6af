import { accessSync, constants, readFileSync } from 'node:fs'
import { isIP } from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * What `npm run front` reads from its environment, and the rendering of deploy/nginx.conf.
 * No side effects here: scripts/front.ts starts nginx; the tests and the bench use these too.
 */

export const TEMPLATE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'deploy',
  'nginx.conf',
)

/** The ${NAME}s deploy/nginx.conf uses, and nothing else is replaced. */
export const TEMPLATE_VARIABLES = [
  'FRONT_HTTP_PORT',
  'FRONT_HTTPS_PORT',
  'FRONT_PUBLIC_HTTPS_PORT',
  'UPSTREAM_SERVERS',
  'TLS_CERT',
  'TLS_KEY',
  'FRONT_RUNTIME_DIR',
  'FRONT_ACCESS_LOG',
] as const
export type TemplateValues = Record<(typeof TEMPLATE_VARIABLES)[number], string>

export class FrontError extends Error {
  override name = 'FrontError'
}

export interface FrontSettings {
  httpPort: number
  httpsPort: number
  /** host:port of each app instance. */
  upstreams: string[]
  /** Both or neither: without them, a self-signed certificate for localhost is made. */
  tls: { cert: string; key: string } | undefined
}

function port(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim()
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!/^\d+$/.test(raw) || value < 1 || value > 65535) {
    throw new FrontError(`${name} is "${raw}": it must be a port number from 1 to 65535`)
  }
  return value
}

/** `host:port`, `[v6 address]:port`; a bare IPv6 address must be in brackets. */
function upstream(entry: string): string {
  const match = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(entry)
  const host = match?.[1] ?? ''
  const portNumber = Number(match?.[2])
  const bracketed = host.startsWith('[')
  if (
    !match ||
    portNumber < 1 ||
    portNumber > 65535 ||
    (bracketed && isIP(host.slice(1, -1)) !== 6)
  ) {
    throw new FrontError(
      `UPSTREAMS has "${entry}": each entry must be host:port (e.g. 127.0.0.1:3000 or [::1]:3000)`,
    )
  }
  return entry
}

export function readFrontSettings(env: NodeJS.ProcessEnv = process.env): FrontSettings {
  const httpPort = port(env, 'FRONT_HTTP_PORT', 8080)
  const httpsPort = port(env, 'FRONT_HTTPS_PORT', 8443)
  if (httpPort === httpsPort) {
    throw new FrontError(`FRONT_HTTP_PORT and FRONT_HTTPS_PORT are both ${httpPort}`)
  }
  const upstreams = (env.UPSTREAMS ?? '127.0.0.1:3000')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(upstream)
  if (upstreams.length === 0)
    throw new FrontError('UPSTREAMS is empty: name at least one host:port')
  const cert = env.TLS_CERT?.trim() || undefined
  const key = env.TLS_KEY?.trim() || undefined
  if ((cert === undefined) !== (key === undefined)) {
    throw new FrontError(
      'set both TLS_CERT and TLS_KEY, or neither (for a self-signed certificate)',
    )
  }
  return { httpPort, httpsPort, upstreams, tls: cert && key ? { cert, key } : undefined }
}

/** The upstream block's lines: one `server` per instance, left out for 10 s after a failure. */
export function upstreamServers(upstreams: string[]): string {
  return upstreams.map((u) => `server ${u} max_fails=1 fail_timeout=10s;`).join('\n    ')
}

/**
 * envsubst restricted to the named variables, as the official nginx image runs it: `${NAME}`
 * for each name is replaced, nginx's own `$variables` are not touched. A `${NAME}` left over
 * would reach nginx as a broken line, so it is an error here.
 */
export function renderTemplate(template: string, values: TemplateValues): string {
  const rendered = template.replace(/\$\{([A-Z_][A-Z0-9_]*)\}/g, (whole, name: string) =>
    Object.hasOwn(values, name) ? values[name as keyof TemplateValues] : whole,
  )
  const left = /\$\{([A-Z_][A-Z0-9_]*)\}/.exec(rendered)
  if (left) throw new FrontError(`deploy/nginx.conf uses \${${left[1]}}, which nothing sets`)
  return rendered
}

export function readTemplate(): string {
  return readFileSync(TEMPLATE, 'utf8')
}

/** Whether a file exists and this process may run it. */
export function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** A program on PATH, or in the sbin folders Debian puts nginx in (not on a user's PATH). */
export function findProgram(
  name: string,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const dirs = [...(env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/usr/local/sbin', '/sbin']
  for (const dir of dirs) {
    if (!dir) continue
    const file = path.join(dir, name)
    if (isExecutable(file)) return file
  }
  return undefined
}

export const NGINX_MISSING =
  "nginx is not installed: install Debian's nginx-light (apt-get install nginx-light) or nginx"
export const OPENSSL_MISSING =
  "openssl is not installed, and it makes the self-signed certificate: install Debian's openssl (apt-get install openssl), or set TLS_CERT and TLS_KEY"

import { isIP } from 'node:net'
import { z } from 'zod'
import { fromRoot } from './paths.js'

/**
 * Configuration, read once from the environment at start-up, typed and validated.
 * A bad value stops the server with a message naming the variable.
 */

const origin = z.string().transform((value, ctx) => {
  try {
    const url = new URL(value)
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('scheme')
    if (url.origin !== value.replace(/\/$/, '')) throw new Error('not an origin')
    return url.origin
  } catch {
    ctx.addIssue({
      code: 'custom',
      message: `"${value}" is not an origin like https://www.example.org`,
    })
    return z.NEVER
  }
})

/** proxy-addr's names for address ranges, as Express's `trust proxy` takes them. */
const PROXY_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal'])

function isAddressOrSubnet(value: string): boolean {
  const [address = '', bits, ...rest] = value.split('/')
  if (rest.length > 0 || isIP(address) === 0) return false
  if (bits === undefined) return true
  const max = isIP(address) === 4 ? 32 : 128
  return /^\d{1,3}$/.test(bits) && Number(bits) <= max
}

/**
 * Express's `trust proxy`: which hops may set X-Forwarded-For and X-Forwarded-Proto. Empty or
 * `false`: none (the default: the app faces clients). `true`: every hop (only when nothing
 * can reach the app but the proxy). A number: that many hops. Otherwise addresses, subnets and
 * proxy-addr's names (`loopback`, `linklocal`, `uniquelocal`), comma-separated.
 */
const trustProxy = z.string().transform((raw, ctx): TrustProxy => {
  const value = raw.trim()
  if (value === '' || value === 'false') return false
  if (value === 'true') return true
  if (/^\d+$/.test(value)) return Number(value)
  const entries = value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean)
  const bad = entries.filter((e) => !PROXY_RANGES.has(e) && !isAddressOrSubnet(e))
  if (bad.length > 0 || entries.length === 0) {
    ctx.addIssue({
      code: 'custom',
      message: `"${raw}" is not true, false, a number of hops, or a comma-separated list of addresses, subnets, loopback, linklocal or uniquelocal`,
    })
    return z.NEVER
  }
  return entries
})

/** What Express's `trust proxy` setting is given. */
export type TrustProxy = boolean | number | string[]

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  CONTENT_DIR: z.string().min(1).default(fromRoot('content')),
  BASE_URL: z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' }).optional(),
  EMBED_ORIGINS: z
    .string()
    .default('')
    .transform((s) =>
      s
        .split(/[\s,]+/)
        .map((v) => v.trim())
        .filter(Boolean),
    )
    .pipe(z.array(origin)),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  CACHE_DIR: z.string().default(fromRoot('.cache')),
  PAGE_CACHE_MB: z.coerce
    .number({ error: 'must be a number of megabytes (0 turns the page cache off)' })
    .min(0)
    .max(16384)
    .optional(),
  TRUST_PROXY: trustProxy.default(false),
  CMS_REPO: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/, 'must be a GitHub repository as owner/name')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  CMS_BRANCH: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9._/-]+$/, 'must be a git branch name')
    .default('main'),
  CMS_GITHUB_CLIENT_ID: z.string().trim().optional(),
  CMS_GITHUB_CLIENT_SECRET: z.string().trim().optional(),
})

/**
 * The page cache's default budget. A list or search page is about 40–50 KB of HTML and 15 KB
 * more for its brotli and gzip bodies, a story page about half that: 64 MB holds some 1,000 to
 * 2,500 pages, the busy part of a 10,000-story library, at under a tenth of the process's memory
 * at that size (about 730 MB after start-up). In development templates reload on change, so
 * pages are rendered every time unless PAGE_CACHE_MB is set.
 */
export const DEFAULT_PAGE_CACHE_MB = 64

export interface Config {
  port: number
  env: 'development' | 'production' | 'test'
  /** Development mode: drafts shown, content reloads on change, errors shown in full. */
  dev: boolean
  contentDir: string
  /** Absolute base URL for canonical links, feeds and embeds, without a trailing slash. */
  baseUrl: string
  /** Origins allowed to frame /embed/ pages. */
  embedOrigins: string[]
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
  webConcurrency: number
  /** Folder for the content and search index caches; undefined (CACHE_DIR empty): no cache. */
  cacheDir: string | undefined
  /** Byte budget of the cache of rendered pages (src/web/page-cache.ts); 0: off. */
  pageCacheBytes: number
  /** Express's `trust proxy`: whose X-Forwarded-For and X-Forwarded-Proto to believe. */
  trustProxy: TrustProxy
  /** The editors' CMS at /admin (issue 17). */
  cms: CmsConfig
}

export interface CmsConfig {
  /** GitHub repository (`owner/name`) the CMS commits to; undefined: no GitHub backend. */
  repo: string | undefined
  /** Branch the CMS reads from and publishes to. */
  branch: string
  /** GitHub OAuth app for editors' sign-in; undefined unless both id and secret are set. */
  github: { clientId: string; clientSecret: string } | undefined
}

export class ConfigError extends Error {
  override name = 'ConfigError'
}

export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  flags: { dev?: boolean } = {},
): Config {
  const result = envSchema.safeParse(env)
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`)
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`)
  }
  const e = result.data
  const dev = flags.dev === true || e.NODE_ENV === 'development'
  const clientId = e.CMS_GITHUB_CLIENT_ID || undefined
  const clientSecret = e.CMS_GITHUB_CLIENT_SECRET || undefined
  if ((clientId === undefined) !== (clientSecret === undefined)) {
    throw new ConfigError(
      'Invalid configuration:\n  CMS_GITHUB_CLIENT_ID and CMS_GITHUB_CLIENT_SECRET: set both or neither',
    )
  }
  return {
    port: e.PORT,
    env: flags.dev === true ? 'development' : e.NODE_ENV,
    dev,
    contentDir: e.CONTENT_DIR,
    baseUrl: (e.BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    embedOrigins: e.EMBED_ORIGINS,
    logLevel: e.LOG_LEVEL,
    webConcurrency: e.WEB_CONCURRENCY,
    cacheDir: e.CACHE_DIR.trim() === '' ? undefined : e.CACHE_DIR,
    pageCacheBytes: Math.floor(
      (e.PAGE_CACHE_MB ?? (dev ? 0 : DEFAULT_PAGE_CACHE_MB)) * 1024 * 1024,
    ),
    trustProxy: e.TRUST_PROXY,
    cms: {
      repo: e.CMS_REPO,
      branch: e.CMS_BRANCH,
      github:
        clientId !== undefined && clientSecret !== undefined
          ? { clientId, clientSecret }
          : undefined,
    },
  }
}

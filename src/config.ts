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
})

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
  }
}

import cluster from 'node:cluster'
import { watch } from 'node:fs'
import type { Server } from 'node:http'
import { createApp } from './app.js'
import { runPrimary } from './cluster.js'
import { ConfigError, loadConfig, type Config } from './config.js'
import { loadSiteContent, type SiteContentStats } from './site/load.js'
import { ContentValidationError, formatProblem } from './content/problems.js'
import { ContentState } from './site/state.js'
import { createLogger } from './logger.js'

function readConfig(): Config {
  try {
    return loadConfig(process.env, { dev: process.argv.includes('--dev') })
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message)
      process.exit(1)
    }
    throw error
  }
}

/**
 * Start-up, in order: read config, load and validate content, build the app, listen.
 * Invalid content or config stops the process with every problem listed.
 * With WEB_CONCURRENCY > 1 (not in development) this process is a cluster primary instead
 * (cluster.ts), and each worker runs this.
 */
async function main(config: Config): Promise<void> {
  const logger = createLogger(config)
  const started = performance.now()

  let state: ContentState
  const stats: SiteContentStats = { content: {}, search: {} }
  try {
    state = new ContentState(await loadSiteContent(config, stats))
  } catch (error) {
    if (error instanceof ContentValidationError) {
      console.error(error.message)
      console.error('\nThe server did not start. Fix the content (npm run validate checks it).')
      process.exit(1)
    }
    throw error
  }
  logger.info(
    {
      stories: state.current.library.stories.length,
      ms: Math.round(performance.now() - started),
      files: stats.content.files,
      fromCache: stats.content.cacheHits,
      threads: stats.content.threads,
      search: stats.search.source,
      searchMs: Math.round(stats.search.ms ?? 0),
      searchBuildMs:
        stats.search.buildMs === undefined ? undefined : Math.round(stats.search.buildMs),
      cacheFilesRemoved: stats.cacheFilesRemoved?.length || undefined,
    },
    'content loaded',
  )
  for (const note of [stats.content.cacheNote, stats.search.note]) {
    if (note !== undefined) logger.warn(note)
  }

  const app = createApp({ config, content: state, logger })
  const server = app.listen(config.port, () => {
    // The port actually bound (PORT=0 asks the system for a free one).
    const address = server.address()
    const port = typeof address === 'object' && address !== null ? address.port : config.port
    logger.info({ port, baseUrl: config.baseUrl, dev: config.dev }, 'listening')
  })
  // Against slow clients: headers within 10 s, whole request within 30 s.
  server.headersTimeout = 10_000
  server.requestTimeout = 30_000
  server.keepAliveTimeout = 5_000

  if (config.dev) watchContent(config, state, logger)
  handleShutdown(server, logger)
}

/** Development: reload content on change; on failure keep serving and show the problems. */
function watchContent(
  config: Config,
  state: ContentState,
  logger: ReturnType<typeof createLogger>,
): void {
  let timer: NodeJS.Timeout | undefined
  const reload = async (): Promise<void> => {
    try {
      state.replace(await loadSiteContent(config))
      logger.info({ stories: state.current.library.stories.length }, 'content reloaded')
    } catch (error) {
      if (!(error instanceof ContentValidationError)) throw error
      const problems = error.problems.map(formatProblem)
      state.reportProblems(problems)
      console.error(
        `Content has problems; still serving the last good version:\n  ${problems.join('\n  ')}`,
      )
    }
  }
  watch(config.contentDir, { recursive: true }, () => {
    clearTimeout(timer)
    timer = setTimeout(() => void reload(), 150)
  })
}

/** SIGTERM/SIGINT: stop accepting, let in-flight requests finish, exit 0 (or 1 after 10 s). */
function handleShutdown(server: Server, logger: ReturnType<typeof createLogger>): void {
  let closing = false
  const shutdown = (signal: string): void => {
    if (closing) return
    closing = true
    logger.info({ signal }, 'shutting down')
    server.close(() => {
      logger.info('closed')
      process.exit(0)
    })
    // close() drops the connections idle now; a keep-alive connection whose request finishes
    // later would otherwise stay open until keepAliveTimeout. Keep sweeping until all are gone.
    server.closeIdleConnections()
    setInterval(() => server.closeIdleConnections(), 100).unref()
    setTimeout(() => {
      logger.error('shutdown timed out')
      process.exit(1)
    }, 9_000).unref()
  }
  process.on('SIGTERM', () => shutdown('SIGTERM'))
  process.on('SIGINT', () => shutdown('SIGINT'))
}

const config = readConfig()
if (config.webConcurrency > 1 && !config.dev && cluster.isPrimary) {
  runPrimary(config.webConcurrency, createLogger(config))
} else {
  await main(config)
}

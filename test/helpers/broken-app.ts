import type { Express } from 'express'
import { createApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import type { ContentState } from '../../src/site/state.js'
import { createLogger } from '../../src/logger.js'
import { FIXTURE_CONTENT } from './app.js'

/**
 * The real app factory with a dependency that fails: every page that reads the content
 * throws, so the real error handler renders the real 500 page. This is how the 500 page is
 * produced for tests without any test-only route or switch in production code.
 */
export function createBrokenApp(env: Record<string, string> = {}): Express {
  const config = loadConfig({
    NODE_ENV: 'test',
    CONTENT_DIR: FIXTURE_CONTENT,
    LOG_LEVEL: 'silent',
    BASE_URL: 'https://stories.example.org',
    ...env,
  })
  const content = {
    get current(): never {
      throw new Error('content store unavailable (deliberate test fault)')
    },
    problems: [],
  } as unknown as ContentState
  return createApp({ config, content, logger: createLogger(config) })
}

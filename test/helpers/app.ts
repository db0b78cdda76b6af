import type { Express } from 'express'
import { createApp } from '../../src/app.js'
import type { AppDeps } from '../../src/web/deps.js'
import { loadConfig, type Config } from '../../src/config.js'
import { loadSiteContent } from '../../src/site/load.js'
import { ContentState } from '../../src/site/state.js'
import { createLogger } from '../../src/logger.js'
import { fromRoot } from '../../src/paths.js'

export const FIXTURE_CONTENT = fromRoot('test', 'fixtures', 'content')

export interface TestApp {
  app: Express
  config: Config
  content: ContentState
}

/**
 * The real app factory over the fixture content, with logs silenced; `deps` replaces the
 * logger or adds the optional dependencies (GitHub's OAuth endpoints).
 */
export async function createTestApp(
  env: Record<string, string> = {},
  deps: Partial<Pick<AppDeps, 'logger' | 'githubOAuth'>> = {},
): Promise<TestApp> {
  const config = loadConfig({
    NODE_ENV: 'test',
    CONTENT_DIR: FIXTURE_CONTENT,
    LOG_LEVEL: 'silent',
    BASE_URL: 'https://stories.example.org',
    ...env,
  })
  const content = new ContentState(await loadSiteContent(config))
  const app = createApp({ config, content, logger: createLogger(config), ...deps })
  return { app, config, content }
}

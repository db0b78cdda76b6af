import type { Logger } from 'pino'
import type { Config } from '../config.js'
import type { ContentState } from '../site/state.js'
import type { GitHubOAuthEndpoints } from './github-sign-in.js'

/** What the web layer is built from: everything loaded before the app is made. */
export interface AppDeps {
  config: Config
  content: ContentState
  logger: Logger
  /**
   * Where the CMS sign-in (/admin/auth, /admin/callback) finds GitHub's OAuth endpoints:
   * GitHub's own (GITHUB_OAUTH_ENDPOINTS) unless given. Tests point it at a stand-in on their
   * loopback; deliberately not an environment variable, so no deployment can send editors'
   * codes and the app's secret anywhere else.
   */
  githubOAuth?: GitHubOAuthEndpoints
}

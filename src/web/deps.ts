import type { Logger } from 'pino'
import type { Config } from '../config.js'
import type { ContentState } from '../site/state.js'

/** What the web layer is built from: everything loaded before the app is made. */
export interface AppDeps {
  config: Config
  content: ContentState
  logger: Logger
}

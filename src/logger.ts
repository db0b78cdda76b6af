import { pino, type Logger } from 'pino'
import type { Config } from './config.js'

/** Structured JSON logs on stdout; `LOG_LEVEL=silent` for tests. */
export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({
    level: config.logLevel,
    base: { service: 'peer-stories' },
    redact: ['req.headers.cookie', 'req.headers.authorization'],
  })
}

import { pino, type Logger } from 'pino'
import type { Config } from './config.js'

/**
 * Structured JSON logs on stdout; `LOG_LEVEL=silent` for tests.
 *
 * Written asynchronously (pino's `sync: false` destination, sonic-boom): a line goes out as soon
 * as the previous write has finished, and lines logged meanwhile go out together in one write.
 * Under load that is one system call for many request lines instead of one per request (the
 * request line was the largest cost a cached story page had left of ours: docs/performance.md).
 * Nothing waits to fill a buffer, so a quiet server's lines appear at once. pino flushes what is
 * pending synchronously when the process exits (process.exit, a signal, an uncaught error); only
 * a hard kill or a power cut can lose the lines of the last write in flight.
 */
export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino(
    {
      level: config.logLevel,
      base: { service: 'peer-stories' },
      redact: ['req.headers.cookie', 'req.headers.authorization'],
    },
    pino.destination({ dest: 1, sync: false }),
  )
}

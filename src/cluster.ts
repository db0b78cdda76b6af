import cluster, { type Worker } from 'node:cluster'
import type { Logger } from 'pino'

/**
 * WEB_CONCURRENCY > 1: this process is the primary of a node:cluster and runs no app itself.
 * The site is read-only and stateless, so workers share nothing but the listening socket
 * (the primary hands connections out in turn) and the cache folder.
 *
 * - Start-up: one worker first. It validates the content and fills the caches (the content cache
 *   and the search index), then the others start from those caches, so the cores are not all
 *   spent parsing the same files. If the first worker fails (invalid content), the primary
 *   exits with its code: problems are printed once, by that worker.
 * - A worker that dies after it was listening is replaced.
 * - SIGTERM/SIGINT: each worker is told to shut down gracefully (it stops accepting, finishes
 *   requests in flight, exits 0); the primary exits 0 once all have, 1 if any did not or if that
 *   takes over 9.5 s.
 */
export function runPrimary(workers: number, logger: Logger): void {
  let closing = false
  const listening = new Set<Worker>()

  const fork = (): Worker => {
    const worker = cluster.fork()
    worker.once('listening', () => {
      listening.add(worker)
      logger.info(
        { worker: worker.process.pid, listening: listening.size, of: workers },
        'worker ready',
      )
    })
    worker.once('exit', (code, signal) => {
      const wasListening = listening.delete(worker)
      if (closing) return
      if (!wasListening) {
        // Failed during start-up: invalid content or config, or a crash. Do not loop.
        logger.error({ worker: worker.process.pid, code, signal }, 'worker failed to start')
        shutdown('worker failed to start', typeof code === 'number' && code !== 0 ? code : 1)
        return
      }
      logger.error({ worker: worker.process.pid, code, signal }, 'worker died; starting another')
      fork()
    })
    return worker
  }

  const first = fork()
  first.once('listening', () => {
    for (let i = 1; i < workers; i++) fork()
  })

  let exitCode = 0
  function shutdown(reason: string, code = 0): void {
    if (closing) return
    closing = true
    exitCode = code
    logger.info({ reason }, 'shutting down workers')
    const all = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined)
    if (all.length === 0) process.exit(exitCode)
    let left = all.length
    for (const worker of all) {
      worker.once('exit', (workerCode) => {
        if (workerCode !== 0 && workerCode !== null) exitCode = exitCode || 1
        if (--left === 0) {
          logger.info('all workers closed')
          process.exit(exitCode)
        }
      })
      worker.process.kill('SIGTERM')
    }
    setTimeout(() => {
      logger.error('workers did not close in time')
      for (const worker of all) worker.process.kill('SIGKILL')
      process.exit(1)
    }, 9_500).unref()
  }
  process.on('SIGTERM', () => shutdown('SIGTERM'))
  process.on('SIGINT', () => shutdown('SIGINT'))
}

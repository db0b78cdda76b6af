/**
 * The search page alone over HTTP, as `npm run bench` measures it with the page cache off: the
 * built server (`node dist/src/server.js`) on the standard corpus with PAGE_CACHE_MB=0, one pass
 * over every address (JIT warm-up), then autocannon on the 50 rotating search addresses and on
 * the 12 common-word ones. Minutes instead of the full bench's quarter of an hour, so that two
 * builds (before and after a change) can be run in turns in one sitting.
 *
 *   npx tsx scripts/bench/search-http.ts                                  # 10,000 stories, 10 connections, 15 s
 *   npx tsx scripts/bench/search-http.ts --sizes 1000 --connections 1 --duration 10
 *
 * The start-up cache is kept in .cache/bench/ so that runs after the first start in seconds.
 */
import path from 'node:path'
import { parseArgs } from 'node:util'
import { corpusFor, root } from './corpus.js'
import { meanBytes } from './pages.js'
import { load, log, startServer } from './processes.js'
import { httpCommonSearchPaths, httpSearchPaths } from './queries.js'

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10000' },
    connections: { type: 'string', default: '10' },
    duration: { type: 'string', default: '15' },
  },
})
const connections = Number(values.connections)
const duration = Number(values.duration)
const rows = []
for (const size of values.sizes.split(',').map(Number)) {
  const content = corpusFor(size, log)
  const cacheDir = path.join(root, '.cache', 'bench', `search-http-cache-${size}`)
  const server = await startServer({
    CONTENT_DIR: content,
    CACHE_DIR: cacheDir,
    PAGE_CACHE_MB: '0',
  })
  try {
    for (const [name, paths] of [
      ['search', httpSearchPaths()],
      ['common-word search', httpCommonSearchPaths()],
    ] as const) {
      await meanBytes(server.origin, paths)
      log(`N=${size}: ${name}, page cache off, ${connections} connections, ${duration} s`)
      const r = await load(server.origin, paths, connections, duration)
      rows.push({
        stories: size,
        page: name,
        'req/s': Math.round(r.rps),
        'p50 ms': r.p50,
        'p99 ms': r.p99,
        'max ms': r.max,
        errors: r.errors + r.timeouts + r.non2xx,
      })
    }
  } finally {
    await server.stop()
  }
}
console.table(rows)
console.log(JSON.stringify(rows))

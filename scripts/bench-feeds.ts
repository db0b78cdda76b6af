/**
 * The feeds of lists and searches: how long one takes to answer, against the pages they follow.
 *
 *   npx tsx scripts/bench-feeds.ts                  # a generated corpus of 1,000 stories
 *   npx tsx scripts/bench-feeds.ts --count 10000    # of 10,000
 *   npx tsx scripts/bench-feeds.ts --page-cache-mb 64
 *
 * Writes a generated corpus (scripts/generate-corpus.ts, seed 42) to a temporary folder, loads
 * it, serves the real app (createApp) on a loopback port in this process, and asks each address
 * one request at a time: a few to warm up, then --requests timed (wall time, request to last
 * byte). Prints the median, 90th percentile and slowest, and the answer's size. The page
 * cache is off unless --page-cache-mb says otherwise, so every answer is made afresh.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { createApp } from '../src/app.js'
import { loadConfig } from '../src/config.js'
import { createLogger } from '../src/logger.js'
import { loadSiteContent } from '../src/site/load.js'
import { ContentState } from '../src/site/state.js'
import { writeCorpus } from './generate-corpus.js'

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '1000' },
    requests: { type: 'string', default: '60' },
    'page-cache-mb': { type: 'string', default: '0' },
  },
})
const count = Number(values.count)
const requests = Number(values.requests)

const ADDRESSES = [
  '/feed.xml',
  '/stories?region=london&theme=transformation',
  '/stories/feed.xml?region=london&theme=transformation',
  '/stories/feed.xml?region=london',
  '/search?q=peers',
  '/search/feed.xml?q=peers',
  '/search?q=council',
  '/search/feed.xml?q=council',
  '/search/feed.xml?q=budget&region=london&speaker=leader',
]

const root = mkdtempSync(path.join(tmpdir(), 'bench-feeds-'))
try {
  const contentDir = path.join(root, 'content')
  writeCorpus(contentDir, { count, seed: 42 })
  const config = loadConfig({
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    CONTENT_DIR: contentDir,
    CACHE_DIR: path.join(root, 'cache'),
    PAGE_CACHE_MB: values['page-cache-mb'],
  })
  const loadStarted = performance.now()
  const content = new ContentState(await loadSiteContent(config))
  console.log(
    `${count} stories loaded in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s; ` +
      `page cache ${values['page-cache-mb']} MB; ${requests} timed requests each, one at a time`,
  )
  const app = createApp({ config, content, logger: createLogger(config) })
  const server = app.listen(0, '127.0.0.1')
  await new Promise((resolve) => server.once('listening', resolve))
  const { port } = server.address() as AddressInfo

  const time = async (address: string): Promise<{ ms: number; bytes: number; status: number }> => {
    const started = performance.now()
    const res = await fetch(`http://127.0.0.1:${port}${address}`)
    const body = await res.arrayBuffer()
    return { ms: performance.now() - started, bytes: body.byteLength, status: res.status }
  }
  const at = (sorted: number[], q: number): number =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0

  for (const address of ADDRESSES) {
    for (let i = 0; i < 5; i++) await time(address)
    const times: number[] = []
    let last = { ms: 0, bytes: 0, status: 0 }
    for (let i = 0; i < requests; i++) {
      last = await time(address)
      times.push(last.ms)
    }
    times.sort((a, b) => a - b)
    console.log(
      `${address.padEnd(58)} ${String(last.status)}  median ${at(times, 0.5).toFixed(1)} ms, ` +
        `p90 ${at(times, 0.9).toFixed(1)} ms, slowest ${(times.at(-1) ?? 0).toFixed(1)} ms, ` +
        `${(last.bytes / 1024).toFixed(0)} KB`,
    )
  }
  server.close()
} finally {
  rmSync(root, { recursive: true, force: true })
}

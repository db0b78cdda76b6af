/**
 * Link-preview pictures: how long one card takes to draw, and how big it is.
 *
 *   npx tsx scripts/bench-og-image.ts            # every story and quote of content/
 *   npx tsx scripts/bench-og-image.ts --limit 20 # the first 20 cards
 *
 * Draws each card once, in this process, through the same renderer the routes use
 * (src/web/og-image.ts: template, satori, resvg), and prints the first card's time (it reads
 * the fonts and warms satori's layout engine up), the median and slowest of the rest, in wall
 * and CPU time, and the PNG sizes. Small and single-threaded: fine to run beside other work, though the times then
 * include what the machine is doing.
 */
import { parseArgs } from 'node:util'
import { loadConfig } from '../src/config.js'
import { loadSiteContent } from '../src/site/load.js'
import { OgImageRenderer, quoteOgCard, storyOgCard, type OgCard } from '../src/web/og-image.js'
import { createViewEnvironment } from '../src/web/view-environment.js'

const { values } = parseArgs({ options: { limit: { type: 'string' } } })
const config = loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent', CACHE_DIR: '' })
const { library } = await loadSiteContent(config)
const renderer = new OgImageRenderer(createViewEnvironment({ config }))

const cards: OgCard[] = library.stories.flatMap((story) => [
  storyOgCard(story),
  ...story.quotes.map((quote) => quoteOgCard(story, quote)),
])
const chosen = cards.slice(0, values.limit === undefined ? cards.length : Number(values.limit))

const times: number[] = []
const cpuTimes: number[] = []
const sizes: number[] = []
for (const card of chosen) {
  const started = performance.now()
  const cpu = process.cpuUsage()
  const png = await renderer.png(renderer.markup(card).html)
  const used = process.cpuUsage(cpu)
  times.push(performance.now() - started)
  cpuTimes.push((used.user + used.system) / 1000)
  sizes.push(png.length)
}

/** First, median, 90th percentile and slowest of a list of milliseconds, as text. */
function summary(ms: number[]): string {
  const [first = 0, ...rest] = ms
  const sorted = [...rest].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0
  return `first card ${first.toFixed(0)} ms (reads the fonts, warms satori up); then median ${at(0.5).toFixed(0)} ms, 90th percentile ${at(0.9).toFixed(0)} ms, slowest ${(sorted.at(-1) ?? 0).toFixed(0)} ms`
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`
console.log(`${chosen.length} cards (${library.stories.length} stories and their quotes)`)
// CPU time is what a card costs the server; wall time also counts waiting for a busy machine.
console.log(`wall: ${summary(times)}`)
console.log(`CPU:  ${summary(cpuTimes)}`)
console.log(
  `PNG size: smallest ${kb(Math.min(...sizes))}, median ${kb([...sizes].sort((a, b) => a - b)[Math.floor(sizes.length / 2)] ?? 0)}, largest ${kb(Math.max(...sizes))}`,
)

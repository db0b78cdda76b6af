// CPU time of rendering the stories list page (`views/pages/stories.njk`) in-process, whole and
// with its parts left out, to see what a page made afresh (PAGE_CACHE_MB=0) spends its time on:
//   npx tsx scripts/bench/list-render.ts --content .cache/bench/corpus-10000 [--cache DIR]
// Each variant: 50 warm-up renders, then the mean CPU time of 300.
import { parseArgs } from 'node:util'
import { loadConfig } from '../../src/config.js'
import { loadSiteContent } from '../../src/site/load.js'
import { storiesPageLocals } from '../../src/web/routes/stories.js'
import { createViewEnvironment } from '../../src/web/view-environment.js'

const { values } = parseArgs({
  options: { content: { type: 'string' }, cache: { type: 'string', default: '' } },
})
if (values.content === undefined) {
  console.error('usage: tsx scripts/bench/list-render.ts --content DIR [--cache DIR]')
  process.exit(2)
}
const config = loadConfig({
  ...process.env,
  NODE_ENV: 'production',
  CONTENT_DIR: values.content,
  CACHE_DIR: values.cache,
  LOG_LEVEL: 'silent',
})
const site = await loadSiteContent(config)
const env = createViewEnvironment({ config })
const locals = storiesPageLocals(
  site.library,
  { theme: 'transformation', region: 'london' },
  config.baseUrl,
)
const page = { ...locals, currentPath: '/stories', canonicalUrl: locals.canonicalUrl }

function measure(name: string, variant: object): void {
  for (let i = 0; i < 50; i++) env.render('pages/stories.njk', variant)
  const runs = 300
  const started = process.cpuUsage()
  let chars = 0
  for (let i = 0; i < runs; i++) chars = env.render('pages/stories.njk', variant).length
  const { user, system } = process.cpuUsage(started)
  console.log(`${name.padEnd(24)} ${((user + system) / 1000 / runs).toFixed(2)} ms  ${chars} chars`)
}

measure('whole page', page)
measure('without the story cards', { ...page, page: { ...page.page, items: [] } })
measure('without the filter panel', { ...page, filterPanel: undefined })

/**
 * Loads a content folder with the site's loader and a cache folder, as a server's start-up does,
 * in a process of its own, and prints what it did as one JSON line. Run by tests that start
 * several at once on one cache folder (cluster workers share theirs):
 *
 *   node --import tsx test/helpers/load-site-child.ts <contentDir> <cacheDir>
 */
import { loadSiteContent, type SiteContentStats } from '../../src/site/load.js'

const [contentDir, cacheDir] = process.argv.slice(2)
if (contentDir === undefined || cacheDir === undefined)
  throw new Error('usage: <contentDir> <cacheDir>')
const stats: SiteContentStats = { content: {}, search: {} }
const site = await loadSiteContent({ contentDir, cacheDir, dev: true }, stats)
console.log(
  JSON.stringify({
    stories: site.library.stories.length,
    hits: site.search.search('council').storyHits.length,
    stats,
  }),
)

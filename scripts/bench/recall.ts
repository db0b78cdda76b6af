/**
 * Recall on the judged searches (test/search/fixtures/judged-searches.ts) against the bundled
 * stories: recall at 1 and at 3 and mean reciprocal rank of the expected quote among the quote
 * results, for the site's search and for the naive baseline, a Lunr index with Lunr's defaults
 * (its stemmer, its stop list, its query parser) over the same quotes' text.
 *
 *   npx tsx scripts/bench/recall.ts          # prints the table; npm run bench:search prints it too
 *
 * The baseline is what `idx.search(q)` gives a site that calls it as Lunr's guide shows. Lunr's
 * parser throws on `:` `~` `^` `+` `-` `*` in many places (docs/known traps), so those are made
 * spaces first: a search that throws would count as a miss, which says nothing about ranking.
 */
import path from 'node:path'
import lunr from 'lunr'
import { loadSiteContent } from '../../src/site/load.js'
import { judgedFigures, type JudgedFigures } from '../../test/search/fixtures/judged-searches.js'
import { root } from './corpus.js'

export interface RecallResult {
  site: JudgedFigures
  lunrDefaults: JudgedFigures
}

export async function judgedRecall(): Promise<RecallResult> {
  const site = await loadSiteContent({ contentDir: path.join(root, 'content'), dev: false })
  const refOf = (slug: string, id: string) => `${slug}#${id}`
  const siteFigures = judgedFigures((j) => {
    const hits = site.search.search(j.query, { synonyms: site.synonyms }).quoteHits
    return hits.findIndex((h) => refOf(h.storySlug, h.quoteId) === j.quote) + 1
  })
  const quotes = site.library.stories.flatMap((s) =>
    s.quotes.map((q) => ({ ref: refOf(s.slug, q.id), text: q.text })),
  )
  const idx = lunr(function () {
    this.ref('ref')
    this.field('text')
    for (const q of quotes) this.add(q)
  })
  const lunrFigures = judgedFigures((j) => {
    const hits = idx.search(j.query.replace(/[:~^+\-*]/g, ' '))
    return hits.findIndex((h) => h.ref === j.quote) + 1
  })
  return { site: siteFigures, lunrDefaults: lunrFigures }
}

export function recallTable(r: RecallResult): Record<string, string | number>[] {
  const row = (name: string, f: JudgedFigures) => ({
    search: name,
    searches: f.searches,
    'recall@1': f.recallAt1.toFixed(3),
    'recall@3': f.recallAt3.toFixed(3),
    MRR: f.mrr.toFixed(3),
    'not in top 10': f.beyond10.length,
  })
  return [row('site', r.site), row('Lunr defaults', r.lunrDefaults)]
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === import.meta.filename) {
  const r = await judgedRecall()
  console.table(recallTable(r))
  for (const j of r.lunrDefaults.beyond10) console.log(`Lunr defaults, not in top 10: ${j.query}`)
  for (const j of r.site.beyond10) console.log(`site, not in top 10: ${j.query}`)
}

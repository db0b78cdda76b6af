/**
 * Search benchmark: index build time, memory, serialised size, load time and query latency.
 *
 *   npm run bench:search                     # sizes 19, 1000, 10000
 *   npm run bench:search -- --sizes 19,1000  # choose sizes
 *   npm run bench:search -- --corpus zipf    # long-tail vocabulary corpus (test fixture generator)
 *
 * Stories come from scripts/generate-corpus.ts (seeded, so every run indexes the same text),
 * converted to Story objects here (frontmatter via `yaml`, narrative via marked with tags
 * stripped). The bundled-size case uses 19 generated stories. Each size runs in its own child
 * process so that memory figures do not include the previous size. Latency is measured
 * in-process with performance.now() over a fixed list of 200 mixed queries, after one warm-up
 * pass, three measured passes (600 samples). Then recall on the judged searches against the
 * bundled stories, for the site and for Lunr with its defaults (scripts/bench/recall.ts).
 * Writes bench-results/search.json.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { marked } from 'marked'
import { parse as parseYaml } from 'yaml'
import type { Quote, Story, Theme } from '../src/content/model.js'
import { buildSearchEngine, loadSearchEngine } from '../src/search/index.js'
import { generateStories } from '../test/search/fixtures/factory.js'
import { generateCorpus, themesYaml } from './generate-corpus.js'
import { benchQueries, CATEGORIES } from './bench/queries.js'
import { judgedRecall, recallTable } from './bench/recall.js'

const SEED = 20_240_601

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" }

/** Markdown → plain text, close enough to the content loader's bodyText for indexing cost. */
function plainText(markdown: string): string {
  const html = marked.parse(markdown, { async: false })
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ENTITIES[e] ?? '')
    .replace(/[ \t]+/g, ' ')
    .replace(/\s*\n\s*/g, '\n')
    .trim()
}

interface Frontmatter {
  title: string
  council: string
  councilType: Story['councilType']
  region: Story['region']
  politicalControl?: Story['politicalControl']
  challenge: Story['challenge']
  themes: string[]
  summary: string
  impacts: string[]
  quotes: Omit<Quote, 'storySlug'>[]
  published: string
}

function corpusStories(count: number, seed = SEED): { stories: Story[]; themes: Theme[] } {
  const themes = parseYaml(themesYaml) as Theme[]
  const stories = generateCorpus({ count, seed }).map((file): Story => {
    const end = file.text.indexOf('\n---\n', 4)
    const data = parseYaml(file.text.slice(4, end)) as Frontmatter
    const bodyMarkdown = file.text.slice(end + 5)
    const slug = file.fileName.replace(/\.md$/, '')
    return {
      ...data,
      slug,
      councilSlug: data.council.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
      quotes: data.quotes.map((q) => ({ ...q, storySlug: slug })),
      aliases: [],
      draft: false,
      bodyHtml: '',
      bodyText: plainText(bodyMarkdown),
      sourcePath: `stories/${file.fileName}`,
    }
  })
  return { stories, themes }
}

/**
 * `--corpus zipf`: the search tests' generator, whose Zipf vocabulary (~60,000 words) is closer
 * to real prose than the template corpus (~1,200 terms), so it stresses memory, prefixes and
 * "did you mean" harder.
 */
function zipfStories(count: number): { stories: Story[]; themes: Theme[] } {
  return generateStories(count, SEED)
}

const gc = (): void => {
  const collect = (globalThis as { gc?: () => void }).gc
  if (collect !== undefined) {
    collect()
    collect()
  }
}
const MB = 1024 * 1024
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length === 0 ? NaN : (s[Math.floor((s.length - 1) / 2)] as number)
}
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] as number
}

interface SizeResult {
  stories: number
  quotes: number
  words: number
  buildMs: number
  buildRuns: number
  heapDeltaMB: number
  rssAfterBuildMB: number
  peakRssBuildMB: number
  peakRssMB: number
  typedArraysMB: number
  serialisedMB: number
  stringifyMs: number
  loadMs: number
  queryP50Ms: number
  queryP99Ms: number
  queryMaxMs: number
  categories: Record<string, { p50: number; p99: number }>
  slowest: { q: string; ms: number; median: number }[]
  terms: number
}

function runSize(count: number, corpus: string): SizeResult {
  const { stories, themes } = corpus === 'zipf' ? zipfStories(count) : corpusStories(count)
  const words = stories.reduce((n, s) => n + s.bodyText.split(/\s+/).length, 0)
  const runs = count <= 100 ? 7 : count <= 2000 ? 3 : 1
  const buildTimes: number[] = []
  let engine = buildSearchEngine([], themes)
  let heapDelta = 0
  let peakAfterBuild = 0
  let rssAfterBuild = 0
  for (let r = 0; r < runs; r++) {
    engine = buildSearchEngine([], themes)
    gc()
    const started = performance.now()
    engine = buildSearchEngine(stories, themes)
    buildTimes.push(performance.now() - started)
    if (r === 0) {
      peakAfterBuild = process.resourceUsage().maxRSS * 1024
      rssAfterBuild = process.memoryUsage().rss
      // Retained heap of the engine: heap with it minus heap once it is unreachable, both after a
      // full GC. (Before/after the build is muddied by the build flattening the stories' strings.)
      gc()
      const withEngine = process.memoryUsage().heapUsed
      engine = buildSearchEngine([], themes)
      gc()
      heapDelta = withEngine - process.memoryUsage().heapUsed
    }
  }
  if (runs === 1) engine = buildSearchEngine(stories, themes)
  // Heap only sees JS objects; the typed arrays live outside it, so report them as well.
  const stats = engine.stats
  const s0 = performance.now()
  // The start-up cache's form (src/content/search-cache.ts): Lunr's postings as a table.
  const text = JSON.stringify(engine.toCompactJSON())
  const stringifyMs = performance.now() - s0
  const loadTimes: number[] = []
  for (let r = 0; r < Math.max(1, Math.min(3, runs)); r++) {
    const l0 = performance.now()
    loadSearchEngine(
      JSON.parse(text) as unknown as Parameters<typeof loadSearchEngine>[0],
      stories,
      themes,
    )
    loadTimes.push(performance.now() - l0)
  }
  const queries = benchQueries()
  for (const q of queries) engine.search(q)
  const samples: number[] = []
  const perQuery = new Map<string, number[]>()
  for (let pass = 0; pass < 3; pass++) {
    for (const q of queries) {
      const t = performance.now()
      engine.search(q)
      const ms = performance.now() - t
      samples.push(ms)
      perQuery.set(q, [...(perQuery.get(q) ?? []), ms])
    }
  }
  const categories = Object.fromEntries(
    Object.entries(CATEGORIES).map(([name, [from, to]]) => {
      const xs = queries.slice(from, to).flatMap((q) => perQuery.get(q) ?? [])
      return [name, { p50: quantile(xs, 0.5), p99: quantile(xs, 0.99) }]
    }),
  )
  const slowest = [...perQuery]
    .map(([q, xs]) => ({ q, ms: Math.max(...xs), median: median(xs) }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 5)
  return {
    stories: stats.stories,
    quotes: stats.quotes,
    terms: stats.terms,
    words,
    buildMs: median(buildTimes),
    buildRuns: runs,
    heapDeltaMB: heapDelta / MB,
    rssAfterBuildMB: rssAfterBuild / MB,
    peakRssBuildMB: peakAfterBuild / MB,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    typedArraysMB: stats.bytes / MB,
    serialisedMB: text.length / MB,
    stringifyMs,
    loadMs: median(loadTimes),
    queryP50Ms: quantile(samples, 0.5),
    queryP99Ms: quantile(samples, 0.99),
    queryMaxMs: slowest[0]?.ms ?? 0,
    categories,
    slowest,
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '19,1000,10000' },
      corpus: { type: 'string', default: 'generator' },
      child: { type: 'string' },
    },
  })
  const corpus = values.corpus === 'zipf' ? 'zipf' : 'generator'
  if (values.child !== undefined) {
    process.stdout.write(JSON.stringify(runSize(Number(values.child), corpus)))
    return
  }
  const sizes = values.sizes
    .split(',')
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isInteger(n) && n > 0)
  const self = fileURLToPath(import.meta.url)
  const results: SizeResult[] = []
  for (const size of sizes) {
    const child = spawnSync(
      process.execPath,
      [...process.execArgv, self, '--corpus', corpus, '--child', String(size)],
      {
        encoding: 'utf8',
        maxBuffer: 16 * MB,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    )
    if (child.status !== 0)
      throw new Error(`size ${size} failed with status ${String(child.status)}`)
    results.push(JSON.parse(child.stdout) as SizeResult)
  }
  const f = (x: number, d = 1) => x.toFixed(d)
  console.table(
    results.map((r) => ({
      stories: r.stories,
      quotes: r.quotes,
      'build s': f(r.buildMs / 1000, 2),
      'heap Δ MB': f(r.heapDeltaMB),
      'arrays MB': f(r.typedArraysMB),
      'RSS MB': f(r.rssAfterBuildMB),
      'peak build MB': f(r.peakRssBuildMB),
      'peak all MB': f(r.peakRssMB),
      'JSON MB': f(r.serialisedMB),
      'load ms': f(r.loadMs, 0),
      'p50 ms': f(r.queryP50Ms, 2),
      'p99 ms': f(r.queryP99Ms, 2),
      'max ms': f(r.queryMaxMs, 1),
    })),
  )
  const recall = await judgedRecall()
  console.log('Judged searches (test/search/fixtures/judged-searches.ts), bundled stories:')
  console.table(recallTable(recall))
  const out = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
    memoryGB: Math.round(totalmem() / 1024 ** 3),
    gcExposed: (globalThis as { gc?: unknown }).gc !== undefined,
    seed: SEED,
    corpus,
    results,
    recall: {
      site: { ...recall.site, beyond10: recall.site.beyond10.map((j) => j.query) },
      lunrDefaults: {
        ...recall.lunrDefaults,
        beyond10: recall.lunrDefaults.beyond10.map((j) => j.query),
      },
    },
  }
  const dir = path.join(path.dirname(self), '..', 'bench-results')
  mkdirSync(dir, { recursive: true })
  const file = corpus === 'zipf' ? 'search-zipf.json' : 'search.json'
  writeFileSync(path.join(dir, file), JSON.stringify(out, null, 2) + '\n')
  console.log(`wrote ${path.relative(process.cwd(), path.join(dir, file))}`)
}

await main()

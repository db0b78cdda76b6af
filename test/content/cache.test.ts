import { execFile } from 'node:child_process'
import {
  cpSync,
  existsSync,
  readdirSync,
  readFileSync,
  rmSync,
  truncateSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { tempDirs } from '../helpers/temp-dirs.js'
import { contentCachePath } from '../../src/content/content-cache.js'
import { loadSiteContent, type SiteContentStats } from '../../src/site/load.js'
import { loadContent, type LoadOptions } from '../../src/content/load.js'
import { ContentValidationError, formatProblem } from '../../src/content/problems.js'
import type { LoadStats } from '../../src/content/story-files.js'
import { searchCachePath } from '../../src/site/search-cache.js'
import { fromRoot } from '../../src/paths.js'
import { FIXTURE_CONTENT } from '../helpers/app.js'

/**
 * The content and search index caches (CACHE_DIR): a load from the cache gives exactly what a
 * fresh load gives, any changed file is read again, problems are reported exactly as without a
 * cache, and a damaged cache is ignored and rewritten.
 */

const temp = tempDirs()
const NOW = new Date('2026-06-01T00:00:00Z')

/** A copy of the fixture content (so tests may edit it) and an empty cache folder. */
function setUp(): { contentDir: string; cacheDir: string; story: (slug: string) => string } {
  const contentDir = temp('cache-content-')
  cpSync(FIXTURE_CONTENT, contentDir, { recursive: true })
  return {
    contentDir,
    cacheDir: temp('cache-dir-'),
    story: (slug) => path.join(contentDir, 'stories', `${slug}.md`),
  }
}

async function load(
  contentDir: string,
  options: Partial<LoadOptions> = {},
): Promise<{ stories: unknown; problems: string[]; stats: LoadStats }> {
  const stats: LoadStats = {}
  try {
    const library = await loadContent({
      contentDir,
      includeDrafts: true,
      now: NOW,
      displayRoot: contentDir,
      stats,
      ...options,
    })
    return { stories: library.stories, problems: [], stats }
  } catch (error) {
    if (!(error instanceof ContentValidationError)) throw error
    return { stories: undefined, problems: error.problems.map(formatProblem), stats }
  }
}

const SLUG = 'marrowby-goes-commercial'

describe('content cache', () => {
  it('a restart takes every unchanged story from the cache, identical to a fresh load', async () => {
    const { contentDir, cacheDir } = setUp()
    const fresh = await load(contentDir)
    const first = await load(contentDir, { cacheDir })
    expect(first.stats).toMatchObject({ cacheHits: 0, parsed: 3, cacheWritten: true })
    expect(existsSync(contentCachePath(cacheDir, contentDir))).toBe(true)
    const second = await load(contentDir, { cacheDir })
    expect(second.stats).toMatchObject({ cacheHits: 3, parsed: 0, cacheWritten: false })
    expect(second.stories).toEqual(fresh.stories)
    expect(first.stories).toEqual(fresh.stories)
    // No temporary files are left behind.
    expect(readdirSync(cacheDir).filter((f) => f.endsWith('.tmp'))).toEqual([])
  })

  it('a changed file is read again; a removed one is gone; a new one is read', async () => {
    const { contentDir, cacheDir, story } = setUp()
    await load(contentDir, { cacheDir })
    writeFileSync(
      story(SLUG),
      readFileSync(story(SLUG), 'utf8').replace(/^title: .*$/m, 'title: Marrowby changes its title'),
    )
    const after = await load(contentDir, { cacheDir })
    expect(after.stats).toMatchObject({ cacheHits: 2, parsed: 1 })
    expect(after).toEqual({ ...(await load(contentDir)), stats: after.stats })
    expect(JSON.stringify(after.stories)).toContain('Marrowby changes its title')

    rmSync(story(SLUG))
    cpSync(story('ashcombe-vale-finds-its-vision'), story('a-new-story'))
    const again = await load(contentDir, { cacheDir })
    expect(again.stats).toMatchObject({ cacheHits: 2, parsed: 1 })
    expect(again.stories).toEqual((await load(contentDir)).stories)
  })

  it('problems are reported exactly as without a cache, on every load', async () => {
    const { contentDir, cacheDir, story } = setUp()
    await load(contentDir, { cacheDir })
    // A file with problems of its own (never cached) and a cached story that breaks a
    // cross-file rule (its alias clashes with a new file's slug), whose line is read again.
    writeFileSync(
      story(SLUG),
      readFileSync(story(SLUG), 'utf8').replace(/^region: .*$/m, 'region: atlantis'),
    )
    writeFileSync(path.join(contentDir, 'stories', 'notes.txt'), 'not a story')
    const themes = path.join(contentDir, 'themes.yml')
    writeFileSync(themes, readFileSync(themes, 'utf8').replace(/slug: vision-and-place/, 'slug: vision'))
    const uncached = await load(contentDir)
    expect(uncached.problems.length).toBeGreaterThanOrEqual(3)
    expect(uncached.problems.some((p) => /:\d+: themes\[0\]: unknown theme/.test(p))).toBe(true)
    for (let run = 0; run < 2; run++) {
      const cached = await load(contentDir, { cacheDir })
      expect(cached.problems).toEqual(uncached.problems)
    }
  })

  it('a damaged or foreign cache file is ignored and rewritten', async () => {
    const { contentDir, cacheDir } = setUp()
    const fresh = await load(contentDir)
    await load(contentDir, { cacheDir })
    const file = contentCachePath(cacheDir, contentDir)
    const size = readFileSync(file).length
    for (const damage of [
      () => truncateSync(file, Math.floor(size / 2)),
      () => writeFileSync(file, 'PSCCACHE' + 'x'.repeat(100)),
      () => {
        const bytes = readFileSync(file)
        bytes.fill(0x41, 20, 200) // inside the first record
        writeFileSync(file, bytes)
      },
      () => writeFileSync(file, ''),
    ]) {
      damage()
      const damaged = await load(contentDir, { cacheDir })
      expect(damaged.stories).toEqual(fresh.stories)
      const repaired = await load(contentDir, { cacheDir })
      expect(repaired.stats.cacheHits).toBe(3)
      expect(repaired.stories).toEqual(fresh.stories)
    }
  })

  it('is not used across years (the schema bounds challenge.year by the current year)', async () => {
    const { contentDir, cacheDir } = setUp()
    await load(contentDir, { cacheDir })
    const later = await load(contentDir, { cacheDir, now: new Date('2027-06-01T00:00:00Z') })
    expect(later.stats.cacheHits).toBe(0)
  })

  it('a cache folder that cannot be written only costs the cache', async () => {
    const { contentDir } = setUp()
    const blocker = path.join(temp('cache-blocked-'), 'file')
    writeFileSync(blocker, '')
    const result = await load(contentDir, { cacheDir: path.join(blocker, 'cache') })
    expect(result.stories).toEqual((await load(contentDir)).stories)
    expect(result.stats.cacheNote).toMatch(/not written/)
  })
})

describe('search index cache', () => {
  it('is written on the first load, loaded on the next, and rebuilt when stale or damaged', async () => {
    const { contentDir, cacheDir, story } = setUp()
    const config = { contentDir, dev: false, cacheDir }
    const stats = (): SiteContentStats => ({ content: {}, search: {} })
    const s1 = stats()
    const first = await loadSiteContent(config, s1)
    expect(s1.search.source).toBe('built')
    const s2 = stats()
    const second = await loadSiteContent(config, s2)
    expect(s2.search.source).toBe('loaded')
    for (const q of ['vision', 'commercial', '"peer challenge"', 'marrow*']) {
      expect(second.search.search(q)).toEqual(first.search.search(q))
    }

    writeFileSync(
      story(SLUG),
      readFileSync(story(SLUG), 'utf8').replace(/^title: .*$/m, 'title: Marrowby sells zebras'),
    )
    const s3 = stats()
    const third = await loadSiteContent(config, s3)
    expect(s3.search.source).toBe('built')
    expect(third.search.search('zebras').storyHits.map((h) => h.storySlug)).toEqual([SLUG])

    const file = readdirSync(cacheDir).find((f) => f.startsWith('search-'))
    writeFileSync(path.join(cacheDir, String(file)), '{"format":')
    const s4 = stats()
    const fourth = await loadSiteContent(config, s4)
    expect(s4.search).toMatchObject({ source: 'built', note: expect.stringMatching(/rebuilt/) })
    expect(fourth.search.search('zebras').storyHits).toHaveLength(1)
  })
})

describe('the cache folder holds only the current version', () => {
  const config = (contentDir: string, cacheDir: string) => ({ contentDir, dev: true, cacheDir })
  const current = (contentDir: string, cacheDir: string): string[] =>
    [contentCachePath(cacheDir, contentDir), searchCachePath(cacheDir, contentDir)]
      .map((file) => path.basename(file))
      .sort()

  /** Files of other versions, a dead writer's file, a live writer's file, and things not ours. */
  function seedStale(cacheDir: string): { stale: string[]; kept: string[] } {
    const key = path.basename(contentCachePath(cacheDir, '/elsewhere')).slice(8, 24)
    const stale = [
      `content-${key}.bin`,
      `search-${key}.json`,
      `content-${key}-${'0'.repeat(16)}.bin`,
      `search-${key}-${'0'.repeat(16)}.json`,
      `search-${key}-${'0'.repeat(16)}.json.123.abcdef01.tmp`,
    ]
    const kept = [`content-${key}-${'1'.repeat(16)}.bin.124.abcdef02.tmp`, 'README', 'bench']
    for (const name of [...stale, ...kept.slice(0, 2)]) {
      writeFileSync(path.join(cacheDir, name), 'stale')
    }
    cpSync(FIXTURE_CONTENT, path.join(cacheDir, 'bench'), { recursive: true })
    const hourAgo = new Date(Date.now() - 3_600_000)
    utimesSync(path.join(cacheDir, stale[4] as string), hourAgo, hourAgo)
    return { stale, kept }
  }

  it('start-up removes the cache files of other versions and keeps the current ones', async () => {
    const { contentDir, cacheDir } = setUp()
    await loadSiteContent(config(contentDir, cacheDir))
    const { stale, kept } = seedStale(cacheDir)
    const stats: SiteContentStats = { content: {}, search: {} }
    await loadSiteContent(config(contentDir, cacheDir), stats)
    expect(stats.cacheFilesRemoved).toEqual([...stale].sort())
    expect(stats.content.cacheHits).toBe(3)
    expect(stats.search.source).toBe('loaded')
    expect(readdirSync(cacheDir).sort()).toEqual([...current(contentDir, cacheDir), ...kept].sort())
  })

  it('two processes starting together on one cache folder both load, and leave one good set', { timeout: 120_000 }, async () => {
    const { contentDir, cacheDir } = setUp()
    const { kept } = seedStale(cacheDir)
    const child = fromRoot('test', 'helpers', 'load-site-child.ts')
    const run = (): Promise<{ stories: number; hits: number; stats: SiteContentStats }> =>
      new Promise((resolve, reject) => {
        execFile(
          process.execPath,
          ['--import', 'tsx', child, contentDir, cacheDir],
          { cwd: fromRoot(), timeout: 60_000 },
          (error, stdout) => {
            if (error) reject(error)
            else resolve(JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as never)
          },
        )
      })
    const fresh = await loadSiteContent({ contentDir, dev: true, cacheDir: undefined })
    const expected = fresh.search.search('council').storyHits.length
    for (let round = 0; round < 2; round++) {
      const results = await Promise.all([run(), run()])
      for (const result of results) {
        expect(result.stories).toBe(fresh.library.stories.length)
        expect(result.hits).toBe(expected)
      }
      expect(readdirSync(cacheDir).sort()).toEqual([...current(contentDir, cacheDir), ...kept].sort())
    }
    // What they left is whole and current: a third start takes everything from it.
    const stats: SiteContentStats = { content: {}, search: {} }
    const third = await loadSiteContent(config(contentDir, cacheDir), stats)
    expect(stats).toMatchObject({ content: { cacheHits: 3, parsed: 0 }, search: { source: 'loaded' } })
    expect(third.search.search('council').storyHits.length).toBe(expected)
  })
})

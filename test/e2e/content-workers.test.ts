import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { fromRoot } from '../../src/paths.js'
import { writeCorpus } from '../../scripts/generate-corpus.js'

/**
 * Worker threads parse story files only in the built code (dist/), when there are many (3,000;
 * 200 here):
 * so this runs the built loader in a child process, on a generated corpus with broken files, and
 * checks that workers, the cache and a plain in-thread load all give the same stories and the
 * same problems, in the same order.
 */
const roots: string[] = []
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true })
})

const SCRIPT = `
const { loadContent } = await import(${JSON.stringify(fromRoot('dist', 'src', 'content', 'load.js'))})
const [contentDir, threads, cacheDir] = process.argv.slice(2)
const stats = {}
try {
  const library = await loadContent({
    contentDir, includeDrafts: true, threads: Number(threads), now: new Date('2026-06-01'),
    displayRoot: contentDir, stats, ...(cacheDir ? { cacheDir } : {}),
  })
  console.log(JSON.stringify({ stories: library.stories, stats }))
} catch (error) {
  console.log(JSON.stringify({ problems: error.problems ?? String(error), stats }))
}
`

function loadInChild(
  contentDir: string,
  threads: number,
  cacheDir = '',
): { stories?: unknown[]; problems?: unknown[]; stats: Record<string, unknown> } {
  const out = execFileSync(process.execPath, [scriptFile, contentDir, String(threads), cacheDir], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, CONTENT_WORKER_MIN_FILES: '200' },
  })
  return JSON.parse(out) as ReturnType<typeof loadInChild>
}

const scriptDir = mkdtempSync(path.join(tmpdir(), 'workers-script-'))
roots.push(scriptDir)
const scriptFile = path.join(scriptDir, 'load.mjs')
writeFileSync(scriptFile, SCRIPT)

describe('loading story files in worker threads', () => {
  const contentDir = mkdtempSync(path.join(tmpdir(), 'workers-content-'))
  const cacheDir = mkdtempSync(path.join(tmpdir(), 'workers-cache-'))
  roots.push(contentDir, cacheDir)
  writeCorpus(contentDir, { count: 240, seed: 7, force: true })

  it('gives the same stories as an in-thread load, with and without the cache', () => {
    const plain = loadInChild(contentDir, 1)
    expect(plain.stats).toMatchObject({ threads: 1, parsed: 240 })
    expect(plain.stories).toHaveLength(240)
    const workers = loadInChild(contentDir, 2)
    expect(workers.stats).toMatchObject({ threads: 2, parsed: 240 })
    expect(workers.stories).toEqual(plain.stories)
    const cold = loadInChild(contentDir, 2, cacheDir)
    expect(cold.stats).toMatchObject({ threads: 2, cacheHits: 0, cacheWritten: true })
    expect(cold.stories).toEqual(plain.stories)
    const warm = loadInChild(contentDir, 2, cacheDir)
    expect(warm.stats).toMatchObject({ cacheHits: 240, parsed: 0 })
    expect(warm.stories).toEqual(plain.stories)
  })

  it('reports the same problems, in the same order', () => {
    const stories = path.join(contentDir, 'stories')
    const names = execFileSync('ls', [stories], { encoding: 'utf8' }).trim().split('\n')
    const edit = (name: string, from: RegExp, to: string): void => {
      const file = path.join(stories, name)
      writeFileSync(file, readFileSync(file, 'utf8').replace(from, to))
    }
    edit(names[3] as string, /^region: .*$/m, 'region: atlantis')
    edit(names[100] as string, /^title: .*$/m, 'title: [unclosed')
    edit(names[230] as string, /^ {2}- [a-z-]+$/m, '  - no-such-theme')
    writeFileSync(path.join(stories, 'README.txt'), 'not a story')
    const plain = loadInChild(contentDir, 1)
    expect(plain.problems?.length).toBeGreaterThanOrEqual(4)
    expect(loadInChild(contentDir, 2).problems).toEqual(plain.problems)
    expect(loadInChild(contentDir, 2, cacheDir).problems).toEqual(plain.problems)
    expect(loadInChild(contentDir, 2, cacheDir).problems).toEqual(plain.problems)
  })
})

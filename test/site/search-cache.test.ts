import {
  closeSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { loadOrBuildSearch, writeJson, type SearchCacheStats } from '../../src/site/search-cache.js'
import { buildSearchEngine } from '../../src/search/index.js'
import { STORIES, THEMES } from '../search/fixtures/library.js'

const dirs: string[] = []
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'search-cache-'))
  dirs.push(dir)
  return dir
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function written(value: unknown): string {
  const file = path.join(tempDir(), 'out.json')
  const fd = openSync(file, 'w')
  try {
    writeJson(fd, value)
  } finally {
    closeSync(fd)
  }
  return readFileSync(file, 'utf8')
}

describe('writeJson', () => {
  it('writes exactly what JSON.stringify would, walking objects, arrays and toJSON', () => {
    const nullProto = Object.assign(Object.create(null) as object, { '7': {}, '2': {} })
    const value = {
      a: [1, 'two', null, [3, [4, { five: 5 }]], undefined, () => 1],
      b: { toJSON: () => ({ made: [{ by: 'toJSON' }], skipped: undefined }) },
      c: nullProto,
      d: 'x'.repeat(5000),
      e: `${'A'.repeat(5000)}"quoted"\n`,
      f: new Date(0),
      g: undefined,
      h: [[['deep', { ok: true }]], []],
      'key "with" quotes': 1.5e-7,
    }
    expect(written(value)).toBe(JSON.stringify(value))
    // Enough data to cross the 1 MB chunks several times.
    const big = Array.from({ length: 20_000 }, (_, i) => [`ref${i}`, [i, i / 3, i * 1e-9]])
    expect(written({ big })).toBe(JSON.stringify({ big }))
  })

  it('writes a search engine as JSON.stringify does', () => {
    const engine = buildSearchEngine(STORIES, THEMES)
    expect(written(engine)).toBe(JSON.stringify(engine))
  })
})

describe('loadOrBuildSearch', () => {
  const contentDir = '/content/for/the/cache/key'

  it('builds and writes the index once, then loads it; the same answers either way', () => {
    const cacheDir = tempDir()
    const first: SearchCacheStats = {}
    const built = loadOrBuildSearch(STORIES, THEMES, { cacheDir, contentDir }, first)
    expect(first.source).toBe('built')
    expect(first.note).toBeUndefined()
    const second: SearchCacheStats = {}
    const loaded = loadOrBuildSearch(STORIES, THEMES, { cacheDir, contentDir }, second)
    expect(second.source).toBe('loaded')
    for (const q of ['council', '"no overall control"', 'transform*', 'leader -budget']) {
      expect(loaded.search(q)).toEqual(built.search(q))
    }
  })

  it('rebuilds over a damaged cache file, and says so', () => {
    const cacheDir = tempDir()
    loadOrBuildSearch(STORIES, THEMES, { cacheDir, contentDir })
    const file = readdirSync(cacheDir, { recursive: true, withFileTypes: true }).find((e) =>
      e.name.startsWith('search-'),
    )
    expect(file).toBeDefined()
    const full = path.join(file?.parentPath ?? '', file?.name ?? '')
    writeFileSync(full, readFileSync(full, 'utf8').slice(0, 1000))
    const stats: SearchCacheStats = {}
    const engine = loadOrBuildSearch(STORIES, THEMES, { cacheDir, contentDir }, stats)
    expect(stats.source).toBe('built')
    expect(stats.note).toMatch(/search cache not used/)
    expect(engine.search('council').storyHits.length).toBeGreaterThan(0)
    // And the file was replaced by a good one.
    const again: SearchCacheStats = {}
    loadOrBuildSearch(STORIES, THEMES, { cacheDir, contentDir }, again)
    expect(again.source).toBe('loaded')
  })
})

import { randomBytes } from 'node:crypto'
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs'
import path from 'node:path'
import {
  buildSearchEngine,
  loadSearchEngine,
  SearchIndexLoadError,
  type SearchEngine,
  type SerializedSearchIndex,
} from '../search/index.js'
import { contentCachePath } from './content-cache.js'
import type { Story, Theme } from './model.js'

export interface SearchCacheStats {
  /** 'loaded' from the cache file, or 'built' (then written, if it could be). */
  source?: 'loaded' | 'built'
  /** Loading or building, and writing the cache file. */
  ms?: number
  /** Building alone (when built). */
  buildMs?: number
  note?: string
}

/**
 * The search index, from its cache file when that was made for exactly this content (the engine
 * checks its fingerprint of every indexed text, its format and Lunr's version), else built and
 * written for next time: to a temporary file, renamed into place. A stale, damaged or
 * unreadable file is ignored and replaced; a cache folder that cannot be written is only noted.
 */
export function loadOrBuildSearch(
  stories: readonly Story[],
  themes: readonly Theme[],
  cache: { cacheDir: string; contentDir: string } | undefined,
  stats: SearchCacheStats = {},
): SearchEngine {
  const started = performance.now()
  const file =
    cache === undefined
      ? undefined
      : contentCachePath(cache.cacheDir, cache.contentDir).replace(/content-(\w+)\.bin$/, 'search-$1.json')
  if (file !== undefined) {
    try {
      // Parsed here, so the file's text (180 MB at 10,000 stories) can be collected while the
      // engine is made from the parsed object.
      let parsed: SerializedSearchIndex
      try {
        parsed = JSON.parse(readFileSync(file, 'utf8')) as SerializedSearchIndex
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw error
        throw new SearchIndexLoadError('the serialised index is not JSON')
      }
      const engine = loadSearchEngine(parsed, stories, themes)
      stats.source = 'loaded'
      stats.ms = performance.now() - started
      return engine
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code !== 'ENOENT') {
        stats.note =
          error instanceof SearchIndexLoadError
            ? `search cache not used (${error.message}): rebuilt`
            : `search cache unreadable (${String(error)}): rebuilt`
      }
    }
  }
  const b0 = performance.now()
  const engine = buildSearchEngine(stories, themes)
  stats.buildMs = performance.now() - b0
  stats.source = 'built'
  if (file !== undefined) {
    const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
    try {
      mkdirSync(path.dirname(file), { recursive: true })
      const fd = openSync(temp, 'w')
      try {
        writeJson(fd, engine)
      } finally {
        closeSync(fd)
      }
      renameSync(temp, file)
    } catch (error) {
      rmSync(temp, { force: true })
      stats.note = `search cache not written: ${String(error)}`
    }
  }
  stats.ms = performance.now() - started
  return engine
}

/**
 * JSON.stringify(value), written piece by piece: a serialised index at 10,000 stories is over
 * 100 MB, and one string of all of it would add that much again to the peak memory of start-up.
 * Plain objects are walked; long strings that need no escaping (base64) are written as they are.
 */
export function writeJson(fd: number, value: unknown): void {
  const put = (text: string): void => {
    const bytes = Buffer.from(text)
    let done = 0
    while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done)
  }
  const walk = (v: unknown): void => {
    const json = (v as { toJSON?: () => unknown } | null)?.toJSON
    if (typeof json === 'function') v = json.call(v)
    if (typeof v === 'string' && v.length > 4096 && /^[A-Za-z0-9+/=_-]*$/.test(v)) {
      put('"')
      put(v)
      put('"')
    } else if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
      put('{')
      let first = true
      for (const [key, item] of Object.entries(v)) {
        if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue
        put(`${first ? '' : ','}${JSON.stringify(key)}:`)
        walk(item)
        first = false
      }
      put('}')
    } else {
      put(JSON.stringify(v) ?? 'null')
    }
  }
  walk(value)
}

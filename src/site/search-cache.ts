import { randomBytes } from 'node:crypto'
import {
  closeSync,
  fstatSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs'
import path from 'node:path'
import {
  buildSearchEngine,
  loadSearchEngine,
  SearchIndexLoadError,
  type SearchEngine,
  type SerializedSearchIndex,
} from '../search/index.js'
import { CODE_ROOT, codeVersion, packageVersion } from '../code-version.js'
import { contentDirKey } from '../content/content-cache.js'
import type { Story, Theme } from '../content/model.js'

export interface SearchCacheStats {
  /** 'loaded' from the cache file, or 'built' (then written, if it could be). */
  source?: 'loaded' | 'built'
  /** Loading or building, and writing the cache file. */
  ms?: number
  /** Building alone (when built). */
  buildMs?: number
  note?: string
}

/** The layout of the cache file (see writeCacheFile): a change to it gives new file names. */
const CACHE_FILE_FORMAT = 1

let codeVersionMemo: string | undefined

/**
 * A hash of the code that decides what the search index holds and how it is stored: every module
 * of search/ (the analyser and its text pipeline, stop words, spelling rules, field boosts, the
 * builder, the serialised format), whatever they import by relative paths (such as the content
 * vocabulary), Lunr's version and this file's format. `codeRoot` is src/ (or dist/src/), the
 * running code, whose hash is computed once; tests pass an edited copy.
 */
export function searchCodeVersion(codeRoot: string = CODE_ROOT): string {
  if (codeRoot === CODE_ROOT && codeVersionMemo !== undefined) return codeVersionMemo
  const version = codeVersion({
    root: codeRoot,
    targets: [path.join(codeRoot, 'search')],
    extra: [`search cache file ${CACHE_FILE_FORMAT}`, `lunr@${packageVersion('lunr')}`],
  })
  if (codeRoot === CODE_ROOT) codeVersionMemo = version
  return version
}

/**
 * The search cache's file: named by the content folder and the search code's version, so an
 * index made by other search code is never read (nor overwritten by a process running it), and
 * the site's start-up can remove the files of other versions (see cache-files.ts).
 */
export function searchCachePath(
  cacheDir: string,
  contentDir: string,
  code: string = searchCodeVersion(),
): string {
  return path.join(cacheDir, `search-${contentDirKey(contentDir)}-${code.slice(0, 16)}.json`)
}

/**
 * The search index, from its cache file when that was made for exactly this content (the engine
 * checks its fingerprint of every indexed text, its format and Lunr's version) by this search
 * code (the file's name), else built and written for next time: to a temporary file, renamed
 * into place. A stale, damaged or unreadable file is ignored and replaced; a cache folder that
 * cannot be written is only noted.
 */
export function loadOrBuildSearch(
  stories: readonly Story[],
  themes: readonly Theme[],
  cache: { cacheDir: string; contentDir: string } | undefined,
  stats: SearchCacheStats = {},
): SearchEngine {
  const started = performance.now()
  const file = cache === undefined ? undefined : searchCachePath(cache.cacheDir, cache.contentDir)
  if (file !== undefined) {
    try {
      const engine = readCacheFile(file, stories, themes)
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
        writeCacheFile(fd, engine)
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

/*
 * The cache file is three lines of JSON: the engine as `engine.toCompactJSON()` makes it (Lunr's
 * postings as a table of document numbers) with each kind's Lunr index left out (null), then the
 * stories' Lunr index, then the quotes'. Each is parsed only when the engine loads that kind, so
 * the stories' parsed field vectors are Lunr's before the quotes' are parsed, and a stale file
 * (another fingerprint) is refused after parsing only its first line.
 */

function writeCacheFile(fd: number, engine: SearchEngine): void {
  const json = engine.toCompactJSON()
  writeJson(fd, {
    ...json,
    stories: { ...json.stories, lunr: null },
    quotes: { ...json.quotes, lunr: null },
  })
  for (const kind of [json.stories, json.quotes]) {
    writeSync(fd, '\n')
    writeJson(fd, kind.lunr)
  }
}

function readCacheFile(
  file: string,
  stories: readonly Story[],
  themes: readonly Theme[],
): SearchEngine {
  const fd = openSync(file, 'r')
  try {
    // Find the two line ends without holding the file: 1 MB at a time.
    const ends: number[] = []
    const chunk = Buffer.alloc(1 << 20)
    for (let at = 0; ends.length < 2;) {
      const n = readSync(fd, chunk, 0, chunk.length, at)
      if (n === 0) throw new SearchIndexLoadError('not a search cache file of this format')
      for (
        let i = chunk.indexOf(10);
        i !== -1 && i < n && ends.length < 2;
        i = chunk.indexOf(10, i + 1)
      )
        ends.push(at + i)
      at += n
    }
    const size = fstatSync(fd).size
    const parse = (from: number, to: number): unknown => {
      const bytes = Buffer.alloc(to - from)
      let done = 0
      while (done < bytes.length) {
        const n = readSync(fd, bytes, done, bytes.length - done, from + done)
        if (n === 0) throw new SearchIndexLoadError('the cache file is cut short')
        done += n
      }
      try {
        return JSON.parse(bytes.toString('utf8')) as unknown
      } catch {
        throw new SearchIndexLoadError('the serialised index is not JSON')
      }
    }
    const [first, second] = ends as [number, number]
    const header = parse(0, first) as SerializedSearchIndex
    return loadSearchEngine(header, stories, themes, {
      readLunr: (kind) =>
        (kind === 'stories' ? parse(first + 1, second) : parse(second + 1, size)) as object,
    })
  } finally {
    closeSync(fd)
  }
}

/**
 * JSON.stringify(value), written piece by piece: a serialised index at 10,000 stories is over
 * 170 MB, and one string of all of it (or of its 100 MB of field vectors) would add that much
 * again to the peak memory of start-up. Plain objects and arrays holding objects or arrays are
 * walked (objects with a `toJSON`, such as Lunr's index and its postings, through it); the text
 * goes out in chunks of about 1 MB; long strings that need no escaping (base64) are written as
 * they are.
 */
export function writeJson(fd: number, value: unknown): void {
  const CHUNK = 1 << 20
  let parts: string[] = []
  let size = 0
  const flush = (): void => {
    const bytes = Buffer.from(parts.join(''))
    let done = 0
    while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done)
    parts = []
    size = 0
  }
  const put = (text: string): void => {
    parts.push(text)
    size += text.length
    if (size >= CHUNK) flush()
  }
  const skipped = (item: unknown): boolean =>
    item === undefined || typeof item === 'function' || typeof item === 'symbol'
  const walk = (v: unknown): void => {
    const json = (v as { toJSON?: () => unknown } | null)?.toJSON
    if (typeof json === 'function') v = json.call(v)
    if (typeof v === 'string' && v.length > 4096 && /^[A-Za-z0-9+/=_-]*$/.test(v)) {
      put('"')
      put(v)
      put('"')
    } else if (Array.isArray(v) && v.some((item) => item !== null && typeof item === 'object')) {
      // Arrays of arrays or objects (Lunr's field vectors and postings) are walked; an array of
      // numbers or strings is one small string.
      put('[')
      v.forEach((item: unknown, i) => {
        if (i > 0) put(',')
        if (skipped(item)) put('null')
        else walk(item)
      })
      put(']')
    } else if (
      v !== null &&
      typeof v === 'object' &&
      Object.getPrototypeOf(v) === Object.prototype
    ) {
      put('{')
      let first = true
      for (const [key, item] of Object.entries(v)) {
        if (skipped(item)) continue
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
  flush()
}

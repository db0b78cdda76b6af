import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { tempDirs } from '../helpers/temp-dirs.js'
import { CODE_ROOT, moduleClosure } from '../../src/code-version.js'
import { pruneCacheDir, TEMP_MAX_AGE_MS } from '../../src/site/cache-files.js'
import { searchCachePath, searchCodeVersion } from '../../src/site/search-cache.js'

const temp = tempDirs()

describe('the search cache key follows the search code', () => {
  /** A copy of src/ that a test may edit, and the search code version of it. */
  function copyOfSrc(): { root: string; version: () => string } {
    const root = path.join(temp('search-code-'), 'src')
    cpSync(CODE_ROOT, root, { recursive: true })
    return { root, version: () => searchCodeVersion(root) }
  }
  const editByte = (file: string): void => {
    const bytes = readFileSync(file)
    const at = bytes.indexOf('export')
    bytes[at + 1] = 'X'.charCodeAt(0) // 'export' → 'eXport': one byte, no longer valid code
    writeFileSync(file, bytes)
  }

  it('a faithful copy of the code gives the same key; one byte of the analyser, a new one', () => {
    const src = copyOfSrc()
    const original = src.version()
    expect(original).toBe(searchCodeVersion())
    expect(searchCachePath('/c', '/content', original)).toBe(searchCachePath('/c', '/content'))

    editByte(path.join(src.root, 'search', 'text.ts'))
    const edited = src.version()
    expect(edited).not.toBe(original)
    expect(searchCachePath('/c', '/content', edited)).not.toBe(
      searchCachePath('/c', '/content', original),
    )
  })

  it('covers every module of search/ (a new one too) and what they import, not the web layer', () => {
    const src = copyOfSrc()
    const original = src.version()

    // A file of search/ that another engineer might add when splitting the engine.
    writeFileSync(path.join(src.root, 'search', 'boosts.ts'), 'export const TITLE_BOOST = 10\n')
    const added = src.version()
    expect(added).not.toBe(original)
    rmSync(path.join(src.root, 'search', 'boosts.ts'))
    expect(src.version()).toBe(original)

    // Imported from search/ by a relative path, outside the folder.
    appendFileSync(path.join(src.root, 'content', 'vocabulary.ts'), '\n// a new speaker\n')
    expect(src.version()).not.toBe(original)
    rmSync(path.join(src.root, 'content', 'vocabulary.ts'))
    cpSync(
      path.join(CODE_ROOT, 'content', 'vocabulary.ts'),
      path.join(src.root, 'content', 'vocabulary.ts'),
    )
    expect(src.version()).toBe(original)

    // The web layer decides nothing about the index.
    appendFileSync(path.join(src.root, 'web', 'links.ts'), '\n// a comment\n')
    expect(src.version()).toBe(original)
  })

  it('lists every module of search/ and the content vocabulary', () => {
    const closure = moduleClosure([path.join(CODE_ROOT, 'search')]).map((f) =>
      path.relative(CODE_ROOT, f),
    )
    const search = readdirSync(path.join(CODE_ROOT, 'search'), {
      recursive: true,
      encoding: 'utf8',
    })
      .filter((name) => /\.ts$/.test(name))
      .map((name) => path.join('search', name))
    expect(search.length).toBeGreaterThan(3)
    expect(closure).toEqual(
      expect.arrayContaining([...search, path.join('content', 'vocabulary.ts')]),
    )
    expect(closure.some((f) => f.startsWith('web'))).toBe(false)
  })

  it('follows the imports of built JavaScript as well as TypeScript', () => {
    const root = temp('built-code-')
    mkdirSync(path.join(root, 'search', 'parts'), { recursive: true })
    mkdirSync(path.join(root, 'content'))
    mkdirSync(path.join(root, 'web'))
    const put = (name: string, text: string): void => writeFileSync(path.join(root, name), text)
    put('search/index.js', "export * from './parts/build.js'\nimport lunr from 'lunr'\n")
    put('search/index.js.map', '{"mappings":""}')
    put('search/index.d.ts', 'export {}')
    put('search/parts/build.js', "import { SPEAKERS } from '../../content/vocabulary.js'\n")
    put('search/parts/later.js', "export const later = () => import('../../content/lazy.js')\n")
    put('content/vocabulary.js', "import './model.js'\nexport const SPEAKERS = []\n")
    put('content/model.js', 'export {}\n')
    put('content/lazy.js', 'export {}\n')
    put('web/links.js', "import '../search/index.js'\n")
    expect(moduleClosure([path.join(root, 'search')]).map((f) => path.relative(root, f))).toEqual([
      'content/lazy.js',
      'content/model.js',
      'content/vocabulary.js',
      'search/index.js',
      'search/parts/build.js',
      'search/parts/later.js',
    ])
  })
})

describe('pruneCacheDir', () => {
  const A = 'a'.repeat(16)
  const B = 'b'.repeat(16)
  const C = 'c'.repeat(16)

  it('removes finished files of other versions and old temporary files, nothing else', () => {
    const dir = temp('prune-')
    const now = Date.now()
    const files: Record<string, number> = {
      [`content-${A}-${B}.bin`]: 0, // current
      [`search-${A}-${C}.json`]: 0, // current
      [`content-${A}-${C}.bin`]: 0, // other code
      [`search-${A}-${B}.json`]: 0, // other code
      [`content-${B}-${B}.bin`]: 0, // other content folder
      [`content-${A}.bin`]: 0, // the names before code versions
      [`search-${A}.json`]: 0,
      [`search-${A}-${C}.json.4242.0a1b2c3d.tmp`]: 1, // being written (fresh)
      [`content-${C}-${C}.bin.99.deadbeef.tmp`]: 1, // being written by other code (fresh)
      [`search-${A}-${B}.json.17.00ff00ff.tmp`]: TEMP_MAX_AGE_MS + 60_000, // a dead writer
      'notes.txt': 0,
      'content-not-ours.bin': 0,
    }
    for (const [name, age] of Object.entries(files)) {
      writeFileSync(path.join(dir, name), 'x')
      if (age > 0) {
        const when = new Date(now - age)
        utimesSync(path.join(dir, name), when, when)
      }
    }
    mkdirSync(path.join(dir, 'bench'))
    mkdirSync(path.join(dir, `search-${B}-${B}.json`)) // a folder with a cache file's name

    const removed = pruneCacheDir(
      dir,
      [path.join(dir, `content-${A}-${B}.bin`), path.join(dir, `search-${A}-${C}.json`)],
      now,
    )
    expect(removed).toEqual(
      [
        `content-${A}-${C}.bin`,
        `search-${A}-${B}.json`,
        `content-${B}-${B}.bin`,
        `content-${A}.bin`,
        `search-${A}.json`,
        `search-${A}-${B}.json.17.00ff00ff.tmp`,
      ].sort(),
    )
    expect(readdirSync(dir).sort()).toEqual(
      [
        `content-${A}-${B}.bin`,
        `search-${A}-${C}.json`,
        `search-${A}-${C}.json.4242.0a1b2c3d.tmp`,
        `content-${C}-${C}.bin.99.deadbeef.tmp`,
        'notes.txt',
        'content-not-ours.bin',
        'bench',
        `search-${B}-${B}.json`,
      ].sort(),
    )
  })

  it('a folder that does not exist is not an error', () => {
    const dir = path.join(temp('prune-'), 'missing')
    expect(pruneCacheDir(dir, [])).toEqual([])
    expect(existsSync(dir)).toBe(false)
  })
})

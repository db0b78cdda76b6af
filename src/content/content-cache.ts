import { createHash, randomBytes } from 'node:crypto'
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
import { fileURLToPath } from 'node:url'
import { deserialize, serialize } from 'node:v8'
import { codeVersion, packageVersion } from '../code-version.js'
import type { Story } from './model.js'

/**
 * The content cache: each story as loaded (validated, Markdown rendered), keyed by its file name
 * and a SHA-256 of the file's bytes, so a restart on unchanged content skips YAML, zod and
 * Markdown for every unchanged file. Only stories valid on their own are stored: a file with
 * problems is read again every time, and its problems are reported as on a first load.
 *
 * The whole cache is void when the code that makes a story changes (the modules of this folder
 * and what they import, the versions of yaml, gray-matter, zod, marked and sanitize-html, V8's
 * serialiser) or the year changes (it bounds `challenge.year`). One file per content folder and
 * code version, in the cache folder:
 *
 *   "PSCCACHE" · records (each a V8-serialised Story) · footer (JSON index) · footer length (u32)
 *
 * Written to a temporary file and renamed into place (readers never see half a file); a file
 * that cannot be read, or does not match, is ignored and rewritten.
 */

const MAGIC = Buffer.from('PSCCACHE')
const FORMAT_VERSION = 1

export interface CachedStory {
  entry: string
  hash: string
  story: Story
}

interface Footer {
  format: number
  code: string
  year: number
  contentDir: string
  /** [entry, hash, offset, length] */
  records: [string, string, number, number][]
}

export interface ContentCache {
  /** Entries in the cache file as opened (0 when there was none or it was unusable). */
  readonly size: number
  /** Why an existing cache file was not used, if it was not. */
  readonly note: string | undefined
  /** Whether the cache has a story for a file whose bytes hash so. */
  has(entry: string, hash: string): boolean
  /** The cached story for a file, if its bytes hash the same (undefined if unreadable). */
  get(entry: string, hash: string): Story | undefined
  /** True if these (entry, hash) pairs are exactly what the cache holds, all readable. */
  holdsExactly(entries: readonly { entry: string; hash: string }[]): boolean
  /**
   * A new cache file, written record by record as stories arrive (so the serialised bytes of
   * 10,000 stories are never all in memory) and renamed into place by finish().
   */
  writer(): ContentCacheWriter
  close(): void
}

export interface ContentCacheWriter {
  /** A story as V8-serialised bytes (see serializeStory). */
  add(entry: string, hash: string, bytes: Uint8Array): void
  /** A story taken from the cache: its bytes are copied from the old file. */
  addCached(entry: string, hash: string): void
  finish(): void
  abort(): void
}

export const serializeStory = (story: Story): Uint8Array => serialize(story)

export function deserializeStory(bytes: Uint8Array, entry: string): Story {
  const story = deserialize(bytes) as Story
  if (story === null || typeof story !== 'object' || `${story.slug}.md` !== entry) {
    throw new Error('not this story')
  }
  return story
}

let codeVersionMemo: string | undefined

/** A hash of the code that turns a file into a Story: this folder's modules and what they import. */
export function contentCodeVersion(): string {
  codeVersionMemo ??= codeVersion({
    targets: [path.dirname(fileURLToPath(import.meta.url))],
    extra: [
      `format ${FORMAT_VERSION}`,
      `v8 ${process.versions.v8}`,
      ...['yaml', 'gray-matter', 'zod', 'marked', 'sanitize-html'].map(
        (pkg) => `${pkg}@${packageVersion(pkg)}`,
      ),
    ],
  })
  return codeVersionMemo
}

/** The part of the cache files' names that stands for the content folder. */
export const contentDirKey = (contentDir: string): string =>
  createHash('sha256').update(path.resolve(contentDir)).digest('hex').slice(0, 16)

/**
 * The content cache's file: named by the content folder and the code version, so a process of
 * other code (a deploy, dist/ beside tsx) never reads or overwrites it, and the site's start-up
 * can tell the files of other versions (see src/site/cache-files.ts).
 */
export function contentCachePath(cacheDir: string, contentDir: string): string {
  const code = contentCodeVersion().slice(0, 16)
  return path.join(cacheDir, `content-${contentDirKey(contentDir)}-${code}.bin`)
}

export function openContentCache(
  cacheDir: string,
  contentDir: string,
  yearNow: number,
): ContentCache {
  const file = contentCachePath(cacheDir, contentDir)
  const code = contentCodeVersion()
  const resolvedDir = path.resolve(contentDir)
  let fd: number | undefined
  let index = new Map<string, { hash: string; offset: number; length: number }>()
  let note: string | undefined
  let damaged = false
  try {
    fd = openSync(file, 'r')
    const size = fstatSync(fd).size
    const head = Buffer.alloc(MAGIC.length)
    readSync(fd, head, 0, head.length, 0)
    if (size < MAGIC.length + 4 || !head.equals(MAGIC)) throw new Error('not a content cache')
    const lengthBytes = Buffer.alloc(4)
    readSync(fd, lengthBytes, 0, 4, size - 4)
    const footerLength = lengthBytes.readUInt32LE(0)
    if (footerLength > size - MAGIC.length - 4) throw new Error('bad footer length')
    const footerBytes = Buffer.alloc(footerLength)
    readSync(fd, footerBytes, 0, footerLength, size - 4 - footerLength)
    const footer = JSON.parse(footerBytes.toString('utf8')) as Footer
    const dataEnd = size - 4 - footerLength
    if (footer.format !== FORMAT_VERSION || footer.code !== code) {
      note = 'content cache made by other code: rebuilt'
    } else if (footer.year !== yearNow) {
      note = 'content cache made in another year: rebuilt'
    } else if (footer.contentDir !== resolvedDir) {
      note = 'content cache made for another folder: rebuilt'
    } else {
      for (const [entry, hash, offset, length] of footer.records) {
        if (offset < MAGIC.length || offset + length > dataEnd) throw new Error('bad record')
        index.set(entry, { hash, offset, length })
      }
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code !== 'ENOENT') note = `content cache unreadable (${String(error)}): rebuilt`
    index = new Map()
  }
  if (index.size === 0 && fd !== undefined) {
    closeSync(fd)
    fd = undefined
  }

  const readRecord = (record: { offset: number; length: number }): Buffer => {
    if (fd === undefined) throw new Error('closed')
    const bytes = Buffer.alloc(record.length)
    if (readSync(fd, bytes, 0, record.length, record.offset) !== record.length) {
      throw new Error('short read')
    }
    return bytes
  }
  const close = (): void => {
    if (fd !== undefined) closeSync(fd)
    fd = undefined
  }

  return {
    size: index.size,
    note,
    has: (entry, hash) => index.get(entry)?.hash === hash,
    get(entry, hash) {
      const record = index.get(entry)
      if (record === undefined || record.hash !== hash) return undefined
      try {
        return deserializeStory(readRecord(record), entry)
      } catch {
        damaged = true
        return undefined
      }
    },
    holdsExactly(entries) {
      return (
        !damaged &&
        entries.length === index.size &&
        entries.every((e) => index.get(e.entry)?.hash === e.hash)
      )
    },
    writer() {
      const out = openWriter(file, { format: FORMAT_VERSION, code, year: yearNow, contentDir: resolvedDir })
      return {
        add: (entry, hash, bytes) => out.put(entry, hash, bytes),
        addCached(entry, hash) {
          const record = index.get(entry)
          if (record === undefined || record.hash !== hash) throw new Error(`${entry} is not cached`)
          out.put(entry, hash, readRecord(record))
        },
        finish: () => out.finish(),
        abort: () => out.abort(),
      }
    },
    close,
  }
}

function openWriter(
  file: string,
  header: Omit<Footer, 'records'>,
): {
  put(entry: string, hash: string, bytes: Uint8Array): void
  finish(): void
  abort(): void
} {
  mkdirSync(path.dirname(file), { recursive: true })
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  let out: number | undefined = openSync(temp, 'w')
  let offset = 0
  const records: Footer['records'] = []
  const write = (bytes: Uint8Array): void => {
    if (out === undefined) throw new Error('closed')
    let done = 0
    while (done < bytes.length) done += writeSync(out, bytes, done, bytes.length - done)
    offset += bytes.length
  }
  const abort = (): void => {
    if (out !== undefined) closeSync(out)
    out = undefined
    rmSync(temp, { force: true })
  }
  write(MAGIC)
  return {
    put(entry, hash, bytes) {
      records.push([entry, hash, offset, bytes.length])
      write(bytes)
    },
    finish() {
      try {
        const footer = Buffer.from(JSON.stringify({ ...header, records } satisfies Footer))
        write(footer)
        const length = Buffer.alloc(4)
        length.writeUInt32LE(footer.length, 0)
        write(length)
        closeSync(out as number)
        out = undefined
        renameSync(temp, file)
      } catch (error) {
        abort()
        throw error
      }
    },
    abort,
  }
}

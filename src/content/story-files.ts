import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import {
  deserializeStory,
  openContentCache,
  serializeStory,
  type ContentCacheWriter,
} from './content-cache.js'
import type { ContentProblem } from './problems.js'
import { storyFrontmatterSchema } from './schema.js'
import { loadStoryFile, toProblem, type StoryFileResult } from './story-file.js'

/**
 * Reads every story file on its own, by the fastest correct route, results in file order:
 *
 * 1. the content cache: a file whose bytes hash the same as when it was last loaded (by this
 *    code, in this year) takes its story from the cache; only files valid on their own are
 *    cached, so a file with problems is always read again and reports them exactly;
 * 2. the rest are parsed, validated and rendered in worker threads when there are many of them
 *    (one per core: YAML, zod and Markdown are CPU-bound), else here.
 */

export interface StoryFileRef {
  /** The name in the stories folder, e.g. `foo.md`. */
  entry: string
  filePath: string
  displayPath: string
}

export interface LoadStats {
  files?: number
  cacheHits?: number
  parsed?: number
  threads?: number
  cacheWritten?: boolean
  /** Why the cache was not used or not written, if it was not. */
  cacheNote?: string
}

/**
 * Below this many files to parse, workers cost more than they save: measured at 1,000 files on
 * a busy 2-core machine, two workers loaded in 3.6 s with a 254 MB peak, one thread in 2.0 s and
 * 145 MB (each worker is a V8 isolate with its own heap); at 10,000, 14.3 s against 16.2 s.
 * CONTENT_WORKER_MIN_FILES overrides it (tests).
 */
const WORKER_MIN_FILES = Number(process.env.CONTENT_WORKER_MIN_FILES ?? 3000)
const BATCH = 50

/** Workers need compiled JavaScript (dist/); from source (tsx, Vitest) files are parsed here. */
const WORKER_URL = new URL(
  import.meta.url.endsWith('.js') ? './story-worker.js' : './story-worker.ts',
  import.meta.url,
)
const CAN_USE_WORKERS = import.meta.url.endsWith('.js')

export const hashBytes = (bytes: Uint8Array): string =>
  createHash('sha256').update(bytes).digest('base64url')

export async function loadStoryFiles(
  files: readonly StoryFileRef[],
  options: {
    contentDir: string
    yearNow: number
    cacheDir?: string
    threads?: number
    stats?: LoadStats
  },
): Promise<StoryFileResult[]> {
  const stats = options.stats ?? {}
  const results: (StoryFileResult | undefined)[] = new Array<StoryFileResult | undefined>(
    files.length,
  )
  const cache =
    options.cacheDir === undefined
      ? undefined
      : openContentCache(options.cacheDir, options.contentDir, options.yearNow)
  if (cache?.note !== undefined) stats.cacheNote = cache.note
  const hits: { index: number; hash: string }[] = []
  const toParse: number[] = []
  files.forEach((file, index) => {
    if (!file.entry.endsWith('.md')) {
      results[index] = {
        problems: [
          {
            file: file.displayPath,
            field: '(file)',
            message: 'only .md files belong in the stories folder',
          },
        ],
      }
    } else if (cache === undefined || cache.size === 0) {
      toParse.push(index)
    } else {
      let hash: string | undefined
      try {
        hash = hashBytes(readFileSync(file.filePath))
      } catch {
        // Unreadable: parsed below, to report the problem as a first load would.
      }
      if (hash !== undefined && cache.has(file.entry, hash)) {
        hits.push({ index, hash })
      } else {
        toParse.push(index)
      }
    }
  })

  let writer: ContentCacheWriter | undefined
  /** A cache that cannot be written costs only the cache: say so and carry on. */
  const dropWriter = (error: unknown): void => {
    writer?.abort()
    writer = undefined
    stats.cacheNote = `content cache not written: ${String(error)}`
  }
  try {
    const kept: { entry: string; hash: string }[] = []
    for (const { index, hash } of hits) {
      const entry = (files[index] as StoryFileRef).entry
      const story = cache?.get(entry, hash)
      if (story === undefined) {
        toParse.push(index) // a damaged record: read the file
      } else {
        results[index] = { story, problems: [] }
        kept.push({ entry, hash })
      }
    }
    if (cache !== undefined && (toParse.length > 0 || !cache.holdsExactly(kept))) {
      try {
        writer = cache.writer()
        for (const { entry, hash } of kept) writer.addCached(entry, hash)
      } catch (error) {
        dropWriter(error)
      }
    }
    const threads = Math.min(options.threads ?? availableParallelism(), 8)
    const useWorkers = CAN_USE_WORKERS && threads > 1 && toParse.length >= WORKER_MIN_FILES
    const refs = toParse.map((index) => files[index] as StoryFileRef)
    const withBytes = writer !== undefined
    const onParsed = (i: number, parsed: ParsedFile): void => {
      const index = toParse[i] as number
      const entry = (files[index] as StoryFileRef).entry
      let result = parsed.result
      if (parsed.bytes !== undefined && parsed.hash !== undefined) {
        result = { ...result, story: deserializeStory(parsed.bytes, entry) }
        try {
          writer?.add(entry, parsed.hash, parsed.bytes)
        } catch (error) {
          dropWriter(error)
        }
      }
      results[index] = result
    }
    if (useWorkers) {
      await parseInWorkers(refs, options.yearNow, threads, withBytes, onParsed)
    } else {
      parseFiles(refs, options.yearNow, withBytes).forEach((parsed, i) => onParsed(i, parsed))
    }
    try {
      writer?.finish()
    } catch (error) {
      dropWriter(error)
    }
    stats.cacheWritten = writer !== undefined
    stats.files = files.length
    stats.cacheHits = files.length - toParse.length
    stats.parsed = toParse.length
    stats.threads = useWorkers ? threads : 1
  } catch (error) {
    writer?.abort()
    throw error
  } finally {
    cache?.close()
  }
  return results.map((r) => r ?? { problems: [] as ContentProblem[] })
}

export interface ParsedFile {
  /** Without `story` when `bytes` holds it, V8-serialised (for the cache). */
  result: StoryFileResult
  /** Hash of the bytes that were parsed (undefined if the file could not be read). */
  hash: string | undefined
  bytes?: Uint8Array
}

/** Reads, hashes and loads files: the work each worker does, and the in-thread fallback. */
export function parseFiles(
  files: readonly Pick<StoryFileRef, 'entry' | 'filePath' | 'displayPath'>[],
  yearNow: number,
  serialized: boolean,
): ParsedFile[] {
  const schema = storyFrontmatterSchema(yearNow)
  return files.map((file) => {
    let bytes: Buffer
    try {
      bytes = readFileSync(file.filePath)
    } catch (error) {
      return { result: { problems: [toProblem(error, file.displayPath)] }, hash: undefined }
    }
    const slug = file.entry.slice(0, -3)
    const result = loadStoryFile(bytes, file.displayPath, slug, schema)
    const hash = hashBytes(bytes)
    if (!serialized || result.story === undefined) return { result, hash }
    const { story, ...rest } = result
    return { result: rest, hash, bytes: serializeStory(story) }
  })
}

/** Batches of files across worker threads, handed out as workers finish (cores are shared). */
async function parseInWorkers(
  files: readonly StoryFileRef[],
  yearNow: number,
  threads: number,
  serialized: boolean,
  onParsed: (i: number, parsed: ParsedFile) => void,
): Promise<void> {
  let next = 0
  const count = Math.min(threads, Math.ceil(files.length / BATCH))
  const run = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const worker = new Worker(fileURLToPath(WORKER_URL), { workerData: { yearNow, serialized } })
      let from = 0
      const send = (): void => {
        if (next >= files.length) {
          void worker.terminate().then(() => resolve())
          return
        }
        from = next
        next = Math.min(files.length, next + BATCH)
        worker.postMessage(files.slice(from, next))
      }
      worker.on('message', (batch: ParsedFile[]) => {
        try {
          batch.forEach((parsed, i) => onParsed(from + i, parsed))
        } catch (error) {
          void worker.terminate()
          reject(error instanceof Error ? error : new Error(String(error)))
          return
        }
        send()
      })
      worker.once('error', reject)
      send()
    })
  await Promise.all(Array.from({ length: count }, run))
}

import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { openContentCache, type CachedStory } from './content-cache.js'
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

/** Below this many files to parse, starting workers costs more than it saves. */
const WORKER_MIN_FILES = 200
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
  const fresh: CachedStory[] = []
  const toParse: { index: number; hash: string | undefined }[] = []
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
      return
    }
    if (cache === undefined || cache.size === 0) {
      toParse.push({ index, hash: undefined })
      return
    }
    let hash: string
    try {
      hash = hashBytes(readFileSync(file.filePath))
    } catch {
      // Unreadable: parse it to report the problem as a first load would.
      toParse.push({ index, hash: undefined })
      return
    }
    const story = cache.get(file.entry, hash)
    if (story === undefined) {
      toParse.push({ index, hash })
    } else {
      results[index] = { story, problems: [] }
      fresh.push({ entry: file.entry, hash, story })
    }
  })

  const threads = Math.min(options.threads ?? availableParallelism(), 8)
  const useWorkers = CAN_USE_WORKERS && threads > 1 && toParse.length >= WORKER_MIN_FILES
  const parsed = useWorkers
    ? await parseInWorkers(
        toParse.map(({ index }) => files[index] as StoryFileRef),
        options.yearNow,
        threads,
      )
    : parseFiles(
        toParse.map(({ index }) => files[index] as StoryFileRef),
        options.yearNow,
      )
  parsed.forEach((outcome, i) => {
    const { index } = toParse[i] as (typeof toParse)[number]
    results[index] = outcome.result
    if (outcome.result.story !== undefined && outcome.hash !== undefined) {
      fresh.push({
        entry: (files[index] as StoryFileRef).entry,
        hash: outcome.hash,
        story: outcome.result.story,
      })
    }
  })
  stats.files = files.length
  stats.cacheHits = files.length - toParse.length
  stats.parsed = toParse.length
  stats.threads = useWorkers ? threads : 1

  if (cache !== undefined) {
    const written = cache.save(fresh)
    stats.cacheWritten = written.ok
    if (written.note !== undefined) stats.cacheNote = written.note
  }
  return results.map((r) => r ?? { problems: [] as ContentProblem[] })
}

export interface ParsedFile {
  result: StoryFileResult
  /** Hash of the bytes that were parsed (undefined if the file could not be read). */
  hash: string | undefined
}

/** Reads, hashes and loads files: the work each worker does, and the in-thread fallback. */
export function parseFiles(
  files: readonly Pick<StoryFileRef, 'entry' | 'filePath' | 'displayPath'>[],
  yearNow: number,
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
    return {
      result: loadStoryFile(bytes, file.displayPath, slug, schema),
      hash: hashBytes(bytes),
    }
  })
}

/** Batches of files across worker threads, handed out as workers finish (cores are shared). */
async function parseInWorkers(
  files: readonly StoryFileRef[],
  yearNow: number,
  threads: number,
): Promise<ParsedFile[]> {
  const out: ParsedFile[] = new Array<ParsedFile>(files.length)
  let next = 0
  const count = Math.min(threads, Math.ceil(files.length / BATCH))
  const run = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const worker = new Worker(fileURLToPath(WORKER_URL), { workerData: { yearNow } })
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
        batch.forEach((parsed, i) => {
          out[from + i] = parsed
        })
        send()
      })
      worker.once('error', reject)
      send()
    })
  await Promise.all(Array.from({ length: count }, run))
  return out
}

import { readdirSync, rmSync, statSync } from 'node:fs'
import path from 'node:path'

/**
 * The cache folder holds only the current version. The content and search caches are files
 * named by the content folder and the code version (content-<folder>-<code>.bin,
 * search-<folder>-<code>.json); each is written to `<name>.<pid>.<random>.tmp` and renamed into
 * place, so a reader sees a whole file or none. At start-up every finished cache file other than
 * the current ones is removed: other code versions, other content folders, the older names
 * without a code part. Nothing else in the folder is touched (not folders, not other files).
 *
 * Processes starting together (cluster workers, a deploy beside the old version) share the
 * folder. A finished file is never written again, only replaced by a rename, and a process that
 * has opened one keeps reading it after it is removed, so removing one costs another process at
 * most a rebuild. A temporary file may be another process's write in progress: it is removed
 * only once it has not been written to for TEMP_MAX_AGE_MS (a writer that died).
 */

const CACHE_FILE = /^(content|search)-[0-9a-f]{16}(-[0-9a-f]{16})?\.(bin|json)$/
const TEMP_FILE = /^(content|search)-[0-9a-f]{16}(-[0-9a-f]{16})?\.(bin|json)\.\d+\.[0-9a-f]+\.tmp$/

/** Writers write continuously (a 10,000-story cache takes seconds); ten idle minutes is death. */
export const TEMP_MAX_AGE_MS = 10 * 60_000

/**
 * Removes the cache files in `cacheDir` that are not in `keep` (full paths), and temporary files
 * not written to for TEMP_MAX_AGE_MS. Returns the names removed. A folder that does not exist or
 * cannot be read, or a file that another process removed first, is not an error.
 */
export function pruneCacheDir(
  cacheDir: string,
  keep: readonly string[],
  now: number = Date.now(),
): string[] {
  const kept = new Set(keep.map((file) => path.resolve(file)))
  let names: string[]
  try {
    names = readdirSync(cacheDir)
  } catch {
    return []
  }
  const removed: string[] = []
  for (const name of names) {
    const file = path.resolve(cacheDir, name)
    try {
      if (CACHE_FILE.test(name)) {
        if (kept.has(file) || !statSync(file).isFile()) continue
      } else if (TEMP_FILE.test(name)) {
        const stat = statSync(file)
        if (!stat.isFile() || now - stat.mtimeMs < TEMP_MAX_AGE_MS) continue
      } else {
        continue
      }
      rmSync(file)
      removed.push(name)
    } catch {
      // Gone already (another process pruned it, or renamed its temporary file into place).
    }
  }
  return removed.sort()
}

import { closeSync, openSync, readSync, readdirSync, writeSync } from 'node:fs'
import path from 'node:path'

/**
 * Makes every entry in the front's nginx cache stale, as if its max-age had run out, so a test
 * can see revalidation without waiting five minutes. nginx keeps each entry's expiry in the
 * header at the start of its cache file and reads it on every lookup: ngx_http_file_cache_header_t
 * starts with the format version (NGX_HTTP_CACHE_VERSION, 5 since nginx 1.9.x) and then
 * `valid_sec`, the time_t after which the entry is stale. Only that field is rewritten.
 */
const CACHE_FORMAT_VERSION = 5n

export function ageFrontCache(cacheDir: string): number {
  const past = BigInt(Math.floor(Date.now() / 1000) - 1)
  let aged = 0
  for (const entry of readdirSync(cacheDir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue
    const file = path.join(entry.parentPath, entry.name)
    const fd = openSync(file, 'r+')
    try {
      const header = Buffer.alloc(16)
      if (readSync(fd, header, 0, 16, 0) < 16) continue
      const version = header.readBigUInt64LE(0)
      if (version !== CACHE_FORMAT_VERSION) {
        throw new Error(
          `${file}: nginx cache format ${version}, not ${CACHE_FORMAT_VERSION}: update ageFrontCache`,
        )
      }
      header.writeBigInt64LE(past, 8)
      writeSync(fd, header, 8, 8, 8)
      aged++
    } finally {
      closeSync(fd)
    }
  }
  return aged
}

/** The cache folder `npm run front` names in its first line. */
export function frontCacheDir(output: string): string {
  const match = /cache in (\S+)/.exec(output)
  if (!match?.[1]) throw new Error(`npm run front did not name its cache folder:\n${output}`)
  return match[1]
}

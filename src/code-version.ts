import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * Hashes of code, for the caches in CACHE_DIR: a cache made by other code must not be used.
 * The same code runs as TypeScript from src/ (tsx, vitest) and as JavaScript from dist/src/
 * (npm start), so the files are found from this module's own folder, never by fixed names: the
 * modules of the folders given, and every module they import by a relative path (followed from
 * file to file), whether that is a `.js` file beside them or the `.ts` file tsx maps it to. A
 * module that moves, splits or is added inside those folders is covered without naming it.
 */

/** The folder this module is in: src/ under tsx and vitest, dist/src/ when built. */
export const CODE_ROOT = path.dirname(fileURLToPath(import.meta.url))

const MODULE = /\.(ts|js|mjs|cjs)$/
const DECLARATION = /\.d\.(ts|mts|cts)$/
/** `from './x.js'`, `import './x.js'`, `import('./x.js')`: relative specifiers only. */
const RELATIVE_IMPORT = /\b(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"\n]+)['"]/g

const isModule = (file: string): boolean => MODULE.test(file) && !DECLARATION.test(file)

/** The module files in a folder and its subfolders (or the file itself), sorted. */
function modulesIn(target: string): string[] {
  if (!statSync(target).isDirectory()) return [target]
  return readdirSync(target, { recursive: true, encoding: 'utf8' })
    .map((name) => path.join(target, name))
    .filter((file) => isModule(file) && statSync(file).isFile())
    .sort()
}

/** Where a relative import lands: the file named, or its .ts source under tsx. */
function resolveImport(from: string, specifier: string): string | undefined {
  const target = path.resolve(path.dirname(from), specifier)
  const candidates = [target, target.replace(/\.(m|c)?js$/, '.$1ts')]
  return candidates.find((file) => isModule(file) && existsSync(file))
}

/**
 * The modules of `targets` (folders or files) and all that they import by relative paths,
 * transitively, sorted. Type-only imports count in TypeScript (they are still in the source)
 * and are gone from the built JavaScript; either way every module with code is followed.
 */
export function moduleClosure(targets: readonly string[]): string[] {
  const seen = new Set<string>()
  const queue = targets.flatMap(modulesIn)
  while (queue.length > 0) {
    const file = queue.pop() as string
    if (seen.has(file)) continue
    seen.add(file)
    for (const match of readFileSync(file, 'utf8').matchAll(RELATIVE_IMPORT)) {
      const target = resolveImport(file, match[1] as string)
      if (target !== undefined && !seen.has(target)) queue.push(target)
    }
  }
  return [...seen].sort()
}

/**
 * A hash (32 hex digits) of the modules of `targets` and what they import (see moduleClosure),
 * each by its path relative to `root` and its bytes, and of `extra` lines (format numbers,
 * package versions).
 */
export function codeVersion(options: {
  targets: readonly string[]
  extra?: readonly string[]
  root?: string
}): string {
  const root = options.root ?? CODE_ROOT
  const hash = createHash('sha256')
  for (const line of options.extra ?? []) hash.update(`${line}\n`)
  for (const file of moduleClosure(options.targets)) {
    const bytes = readFileSync(file)
    hash.update(`${path.relative(root, file)} ${bytes.length}\n`).update(bytes)
  }
  return hash.digest('hex').slice(0, 32)
}

/** The installed version of a package (its own package.json), or '?' if it cannot be found. */
export function packageVersion(name: string): string {
  try {
    const require = createRequire(import.meta.url)
    let dir = path.dirname(require.resolve(name))
    for (;;) {
      const file = path.join(dir, 'package.json')
      if (existsSync(file)) {
        const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string }
        if (pkg.name === name) return pkg.version ?? '?'
      }
      const parent = path.dirname(dir)
      if (parent === dir) return '?'
      dir = parent
    }
  } catch {
    return '?'
  }
}

import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * The project root, found by walking up from this file to our own package.json.
 * The same code runs from `src/` (tsx, vitest) and from `dist/src/` (npm start), so a fixed
 * number of `..` would be wrong in one of them; the working directory is never used.
 */
function findProjectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const candidate = path.join(dir, 'package.json')
    if (existsSync(candidate)) {
      const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string }
      if (pkg.name === 'peer-stories') return dir
    }
    const parent = path.dirname(dir)
    if (parent === dir) throw new Error('Could not find the project root (package.json)')
    dir = parent
  }
}

export const projectRoot = findProjectRoot()
export const fromRoot = (...segments: string[]): string => path.join(projectRoot, ...segments)

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll } from 'vitest'

/**
 * A function that makes temporary folders for one test file and removes them all after it.
 * Call it at the top level of the file (it registers an afterAll hook there).
 */
export function tempDirs(): (prefix: string) => string {
  const roots: string[] = []
  afterAll(() => {
    for (const root of roots) rmSync(root, { recursive: true, force: true })
  })
  return (prefix) => {
    const dir = mkdtempSync(path.join(tmpdir(), prefix))
    roots.push(dir)
    return dir
  }
}

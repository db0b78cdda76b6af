import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { PAGE_TYPES } from './page-types.js'
import { fetchPage } from './support/pages.js'

/**
 * The Nu Html Checker (vnu-jar, run with Java) on the HTML of every page type, in ONE run over
 * a folder of files: starting the JVM once keeps it quick.
 */
const require = createRequire(import.meta.url)
// The package exports the jar's path (as a String object); Java comes from the system.
const VNU_JAR = String(require('vnu-jar'))

interface VnuMessage {
  type: string
  subType?: string
  url?: string
  lastLine?: number
  message: string
  extract?: string
}

const baseUrl = inject('baseUrl')
const dir = mkdtempSync(path.join(tmpdir(), 'vnu-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('Nu Html Checker', () => {
  it('finds no errors on any page type', async () => {
    const files = new Map<string, string>()
    for (const type of PAGE_TYPES) {
      const page = await fetchPage(baseUrl, type)
      expect(page.status, type.path).toBe(type.status)
      const file = path.join(dir, `${type.name}.html`)
      writeFileSync(file, page.html)
      files.set(`file:${file}`, type.name)
    }
    const messages = await runVnu(dir)
    const errors = messages
      .filter((m) => m.type === 'error' || m.subType === 'fatal')
      .map((m) => {
        const name = files.get(m.url ?? '') ?? m.url
        return `${name}:${m.lastLine ?? '?'}: ${m.message}${m.extract ? `\n    ${m.extract.trim()}` : ''}`
      })
    expect(errors).toEqual([])
  })
})

async function runVnu(folder: string): Promise<VnuMessage[]> {
  const run = promisify(execFile)
  const args = ['-jar', VNU_JAR, '--errors-only', '--format', 'json', '--skip-non-html', folder]
  // vnu exits 1 when it finds errors, and writes its JSON report to stderr either way.
  const output = await run('java', args, { maxBuffer: 32 * 1024 * 1024 }).then(
    (r) => r.stderr,
    (error: { stderr?: string; code?: number }) => {
      if (error.code !== 1 || !error.stderr) throw error
      return error.stderr
    },
  )
  return (JSON.parse(output) as { messages: VnuMessage[] }).messages
}

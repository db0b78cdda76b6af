import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { fromRoot } from '../../src/paths.js'

/**
 * Views are autoescaped; `| safe` switches that off. It is allowed on exactly these values:
 * sanitised Markdown output (bodyHtml), and text escaped before <mark>s were added
 * (textHtml, titleHtml, snippetHtml: src/search/highlight.ts).
 * Anything else marked safe fails here, in review, before it ships.
 */
const ALLOWED = new Set(['bodyHtml', 'textHtml', 'titleHtml', 'snippetHtml'])

function templates(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.njk'))
    .map((e) => path.join(e.parentPath, e.name))
}

interface SafeUse {
  where: string
  value: string
}

function safeUses(file: string, source: string): SafeUse[] {
  const uses: SafeUse[] = []
  for (const match of source.matchAll(/\|\s*safe\b/g)) {
    const before = source.slice(0, match.index)
    const tagStart = Math.max(before.lastIndexOf('{{'), before.lastIndexOf('{%'))
    const expression = before.slice(tagStart + 2)
    // The value filtered: the last name in the expression (`story.bodyHtml` → bodyHtml).
    const value = /([A-Za-z_$][\w$]*)\s*\)?\s*$/.exec(expression)?.[1] ?? expression.trim()
    const line = before.split('\n').length
    uses.push({ where: `${path.relative(fromRoot(), file)}:${line}`, value })
  }
  return uses
}

describe('| safe in views', () => {
  const files = templates(fromRoot('views'))

  it('finds the templates', () => {
    expect(files.length).toBeGreaterThan(10)
  })

  it('is used only on the values allowed above', () => {
    const uses = files.flatMap((file) => safeUses(file, readFileSync(file, 'utf8')))
    expect(uses.length).toBeGreaterThan(0)
    expect(uses.filter((u) => !ALLOWED.has(u.value))).toEqual([])
  })

  it('autoescaping is never switched off in a template', () => {
    const off = files.filter((file) => /autoescape\s+false/.test(readFileSync(file, 'utf8')))
    expect(off).toEqual([])
  })

  it('the check itself catches other values', () => {
    expect(safeUses('x.njk', '{{ story.title | safe }} {{ params.textHtml|safe }}')).toEqual([
      { where: 'x.njk:1', value: 'title' },
      { where: 'x.njk:1', value: 'textHtml' },
    ])
    expect(safeUses('x.njk', '{% set t = (a | escape) + b.html | safe %}')[0]?.value).toBe('html')
  })
})

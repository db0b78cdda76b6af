import { readFileSync } from 'node:fs'
import type { z } from 'zod'
import { decodeUtf8, FrontmatterError, parseMarkdownFile } from './frontmatter.js'
import { councilSlugOf } from './council-slug.js'
import { markdownProblems, renderMarkdown, type RenderedMarkdown } from './markdown.js'
import type { Quote, Story } from './model.js'
import { fieldName, type ContentProblem } from './problems.js'
import { SLUG_PATTERN, type storyFrontmatterSchema } from './schema.js'

/**
 * One story file, read and validated on its own: everything about a story that does not depend
 * on the other files (those rules, themes and aliases, are checked in load.ts). A pure function
 * of the file's bytes, the code and the year, with a plain (cloneable) result: so it can run in a
 * worker thread, and its result can be cached keyed by a hash of the bytes (content-cache.ts).
 */

export type StorySchema = ReturnType<typeof storyFrontmatterSchema>

export interface StoryFileResult {
  /** The story, only when the file has no problems of its own. */
  story?: Story
  problems: ContentProblem[]
}

/** The line of a field in a story file (for cross-file problems), read again when needed. */
export function storyLineOf(filePath: string): (path: readonly PropertyKey[]) => number | undefined {
  let lineOf: ((path: readonly PropertyKey[]) => number | undefined) | undefined
  return (path) => {
    if (lineOf === undefined) {
      try {
        lineOf = parseMarkdownFile(decodeUtf8(readFileSync(filePath))).lineOf
      } catch {
        lineOf = () => undefined
      }
    }
    return lineOf(path)
  }
}

export function loadStoryFile(
  bytes: Uint8Array,
  displayPath: string,
  slug: string,
  schema: StorySchema,
): StoryFileResult {
  const problems: ContentProblem[] = []
  const none = { problems }
  if (!SLUG_PATTERN.test(slug)) {
    problems.push({
      file: displayPath,
      field: '(file name)',
      message:
        'the file name is the slug: use lower-case letters, digits and single hyphens, ending .md',
    })
  }
  let parsed
  try {
    parsed = parseMarkdownFile(decodeUtf8(bytes))
  } catch (error) {
    problems.push(toProblem(error, displayPath))
    return none
  }
  // zod can report several issues for one field (a list given where text was expected fails
  // the type and the length check): the first says it best.
  const reported = new Set<string>()
  // YAML reads `0123` as the number 123 and `2017.0` as 2017: check the year as written.
  const yearSource = parsed.sourceOf(['challenge', 'year'])
  if (yearSource !== undefined && /^[\d.+-]/.test(yearSource) && !/^[1-9]\d{3}$/.test(yearSource)) {
    reported.add('challenge.year')
    problems.push({
      file: displayPath,
      line: parsed.lineOf(['challenge', 'year']),
      field: 'challenge.year',
      message: `must be a year written as four digits, e.g. 2017 (found "${yearSource.slice(0, 20)}")`,
    })
  }
  const result = schema.safeParse(parsed.data)
  if (!result.success) {
    for (const issue of result.error.issues) {
      const key = fieldName(issue.path)
      if (issue.code !== 'unrecognized_keys' && reported.has(key)) continue
      reported.add(key)
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          const keyPath = [...issue.path, key]
          const suggestion = closestField(schema, issue.path, key)
          problems.push({
            file: displayPath,
            line: parsed.lineOf(keyPath),
            field: fieldName(keyPath),
            message:
              suggestion === undefined
                ? 'unknown field (check the spelling; see docs/content-guide.md)'
                : `unknown field; did you mean "${suggestion}"? (see docs/content-guide.md)`,
          })
        }
        continue
      }
      // Absent: whatever zod says about it (a type, or "must be one of"), it is required.
      const missing = issue.code !== 'custom' && valueAt(parsed.data, issue.path) === undefined
      problems.push({
        file: displayPath,
        line: parsed.lineOf(issue.path),
        field: fieldName(issue.path),
        message: missing ? 'is required' : issue.message,
      })
    }
  }
  if (parsed.body.trim() === '') {
    problems.push({
      file: displayPath,
      line: parsed.bodyLine,
      field: '(body)',
      message: 'the narrative is missing: write it below the closing --- line',
    })
  }
  for (const problem of markdownProblems(parsed.body)) {
    problems.push({
      file: displayPath,
      line: parsed.bodyLine + problem.line - 1,
      field: '(body)',
      message: problem.message,
    })
  }
  if (!result.success || problems.length > 0) return none

  const data = result.data
  let rendered: RenderedMarkdown
  try {
    rendered = renderMarkdown(parsed.body)
  } catch {
    // Within the limits above marked has not been seen to fail; if it does, say where.
    problems.push({
      file: displayPath,
      line: parsed.bodyLine,
      field: '(body)',
      message: 'the narrative could not be read as Markdown; simplify its formatting',
    })
    return none
  }
  const quotes: Quote[] = data.quotes.map((q) => ({ ...q, storySlug: slug }))
  const story: Story = {
    slug,
    title: data.title,
    council: data.council,
    councilSlug: councilSlugOf(data.council),
    councilType: data.councilType,
    region: data.region,
    ...(data.politicalControl === undefined ? {} : { politicalControl: data.politicalControl }),
    challenge: data.challenge,
    themes: data.themes,
    summary: data.summary,
    impacts: data.impacts,
    quotes,
    published: data.published,
    ...(data.updated === undefined ? {} : { updated: data.updated }),
    aliases: data.aliases ?? [],
    draft: data.draft ?? false,
    ...(data.reportUrl === undefined ? {} : { reportUrl: data.reportUrl }),
    bodyHtml: rendered.html,
    bodyText: rendered.text,
    sourcePath: `stories/${slug}.md`,
  }
  return { story, problems }
}

export function toProblem(error: unknown, file: string): ContentProblem {
  if (error instanceof FrontmatterError) {
    return { file, line: error.line, field: error.field, message: error.message }
  }
  const message = error instanceof Error ? error.message : String(error)
  return { file, field: '(file)', message: `cannot be read: ${message}` }
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let value = data
  for (const key of path) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined
    value = (value as Record<PropertyKey, unknown>)[key]
  }
  return value
}

/** The fields a strict object schema allows at a path (`[]`, `['challenge']`, `['quotes', 2]`). */
function fieldsAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let node: unknown = schema
  for (const key of [...path, undefined]) {
    // Unwrap optional fields and lists to the object inside.
    for (;;) {
      const def = (node as { def?: { type?: string; innerType?: unknown; element?: unknown } }).def
      if (def?.type === 'optional' && def.innerType) node = def.innerType
      else if (def?.type === 'array' && def.element) node = def.element
      else break
    }
    const shape = (node as { shape?: Record<string, unknown> }).shape
    if (key === undefined) return shape ? Object.keys(shape) : []
    if (typeof key === 'number') continue
    if (!shape || !Object.hasOwn(shape, key)) return []
    node = shape[String(key)]
  }
  return []
}

/** For a typo like `summery`: the allowed field it most likely meant, if one is close. */
function closestField(
  schema: z.ZodType,
  path: readonly PropertyKey[],
  key: string,
): string | undefined {
  let best: string | undefined
  let bestDistance = Infinity
  for (const field of fieldsAt(schema, path)) {
    const distance =
      field.toLowerCase() === key.toLowerCase() ? 0 : editDistance(field.toLowerCase(), key.toLowerCase())
    if (distance < bestDistance) {
      best = field
      bestDistance = distance
    }
  }
  return bestDistance <= Math.max(1, Math.min(3, Math.floor(key.length / 3))) ? best : undefined
}

/** Edits (insert, delete, replace, swap two neighbours) from one word to the other. */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return Infinity
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)]
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let best = Math.min(
        (rows[i - 1]?.[j] ?? 0) + 1,
        (row[j - 1] ?? 0) + 1,
        (rows[i - 1]?.[j - 1] ?? 0) + cost,
      )
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, (rows[i - 2]?.[j - 2] ?? 0) + 1)
      }
      row[j] = best
    }
    rows.push(row)
  }
  return rows[a.length]?.[b.length] ?? Infinity
}

export { councilSlugOf }

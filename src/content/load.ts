import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import type { z } from 'zod'
import {
  decodeUtf8,
  FrontmatterError,
  MAX_FILE_BYTES,
  MAX_YAML_NESTING,
  parseMarkdownFile,
  yamlNestingProblem,
  yamlProblem,
} from './frontmatter.js'
import { markdownProblems, renderMarkdown, type RenderedMarkdown } from './markdown.js'
import type { Quote, Story, Theme } from './model.js'
import { ContentValidationError, fieldName, type ContentProblem } from './problems.js'
import { SLUG_PATTERN, storyFrontmatterSchema, themesFileSchema } from './schema.js'
import { buildLibrary, type Library } from './library.js'
import { parseDocument, LineCounter } from 'yaml'

export interface LoadOptions {
  /** Folder holding `stories/` and `themes.yml`. */
  contentDir: string
  /** Drafts are served only in development. */
  includeDrafts: boolean
  /** For the upper bound of `challenge.year`; injectable for tests. */
  now?: Date
  /** Paths in messages are shown relative to this folder (the project root). */
  displayRoot?: string
}

interface StoryCandidate {
  story: Story
  lineOf(path: readonly PropertyKey[]): number | undefined
  displayPath: string
}

/**
 * Loads and validates every story and the themes, reporting every problem at once.
 * Throws ContentValidationError listing them all; returns the library only when all is well.
 */
export async function loadContent(options: LoadOptions): Promise<Library> {
  const { contentDir } = options
  const display = (file: string): string => {
    const rel = path.relative(options.displayRoot ?? process.cwd(), file)
    return rel.startsWith('..') || path.isAbsolute(rel) ? file : rel.split(path.sep).join('/')
  }
  const problems: ContentProblem[] = []

  const themesPath = path.join(contentDir, 'themes.yml')
  const themes = await loadThemes(themesPath, display(themesPath), problems)

  const storiesDir = path.join(contentDir, 'stories')
  let entries: string[]
  try {
    entries = (await readdir(storiesDir)).sort()
  } catch {
    throw new ContentValidationError([
      { file: display(storiesDir), field: '(folder)', message: 'the stories folder cannot be read' },
    ])
  }

  const yearNow = (options.now ?? new Date()).getUTCFullYear()
  const schema = storyFrontmatterSchema(yearNow)
  const candidates: StoryCandidate[] = []
  for (const entry of entries) {
    if (entry.startsWith('.')) continue
    const filePath = path.join(storiesDir, entry)
    const displayPath = display(filePath)
    if (!entry.endsWith('.md')) {
      problems.push({
        file: displayPath,
        field: '(file)',
        message: 'only .md files belong in the stories folder',
      })
      continue
    }
    const slug = entry.slice(0, -3)
    const candidate = await loadStory(filePath, displayPath, slug, schema, problems)
    if (candidate) candidates.push(candidate)
  }

  // Cross-file rules: themes exist, slugs and aliases are unique.
  const themeSlugs = new Set(themes.map((t) => t.slug))
  const owners = new Map<string, string>()
  for (const { story, displayPath } of candidates) owners.set(story.slug, displayPath)
  const aliasOwners = new Map<string, string>()
  for (const { story, lineOf, displayPath } of candidates) {
    story.themes.forEach((theme, i) => {
      if (themes.length > 0 && !themeSlugs.has(theme)) {
        problems.push({
          file: displayPath,
          line: lineOf(['themes', i]),
          field: `themes[${i}]`,
          message: `unknown theme "${theme}" (themes are defined in themes.yml)`,
        })
      }
    })
    story.quotes.forEach((quote, i) => {
      if (quote.theme !== undefined && themes.length > 0 && !themeSlugs.has(quote.theme)) {
        problems.push({
          file: displayPath,
          line: lineOf(['quotes', i, 'theme']),
          field: `quotes[${i}].theme`,
          message: `unknown theme "${quote.theme}" (themes are defined in themes.yml)`,
        })
      }
    })
    story.aliases.forEach((alias, i) => {
      const clash = owners.get(alias) ?? aliasOwners.get(alias)
      if (alias === story.slug) {
        problems.push({
          file: displayPath,
          line: lineOf(['aliases', i]),
          field: `aliases[${i}]`,
          message: `"${alias}" is this story's own slug`,
        })
      } else if (clash !== undefined) {
        problems.push({
          file: displayPath,
          line: lineOf(['aliases', i]),
          field: `aliases[${i}]`,
          message: `"${alias}" is already used by ${clash}`,
        })
      } else {
        aliasOwners.set(alias, displayPath)
      }
    })
  }

  if (problems.length > 0) throw new ContentValidationError(problems)
  const stories = candidates
    .map((c) => c.story)
    .filter((story) => options.includeDrafts || !story.draft)
  return buildLibrary(stories, themes)
}

async function loadStory(
  filePath: string,
  displayPath: string,
  slug: string,
  schema: ReturnType<typeof storyFrontmatterSchema>,
  problems: ContentProblem[],
): Promise<StoryCandidate | undefined> {
  const before = problems.length
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
    const bytes = await readFile(filePath)
    parsed = parseMarkdownFile(decodeUtf8(bytes))
  } catch (error) {
    problems.push(toProblem(error, displayPath))
    return undefined
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
  if (!result.success || problems.length > before) return undefined

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
    return undefined
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
    bodyMarkdown: parsed.body,
    bodyHtml: rendered.html,
    bodyText: rendered.text,
    sourcePath: `stories/${slug}.md`,
  }
  return { story, lineOf: parsed.lineOf, displayPath }
}

async function loadThemes(
  filePath: string,
  displayPath: string,
  problems: ContentProblem[],
): Promise<Theme[]> {
  let source: string
  try {
    source = decodeUtf8(await readFile(filePath))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      problems.push({ file: displayPath, field: '(file)', message: 'themes.yml is missing' })
    } else {
      problems.push(toProblem(error, displayPath))
    }
    return []
  }
  const nesting = yamlNestingProblem(source)
  if (nesting) {
    problems.push({
      file: displayPath,
      line: nesting.line,
      field: '(file)',
      message: `nested ${nesting.depth} levels deep; the limit is ${MAX_YAML_NESTING} (check the indentation and the brackets)`,
    })
    return []
  }
  const lineCounter = new LineCounter()
  const doc = parseDocument(source, { schema: 'core', uniqueKeys: true, lineCounter })
  const yamlError = doc.errors[0]
  if (yamlError) {
    const problem = yamlProblem(yamlError, source)
    problems.push({
      file: displayPath,
      line: problem.line,
      field: problem.field === '(frontmatter)' ? '(file)' : problem.field,
      message: problem.message,
    })
    return []
  }
  let value: unknown
  try {
    value = doc.toJS({ maxAliasCount: 50 })
  } catch {
    problems.push({
      file: displayPath,
      field: '(file)',
      message: 'YAML aliases (*name) expand too far (over 50); write the values out instead',
    })
    return []
  }
  const result = themesFileSchema.safeParse(value)
  const lineOf = (p: readonly PropertyKey[]): number | undefined => {
    for (let depth = p.length; depth > 0; depth--) {
      const node = doc.getIn(p.slice(0, depth), true) as { range?: [number, number, number] }
      if (node?.range) return lineCounter.linePos(node.range[0]).line
    }
    return undefined
  }
  if (!result.success) {
    for (const issue of result.error.issues) addIssue(issue, displayPath, lineOf, problems)
    return []
  }
  const seen = new Set<string>()
  result.data.forEach((theme, i) => {
    if (seen.has(theme.slug)) {
      problems.push({
        file: displayPath,
        line: lineOf([i, 'slug']),
        field: `[${i}].slug`,
        message: `duplicate theme slug "${theme.slug}"`,
      })
    }
    seen.add(theme.slug)
  })
  return result.data
}

function addIssue(
  issue: z.core.$ZodIssue,
  file: string,
  lineOf: (p: readonly PropertyKey[]) => number | undefined,
  problems: ContentProblem[],
): void {
  problems.push({ file, line: lineOf(issue.path), field: fieldName(issue.path), message: issue.message })
}

function toProblem(error: unknown, file: string): ContentProblem {
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

/** "Northfold Borough Council" → "northfold-borough-council" (accents folded). */
export function councilSlugOf(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
}

export { MAX_FILE_BYTES }

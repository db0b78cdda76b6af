import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import type { z } from 'zod'
import { decodeUtf8, FrontmatterError, MAX_FILE_BYTES, parseMarkdownFile } from './frontmatter.js'
import { markdownNestingProblem, renderMarkdown } from './markdown.js'
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
  const result = schema.safeParse(parsed.data)
  if (!result.success) {
    // zod can report several issues for one field (a list given where text was expected fails
    // the type and the length check): the first says it best.
    const reported = new Set<string>()
    for (const issue of result.error.issues) {
      const key = fieldName(issue.path)
      if (issue.code !== 'unrecognized_keys' && reported.has(key)) continue
      reported.add(key)
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          const keyPath = [...issue.path, key]
          problems.push({
            file: displayPath,
            line: parsed.lineOf(keyPath),
            field: fieldName(keyPath),
            message: 'unknown field (check the spelling; see docs/content-guide.md)',
          })
        }
        continue
      }
      const missing = issue.code === 'invalid_type' && valueAt(parsed.data, issue.path) === undefined
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
  const nesting = markdownNestingProblem(parsed.body)
  if (nesting) {
    problems.push({
      file: displayPath,
      line: parsed.bodyLine + nesting.line - 1,
      field: '(body)',
      message: `Markdown is nested ${nesting.depth} levels deep; the limit is 40`,
    })
  }
  if (!result.success || problems.length > before) return undefined

  const data = result.data
  const rendered = renderMarkdown(parsed.body)
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
  const lineCounter = new LineCounter()
  const doc = parseDocument(source, { schema: 'core', uniqueKeys: true, lineCounter })
  const yamlError = doc.errors[0]
  if (yamlError) {
    problems.push({
      file: displayPath,
      line: yamlError.linePos?.[0].line,
      field: '(file)',
      message: `invalid YAML: ${yamlError.message.split('\n')[0] ?? ''}`,
    })
    return []
  }
  const result = themesFileSchema.safeParse(doc.toJS({ maxAliasCount: 50 }))
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

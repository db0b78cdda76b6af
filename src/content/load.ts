import { readdir } from 'node:fs/promises'
import path from 'node:path'
import { MAX_FILE_BYTES } from './frontmatter.js'
import type { Story, Theme } from './model.js'
import { ContentValidationError, type ContentProblem } from './problems.js'
import { themesFileSchema } from './schema.js'
import { buildLibrary, type Library } from './library.js'
import { councilSlugOf, storyLineOf } from './story-file.js'
import { loadStoryFiles, type LoadStats } from './story-files.js'
import { loadSynonyms, type SynonymTermCheck } from './synonyms.js'
import { addSchemaIssues, readYamlFile } from './yaml-file.js'

export interface LoadOptions {
  /** Folder holding `stories/`, `themes.yml` and (optionally) `synonyms.yml`. */
  contentDir: string
  /** Drafts are served only in development. */
  includeDrafts: boolean
  /** For the upper bound of `challenge.year`; injectable for tests. */
  now?: Date
  /** Paths in messages are shown relative to this folder (the project root). */
  displayRoot?: string
  /**
   * A folder for the content cache (content-cache.ts): stories whose file bytes are unchanged
   * since the last load are taken from it instead of being parsed again. None: no cache.
   */
  cacheDir?: string
  /** Worker threads for parsing many files (default: one per core); 0 or 1 parses in-thread. */
  threads?: number
  /** Filled in with what the loader did (cache hits, threads), for the start-up log. */
  stats?: LoadStats
  /**
   * Why a synonym term could never be searched for, if it could not (undefined when it can).
   * The search that uses the terms knows; it is passed in from above (src/site/load.ts), since
   * content comes before search.
   */
  synonymTermProblem?: SynonymTermCheck
}

interface StoryCandidate {
  story: Story
  lineOf(path: readonly PropertyKey[]): number | undefined
  displayPath: string
}

/**
 * Loads and validates every story, the themes and the synonyms, reporting every problem at once.
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
  const synonymsPath = path.join(contentDir, 'synonyms.yml')
  const synonyms = await loadSynonyms(
    synonymsPath,
    display(synonymsPath),
    problems,
    options.synonymTermProblem,
  )

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
  const files: { entry: string; filePath: string; displayPath: string }[] = []
  for (const entry of entries) {
    if (entry.startsWith('.')) continue
    const filePath = path.join(storiesDir, entry)
    files.push({ entry, filePath, displayPath: display(filePath) })
  }
  // Each file on its own (from the cache, worker threads, or here), results in file order.
  const results = await loadStoryFiles(files, {
    contentDir,
    yearNow,
    ...(options.cacheDir === undefined ? {} : { cacheDir: options.cacheDir }),
    ...(options.threads === undefined ? {} : { threads: options.threads }),
    ...(options.stats === undefined ? {} : { stats: options.stats }),
  })
  const candidates: StoryCandidate[] = []
  results.forEach((result, i) => {
    const file = files[i] as (typeof files)[number]
    problems.push(...result.problems)
    if (result.story) {
      candidates.push({
        story: result.story,
        lineOf: storyLineOf(file.filePath),
        displayPath: file.displayPath,
      })
    }
  })

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
  return buildLibrary(stories, themes, synonyms)
}

async function loadThemes(
  filePath: string,
  displayPath: string,
  problems: ContentProblem[],
): Promise<Theme[]> {
  const file = await readYamlFile(filePath, displayPath, problems)
  if (file === undefined) return []
  const result = themesFileSchema.safeParse(file.value)
  if (!result.success) {
    addSchemaIssues(result.error.issues, file, displayPath, problems)
    return []
  }
  const seen = new Set<string>()
  result.data.forEach((theme, i) => {
    if (seen.has(theme.slug)) {
      problems.push({
        file: displayPath,
        line: file.lineOf([i, 'slug']),
        field: `[${i}].slug`,
        message: `duplicate theme slug "${theme.slug}"`,
      })
    }
    seen.add(theme.slug)
  })
  return result.data
}

export { councilSlugOf, MAX_FILE_BYTES }

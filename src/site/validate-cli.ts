import { loadConfig } from '../config.js'
import { ContentValidationError, formatProblem } from '../content/problems.js'
import { loadContent } from '../content/load.js'
import { projectRoot } from '../paths.js'
import { synonymTermProblem } from '../search/index.js'

/**
 * `npm run validate`: checks every story, the themes and the synonyms, prints every problem as
 * `file:line: field: message`, and exits 1 if there are any. In the site layer because the
 * synonyms are checked against the search that will use them.
 */
async function main(): Promise<number> {
  const config = loadConfig(process.env, { dev: true })
  try {
    // Validation only: no search index is built.
    const library = await loadContent({
      contentDir: config.contentDir,
      includeDrafts: true,
      displayRoot: projectRoot,
      synonymTermProblem,
    })
    const drafts = library.stories.filter((s) => s.draft).length
    console.log(
      `Content is valid: ${library.stories.length} stories (${drafts} drafts), ${library.themes.length} themes, ${library.synonyms.length} synonym groups, in ${config.contentDir}`,
    )
    return 0
  } catch (error) {
    if (error instanceof ContentValidationError) {
      for (const problem of error.problems) console.error(formatProblem(problem))
      console.error(`\n${error.problems.length} problem(s) found.`)
      return 1
    }
    throw error
  }
}

process.exitCode = await main()

import type { SynonymGroup } from './model.js'
import type { ContentProblem } from './problems.js'
import { synonymsFileSchema } from './schema.js'
import { addSchemaIssues, readYamlFile } from './yaml-file.js'

/*
 * content/synonyms.yml: groups of terms that mean the same to the people searching ("NOC" and "no
 * overall control"). Optional: a content folder without one has no synonyms. Checked here like
 * themes.yml (every problem with its line); what searching does with them is src/search's.
 */

/** Two terms are the same term whatever their case or apostrophes (spaces are already one). */
const sameTerm = (term: string): string => term.toLocaleLowerCase('en-GB').replace(/[’]/g, "'")

/** Why a term could never be searched for (undefined when it can): see LoadOptions. */
export type SynonymTermCheck = (term: string) => string | undefined

export async function loadSynonyms(
  filePath: string,
  displayPath: string,
  problems: ContentProblem[],
  termProblem?: SynonymTermCheck,
): Promise<SynonymGroup[]> {
  const file = await readYamlFile(filePath, displayPath, problems, { optional: true })
  if (file === undefined) return []
  const result = synonymsFileSchema.safeParse(file.value)
  if (!result.success) {
    addSchemaIssues(result.error.issues, file, displayPath, problems)
    return []
  }
  let ok = true
  result.data.forEach((group, g) => {
    const seen = new Map<string, number>()
    group.forEach((term, t) => {
      const problem = (message: string) => {
        ok = false
        problems.push({ file: displayPath, line: file.lineOf([g, t]), field: `[${g}][${t}]`, message })
      }
      const earlier = seen.get(sameTerm(term))
      if (earlier !== undefined) problem(`"${term}" is already in this group (as "${group[earlier]}")`)
      else seen.set(sameTerm(term), t)
      const unsearchable = termProblem?.(term)
      if (unsearchable !== undefined) problem(unsearchable)
    })
  })
  return ok ? result.data : []
}

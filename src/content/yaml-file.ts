import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { z } from 'zod'
import { LineCounter, parseDocument } from 'yaml'
import { decodeUtf8, MAX_YAML_NESTING, yamlNestingProblem, yamlProblem } from './frontmatter.js'
import { fieldName, type ContentProblem } from './problems.js'
import { toProblem } from './story-file.js'

/*
 * The content's YAML files (themes.yml, synonyms.yml), read the way story front matter is: strict
 * UTF-8, bounded nesting and aliases, duplicate keys refused, and every problem reported with its
 * file and line.
 */

/** A YAML file's value, and the line of any place in it (for problems found later). */
export interface YamlFile {
  value: unknown
  lineOf(path: readonly PropertyKey[]): number | undefined
}

/**
 * Read and parse one YAML file, adding its problems to `problems`. Undefined when it cannot be
 * read or parsed (the problem is noted), or when it is missing and `optional`.
 */
export async function readYamlFile(
  filePath: string,
  displayPath: string,
  problems: ContentProblem[],
  { optional = false }: { optional?: boolean } = {},
): Promise<YamlFile | undefined> {
  let source: string
  try {
    source = decodeUtf8(await readFile(filePath))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      if (optional) return undefined
      const message = `${path.basename(filePath)} is missing`
      problems.push({ file: displayPath, field: '(file)', message })
    } else {
      problems.push(toProblem(error, displayPath))
    }
    return undefined
  }
  const nesting = yamlNestingProblem(source)
  if (nesting) {
    problems.push({
      file: displayPath,
      line: nesting.line,
      field: '(file)',
      message: `nested ${nesting.depth} levels deep; the limit is ${MAX_YAML_NESTING} (check the indentation and the brackets)`,
    })
    return undefined
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
    return undefined
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
    return undefined
  }
  const lineOf = (p: readonly PropertyKey[]): number | undefined => {
    for (let depth = p.length; depth > 0; depth--) {
      const node = doc.getIn(p.slice(0, depth), true) as { range?: [number, number, number] }
      if (node?.range) return lineCounter.linePos(node.range[0]).line
    }
    // The whole file: where its value starts.
    const root = doc.contents as { range?: [number, number, number] } | null
    return root?.range ? lineCounter.linePos(root.range[0]).line : undefined
  }
  return { value, lineOf }
}

/** A schema's issues as problems, each at its line. */
export function addSchemaIssues(
  issues: readonly z.core.$ZodIssue[],
  file: YamlFile,
  displayPath: string,
  problems: ContentProblem[],
): void {
  for (const issue of issues) {
    problems.push({
      file: displayPath,
      line: file.lineOf(issue.path),
      // A problem with the whole file (not a list, say) is the file's, not a field's.
      field: issue.path.length === 0 ? '(file)' : fieldName(issue.path),
      message: issue.message,
    })
  }
}

/** A problem found in the content, reported with its file, line and field. */
export interface ContentProblem {
  /** Path as shown to editors, e.g. content/stories/foo.md */
  file: string
  /** 1-based line in the file, where it can be found. */
  line?: number
  /** The field, e.g. `quotes[2].text`, or `(file)` / `(frontmatter)` for whole-file problems. */
  field: string
  message: string
}

export function formatProblem(problem: ContentProblem): string {
  const where = problem.line === undefined ? problem.file : `${problem.file}:${problem.line}`
  return `${where}: ${problem.field}: ${problem.message}`
}

/** Thrown by loadContent when any file is invalid; carries every problem, not the first. */
export class ContentValidationError extends Error {
  readonly problems: readonly ContentProblem[]

  constructor(problems: readonly ContentProblem[]) {
    const count = problems.length
    super(
      `The content has ${count} problem${count === 1 ? '' : 's'}:\n` +
        problems.map((p) => `  ${formatProblem(p)}`).join('\n'),
    )
    this.name = 'ContentValidationError'
    this.problems = problems
  }
}

/** `['quotes', 2, 'text']` → `quotes[2].text` */
export function fieldName(path: readonly PropertyKey[]): string {
  let out = ''
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`
    else out += out === '' ? String(key) : `.${String(key)}`
  }
  return out === '' ? '(frontmatter)' : out
}

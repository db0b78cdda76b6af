import matter from 'gray-matter'
import { LineCounter, parseDocument, isMap, isSeq, isPair, isScalar, type Document } from 'yaml'

/**
 * Reading one Markdown file with YAML frontmatter, safely.
 *
 * - Bytes are decoded as strict UTF-8: `readFileSync(path, 'utf8')` would silently turn bad
 *   bytes (or a UTF-16 file) into U+FFFD.
 * - gray-matter picks a front-matter engine from the opening line alone, and its JavaScript
 *   engine runs `eval`. `engines: { js: false }` does not stop `---javascript` (lookup is
 *   `engines[name] || engines[alias]`), so the opening line must be exactly `---`, and both
 *   names are also overridden with an engine that throws.
 * - The YAML is parsed by the `yaml` package (YAML 1.2 core schema): it keeps dates and
 *   `0123` as written instead of coercing them, refuses duplicate keys, caps alias expansion
 *   (no billion-laughs), and tells us the line of every node for error messages.
 */

export const MAX_FILE_BYTES = 1024 * 1024
const MAX_ALIASES = 50
/**
 * Real front matter nests three levels (quotes → a quote → its fields). The yaml parser
 * recurses once per level: a thousand levels overflow its stack, so deep nesting is refused
 * before it is parsed.
 */
export const MAX_YAML_NESTING = 20

export class FrontmatterError extends Error {
  constructor(
    message: string,
    readonly line?: number,
    readonly field = '(frontmatter)',
  ) {
    super(message)
  }
}

export interface ParsedFile {
  data: unknown
  body: string
  /** 1-based line of the body's first line in the file. */
  bodyLine: number
  /** Finds the line of a field path, falling back to its nearest parent that exists. */
  lineOf(path: readonly PropertyKey[]): number | undefined
  /** The text of a scalar as written in the file (`0123`, not 83 or 123), if there is one. */
  sourceOf(path: readonly PropertyKey[]): string | undefined
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false })

export function decodeUtf8(bytes: Uint8Array): string {
  if (bytes.length > MAX_FILE_BYTES) {
    throw new FrontmatterError(
      `file is ${bytes.length} bytes; the limit is ${MAX_FILE_BYTES} bytes (1 MB)`,
      undefined,
      '(file)',
    )
  }
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new FrontmatterError('file is UTF-16; save it as UTF-8', undefined, '(file)')
  }
  const nul = bytes.indexOf(0)
  if (nul !== -1) {
    // Valid UTF-8, but no text file has NUL bytes: UTF-16 without a byte order mark, or binary.
    const line = Buffer.from(bytes.subarray(0, nul)).toString('latin1').split('\n').length
    throw new FrontmatterError(
      'file contains NUL bytes, so it is not UTF-8 text (UTF-16 perhaps); save it as UTF-8',
      line,
      '(file)',
    )
  }
  try {
    return utf8.decode(bytes)
  } catch {
    // Point at the line of the first bad byte: the lossy decoding marks it with U+FFFD.
    const lossy = Buffer.from(bytes).toString('utf8')
    const at = lossy.indexOf('\uFFFD')
    const line = at === -1 ? undefined : lossy.slice(0, at).split('\n').length
    throw new FrontmatterError('file is not valid UTF-8; save it as UTF-8', line, '(file)')
  }
}

const refuseScript = (): never => {
  throw new FrontmatterError('JavaScript front matter is not allowed; use YAML between --- lines', 1)
}

/**
 * gray-matter's engines under both of their names, overridden: a second line of defence
 * behind the check of the opening line (exported for its test).
 */
export const SCRIPT_ENGINES = { js: refuseScript, javascript: refuseScript } as const

export function parseMarkdownFile(source: string): ParsedFile {
  if (source.trim() === '') throw new FrontmatterError('file is empty', undefined, '(file)')
  // Windows line endings are fine: without this, the last value before the closing --- kept
  // its \r (`published: 2019-03-05\r` is not a date). Line numbers do not change.
  const text = source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n')
  const firstLine = text.slice(0, text.search(/\n|$/))
  if (/^---\s*\S/.test(firstLine)) {
    throw new FrontmatterError(
      `front matter must be YAML opened by a line of exactly "---" (found "${firstLine.slice(0, 40)}"); JavaScript and other engines are not allowed`,
      1,
    )
  }
  if (firstLine.trimEnd() !== '---') {
    throw new FrontmatterError('file must start with a "---" line opening the YAML front matter', 1)
  }
  const lines = text.split('\n')
  // The same rule as gray-matter: the first later line that starts with ---.
  const closeIndex = lines.findIndex((line, i) => i > 0 && line.startsWith('---'))
  if (closeIndex === -1) {
    throw new FrontmatterError('front matter is not closed: add a "---" line after it', 1)
  }

  let doc: Document.Parsed | undefined
  const lineCounter = new LineCounter()
  const file = matter(text, {
    language: 'yaml',
    engines: {
      ...SCRIPT_ENGINES,
      yaml: (yamlText: string): object => {
        // gray-matter passes the text from the end of the opening `---`, so its line n is
        // line n of the file.
        const nesting = yamlNestingProblem(yamlText)
        if (nesting) {
          throw new FrontmatterError(
            `front matter is nested ${nesting.depth} levels deep; the limit is ${MAX_YAML_NESTING} (check the indentation and the brackets)`,
            nesting.line,
          )
        }
        doc = parseDocument(yamlText, {
          version: '1.2',
          schema: 'core',
          uniqueKeys: true,
          prettyErrors: true,
          strict: true,
          lineCounter,
        })
        const problem = doc.errors[0] ?? doc.warnings[0]
        if (problem) throw yamlProblem(problem, yamlText)
        let value: unknown
        try {
          value = doc.toJS({ maxAliasCount: MAX_ALIASES })
        } catch {
          // Only alias expansion throws here: a "billion laughs" document.
          throw new FrontmatterError(
            `YAML aliases (*name) expand too far (over ${MAX_ALIASES}); write the values out instead`,
            firstAliasLine(yamlText),
          )
        }
        if (value === null || typeof value !== 'object' || Array.isArray(value)) {
          throw new FrontmatterError('front matter must be a set of "field: value" lines', 2)
        }
        return value
      },
    },
  })
  if (doc === undefined) {
    throw new FrontmatterError('front matter is empty', 1)
  }
  const parsedDoc = doc
  const bodyLine = closeIndex + 2

  const lineOf = (path: readonly PropertyKey[]): number | undefined => {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = depth === 0 ? parsedDoc.contents : parsedDoc.getIn(path.slice(0, depth), true)
      const range = rangeOf(node) ?? (depth > 0 ? keyRange(parsedDoc, path.slice(0, depth)) : undefined)
      if (range !== undefined) return lineCounter.linePos(range).line
    }
    return undefined
  }
  const sourceOf = (path: readonly PropertyKey[]): string | undefined => {
    const node = parsedDoc.getIn(path, true)
    return isScalar(node) && typeof node.source === 'string' ? node.source : undefined
  }
  return { data: file.data, body: file.content, bodyLine, lineOf, sourceOf }
}

/** A yaml parse error as an editor should read it: plain words, on the line to look at. */
export function yamlProblem(
  problem: { code: string; message: string; linePos?: [{ line: number }, ...unknown[]] },
  yamlText: string,
): FrontmatterError {
  const line = problem.linePos?.[0].line
  const lineText = line === undefined ? '' : (yamlText.split('\n')[line - 1] ?? '')
  // yaml's first message line ends "at line 6, column 1:"; the line is reported separately.
  const said = (problem.message.split('\n')[0] ?? problem.code).replace(/ at line \d+, column \d+:?$/, '')
  switch (problem.code) {
    case 'DUPLICATE_KEY': {
      const key = /^\s*(?:-\s+)?([^:#]+?)\s*:/.exec(lineText)?.[1]
      return new FrontmatterError(
        'is given twice; keep one',
        line,
        key === undefined ? '(frontmatter)' : key.replace(/^["']|["']$/g, ''),
      )
    }
    case 'TAB_AS_INDENT':
      return new FrontmatterError('indent with spaces, not tabs', line)
    case 'MISSING_CHAR':
      if (/quote/.test(said)) {
        // yaml points at the end of the text the open quote swallowed; point at the quote.
        return new FrontmatterError(
          'a quoted value has no closing quote mark',
          unclosedQuoteLine(yamlText) ?? line,
        )
      }
      break
  }
  if (/call stack/i.test(said)) {
    return new FrontmatterError('front matter is nested too deeply to read', line)
  }
  return new FrontmatterError(`invalid YAML: ${said}`, line)
}

/** The first line whose value opens a quote that the line does not close. */
function unclosedQuoteLine(yamlText: string): number | undefined {
  const lines = yamlText.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*(?:-\s+)?(?:[^\s:#'"][^:#]*:\s+)?(["'])(.*)$/.exec(lines[i] ?? '')
    if (!m) continue
    const rest = m[2] ?? ''
    const closed = m[1] === '"' ? /(^|[^\\])(\\\\)*"/.test(rest) : /'(?!')/.test(rest.replace(/''/g, ''))
    if (!closed) return i + 1
  }
  return undefined
}

function firstAliasLine(yamlText: string): number | undefined {
  const at = yamlText.split('\n').findIndex((line) => /(^|[\s,[{])\*[^\s,\]}]+/.test(line))
  return at === -1 ? undefined : at + 1
}

/**
 * How deeply YAML text nests, without parsing it: block nesting from the columns where
 * indented content and `- ` items start, flow nesting from unquoted [ and { brackets.
 * Conservative (a bracket inside plain text counts), which is fine at a limit of 20.
 */
export function yamlNestingProblem(yamlText: string): { line: number; depth: number } | null {
  const columns: number[] = []
  let flow = 0
  const lines = yamlText.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? ''
    const content = /^( *)((?:- +)*)(.*)$/.exec(line)
    if (!content || /^\s*(#|$)/.test(line)) continue
    const indent = content[1]?.length ?? 0
    const starts = [indent]
    let col = indent
    for (const marker of (content[2] ?? '').match(/- +/g) ?? []) {
      col += marker.length
      starts.push(col)
    }
    while (columns.length > 0 && (columns[columns.length - 1] ?? 0) >= indent) columns.pop()
    columns.push(...starts)
    let quote = ''
    let deepest = flow
    let previous = ' '
    for (const ch of line) {
      if (quote) {
        if (ch === quote) quote = ''
      } else if (ch === '"' || ch === "'") quote = ch
      else if (ch === '#' && /\s/.test(previous)) break
      else if (ch === '[' || ch === '{') deepest = Math.max(deepest, ++flow)
      else if ((ch === ']' || ch === '}') && flow > 0) flow--
      previous = ch
    }
    const depth = columns.length + deepest
    if (depth > MAX_YAML_NESTING) return { line: i + 1, depth }
  }
  return null
}

function rangeOf(node: unknown): number | undefined {
  if (node !== null && typeof node === 'object' && 'range' in node) {
    const range = (node as { range?: [number, number, number] | null }).range
    if (range) return range[0]
  }
  return undefined
}

/** The position of a key (for unknown fields, whose value may be empty). */
function keyRange(doc: Document.Parsed, path: readonly PropertyKey[]): number | undefined {
  const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true)
  const last = path[path.length - 1]
  if (isMap(parent)) {
    for (const item of parent.items) {
      if (isPair(item) && isScalar(item.key) && item.key.value === last) return rangeOf(item.key)
    }
  }
  if (isSeq(parent) && typeof last === 'number') return rangeOf(parent.items[last])
  return undefined
}

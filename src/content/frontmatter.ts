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

export function parseMarkdownFile(source: string): ParsedFile {
  if (source.trim() === '') throw new FrontmatterError('file is empty', undefined, '(file)')
  const text = source.replace(/^\uFEFF/, '')
  const firstLine = text.slice(0, text.search(/\r?\n|$/))
  if (/^---\s*\S/.test(firstLine)) {
    throw new FrontmatterError(
      `front matter must be YAML opened by a line of exactly "---" (found "${firstLine.slice(0, 40)}"); JavaScript and other engines are not allowed`,
      1,
    )
  }
  if (firstLine.trimEnd() !== '---') {
    throw new FrontmatterError('file must start with a "---" line opening the YAML front matter', 1)
  }
  const lines = text.split(/\r?\n/)
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
      js: refuseScript,
      javascript: refuseScript,
      yaml: (yamlText: string): object => {
        doc = parseDocument(yamlText, {
          version: '1.2',
          schema: 'core',
          uniqueKeys: true,
          prettyErrors: true,
          strict: true,
          lineCounter,
        })
        const problem = doc.errors[0] ?? doc.warnings[0]
        if (problem) {
          // yaml counts lines from the text after the opening `---`, which starts on line 1.
          const line = problem.linePos?.[0].line
          throw new FrontmatterError(
            `invalid YAML: ${problem.message.split('\n')[0] ?? problem.code}`,
            line === undefined ? undefined : line,
          )
        }
        const value: unknown = doc.toJS({ maxAliasCount: MAX_ALIASES })
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
  return { data: file.data, body: file.content, bodyLine, lineOf }
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

import { Marked } from 'marked'
import sanitizeHtml from 'sanitize-html'

/**
 * Markdown → safe HTML. marked passes raw HTML (script, iframe, on* attributes,
 * javascript: links) straight through, so its output is always sanitised against an
 * allowlist. This is the only HTML the views mark safe.
 */

const marked = new Marked({ gfm: true, breaks: false, async: false })

const SANITIZE_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    'h2', 'h3', 'h4', 'h5', 'p', 'ul', 'ol', 'li', 'blockquote', 'strong', 'em', 'a', 'br', 'hr',
    'code', 'pre', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'abbr',
  ],
  allowedAttributes: { a: ['href', 'title'], abbr: ['title'], th: ['scope'] },
  // Only the classes transformTags adds below; an author's own class attributes are dropped.
  allowedClasses: {
    h3: ['govuk-heading-m'],
    h4: ['govuk-heading-s'],
    h5: ['govuk-heading-s'],
    p: ['govuk-body'],
    ul: ['govuk-list', 'govuk-list--bullet'],
    ol: ['govuk-list', 'govuk-list--number'],
    a: ['govuk-link'],
    blockquote: ['govuk-inset-text'],
  },
  allowedSchemes: ['https', 'http', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // Paragraphs left empty once disallowed HTML is removed.
  exclusiveFilter: (frame) => frame.tag === 'p' && frame.text.trim() === '' && !frame.mediaChildren.length,
  // The narrative sits under the page's "The story" heading (h2), so its `##` headings become
  // h3 and so on: the page keeps one outline. govuk-frontend classes are added here rather
  // than trusting the author's HTML.
  transformTags: {
    h2: sanitizeHtml.simpleTransform('h3', { class: 'govuk-heading-m' }),
    h3: sanitizeHtml.simpleTransform('h4', { class: 'govuk-heading-s' }),
    h4: sanitizeHtml.simpleTransform('h5', { class: 'govuk-heading-s' }),
    p: sanitizeHtml.simpleTransform('p', { class: 'govuk-body' }),
    ul: sanitizeHtml.simpleTransform('ul', { class: 'govuk-list govuk-list--bullet' }),
    ol: sanitizeHtml.simpleTransform('ol', { class: 'govuk-list govuk-list--number' }),
    a: sanitizeHtml.simpleTransform('a', { class: 'govuk-link' }),
    blockquote: sanitizeHtml.simpleTransform('blockquote', { class: 'govuk-inset-text' }),
  },
}

export interface RenderedMarkdown {
  html: string
  text: string
}

export function renderMarkdown(markdown: string): RenderedMarkdown {
  const raw = marked.parse(markdown) as string
  const html = sanitizeHtml(raw, SANITIZE_OPTIONS)
  const text = sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} })
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim()
  return { html, text }
}

/**
 * marked recurses once per nesting level: 2,000 nested `>` overflow the stack and a list
 * nested 1,000 deep takes seconds. Real narratives never nest more than a few levels, so a
 * deep nest is refused as a content error before marked sees it. Depth here counts quote
 * markers, list markers and two-space steps of indentation at the start of a line.
 */
export const MAX_NESTING = 40

export function markdownNestingProblem(markdown: string): { line: number; depth: number } | null {
  const lines = markdown.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const prefix = /^(?:[ \t>]|[-*+][ \t]|\d{1,9}[.)][ \t])*/.exec(lines[i] ?? '')?.[0] ?? ''
    const markers = (prefix.match(/>|[-*+][ \t]|\d{1,9}[.)][ \t]/g) ?? []).length
    const spaces = prefix.replace(/\t/g, '    ').replace(/[^ ]/g, '').length
    const depth = markers + Math.floor(spaces / 2)
    if (depth > MAX_NESTING) return { line: i + 1, depth }
  }
  return null
}

/** About 15,000 words: ten times a long story. */
export const MAX_BODY_CHARS = 100_000

/**
 * marked's handling of emphasis is quadratic in the number of `*`, `_` and `~` marks in one
 * paragraph: 100 KB of `*_a` took over 100 s. A real paragraph has a handful, so more than
 * this many in one paragraph (text between blank lines, outside code fences) is refused.
 */
export const MAX_EMPHASIS_MARKS = 200

export interface MarkdownProblem {
  /** 1-based line in the Markdown. */
  line: number
  message: string
}

/**
 * The narrative's limits, checked before marked sees it, so that no narrative, however
 * written, can make loading hang or overflow the stack: size, nesting, emphasis marks.
 */
export function markdownProblems(markdown: string): MarkdownProblem[] {
  if (markdown.length > MAX_BODY_CHARS) {
    return [
      {
        line: 1,
        message: `the narrative is ${markdown.length.toLocaleString('en-GB')} characters long; the limit is ${MAX_BODY_CHARS.toLocaleString('en-GB')}`,
      },
    ]
  }
  const problems: MarkdownProblem[] = []
  const nesting = markdownNestingProblem(markdown)
  if (nesting) {
    problems.push({
      line: nesting.line,
      message: `Markdown is nested ${nesting.depth} levels deep; the limit is ${MAX_NESTING}`,
    })
  }
  const lines = markdown.split('\n')
  let fence = ''
  let start = 0
  let marks = 0
  for (let i = 0; i <= lines.length; i++) {
    const line = lines[i]
    const fenceMark = line === undefined ? null : /^ {0,3}(`{3,}|~{3,})/.exec(line)
    if (fenceMark) {
      if (fence === '') fence = fenceMark[1]?.[0] ?? ''
      else if (fenceMark[1]?.[0] === fence) fence = ''
    }
    if (line === undefined || line.trim() === '' || fenceMark) {
      if (marks > MAX_EMPHASIS_MARKS) {
        problems.push({
          line: start + 1,
          message: `this paragraph has ${marks} of the characters * _ ~; the limit is ${MAX_EMPHASIS_MARKS} (is some bold or italic formatting broken?)`,
        })
        break
      }
      start = i + 1
      marks = 0
      continue
    }
    if (fence === '') marks += (line.match(/[*_~]/g) ?? []).length
  }
  return problems
}

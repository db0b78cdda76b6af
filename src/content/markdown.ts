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

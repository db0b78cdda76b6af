/** Nunjucks' own escaping (lib.escape), which autoescaped `{{ }}` output goes through. */
const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '"': '&quot;',
  "'": '&#39;',
  '<': '&lt;',
  '>': '&gt;',
  '\\': '&#92;',
}

const SPECIAL = /[&"'<>\\]/
const SPECIALS = /[&"'<>\\]/g

/**
 * A value as an autoescaped `{{ value }}` writes it, for HTML built in TypeScript that must be
 * byte for byte what a template would write.
 */
export function escapeHtml(value: string | number): string {
  const text = String(value)
  // Most values (slugs, labels, numbers) have nothing to escape: the test is cheaper than a
  // replace with a callback, which the list page made hundreds of times per request.
  return SPECIAL.test(text) ? text.replace(SPECIALS, (c) => ESCAPES[c] ?? c) : text
}

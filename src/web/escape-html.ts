/** Nunjucks' own escaping (lib.escape), which autoescaped `{{ }}` output goes through. */
const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '"': '&quot;',
  "'": '&#39;',
  '<': '&lt;',
  '>': '&gt;',
  '\\': '&#92;',
}

/**
 * A value as an autoescaped `{{ value }}` writes it, for HTML built in TypeScript that must be
 * byte for byte what a template would write.
 */
export function escapeHtml(value: string | number): string {
  return String(value).replace(/[&"'<>\\]/g, (c) => ESCAPES[c] ?? c)
}

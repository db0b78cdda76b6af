import nunjucks from 'nunjucks'

/**
 * Serialises a value as JSON for the inside of a <script type="application/ld+json">.
 * Script contents are raw text to the HTML parser: HTML escaping would corrupt the JSON, and
 * plain JSON could end the element early with `</script>` or open a comment with `<!--`. So
 * `<`, `>` and `&` are written as JSON \u escapes (the same string to a JSON parser), as are
 * U+2028 and U+2029 for old JavaScript parsers.
 */
export function serialiseJsonLd(value: unknown): string {
  return (JSON.stringify(value) ?? 'null')
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
}

/** `{{ data | jsonLd }}`: serialised as above and marked safe (it is already escaped). */
export function jsonLd(value: unknown): nunjucks.runtime.SafeString {
  return new nunjucks.runtime.SafeString(serialiseJsonLd(value))
}

/** Small readers for the <head> of a page, for tests (the values are HTML-unescaped). */

const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
}

export function unescapeHtml(value: string): string {
  return value.replace(/&(amp|lt|gt|quot|#39);/g, (m) => ENTITIES[m] ?? m)
}

/** content of <meta property|name="key" content="…"> (undefined if absent). */
export function metaContent(html: string, key: string): string | undefined {
  const re = new RegExp(
    `<meta (?:property|name)="${key.replace(/[.:]/g, '\\$&')}" content="([^"]*)">`,
  )
  const match = re.exec(html)
  return match?.[1] === undefined ? undefined : unescapeHtml(match[1])
}

/** href of the first <link rel="rel" [type="type"]>. */
export function linkHref(html: string, rel: string, type?: string): string | undefined {
  for (const match of html.matchAll(/<link [^>]*>/g)) {
    const tag = match[0]
    if (!tag.includes(` rel="${rel}"`)) continue
    if (type !== undefined && !tag.includes(` type="${type}"`)) continue
    const href = / href="([^"]*)"/.exec(tag)?.[1]
    return href === undefined ? undefined : unescapeHtml(href)
  }
  return undefined
}

/**
 * The raw text of each <script type="application/ld+json"> element, cut where the HTML
 * parser would cut it: at the first `</script`. If content could break out, the text would
 * end early and no longer parse as JSON.
 */
export function jsonLdBlocks(html: string): string[] {
  const blocks: string[] = []
  const open = '<script type="application/ld+json">'
  let at = html.indexOf(open)
  while (at !== -1) {
    const start = at + open.length
    const end = html.toLowerCase().indexOf('</script', start)
    blocks.push(html.slice(start, end))
    at = html.indexOf(open, end)
  }
  return blocks
}

export function title(html: string): string | undefined {
  const match = /<title>([^<]*)<\/title>/.exec(html)
  return match?.[1] === undefined ? undefined : unescapeHtml(match[1])
}

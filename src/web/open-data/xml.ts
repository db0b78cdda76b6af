import { create } from 'xmlbuilder2'
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js'

/**
 * Building XML documents (Atom, sitemap) with xmlbuilder2, which escapes `<`, `>` and `"`.
 * Characters XML 1.0 cannot hold (control characters) are dropped rather than breaking the
 * document.
 *
 * One quirk is handled here: xmlbuilder2 leaves anything that looks like an entity
 * reference (`&amp;`, `&lt;`, `&nbsp;`, `&#60;`) unescaped, on the theory that it already
 * is one. For our values that is wrong: narrative HTML holds `&lt;script&gt;` meaning the
 * text "<script>", which would reach feed readers as a tag, and `&nbsp;` would be an
 * undefined entity. So every `&` is escaped before xmlbuilder2 sees it; it then passes our
 * `&amp;` through unchanged, and the value round-trips exactly.
 */

export type XmlAttributes = Readonly<Record<string, string>>

const protect = (value: string): string => value.replace(/&/g, '&amp;')

function protectAll(attributes: XmlAttributes): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(attributes)) out[name] = protect(value)
  return out
}

/** A new document whose root element is `name` in namespace `ns`. */
export function xmlDocument(
  ns: string,
  name: string,
  attributes: XmlAttributes = {},
): { doc: XMLBuilder; root: XMLBuilder } {
  const doc = create({ version: '1.0', encoding: 'utf-8', invalidCharReplacement: '' })
  return { doc, root: doc.ele(ns, name, protectAll(attributes)) }
}

/** A child element with attributes and, optionally, text; both escaped exactly once. */
export function xmlElement(
  parent: XMLBuilder,
  name: string,
  attributes: XmlAttributes = {},
  text?: string,
): XMLBuilder {
  const element = parent.ele(name, protectAll(attributes))
  if (text !== undefined) element.txt(protect(text))
  return element
}

export function serialiseXml(doc: XMLBuilder): string {
  return doc.end({ prettyPrint: true })
}

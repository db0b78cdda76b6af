import { XMLParser, XMLValidator } from 'fast-xml-parser'

/**
 * Parses XML with a real parser, after checking it is well-formed. Elements named in
 * `arrays` are always lists; attributes are under `@_name`; text of an element with
 * attributes is `#text`. Values are never converted to numbers.
 */
export function parseXml(xml: string, arrays: readonly string[] = []): Record<string, unknown> {
  const valid = XMLValidator.validate(xml)
  if (valid !== true) throw new Error(`Not well-formed XML: ${JSON.stringify(valid.err)}`)
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    isArray: (name) => arrays.includes(name),
  })
  return parser.parse(xml) as Record<string, unknown>
}

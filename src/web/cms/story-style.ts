import { stringify } from 'yaml'
import { STORY_FORM } from './story-form.js'

/**
 * A story file as the editors' CMS writes it, so that the bundled stories can be kept in its
 * style (scripts/cms-style-stories.ts) and an editor's change shows in a diff as that field's
 * lines alone. Sveltia CMS 0.221.1 writes the frontmatter with the `yaml` package and these
 * options (its `output.yaml` defaults: two spaces, indented lists, plain strings, no folding),
 * the keys in its form's order, `draft: false` when the box is not ticked, then a blank line and
 * the narrative. Check them again when upgrading Sveltia (README).
 */
export const CMS_YAML_OPTIONS = {
  indent: 2,
  indentSeq: true,
  lineWidth: 0,
  defaultKeyType: 'PLAIN',
  defaultStringType: 'PLAIN',
  singleQuote: true,
} as const

interface Ordered {
  fields?: Readonly<Record<string, Ordered>>
}

/** The value with its keys in the form's order (what the CMS writes), recursively. */
function inFormOrder(
  value: unknown,
  fields: Readonly<Record<string, Ordered>> | undefined,
): unknown {
  if (Array.isArray(value)) return value.map((item) => inFormOrder(item, fields))
  if (value === null || typeof value !== 'object' || fields === undefined) return value
  const record = value as Record<string, unknown>
  const known = Object.keys(fields).filter((key) => key in record)
  const unknown = Object.keys(record).filter((key) => !(key in fields))
  return Object.fromEntries(
    [...known, ...unknown].map((key) => [key, inFormOrder(record[key], fields[key]?.fields)]),
  )
}

export function cmsStyleStory(frontmatter: Record<string, unknown>, body: string): string {
  const data = inFormOrder({ draft: false, ...frontmatter }, STORY_FORM)
  const yaml = stringify(data, null, CMS_YAML_OPTIONS).trim()
  const narrative = body.trim()
  return `---\n${yaml}\n---\n${narrative === '' ? '' : `\n${narrative}\n`}`
}

import { z } from 'zod'
import {
  SLUG_PATTERN,
  storyFrontmatterSchema,
  type StoryFrontmatter,
} from '../../content/schema.js'
import type { Theme } from '../../content/schema.js'
import {
  CHALLENGE_TYPES,
  COUNCIL_TYPES,
  POLITICAL_CONTROLS,
  REGIONS,
  SPEAKERS,
} from '../../content/vocabulary.js'

/**
 * The story form of the editors' CMS (Sveltia CMS, Decap's configuration format), generated
 * from the zod schema that validates the content: types, required fields, enums, lengths,
 * bounds and patterns come from `z.toJSONSchema`; only what a schema cannot say (a label, a
 * hint, which vocabulary names an enum's values, that a string is a date) is written here.
 * A schema field with no entry here, an enum value with no label, or a pattern with no
 * message stops the generation (and so start-up and the tests), rather than leave a field out
 * of the form or show an editor a regular expression.
 */

/** A field of the CMS configuration (Decap/Sveltia `fields` entry). */
export type CmsField = { name: string; label: string; widget: string } & Record<string, unknown>

/** What the form needs beyond the schema, for one frontmatter field. */
interface FieldForm {
  label: string
  hint?: string
  /** A long text: a text area rather than one line. */
  multiline?: boolean
  /** A date written YYYY-MM-DD: the date picker. */
  date?: boolean
  /** The labels of an enum's values (the site's vocabulary). */
  labels?: Readonly<Record<string, string>>
  /** A theme slug (or a list of them): a select of themes.yml's titles. */
  themes?: boolean
  /** A list of objects: the subfields, and the line shown for a collapsed item. */
  fields?: Readonly<Record<string, FieldForm>>
  summary?: string
  /** A list of strings: the one item's label and hint. */
  item?: FieldForm
}

const SLUG_RULE = 'Lower-case letters, digits and single hyphens only, e.g. leader-budget-gap.'

/** Messages for the schema's patterns, by the pattern's source. */
const PATTERN_MESSAGES = new Map<string, string>([
  [SLUG_PATTERN.source, `Use lower-case letters, digits and single hyphens only (no spaces).`],
])

const QUOTE_FORM: Readonly<Record<string, FieldForm>> = {
  id: {
    label: 'Quote id',
    hint: `A short name for the quote, unique in this story: it is the end of the quote's link. ${SLUG_RULE}`,
  },
  speaker: { label: 'Speaker', labels: SPEAKERS },
  name: { label: 'Speaker’s name', hint: 'Only if the person agreed to be named.' },
  text: { label: 'What they said', multiline: true, hint: 'Without quotation marks.' },
  theme: {
    label: 'Theme of this quote',
    themes: true,
    hint: 'Optional: the one theme it speaks to.',
  },
}

/** Every frontmatter field, in the order the form shows them and the CMS writes them. */
export const STORY_FORM: Readonly<Record<keyof StoryFrontmatter, FieldForm>> = {
  title: {
    label: 'Title',
    hint: 'What changed, in a sentence, e.g. “Ambershire confronts a widening budget gap”.',
  },
  council: { label: 'Council', hint: 'Its full name, e.g. Ambershire County Council.' },
  councilType: { label: 'Type of council', labels: COUNCIL_TYPES },
  region: { label: 'Region', labels: REGIONS },
  politicalControl: {
    label: 'Political control',
    labels: POLITICAL_CONTROLS,
    hint: 'At the time of the challenge.',
  },
  challenge: {
    label: 'Peer challenge',
    fields: {
      type: { label: 'Type of challenge', labels: CHALLENGE_TYPES },
      year: { label: 'Year of the challenge', hint: 'e.g. 2019' },
    },
  },
  themes: { label: 'Themes', themes: true, hint: 'One to five themes the story is about.' },
  summary: {
    label: 'Summary',
    multiline: true,
    hint: 'Two or three sentences shown in lists of stories and in search results.',
  },
  impacts: {
    label: 'Impacts',
    hint: 'What changed, one short statement each.',
    item: { label: 'Impact' },
  },
  quotes: {
    label: 'Quotes',
    hint: 'What the people involved said, one quote each.',
    fields: QUOTE_FORM,
    summary: '{{fields.speaker}}: {{fields.text}}',
  },
  published: { label: 'Published', date: true, hint: 'The day the story first appears.' },
  updated: { label: 'Updated', date: true, hint: 'Only when the story was changed in substance.' },
  aliases: {
    label: 'Former addresses',
    hint: 'Earlier names of this story’s file: their addresses redirect here.',
    item: { label: 'Former name', hint: SLUG_RULE },
  },
  draft: { label: 'Draft', hint: 'A draft is shown only when the site runs in development.' },
  reportUrl: { label: 'Link to the peer challenge report', hint: 'An https:// address.' },
}

/** The narrative: the Markdown below the frontmatter (Decap's `body` field). */
export const BODY_FIELD: CmsField = {
  name: 'body',
  label: 'Narrative',
  widget: 'markdown',
  required: true,
  hint: 'The story itself. Use headings (## Heading) for its parts: the challenge, what the council did, where it stands.',
  // Only what the story page keeps (src/content/markdown.ts sanitises the rest away): no
  // pictures, no strikethrough.
  buttons: [
    'bold',
    'italic',
    'link',
    'heading-two',
    'heading-three',
    'quote',
    'bulleted-list',
    'numbered-list',
    'code',
  ],
  editor_components: ['code-block'],
}

/** The subset of JSON Schema that `z.toJSONSchema` writes for the content schema. */
export interface JsonSchema {
  type?: string
  enum?: string[]
  format?: string
  pattern?: string
  minLength?: number
  maxLength?: number
  minimum?: number
  maximum?: number
  minItems?: number
  maxItems?: number
  items?: JsonSchema
  properties?: Record<string, JsonSchema>
  required?: string[]
}

/** The story frontmatter's schema as JSON Schema (its input side: what a file holds). */
export function storyJsonSchema(currentYear: number): JsonSchema {
  return z.toJSONSchema(storyFrontmatterSchema(currentYear), { io: 'input' }) as JsonSchema
}

function fail(path: string, message: string): never {
  throw new Error(`CMS form, ${path}: ${message}`)
}

function patternOption(path: string, pattern: string | undefined): Record<string, unknown> {
  if (pattern === undefined) return {}
  const message =
    PATTERN_MESSAGES.get(pattern) ?? fail(path, `no message for the pattern ${pattern}`)
  return { pattern: [pattern, message] }
}

function options(
  path: string,
  values: readonly string[],
  form: FieldForm,
  themes: readonly Theme[],
) {
  if (form.themes) return themes.map((theme) => ({ label: theme.title, value: theme.slug }))
  const labels = form.labels ?? fail(path, 'an enum needs the labels of its values')
  return values.map((value) => ({
    label: labels[value] ?? fail(path, `no label for "${value}"`),
    value,
  }))
}

function bounds(schema: JsonSchema): Record<string, unknown> {
  return {
    ...(schema.minItems !== undefined && { min: schema.minItems }),
    ...(schema.maxItems !== undefined && { max: schema.maxItems }),
  }
}

function field(
  path: string,
  name: string,
  schema: JsonSchema,
  required: boolean,
  form: FieldForm,
  themes: readonly Theme[],
): CmsField {
  const common = {
    name,
    label: form.label,
    required,
    ...(form.hint !== undefined && { hint: form.hint }),
  }
  const isSelect = schema.enum !== undefined || form.themes === true
  switch (schema.type) {
    case 'string':
      if (isSelect) {
        return {
          ...common,
          widget: 'select',
          options: options(path, schema.enum ?? [], form, themes),
        }
      }
      if (form.date) {
        // The picker writes YYYY-MM-DD, which is all the schema's pattern asks of a date.
        return { ...common, widget: 'datetime', type: 'date', format: 'YYYY-MM-DD' }
      }
      if (schema.format === 'uri') {
        return {
          ...common,
          widget: 'string',
          pattern: ['^https://', 'Write an address starting https://'],
        }
      }
      return {
        ...common,
        widget: form.multiline ? 'text' : 'string',
        ...(schema.minLength !== undefined && { minlength: schema.minLength }),
        ...(schema.maxLength !== undefined && { maxlength: schema.maxLength }),
        ...patternOption(path, schema.pattern),
      }
    case 'integer':
      return {
        ...common,
        widget: 'number',
        value_type: 'int',
        ...(schema.minimum !== undefined && { min: schema.minimum }),
        ...(schema.maximum !== undefined && { max: schema.maximum }),
      }
    case 'boolean':
      return { ...common, widget: 'boolean' }
    case 'object': {
      const subforms = form.fields ?? fail(path, 'an object needs the forms of its fields')
      return { ...common, widget: 'object', fields: objectFields(path, schema, subforms, themes) }
    }
    case 'array': {
      const items = schema.items ?? fail(path, 'a list needs its items’ schema')
      if (items.enum !== undefined || form.themes === true) {
        return {
          ...common,
          widget: 'select',
          multiple: true,
          ...bounds(schema),
          options: options(path, items.enum ?? [], form, themes),
        }
      }
      if (items.type === 'object') {
        const subforms =
          form.fields ?? fail(path, 'a list of objects needs the forms of its fields')
        return {
          ...common,
          widget: 'list',
          ...bounds(schema),
          ...(form.summary !== undefined && { summary: form.summary }),
          fields: objectFields(path, items, subforms, themes),
        }
      }
      const item = form.item ?? fail(path, 'a list of values needs the form of its item')
      return {
        ...common,
        widget: 'list',
        ...bounds(schema),
        field: field(`${path}[]`, 'item', items, true, item, themes),
      }
    }
    default:
      return fail(path, `no form field for the schema type ${String(schema.type)}`)
  }
}

function objectFields(
  path: string,
  schema: JsonSchema,
  forms: Readonly<Record<string, FieldForm>>,
  themes: readonly Theme[],
): CmsField[] {
  const properties = schema.properties ?? fail(path, 'an object with no properties')
  const required = new Set(schema.required ?? [])
  for (const name of Object.keys(properties)) {
    if (!(name in forms)) fail(`${path}.${name}`, 'the schema has this field and the form does not')
  }
  // The form's order, which is the order the CMS writes the keys in.
  return Object.entries(forms).map(([name, form]) => {
    const property =
      properties[name] ?? fail(`${path}.${name}`, 'the form has this field and the schema does not')
    return field(`${path}.${name}`, name, property, required.has(name), form, themes)
  })
}

/** The story collection's fields: every frontmatter field, then the narrative. */
export function storyFormFields(themes: readonly Theme[], currentYear: number): CmsField[] {
  return [...objectFields('story', storyJsonSchema(currentYear), STORY_FORM, themes), BODY_FIELD]
}

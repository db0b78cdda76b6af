import { z } from 'zod'
import {
  CHALLENGE_TYPES,
  COUNCIL_TYPES,
  POLITICAL_CONTROLS,
  REGIONS,
  SPEAKERS,
  keysOf,
} from './vocabulary.js'

/**
 * The content contract, as zod schemas: the single source of the frontmatter types.
 * Objects are strict because an unknown field is almost always a typo ("summery:").
 * Cross-file rules (theme slugs exist, slugs and aliases are unique) live in library.ts.
 */

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/
const slug = (what: string) =>
  z
    .string({ error: `must be text (a ${what})` })
    .regex(SLUG_PATTERN, `must be lower-case letters, digits and single hyphens (a ${what})`)

/** A real calendar date written as YYYY-MM-DD (the YAML is parsed with no date type). */
const isoDate = z
  .string({ error: 'must be a date written as YYYY-MM-DD' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written as YYYY-MM-DD')
  .refine((value) => {
    const [y, m, d] = value.split('-').map(Number) as [number, number, number]
    const date = new Date(Date.UTC(y, m - 1, d))
    return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d
  }, 'is not a real date')

const text = (min: number, max: number) =>
  z
    .string({ error: 'must be text' })
    .trim()
    .min(min, `must be at least ${min} characters`)
    .max(max, `must be at most ${max} characters`)

/**
 * A quote id is an HTML id on the story page, next to the page's own ids. Those are
 * `main-content` (the skip link's target) and ids starting `app-`, so quote ids may not be.
 */
const quoteId = slug('quote id').refine(
  (id) => id !== 'main-content' && !id.startsWith('app-'),
  'must not be "main-content" or start with "app-" (the page uses those ids itself)',
)

export const quoteSchema = z.strictObject({
  id: quoteId,
  speaker: z.enum(keysOf(SPEAKERS), {
    error: `must be one of: ${Object.keys(SPEAKERS).join(', ')}`,
  }),
  name: text(2, 120).optional(),
  text: text(10, 1500),
  theme: slug('theme slug').optional(),
})

export function storyFrontmatterSchema(currentYear: number) {
  return z
    .strictObject({
      title: text(5, 120),
      council: text(3, 120),
      councilType: z.enum(keysOf(COUNCIL_TYPES), {
        error: `must be one of: ${Object.keys(COUNCIL_TYPES).join(', ')}`,
      }),
      region: z.enum(keysOf(REGIONS), {
        error: `must be one of: ${Object.keys(REGIONS).join(', ')}`,
      }),
      politicalControl: z
        .enum(keysOf(POLITICAL_CONTROLS), {
          error: `must be one of: ${Object.keys(POLITICAL_CONTROLS).join(', ')}`,
        })
        .optional(),
      challenge: z.strictObject(
        {
          type: z.enum(keysOf(CHALLENGE_TYPES), {
            error: `must be one of: ${Object.keys(CHALLENGE_TYPES).join(', ')}`,
          }),
          year: z
            .number({ error: 'must be a year, e.g. 2017' })
            .int('must be a whole year')
            .min(2011, 'must be 2011 or later')
            .max(currentYear, `must not be after ${currentYear}`),
        },
        { error: 'must be a mapping with type and year' },
      ),
      themes: z
        .array(slug('theme slug'), { error: 'must be a list of theme slugs' })
        .min(1, 'must list at least one theme')
        .max(5, 'must list at most five themes'),
      summary: text(20, 300),
      impacts: z
        .array(text(3, 300), { error: 'must be a list of short statements' })
        .min(1, 'must list at least one impact')
        .max(10, 'must list at most ten impacts'),
      quotes: z
        .array(quoteSchema, { error: 'must be a list of quotes' })
        .min(1, 'must have at least one quote')
        .max(30, 'must have at most thirty quotes'),
      published: isoDate,
      updated: isoDate.optional(),
      aliases: z.array(slug('former slug'), { error: 'must be a list of former slugs' }).optional(),
      draft: z.boolean({ error: 'must be true or false' }).optional(),
      reportUrl: z
        .url({ protocol: /^https$/, error: 'must be an https:// URL' })
        .optional(),
    })
    .superRefine((story, ctx) => {
      if (story.updated !== undefined && story.updated < story.published) {
        ctx.addIssue({ code: 'custom', path: ['updated'], message: 'must not be before published' })
      }
      const seen = new Set<string>()
      story.quotes.forEach((quote, index) => {
        if (seen.has(quote.id)) {
          ctx.addIssue({
            code: 'custom',
            path: ['quotes', index, 'id'],
            message: `duplicate quote id "${quote.id}" (ids must be unique in a story)`,
          })
        }
        seen.add(quote.id)
      })
    })
}

export type StoryFrontmatter = z.infer<ReturnType<typeof storyFrontmatterSchema>>
export type QuoteFrontmatter = z.infer<typeof quoteSchema>

export const themeSchema = z.strictObject({
  slug: slug('theme slug'),
  title: text(3, 80),
  description: text(10, 400),
})

export const themesFileSchema = z
  .array(themeSchema, { error: 'must be a list of themes' })
  .min(1, 'must list at least one theme')

export type Theme = z.infer<typeof themeSchema>

/** Most words in one term of synonyms.yml (the longest names of bodies in the shipped file are 7). */
export const MAX_SYNONYM_WORDS = 8

/** One term of a synonym group: an abbreviation, a word or a phrase, as people type it. */
const synonymTerm = z
  .string({ error: 'must be text (put a number in quotes, e.g. "114")' })
  .transform((value) => value.trim().replace(/\s+/g, ' '))
  .pipe(
    z
      .string()
      .min(1, 'must not be empty')
      .max(60, 'must be at most 60 characters')
      .regex(
        /^[\p{L}\p{N}]+(?:[ '’-]+[\p{L}\p{N}]+)*$/u,
        'may hold only letters, digits, spaces, hyphens and apostrophes',
      )
      .refine(
        (term) => term.split(' ').length <= MAX_SYNONYM_WORDS,
        `must be at most ${MAX_SYNONYM_WORDS} words`,
      ),
  )

export const synonymGroupSchema = z
  .array(synonymTerm, { error: 'must be a list of terms that mean the same, e.g. [NOC, no overall control]' })
  .min(2, 'must list at least two terms that mean the same')
  .max(12, 'must list at most twelve terms (split it into groups)')

/** synonyms.yml: a list of groups; an empty file (or only comments) is no synonyms. */
export const synonymsFileSchema = z
  .array(synonymGroupSchema, { error: 'must be a list of groups, one a line: - [NOC, no overall control]' })
  .max(1000, 'must list at most 1,000 groups')
  .nullable()
  .transform((groups) => groups ?? [])

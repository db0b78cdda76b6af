import { stringify } from 'csv-stringify/sync'
import type { Library } from '../../content/library.js'
import type { Story } from '../../content/model.js'
import {
  CHALLENGE_TYPES,
  COUNCIL_TYPES,
  POLITICAL_CONTROLS,
  REGIONS,
  SPEAKERS,
} from '../../content/vocabulary.js'
import { absoluteUrl, paths } from '../links.js'

/**
 * CSV downloads for spreadsheets (docs/api.md). RFC 4180 quoting by csv-stringify, CRLF line
 * ends, and a byte order mark so Excel reads UTF-8. Cells that a spreadsheet would run as a
 * formula (starting =, +, -, @, tab or CR) are prefixed with ' (csv-stringify's
 * escape_formulas). Values are the labels people read; slugs are there to join on.
 */
const OPTIONS = {
  bom: true,
  header: true,
  record_delimiter: 'windows',
  escape_formulas: true,
} as const

/** Several values in one cell: themes, impacts. */
const LIST_SEPARATOR = '; '

export function storiesCsv(stories: readonly Story[], library: Library, baseUrl: string): string {
  const themeTitle = (slug: string): string => library.themeBySlug.get(slug)?.title ?? slug
  return stringify(
    stories.map((s) => ({
      slug: s.slug,
      title: s.title,
      council: s.council,
      council_type: COUNCIL_TYPES[s.councilType],
      region: REGIONS[s.region],
      political_control:
        s.politicalControl === undefined ? '' : POLITICAL_CONTROLS[s.politicalControl],
      challenge_type: CHALLENGE_TYPES[s.challenge.type],
      challenge_year: s.challenge.year,
      themes: s.themes.map(themeTitle).join(LIST_SEPARATOR),
      summary: s.summary,
      impacts: s.impacts.join(LIST_SEPARATOR),
      quote_count: s.quotes.length,
      published: s.published,
      updated: s.updated ?? '',
      url: absoluteUrl(baseUrl, paths.story(s)),
    })),
    {
      ...OPTIONS,
      columns: [
        'slug',
        'title',
        'council',
        'council_type',
        'region',
        'political_control',
        'challenge_type',
        'challenge_year',
        'themes',
        'summary',
        'impacts',
        'quote_count',
        'published',
        'updated',
        'url',
      ],
    },
  )
}

export function quotesCsv(stories: readonly Story[], library: Library, baseUrl: string): string {
  const rows = stories.flatMap((s) =>
    s.quotes.map((q) => ({
      story_slug: s.slug,
      story_title: s.title,
      council: s.council,
      challenge_type: CHALLENGE_TYPES[s.challenge.type],
      challenge_year: s.challenge.year,
      quote_id: q.id,
      speaker: SPEAKERS[q.speaker],
      name: q.name ?? '',
      text: q.text,
      theme: q.theme === undefined ? '' : (library.themeBySlug.get(q.theme)?.title ?? q.theme),
      url: absoluteUrl(baseUrl, paths.quote(q)),
      url_in_story: absoluteUrl(baseUrl, paths.quoteInStory(q)),
    })),
  )
  return stringify(rows, {
    ...OPTIONS,
    columns: [
      'story_slug',
      'story_title',
      'council',
      'challenge_type',
      'challenge_year',
      'quote_id',
      'speaker',
      'name',
      'text',
      'theme',
      'url',
      'url_in_story',
    ],
  })
}

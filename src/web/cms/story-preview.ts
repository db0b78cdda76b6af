import { councilSlugOf } from '../../content/council-slug.js'
import { markdownProblems, renderMarkdown } from '../../content/markdown.js'
import type { Quote, Story, Theme } from '../../content/model.js'

/**
 * What views/components/story-article.njk is rendered with in the CMS's preview pane
 * (public/js/cms/story-preview.js, bundled for the browser): the entry being edited, as the
 * story page would have it. The entry is a form half filled in, so nothing in it can be
 * trusted to be there or to have its type: a missing field is left empty, as the page leaves an
 * unset optional field, and the template shows what there is. The narrative goes through the
 * server's own Markdown renderer and sanitiser (src/content/markdown.ts).
 */
export interface StoryPreviewContext {
  story: Story
  themes: { slug: string; title: string }[]
}

/** The entry's fields as the CMS hands them over (its `data`, made plain). */
export type EntryData = Readonly<Record<string, unknown>>

const text = (value: unknown): string => (typeof value === 'string' ? value : '')

const texts = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []

const records = (value: unknown): Record<string, unknown>[] =>
  Array.isArray(value)
    ? value.filter(
        (item): item is Record<string, unknown> => typeof item === 'object' && item !== null,
      )
    : []

/** An optional field: present only when filled in, as the loaded story has it. */
function optional<K extends string>(key: K, value: unknown): Partial<Record<K, string>> {
  const given = text(value)
  return given === '' ? {} : ({ [key]: given } as Record<K, string>)
}

export function storyPreviewContext(
  data: EntryData,
  slug: string,
  themes: readonly Pick<Theme, 'slug' | 'title'>[],
): StoryPreviewContext {
  const challenge =
    typeof data.challenge === 'object' && data.challenge !== null
      ? (data.challenge as Record<string, unknown>)
      : {}
  const quotes = records(data.quotes).map(
    (quote) =>
      ({
        id: text(quote.id),
        speaker: text(quote.speaker),
        ...optional('name', quote.name),
        text: text(quote.text),
        ...optional('theme', quote.theme),
        storySlug: slug,
      }) as Quote,
  )
  // A narrative the server would refuse (too long, too deeply nested) is not shown: marked
  // could hang the editor's tab on it, as it would the server.
  const body = text(data.body)
  const rendered =
    markdownProblems(body).length === 0 ? renderMarkdown(body) : { html: '', text: '' }
  const story = {
    slug,
    title: text(data.title),
    council: text(data.council),
    councilSlug: councilSlugOf(text(data.council)),
    councilType: text(data.councilType),
    region: text(data.region),
    ...optional('politicalControl', data.politicalControl),
    challenge: {
      type: text(challenge.type),
      year: typeof challenge.year === 'number' ? challenge.year : '',
    },
    themes: texts(data.themes),
    summary: text(data.summary),
    impacts: texts(data.impacts),
    quotes,
    published: text(data.published),
    ...optional('updated', data.updated),
    aliases: texts(data.aliases),
    draft: data.draft === true,
    ...optional('reportUrl', data.reportUrl),
    bodyHtml: rendered.html,
    bodyText: rendered.text,
    sourcePath: `stories/${slug}.md`,
  } as Story
  const titles = new Map(themes.map((theme) => [theme.slug, theme.title]))
  return {
    story,
    themes: story.themes.flatMap((slug) => {
      const title = titles.get(slug)
      return title === undefined ? [] : [{ slug, title }]
    }),
  }
}

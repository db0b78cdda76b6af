import type { Story } from '../../src/content/model.js'

/** A valid story object for unit tests, without loading files. */
export function makeStory(overrides: Partial<Story> = {}): Story {
  const slug = overrides.slug ?? 'a-story'
  return {
    slug,
    title: 'A story',
    council: 'Anytown Borough Council',
    councilSlug: 'anytown-borough-council',
    councilType: 'unitary',
    region: 'london',
    challenge: { type: 'corporate', year: 2019 },
    themes: ['transformation'],
    summary: 'A council changed, with help from its peers.',
    impacts: ['Something changed'],
    quotes: [
      { id: 'leader-a', speaker: 'leader', text: 'We changed a great deal.', storySlug: slug },
    ],
    published: '2020-02-03',
    aliases: [],
    draft: false,
    bodyHtml: '<p class="govuk-body">Body</p>',
    bodyText: 'Body',
    sourcePath: `stories/${slug}.md`,
    ...overrides,
  }
}

import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseMarkdownFile } from '../../../src/content/frontmatter.js'
import { storyPreviewContext } from '../../../src/web/cms/story-preview.js'
import { viewEnvironment } from '../../../src/web/view-environment.js'
import { createTestApp, FIXTURE_CONTENT } from '../../helpers/app.js'

/**
 * The CMS's preview pane renders views/components/story-article.njk with what
 * storyPreviewContext makes of the entry being edited (public/js/cms/story-preview.js). For a
 * story as saved, that is the story the server loads; for a form half filled in, the template
 * still renders, leaving out what is missing.
 */
describe('storyPreviewContext', () => {
  it('makes of each story file the story the server loads, with its themes', async () => {
    const { content } = await createTestApp()
    const { library } = content.current
    expect(library.stories.length).toBeGreaterThan(1)
    for (const story of library.stories) {
      const parsed = parseMarkdownFile(
        readFileSync(path.join(FIXTURE_CONTENT, story.sourcePath), 'utf8'),
      )
      const data = { ...(parsed.data as Record<string, unknown>), body: parsed.body }
      const context = storyPreviewContext(data, story.slug, library.themes)
      expect(context.story).toEqual(story)
      expect(context.themes).toEqual(
        story.themes.map((slug) => {
          const theme = library.themeBySlug.get(slug)
          return { slug, title: theme?.title }
        }),
      )
    }
  })

  it('renders the article for a new entry with only a title, with no empty link', async () => {
    const { app } = await createTestApp()
    const context = storyPreviewContext({ title: 'Westry <learns> to say no' }, '', [])
    const html = viewEnvironment(app).render('components/story-article.njk', context)
    expect(html).toContain('<h1 class="govuk-heading-xl">Westry &lt;learns&gt; to say no</h1>')
    expect(html).toContain('<h2 class="govuk-heading-l">The story</h2>')
    expect(html).not.toMatch(/<a [^>]*>\s*<\/a>/)
    expect(html).not.toContain('undefined')
  })

  it('sanitises the narrative as the server does, and leaves out one it would refuse', () => {
    const written = storyPreviewContext(
      { body: '## Heading\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))' },
      'a-story',
      [],
    )
    expect(written.story.bodyHtml).toContain('<h3 class="govuk-heading-m">Heading</h3>')
    expect(written.story.bodyHtml).toContain('<a class="govuk-link">x</a>')
    expect(written.story.bodyHtml).not.toMatch(/<script|javascript:/)
    const tooDeep = storyPreviewContext({ body: '>'.repeat(2_000) + ' deep' }, 'a-story', [])
    expect(tooDeep.story.bodyHtml).toBe('')
  })
})

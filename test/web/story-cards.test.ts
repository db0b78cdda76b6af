import { beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.js'
import { loadSiteContent } from '../../src/site/load.js'
import type { Story } from '../../src/content/model.js'
import { fromRoot } from '../../src/paths.js'
import { createViewEnvironment } from '../../src/web/view-environment.js'
import { StoryCardList } from '../../src/web/story-cards.js'
import { FIXTURE_CONTENT } from '../helpers/app.js'

/**
 * The list page's cards, rendered once per story, must be what views/pages/stories.njk wrote
 * with its loop over the macro: the loop is kept here, verbatim, as the reference.
 */
const LOOP_AS_IT_WAS = `{% from "components/story-card.njk" import appStoryCard %}
    <ul class="app-card-list">
      {% for story in page.items %}
        {{ appStoryCard({ story: story, headingLevel: 2 }) }}
      {% endfor %}
    </ul>
`
/** The line that replaced it. */
const LINE_AS_IT_IS = '    {{ storyCardsHtml | safe }}\n'

const env = createViewEnvironment({ config: loadConfig({ LOG_LEVEL: 'silent' }) })
const stories: Story[] = []

beforeAll(async () => {
  // The fixture stories and the 19 bundled ones.
  for (const contentDir of [FIXTURE_CONTENT, fromRoot('content')]) {
    const { library } = await loadSiteContent({ contentDir, dev: false, cacheDir: undefined })
    stories.push(...library.stories)
  }
})

function both(list: StoryCardList, items: readonly Story[]): { ours: string; macro: string } {
  return {
    ours: env.renderString(LINE_AS_IT_IS, { storyCardsHtml: list.html(items) }),
    macro: env.renderString(LOOP_AS_IT_WAS, { page: { items } }),
  }
}

describe('story cards rendered once', () => {
  it('are byte for byte the macro loop, for every fixture and bundled story', () => {
    expect(stories.length).toBeGreaterThan(5)
    const { ours, macro } = both(new StoryCardList(env, { keep: true }), stories)
    expect(ours).toBe(macro)
    expect(ours).toContain('<h2 class="app-card__title">')
  })

  it('escape what the macro escapes', () => {
    const hostile = {
      ...stories[0],
      title: 'A <script>"title"</script> & co',
      summary: "It's <b>bold</b>",
      council: 'Ashcombe & <Vale>',
    } as Story
    const { ours, macro } = both(new StoryCardList(env, { keep: true }), [hostile])
    expect(ours).toBe(macro)
    expect(ours).toContain('A &lt;script&gt;&quot;title&quot;&lt;/script&gt; &amp; co')
    expect(ours).not.toContain('<b>')
  })

  it('an empty list is the empty <ul>, as before', () => {
    const { ours, macro } = both(new StoryCardList(env, { keep: true }), [])
    expect(ours).toBe(macro)
  })

  it('keeps each card (a story object does not change while it is served)', () => {
    const story = { ...stories[0] } as Story
    const list = new StoryCardList(env, { keep: true })
    const first = list.html([story])
    story.title = 'Changed after the first render'
    expect(list.html([story])).toBe(first)
  })

  it('keeps nothing when told not to (development, where templates reload)', () => {
    const story = { ...stories[0] } as Story
    const list = new StoryCardList(env, { keep: false })
    list.html([story])
    story.title = 'Changed after the first render'
    expect(list.html([story])).toContain('Changed after the first render')
  })
})

import { beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.js'
import { loadSiteContent } from '../../src/site/load.js'
import type { Quote, Story } from '../../src/content/model.js'
import { fromRoot } from '../../src/paths.js'
import { SearchQuoteHtml } from '../../src/web/search-quote-html.js'
import { createViewEnvironment } from '../../src/web/view-environment.js'

/**
 * The search page's quotes are the appQuote macro rendered once per quote with a stand-in for
 * the highlighted text; the macro called with the text is the reference, byte for byte.
 */
const env = createViewEnvironment({ config: loadConfig({ LOG_LEVEL: 'silent' }) })
let stories: Story[] = []

beforeAll(async () => {
  for (const contentDir of [fromRoot('test', 'fixtures', 'content'), fromRoot('content')]) {
    const { library } = await loadSiteContent({ contentDir, dev: false, cacheDir: undefined })
    stories = [...stories, ...library.stories]
  }
})

function macro(quote: Quote, story: Story, textHtml: string): string {
  return env.renderString(
    '{% from "components/quote.njk" import appQuote %}' +
      "{{ appQuote({ quote: quote, story: story, showStory: true, idPrefix: 'search', textHtml: textHtml }) }}",
    { quote, story, textHtml },
  )
}

describe('SearchQuoteHtml', () => {
  it.each([true, false])('is the macro, byte for byte, for every quote (kept: %s)', (keep) => {
    const html = new SearchQuoteHtml(env, { keep })
    let compared = 0
    for (const story of stories) {
      for (const quote of story.quotes) {
        const texts = [
          `<mark>${quote.text.slice(0, 5)}</mark>${quote.text.slice(5)}`,
          quote.text.replace(/&/g, '&amp;'),
          '',
        ]
        // Twice each: the second time from what was kept.
        for (const textHtml of [...texts, ...texts]) {
          expect(html.html(quote, story, textHtml)).toBe(macro(quote, story, textHtml))
          compared++
        }
      }
    }
    expect(compared).toBeGreaterThan(100)
  })

  it('renders a quote again when it is shown with another story object', () => {
    const html = new SearchQuoteHtml(env, { keep: true })
    const story = stories[0] as Story
    const quote = story.quotes[0] as Quote
    const renamed = { ...story, council: 'Renamed & <Council>', title: 'A new title' }
    html.html(quote, story, 'text')
    expect(html.html(quote, renamed, 'text')).toBe(macro(quote, renamed, 'text'))
    expect(html.html(quote, renamed, 'text')).toContain('Renamed &amp; &lt;Council&gt;')
  })
})

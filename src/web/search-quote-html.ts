import nunjucks from 'nunjucks'
import type { Quote, Story } from '../content/model.js'

/** Stands for the highlighted text while a quote is rendered; no quote or story has it. */
const TEXT = '\uE000search-quote-text\uE000'

/**
 * A quote as the search page shows it: views/components/quote.njk's `appQuote` with the story
 * named, byte for byte. Everything but the highlighted text depends only on the quote and its
 * story, so the macro is rendered once per quote object with a stand-in for the text, and a
 * page only puts its text between the two halves (a reload brings new quote objects, and so new
 * renders). Twenty macro calls a page were most of what Nunjucks still did for /search. In
 * development templates reload on change, so nothing is kept there.
 */
export class SearchQuoteHtml {
  readonly #quote: nunjucks.Template
  readonly #keep: boolean
  readonly #halves = new WeakMap<Quote, { story: Story; halves: readonly [string, string] }>()

  constructor(env: nunjucks.Environment, { keep }: { keep: boolean }) {
    this.#quote = new nunjucks.Template(
      '{% from "components/quote.njk" import appQuote %}' +
        "{{ appQuote({ quote: quote, story: story, showStory: true, idPrefix: 'search', textHtml: textHtml }) }}",
      env,
    )
    this.#keep = keep
  }

  /** The quote's figure, with `textHtml` (escaped, with marks) as its text. */
  html(quote: Quote, story: Story, textHtml: string): string {
    // An empty text makes the macro take its other branch: render it as it is.
    if (textHtml === '') return this.#render(quote, story, textHtml)
    const held = this.#halves.get(quote)
    if (held !== undefined && held.story === story)
      return held.halves[0] + textHtml + held.halves[1]
    const halves = this.#render(quote, story, TEXT).split(TEXT)
    if (halves.length !== 2) return this.#render(quote, story, textHtml)
    const [before, after] = halves as [string, string]
    if (this.#keep) this.#halves.set(quote, { story, halves: [before, after] })
    return before + textHtml + after
  }

  #render(quote: Quote, story: Story, textHtml: string): string {
    return this.#quote.render({ quote, story, textHtml })
  }
}

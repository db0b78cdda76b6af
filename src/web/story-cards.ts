import nunjucks from 'nunjucks'
import type { Story } from '../content/model.js'
import { joinChunks, type HtmlChunk } from './html-bytes.js'

/** Where the list's `<ul>` sits in views/pages/stories.njk: its indent, and its items'. */
const LIST_INDENT = '    '
const ITEM_INDENT = '        '

/**
 * The story cards of a list, as views/pages/stories.njk used to write them with a loop over
 * the `appStoryCard` macro: the `<ul class="app-card-list">` and one card per story, byte for
 * byte. A card depends only on its story, so each is rendered once (per story object, and a
 * new content snapshot brings new story objects) and kept, instead of being rendered again
 * for every list page it appears on: the macro calls were the biggest part of rendering a
 * list. The output is our own template's autoescaped render, which is why the page may mark
 * it safe. In development templates reload on change, so nothing is kept there.
 */
export class StoryCardList {
  readonly #card: nunjucks.Template
  readonly #keep: boolean
  readonly #items = new WeakMap<Story, Buffer>()

  constructor(env: nunjucks.Environment, { keep }: { keep: boolean }) {
    this.#card = new nunjucks.Template(
      '{% from "components/story-card.njk" import appStoryCard %}' +
        '{{ appStoryCard({ story: story, headingLevel: 2 }) }}',
      env,
    )
    this.#keep = keep
  }

  /**
   * The list, from `<ul class="app-card-list">` to `</ul>`: its lines as text and each card as
   * the UTF-8 bytes kept for it (the page is sent as bytes: html-bytes.ts).
   */
  chunks(stories: readonly Story[]): HtmlChunk[] {
    const chunks: HtmlChunk[] = ['<ul class="app-card-list">\n']
    for (const story of stories) chunks.push(this.#item(story))
    chunks.push(`${LIST_INDENT}</ul>`)
    return chunks
  }

  /** The list's HTML, from `<ul class="app-card-list">` to `</ul>`. */
  html(stories: readonly Story[]): string {
    return joinChunks(this.chunks(stories)).toString()
  }

  #item(story: Story): Buffer {
    const held = this.#items.get(story)
    if (held !== undefined) return held
    const item = Buffer.from(`${ITEM_INDENT}${this.#card.render({ story })}\n`)
    if (this.#keep) this.#items.set(story, item)
    return item
  }
}

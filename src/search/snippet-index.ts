import type { Quote, Story } from '../content/model.js'
import {
  highlightQuote,
  highlightSpans,
  snippetFallback,
  snippetOf,
  snippetTexts,
} from './highlight.js'
import { encodeTexts, SpanMatcher, TokenTable, type EncodedTexts } from './text-tokens.js'
import type { HighlightTerms } from './types.js'

/**
 * The search page's highlighting (story snippets, titles, quotes) from texts tokenised once per
 * story and kept (text-tokens.ts), instead of tokenising them again for every page that shows
 * them. The output is exactly that of storySnippet, highlightText and highlightQuote
 * (test/search/snippet-index.test.ts compares them on many queries).
 *
 * Hold one per content snapshot: a story's texts and its quotes are encoded the first time one
 * of them is shown and kept while the story object lives (a reload makes new objects, and so
 * new entries). In the bench corpus that is about 6 KB of heap a story, quotes included (4.5 KB
 * of it the tokens, text-tokens.ts): some 60 MB if every one of 10,000 stories has been shown.
 */
export class SnippetIndex {
  readonly #table = new TokenTable()
  readonly #stories = new WeakMap<Story, StoryTexts>()

  /** The highlighter for one query's results. */
  forQuery(h: HighlightTerms): QueryHighlighter {
    return new QueryHighlighter(this, new SpanMatcher(this.#table, h), h)
  }

  /** A story's texts, encoded on first use. */
  storyTexts(story: Story): StoryTexts {
    const held = this.#stories.get(story)
    // Stories are not changed once loaded; checking the texts by reference costs next to nothing
    // and keeps a changed one from being shown with another text's offsets.
    if (
      held !== undefined &&
      held.texts[TITLE] === story.title &&
      held.texts[BODY] === story.bodyText &&
      held.texts[SUMMARY] === story.summary &&
      held.impacts === story.impacts &&
      held.quotes === story.quotes
    ) {
      return held
    }
    const texts = [story.title, ...snippetTexts(story), ...story.quotes.map((q) => q.text)]
    const fresh: StoryTexts = {
      texts,
      impacts: story.impacts,
      quotes: story.quotes,
      encoded: encodeTexts(this.#table, texts),
    }
    this.#stories.set(story, fresh)
    return fresh
  }
}

/** A story's texts in this order: title, the snippet sources (snippetTexts), each quote. */
const TITLE = 0
const BODY = 1
const SUMMARY = 2
const SOURCES = 3
const FIRST_QUOTE = 1 + SOURCES

interface StoryTexts {
  texts: readonly string[]
  /** The arrays the impacts source and the quotes' texts came from. */
  impacts: readonly string[]
  quotes: readonly Quote[]
  encoded: EncodedTexts
}

/** One query's highlighting of stored texts. */
export class QueryHighlighter {
  readonly #index: SnippetIndex
  readonly #matcher: SpanMatcher
  readonly #h: HighlightTerms

  constructor(index: SnippetIndex, matcher: SpanMatcher, h: HighlightTerms) {
    this.#index = index
    this.#matcher = matcher
    this.#h = h
  }

  /** storySnippet(story, outcome, maxChars). */
  storySnippet(story: Story, maxChars = 240): string {
    const { texts, encoded } = this.#index.storyTexts(story)
    const sources = []
    for (let k = 1; k <= SOURCES; k++) {
      sources.push({ source: texts[k] as string, spans: this.#matcher.spans(encoded, k) })
    }
    return snippetOf(sources, snippetFallback(story), maxChars)
  }

  /** highlightText(story.title, outcome). */
  storyTitle(story: Story): string {
    const { texts, encoded } = this.#index.storyTexts(story)
    return highlightSpans(texts[TITLE] as string, this.#matcher.spans(encoded, TITLE))
  }

  /** highlightQuote(quote.text, outcome), for a quote of `story`. */
  quote(story: Story, quote: Quote): string {
    const { texts, encoded } = this.#index.storyTexts(story)
    const k = FIRST_QUOTE + story.quotes.indexOf(quote)
    // A quote not (or no longer) the story's own, or whose text changed, is tokenised as before.
    if (k < FIRST_QUOTE || texts[k] !== quote.text)
      return highlightQuote(quote.text, { highlight: this.#h })
    return highlightSpans(quote.text, this.#matcher.spans(encoded, k))
  }
}

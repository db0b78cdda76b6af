import type { Application } from 'express'
import type { Quote, Story } from '../content/model.js'
import { SPEAKERS } from '../content/vocabulary.js'
import {
  QUOTE_CARD_FIXED_HEIGHT,
  STORY_CARD_FIXED_HEIGHT,
  embedSize,
  type EmbedSize,
} from './embeds.js'
import { absoluteUrl, paths } from './links.js'

export interface EmbedCode extends EmbedSize {
  /** Absolute URL of the card, for the iframe. */
  src: string
  /** The iframe's accessible name, and the oEmbed title. */
  title: string
  /** The <iframe> element, rendered (and escaped) by the view engine. */
  html: string
}

export interface EmbedLimits {
  maxwidth?: number
  maxheight?: number
}

/** Who said a quote, as a noun phrase: "Pat Example, chief executive" or "the leader". */
export function speakerPhrase(quote: Pick<Quote, 'speaker' | 'name'>): string {
  const role = SPEAKERS[quote.speaker].toLowerCase()
  return quote.name === undefined ? `the ${role}` : `${quote.name}, ${role}`
}

export function quoteTitle(
  story: Pick<Story, 'council'>,
  quote: Pick<Quote, 'speaker' | 'name'>,
): string {
  return `Quote from ${speakerPhrase(quote)}, ${story.council}`
}

function renderIframe(
  app: Pick<Application, 'render'>,
  locals: Omit<EmbedCode, 'html'>,
): Promise<string> {
  return new Promise((resolve, reject) => {
    app.render('partials/embed-iframe.njk', locals, (error: Error | null, html?: string) => {
      if (error) reject(error)
      else resolve((html ?? '').trim())
    })
  })
}

export async function quoteEmbedCode(
  app: Pick<Application, 'render'>,
  baseUrl: string,
  story: Story,
  quote: Quote,
  limits: EmbedLimits = {},
): Promise<EmbedCode> {
  const size = embedSize(quote.text.length, QUOTE_CARD_FIXED_HEIGHT, limits)
  const code = {
    ...size,
    src: absoluteUrl(baseUrl, paths.embedQuote(quote)),
    title: quoteTitle(story, quote),
  }
  return { ...code, html: await renderIframe(app, code) }
}

export async function storyEmbedCode(
  app: Pick<Application, 'render'>,
  baseUrl: string,
  story: Story,
  limits: EmbedLimits = {},
): Promise<EmbedCode> {
  const size = embedSize(story.title.length + story.summary.length, STORY_CARD_FIXED_HEIGHT, limits)
  const code = {
    ...size,
    src: absoluteUrl(baseUrl, paths.embedStory(story)),
    title: `${story.title}, ${story.council}`,
  }
  return { ...code, html: await renderIframe(app, code) }
}

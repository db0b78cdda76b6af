import type { Application } from 'express'
import type { Quote, Story } from '../content/model.js'
import { CHALLENGE_TYPES, SPEAKERS } from '../content/vocabulary.js'
import { embedSize, type EmbedSize, type TextBlock } from './embeds.js'
import { absoluteUrl, paths } from './links.js'
import { SITE_NAME } from './view-environment.js'

export interface EmbedCode extends EmbedSize {
  /** Absolute URL of the card, for the iframe. */
  src: string
  /** The iframe's accessible name, and the oEmbed title. */
  title: string
  /** Absolute URL of /embed.js, which fits the iframe to the card. */
  script: string
  /** The <iframe> element and the script tag, rendered (and escaped) by the view engine. */
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

/** The text of a quote card (views/embed/quote.njk), for its height. */
export function quoteCardText(story: Story, quote: Quote): TextBlock[] {
  const speaker = SPEAKERS[quote.speaker] + (quote.name === undefined ? '' : `, ${quote.name}`)
  return [
    { text: `“${quote.text}”`, style: 'quote', after: 12 },
    { text: `${speaker}, ${story.council}`, style: 'caption', after: 0 },
    {
      text: `${CHALLENGE_TYPES[story.challenge.type]}, ${story.challenge.year}`,
      style: 'meta',
      after: 25,
    },
    { text: `Read the story: ${story.title}`, style: 'source', after: 4 },
    { text: SITE_NAME, style: 'source', after: 0 },
  ]
}

/** The text of a story card (views/embed/story.njk), for its height. */
export function storyCardText(story: Story): TextBlock[] {
  return [
    {
      text: `${story.council} · ${CHALLENGE_TYPES[story.challenge.type]}, ${story.challenge.year}`,
      style: 'meta',
      after: 4,
    },
    { text: story.title, style: 'title', after: 8 },
    { text: story.summary, style: 'summary', after: 25 },
    { text: 'Read the story', style: 'source', after: 4 },
    { text: SITE_NAME, style: 'source', after: 0 },
  ]
}

/** Where the script that fits embedded cards to their content lives (see routes/embeds.ts). */
export const EMBED_SCRIPT_PATH = '/embed.js'

function renderIframe(
  app: Pick<Application, 'render'>,
  locals: Omit<EmbedCode, 'html'> & { maxHeight: number | undefined },
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
  const size = embedSize(quoteCardText(story, quote), limits)
  const code = {
    ...size,
    src: absoluteUrl(baseUrl, paths.embedQuote(quote)),
    title: quoteTitle(story, quote),
    script: absoluteUrl(baseUrl, EMBED_SCRIPT_PATH),
  }
  return { ...code, html: await renderIframe(app, { ...code, maxHeight: limits.maxheight }) }
}

export async function storyEmbedCode(
  app: Pick<Application, 'render'>,
  baseUrl: string,
  story: Story,
  limits: EmbedLimits = {},
): Promise<EmbedCode> {
  const size = embedSize(storyCardText(story), limits)
  const code = {
    ...size,
    src: absoluteUrl(baseUrl, paths.embedStory(story)),
    title: `${story.title}, ${story.council}`,
    script: absoluteUrl(baseUrl, EMBED_SCRIPT_PATH),
  }
  return { ...code, html: await renderIframe(app, { ...code, maxHeight: limits.maxheight }) }
}

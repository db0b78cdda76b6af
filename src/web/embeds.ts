/**
 * Sizes for embedded cards (iframes cannot size themselves to their content across origins).
 * The height is estimated from the length of the text at the chosen width; the card scrolls
 * if the estimate is short. A consumer's maxwidth and maxheight (oEmbed) are always honoured.
 */

export const EMBED_DEFAULT_WIDTH = 560
const MIN_WIDTH = 200
const MAX_HEIGHT = 1200
const NARROW_EXTRA_HEIGHT = 24

export interface EmbedSize {
  width: number
  height: number
}

/**
 * @param textLength characters of the main text (the quote, or a story's summary)
 * @param fixed height of everything else on the card, in CSS pixels
 */
export function embedSize(
  textLength: number,
  fixed: number,
  limits: { maxwidth?: number; maxheight?: number } = {},
): EmbedSize {
  const width = Math.min(EMBED_DEFAULT_WIDTH, limits.maxwidth ?? Infinity)
  // Text is 19px in a frame of 420px or more (about 9.5px a character, 28px a line), 15px
  // in a narrower one (embed.scss), inside 49px of border and padding; captions wrap more
  // when narrow. The default size must also fit when a phone shrinks the frame to its width.
  const narrow = width < 420
  const charWidth = narrow ? 7.6 : 9.5
  const lineHeight = narrow ? 23 : 28
  const charsPerLine = Math.max(15, Math.floor((Math.max(width, MIN_WIDTH) - 49) / charWidth))
  const lines = Math.max(1, Math.ceil(textLength / charsPerLine))
  const estimate = Math.min(
    MAX_HEIGHT,
    fixed + (narrow ? NARROW_EXTRA_HEIGHT : 0) + lines * lineHeight,
  )
  const height = Math.min(estimate, limits.maxheight ?? Infinity)
  return { width: Math.max(1, width), height: Math.max(1, height) }
}

/** A quote card: the quote, who said it, and a link to the story. */
export const QUOTE_CARD_FIXED_HEIGHT = 200
/** A story card: title, council, summary and a link. */
export const STORY_CARD_FIXED_HEIGHT = 180

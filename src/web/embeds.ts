/**
 * Sizes for embedded cards. An iframe cannot size itself to its content across sites, so the
 * height in the embed code is estimated from the card's text, block by block, with the type
 * sizes of src/styles/embed.scss (keep the two in step). /embed.js, after the iframe, then sets
 * the frame to the height the card reports; the estimate is what shows before it runs, or where
 * the host page allows no script from this site. A consumer's maxwidth and maxheight (oEmbed)
 * are always honoured; if an estimate is short, the card scrolls.
 *
 * The iframe code has `max-width:100%`, so on a phone a 560px frame shrinks to the screen's
 * width and its text wraps onto more lines: the height given is enough for that too.
 */

export const EMBED_DEFAULT_WIDTH = 560
/** The frame's width on a 375px phone with 16px margins. */
const PHONE_WIDTH = 343
/** At or below this width the card uses its narrow styles (embed.scss). */
const NARROW_BELOW = 420
const MIN_WIDTH = 200
const MAX_HEIGHT = 1200
/** Words do not fill lines exactly. */
const WRAP_SLACK = 1.1

export type TextStyle = 'quote' | 'caption' | 'meta' | 'title' | 'summary' | 'source'

/** Average character width and line height, in px, of each text style: wide, then narrow. */
const METRICS: Record<'wide' | 'narrow', Record<TextStyle, { char: number; line: number }>> = {
  wide: {
    quote: { char: 10, line: 27.6 },
    caption: { char: 8.8, line: 22.4 },
    meta: { char: 7.6, line: 19.6 },
    title: { char: 12.5, line: 27.5 },
    summary: { char: 9, line: 23.8 },
    source: { char: 8.5, line: 19.6 },
  },
  narrow: {
    quote: { char: 7.9, line: 21.8 },
    caption: { char: 8.3, line: 21 },
    meta: { char: 7.6, line: 19.6 },
    title: { char: 10.8, line: 23.8 },
    summary: { char: 7.9, line: 21 },
    source: { char: 7.9, line: 18.2 },
  },
}

/** Border and padding around the text: [horizontal, vertical], wide then narrow. */
const FRAME = { wide: [49, 34], narrow: [37, 26] } as const

export interface TextBlock {
  text: string
  style: TextStyle
  /** Space after the block, px. */
  after: number
}

export interface EmbedSize {
  width: number
  height: number
}

/** The height a card's text needs in a frame this wide. */
export function cardHeight(blocks: readonly TextBlock[], width: number): number {
  const kind = width < NARROW_BELOW ? 'narrow' : 'wide'
  const [horizontal, vertical] = FRAME[kind]
  const textWidth = Math.max(MIN_WIDTH, width) - horizontal
  let height = vertical
  for (const block of blocks) {
    const { char, line } = METRICS[kind][block.style]
    const lines = Math.max(1, Math.ceil((block.text.length * char * WRAP_SLACK) / textWidth))
    height += lines * line + block.after
  }
  return Math.ceil(height)
}

export function embedSize(
  blocks: readonly TextBlock[],
  limits: { maxwidth?: number; maxheight?: number } = {},
): EmbedSize {
  const width = Math.max(1, Math.min(EMBED_DEFAULT_WIDTH, limits.maxwidth ?? Infinity))
  const needed = Math.max(
    cardHeight(blocks, width),
    width > PHONE_WIDTH ? cardHeight(blocks, PHONE_WIDTH) : 0,
  )
  const height = Math.min(needed, MAX_HEIGHT, limits.maxheight ?? Infinity)
  return { width, height: Math.max(1, height) }
}

import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { Resvg } from '@resvg/resvg-js'
import { decodeHTML } from 'entities'
import type { Express } from 'express'
import type nunjucks from 'nunjucks'
import satori, { type Font } from 'satori'
import { html as satoriTree } from 'satori-html'
import type { Quote, Story } from '../content/model.js'
import { CHALLENGE_TYPES, SPEAKERS } from '../content/vocabulary.js'
import { absoluteUrl, paths } from './links.js'
import { SITE_NAME, viewEnvironment } from './view-environment.js'

/** The size link previews expect (Open Graph's and Twitter's large image): 1.91 to 1. */
export const OG_IMAGE_WIDTH = 1200
export const OG_IMAGE_HEIGHT = 630
export const OG_IMAGE_VIEW = 'og/card.njk'

/** The quote (or title) on a card: its size, and how many lines fit before it is cut. */
export interface CardTextSize {
  fontSize: number
  lineHeight: number
  maxLines: number
}

/**
 * Type sizes by length of text, largest first. Each size's `maxLines` fills the card's text
 * area (about 330 px high); text longer than its tier allows, which only the last tier can
 * get, is cut by satori at `maxLines` with an ellipsis. The smallest, 36 px, is about 11 px
 * when a 1200 px card shows 375 px wide in a chat: anything smaller is not legible there,
 * so a very long quote is shortened rather than shrunk further. `upTo` is in characters,
 * measured against Atkinson Hyperlegible (about 0.5 em a character on average).
 */
const QUOTE_SIZES: readonly (CardTextSize & { upTo: number })[] = [
  { upTo: 80, fontSize: 60, lineHeight: 1.2, maxLines: 4 },
  { upTo: 140, fontSize: 52, lineHeight: 1.2, maxLines: 5 },
  { upTo: 220, fontSize: 44, lineHeight: 1.25, maxLines: 6 },
  { upTo: 300, fontSize: 40, lineHeight: 1.25, maxLines: 6 },
  { upTo: Infinity, fontSize: 36, lineHeight: 1.25, maxLines: 7 },
]
/** Titles are at most 120 characters (the content schema), bold. */
const TITLE_SIZES: readonly (CardTextSize & { upTo: number })[] = [
  { upTo: 50, fontSize: 68, lineHeight: 1.15, maxLines: 3 },
  { upTo: 80, fontSize: 60, lineHeight: 1.15, maxLines: 4 },
  { upTo: Infinity, fontSize: 52, lineHeight: 1.2, maxLines: 4 },
]

export function cardTextSize(text: string, kind: 'quote' | 'title'): CardTextSize {
  const sizes = kind === 'quote' ? QUOTE_SIZES : TITLE_SIZES
  const length = [...text].length
  // The last size is for any length, so one is always found.
  const size = sizes.find((s) => length <= s.upTo) ?? sizes[sizes.length - 1]
  if (size === undefined) throw new Error('no card text sizes')
  return { fontSize: size.fontSize, lineHeight: size.lineHeight, maxLines: size.maxLines }
}

/** What a card shows: the locals of views/og/card.njk, and the same words as alt text. */
export interface OgCard {
  kind: 'story' | 'quote'
  /** The quote, or the story's title. */
  text: string
  size: CardTextSize
  /** Who said it ("Leader, Pat Example"), for quotes. */
  speaker?: string
  council: string
  /** "Corporate peer challenge, 2019". */
  challenge: string
  /** The words on the card, for og:image:alt (the quote cut to 300 characters). */
  alt: string
}

export function storyOgCard(story: Story): OgCard {
  const challenge = `${CHALLENGE_TYPES[story.challenge.type]}, ${story.challenge.year}`
  return {
    kind: 'story',
    text: story.title,
    size: cardTextSize(story.title, 'title'),
    council: story.council,
    challenge,
    alt: `${story.title}. ${story.council}, ${challenge}. ${SITE_NAME}.`,
  }
}

export function quoteOgCard(story: Story, quote: Quote): OgCard {
  const speaker = SPEAKERS[quote.speaker] + (quote.name === undefined ? '' : `, ${quote.name}`)
  return {
    kind: 'quote',
    text: quote.text,
    size: cardTextSize(quote.text, 'quote'),
    speaker,
    council: story.council,
    challenge: `${CHALLENGE_TYPES[story.challenge.type]}, ${story.challenge.year}`,
    alt: `“${shorten(quote.text, 300)}” ${speaker}, ${story.council}. ${SITE_NAME}.`,
  }
}

/** Text cut at a word boundary to at most `max` characters, with an ellipsis if cut. */
export function shorten(text: string, max: number): string {
  const chars = [...text.replace(/\s+/g, ' ').trim()]
  if (chars.length <= max) return chars.join('')
  const cut = chars.slice(0, max - 1).join('')
  const lastSpace = cut.lastIndexOf(' ')
  return `${(lastSpace > max / 2 ? cut.slice(0, lastSpace) : cut).replace(/[\s,;:.–-]+$/, '')}…`
}

/** The og:image tags of a page (views/layout.njk). */
export interface OgImageMeta {
  url: string
  width: number
  height: number
  alt: string
}

/** A card's markup and the version of the picture it makes. */
export interface OgCardMarkup {
  html: string
  /** A hash of everything the PNG depends on: the markup, the fonts and the renderers. */
  version: string
}

const require = createRequire(import.meta.url)
const FONT_PACKAGE = '@fontsource/atkinson-hyperlegible-next'
/**
 * Atkinson Hyperlegible Next (SIL Open Font License), made by the Braille Institute for
 * low-vision readers: its letters are hard to mistake for each other at the small sizes a link
 * preview shows. Read from its npm package on first use; never fetched. Regular and bold, in
 * two files each: Latin, and Latin Extended (ŵ and ŷ of Welsh place names, which the first
 * Atkinson Hyperlegible lacks). The extended files get a family name of their own, second in
 * the card's font-family: satori keeps one file per family and weight. WOFF, not WOFF2:
 * satori 0.63 reads both, but WOFF needs no decompressor at run time.
 */
const FONT_FILES = [
  { file: 'latin-400-normal', family: 'Atkinson Hyperlegible Next', weight: 400 },
  { file: 'latin-700-normal', family: 'Atkinson Hyperlegible Next', weight: 700 },
  { file: 'latin-ext-400-normal', family: 'Atkinson Hyperlegible Next Extended', weight: 400 },
  { file: 'latin-ext-700-normal', family: 'Atkinson Hyperlegible Next Extended', weight: 700 },
] as const

function packageVersion(name: string): string {
  return (require(`${name}/package.json`) as { version: string }).version
}

/**
 * What, beside the markup, decides the bytes of a card: a new version of the font or of
 * either renderer may change every picture, so it changes every version hash.
 */
const RENDERER = [FONT_PACKAGE, 'satori', '@resvg/resvg-js']
  .map((name) => `${name}@${packageVersion(name)}`)
  .join(' ')

/**
 * Link-preview pictures of stories and quotes, drawn on request: the card's template
 * (views/og/card.njk, HTML with inline styles) is turned into satori's element tree by
 * satori-html, laid out as SVG by satori and drawn as PNG by resvg. Nothing is kept here:
 * the routes' HTTP caching (a versioned URL, a strong ETag) lets browsers, crawlers and a CDN
 * keep each picture, and revalidation costs only a template render, not a drawing.
 */
export class OgImageRenderer {
  readonly #env: nunjucks.Environment
  #fonts: Promise<Font[]> | undefined

  constructor(env: nunjucks.Environment) {
    this.#env = env
  }

  /** The card's HTML and its version (cheap: one small template, no drawing). */
  markup(card: OgCard): OgCardMarkup {
    const html = this.#env.render(OG_IMAGE_VIEW, {
      card,
      width: OG_IMAGE_WIDTH,
      height: OG_IMAGE_HEIGHT,
    })
    const version = createHash('sha256')
      .update(`${RENDERER}\n${html}`)
      .digest('base64url')
      .slice(0, 22)
    return { html, version }
  }

  /** The card drawn as a PNG (about a tenth to a third of a second of CPU). */
  async png(html: string): Promise<Buffer> {
    const svg = await satori(elementTree(html) as Parameters<typeof satori>[0], {
      width: OG_IMAGE_WIDTH,
      height: OG_IMAGE_HEIGHT,
      fonts: await this.#loadFonts(),
    })
    return new Resvg(svg, { fitTo: { mode: 'original' }, font: { loadSystemFonts: false } })
      .render()
      .asPng()
  }

  #loadFonts(): Promise<Font[]> {
    this.#fonts ??= Promise.all(
      FONT_FILES.map(async ({ file, family, weight }) => ({
        name: family,
        data: await readFile(
          require.resolve(`${FONT_PACKAGE}/files/atkinson-hyperlegible-next-${file}.woff`),
        ),
        weight,
        style: 'normal' as const,
      })),
    )
    // A failed read is not kept: the next card tries again.
    this.#fonts.catch(() => (this.#fonts = undefined))
    return this.#fonts
  }
}

type ElementNode = ReturnType<typeof satoriTree>
type TreeNode = ElementNode | string | undefined

/**
 * satori-html's tree, made ready for satori: it leaves character references as they were in
 * the HTML (`&amp;` would be drawn as five characters; satori-html issue 20), so the text is
 * decoded here; and it leaves holes in `children` where whitespace stood between elements.
 */
function elementTree(html: string): TreeNode {
  const fix = (node: TreeNode): TreeNode => {
    if (typeof node === 'string') return decodeHTML(node)
    if (node === undefined) return node
    const children = node.props.children as TreeNode | TreeNode[]
    const fixed = Array.isArray(children)
      ? children.filter((c) => c !== undefined).map(fix)
      : fix(children)
    node.props.children = fixed as ElementNode['props']['children']
    return node
  }
  return fix(satoriTree(html))
}

const renderers = new WeakMap<Express, OgImageRenderer>()

/** The app's one renderer (it holds the fonts once read), shared by pages and image routes. */
export function ogImageRenderer(app: Express): OgImageRenderer {
  let renderer = renderers.get(app)
  if (renderer === undefined) {
    renderer = new OgImageRenderer(viewEnvironment(app))
    renderers.set(app, renderer)
  }
  return renderer
}

/** The picture's address: versioned, so a changed card has a new URL (see routes/images.ts). */
export function ogImagePath(pagePath: string, version: string): string {
  return `${pagePath}/image.png?v=${version}`
}

/** The og:image tags for a story page. */
export function storyOgImage(app: Express, baseUrl: string, story: Story): OgImageMeta {
  return ogImageMeta(app, baseUrl, paths.story(story), storyOgCard(story))
}

/** The og:image tags for a quote page. */
export function quoteOgImage(
  app: Express,
  baseUrl: string,
  story: Story,
  quote: Quote,
): OgImageMeta {
  return ogImageMeta(app, baseUrl, paths.quote(quote), quoteOgCard(story, quote))
}

function ogImageMeta(app: Express, baseUrl: string, pagePath: string, card: OgCard) {
  const { version } = ogImageRenderer(app).markup(card)
  return {
    url: absoluteUrl(baseUrl, ogImagePath(pagePath, version)),
    width: OG_IMAGE_WIDTH,
    height: OG_IMAGE_HEIGHT,
    alt: card.alt,
  }
}

/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// (The functions passed to evaluate run in the browser.)
import path from 'node:path'
import type { BrowserContext, Frame, Page } from 'playwright-core'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { artefactDir, useBrowser } from './support/browser.js'

/**
 * Embedded cards fit their frames: another site (support/embed-host.ts, on its own loopback
 * origin, in the library's EMBED_ORIGINS) puts the oEmbed `html` of a quote in its page; the
 * card reports its height and /embed.js sets the frame to it, at any width and text size.
 */
const baseUrl = inject('baseUrl')
const hostOrigin = inject('embedHostOrigin')
const screenshots = artefactDir('screenshots')
const HEIGHT_MESSAGE = 'sector-led-stories:embed-height'
/** A fixture story with a former slug (its frontmatter's `aliases`). */
const RENAMED = { slug: 'ashcombe-vale-finds-its-vision', formerSlug: 'ashcombe-vision' }

interface ApiQuote {
  text: string
  url: string
  embedUrl: string
}

/** The longest quote of the fixture content, by the public API. */
async function longestQuote(): Promise<ApiQuote> {
  const list = (await (await fetch(`${baseUrl}/api/stories`)).json()) as {
    data: { slug: string }[]
  }
  const quotes: ApiQuote[] = []
  for (const { slug } of list.data) {
    const story = (await (await fetch(`${baseUrl}/api/stories/${slug}`)).json()) as {
      data: { quotes: ApiQuote[] }
    }
    quotes.push(...story.data.quotes)
  }
  return quotes.reduce((a, b) => (b.text.length > a.text.length ? b : a))
}

interface Fit {
  /** The iframe's height on the host page, px. */
  frameHeight: number
  /** Its width. */
  frameWidth: number
  /** What the card's content needs, measured inside the frame: its parts, padding and border. */
  contentHeight: number
  /** Space the card was stretched by, beyond its content (the frame is taller than needed). */
  stretch: number
  /** Scrollable overflow inside the frame (0: nothing is cut off). */
  overflow: number
  /** Card parts (and the card's bottom border) that end below the frame's bottom edge. */
  cutOff: string[]
}

async function measure(page: Page, frame: Frame): Promise<Fit> {
  const box = await page.locator('iframe').evaluate((el) => el.getBoundingClientRect())
  const inside = await frame.evaluate(() => {
    const card = document.querySelector<HTMLElement>('.app-embed__card')
    if (!card) throw new Error('no card')
    const style = getComputedStyle(card)
    const last = card.lastElementChild
    if (!last) throw new Error('an empty card')
    const lastBox = last.getBoundingClientRect()
    // The card's content, from its top edge to the end of its last part, plus the padding and
    // border below; the source line is pushed down (margin-top: auto) when the card stretches.
    const gap = parseFloat(getComputedStyle(last).marginTop)
    const top = card.getBoundingClientRect().top
    const bottomPad = parseFloat(style.paddingBottom) + parseFloat(style.borderBottomWidth)
    const contentHeight = lastBox.bottom - top - gap + bottomPad
    const cutOff: string[] = []
    for (const el of card.querySelectorAll<HTMLElement>('*')) {
      const rect = el.getBoundingClientRect()
      if (rect.height > 0 && rect.bottom > window.innerHeight + 0.5) {
        cutOff.push(`${el.tagName.toLowerCase()}.${el.className} ends at ${rect.bottom}`)
      }
    }
    const cardBottom = card.getBoundingClientRect().bottom
    if (cardBottom > window.innerHeight + 0.5)
      cutOff.push(`the card's border ends at ${cardBottom}`)
    return {
      contentHeight: Math.ceil(contentHeight - 0.01),
      stretch: gap,
      overflow: document.documentElement.scrollHeight - document.documentElement.clientHeight,
      cutOff,
    }
  })
  return {
    frameHeight: box.height,
    frameWidth: box.width,
    contentHeight: inside.contentHeight,
    stretch: inside.stretch,
    overflow: inside.overflow,
    cutOff: inside.cutOff,
  }
}

/** The whole card shows, and the frame is as tall as the card: no less, and no more than 1 px. */
function expectFits(fit: Fit): void {
  expect(fit.cutOff).toEqual([])
  expect(fit.overflow).toBe(0)
  expect(fit.frameHeight).toBeGreaterThanOrEqual(fit.contentHeight)
  // …and no taller than it needs (the estimate in the embed code may be either).
  expect(fit.frameHeight).toBeLessThanOrEqual(fit.contentHeight + 1)
}

/** Long enough for a busy machine; a fit that never comes fails here rather than hanging. */
const WAIT = { timeout: 15_000 }

/** Waits until the script has set the frame's height, and the card agrees with it. */
async function fitted(page: Page, frame: Frame): Promise<Fit> {
  await page.waitForFunction(
    () => document.querySelector('iframe')?.style.height !== '',
    null,
    WAIT,
  )
  // The card reports again if the new height changed its layout; wait for the last report.
  await expect.poll(async () => (await measure(page, frame)).cutOff, WAIT).toEqual([])
  return measure(page, frame)
}

/** The host page with the quote's embed code; `pastedSrc`, an older address in its iframe. */
async function openHost(context: BrowserContext, quote: ApiQuote, pastedSrc?: string) {
  const page = await context.newPage()
  const problems: string[] = []
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`)
  })
  const pasted = pastedSrc ? `&pasted=${encodeURIComponent(pastedSrc)}` : ''
  const response = await page.goto(
    `${hostOrigin}/card?url=${encodeURIComponent(quote.url)}${pasted}`,
  )
  expect(response?.status()).toBe(200)
  const element = await page.locator('iframe').elementHandle()
  expect(await element?.getAttribute('src')).toBe(pastedSrc ?? quote.embedUrl)
  const frame = await element?.contentFrame()
  if (!frame) throw new Error('no frame')
  await frame.waitForLoadState('load')
  expect(frame.url()).toBe(quote.embedUrl)
  return { page, frame, problems }
}

/** Makes every bit of text in the card half as large again, as a reader's larger text would. */
async function enlargeText(frame: Frame): Promise<void> {
  await frame.evaluate(() => {
    const elements = [
      ...document.querySelectorAll<HTMLElement>('.app-embed__card, .app-embed__card *'),
    ]
    // Read every size first, so no element's new size feeds another's.
    const sizes = elements.map((el) => parseFloat(getComputedStyle(el).fontSize))
    elements.forEach((el, i) => {
      el.style.fontSize = `${(sizes[i] ?? 16) * 1.5}px`
    })
  })
}

const browser = useBrowser()
let quote: ApiQuote

beforeAll(async () => {
  quote = await longestQuote()
})

describe('an embedded quote card on another site', () => {
  it('the host is another origin, allowed to frame cards', () => {
    expect(new URL(hostOrigin).origin).not.toBe(new URL(baseUrl).origin)
    expect(quote.text.length).toBeGreaterThan(100)
  })

  it.each([340, 375, 1280])(
    'at %i px, shows the whole card in a frame that fits it',
    async (width) => {
      const context = await browser().newContext({ viewport: { width, height: 800 } })
      try {
        const { page, frame, problems } = await openHost(context, quote)
        const fit = await fitted(page, frame)
        expect(fit.frameWidth).toBe(Math.min(width, 560))
        expectFits(fit)
        expect(fit.stretch).toBeLessThanOrEqual(1)
        await page.screenshot({
          path: path.join(screenshots, `embed-host-${width}.png`),
          fullPage: true,
        })
        expect(problems).toEqual([])
      } finally {
        await context.close()
      }
    },
  )

  it('at 340 px, follows the card when its text gets larger', async () => {
    const context = await browser().newContext({ viewport: { width: 340, height: 800 } })
    try {
      const { page, frame } = await openHost(context, quote)
      const before = await fitted(page, frame)
      await enlargeText(frame)
      await expect
        .poll(async () => (await measure(page, frame)).frameHeight, WAIT)
        .toBeGreaterThan(before.frameHeight + 50)
      await expect.poll(async () => (await measure(page, frame)).cutOff, WAIT).toEqual([])
      const after = await measure(page, frame)
      expectFits(after)
      await page.screenshot({
        path: path.join(screenshots, 'embed-host-340-larger-text.png'),
        fullPage: true,
      })
    } finally {
      await context.close()
    }
  })

  it('without /embed.js the frame keeps the height in the code, and larger text is cut off', async () => {
    // The control for the tests above: the measurements do see a card that does not fit.
    const context = await browser().newContext({ viewport: { width: 340, height: 800 } })
    try {
      await context.route(`${baseUrl}/embed.js`, (route) => route.abort())
      const { page, frame } = await openHost(context, quote)
      const declared = Number(await page.locator('iframe').getAttribute('height'))
      await enlargeText(frame)
      const fit = await measure(page, frame)
      expect(fit.frameHeight).toBe(declared)
      expect(fit.cutOff).not.toEqual([])
      expect(fit.overflow).toBeGreaterThan(0)
    } finally {
      await context.close()
    }
  })

  it('fits a card whose embed code still has the address from before its story was renamed', async () => {
    // A story's former slug (its `aliases`) redirects: the card then names its new address,
    // which is not the frame's src.
    const story = (await (await fetch(`${baseUrl}/api/stories/${RENAMED.slug}`)).json()) as {
      data: { quotes: ApiQuote[] }
    }
    const renamed = story.data.quotes[0]
    if (!renamed) throw new Error(`${RENAMED.slug} has no quotes`)
    const formerEmbedUrl = renamed.embedUrl.replace(`/${RENAMED.slug}/`, `/${RENAMED.formerSlug}/`)
    expect(formerEmbedUrl).not.toBe(renamed.embedUrl)
    const context = await browser().newContext({ viewport: { width: 340, height: 800 } })
    try {
      // The host's page as it was when the code was pasted: the old address in the iframe.
      const { page, frame, problems } = await openHost(context, renamed, formerEmbedUrl)
      const fit = await fitted(page, frame)
      expectFits(fit)
      expect(problems).toEqual([])
    } finally {
      await context.close()
    }
  })

  it('ignores heights from other origins, and messages that name no card', async () => {
    const context = await browser().newContext({ viewport: { width: 340, height: 800 } })
    try {
      const { page, frame } = await openHost(context, quote)
      const fit = await fitted(page, frame)
      // A listener added after /embed.js's own sees each message after it has: once it has
      // seen them all, /embed.js has dealt with them all.
      await page.evaluate(() => {
        const seen: unknown[] = []
        ;(window as unknown as { seen: unknown[] }).seen = seen
        window.addEventListener('message', (event) => {
          if ([20, 30, '40'].includes(event.data?.height)) seen.push(event.data)
        })
      })
      const src = await page.locator('iframe').evaluate((el) => (el as HTMLIFrameElement).src)
      // From the host page itself: the right type and address, the wrong origin.
      await page.evaluate(([type, url]) => window.postMessage({ type, url, height: 20 }, '*'), [
        HEIGHT_MESSAGE,
        src,
      ] as const)
      // From the library's origin, but naming an address that is not one of its cards.
      await frame.evaluate(
        ([type, url]) => window.parent.postMessage({ type, url, height: 30 }, '*'),
        [HEIGHT_MESSAGE, src.replace('/embed/', '/')] as const,
      )
      // From the library's origin, with a height that is not a number of pixels.
      await frame.evaluate(
        ([type, url]) => window.parent.postMessage({ type, url, height: '40' }, '*'),
        [HEIGHT_MESSAGE, src] as const,
      )
      await expect
        .poll(
          () => page.evaluate(() => (window as unknown as { seen: unknown[] }).seen.length),
          WAIT,
        )
        .toBe(3)
      expect((await measure(page, frame)).frameHeight).toBe(fit.frameHeight)
    } finally {
      await context.close()
    }
  })
})

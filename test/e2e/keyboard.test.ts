/// <reference lib="dom" />
// (The functions passed to page.evaluate run in the browser.)
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { useBrowser, VIEWPORTS } from './support/browser.js'

/**
 * Keyboard-only journeys in a real browser: nothing here clicks. Every element that takes
 * focus on the way must show it (an outline or a box-shadow that is not transparent).
 */
const baseUrl = inject('baseUrl')
const browser = useBrowser()
let page: Page

interface Focused {
  tag: string
  id: string
  type: string
  name: string
  value: string
  text: string
  href: string
  checked: boolean
  /** Why its focus is visible, or '' if it is not. */
  focusIndicator: string
  box: { x: number; y: number; width: number; height: number }
  viewport: { width: number; height: number }
}

/** What has focus, and how (if at all) the focus is shown. */
async function focused(p: Page): Promise<Focused> {
  return p.evaluate(() => {
    const el = document.activeElement as HTMLElement | null
    if (!el || el === document.body) throw new Error('nothing has focus')
    const visible = (style: CSSStyleDeclaration): string => {
      const transparent = (colour: string): boolean =>
        colour === 'transparent' || /rgba\(.*,\s*0\)$/.test(colour)
      if (
        style.outlineStyle !== 'none' &&
        parseFloat(style.outlineWidth) >= 2 &&
        !transparent(style.outlineColor)
      ) {
        return `outline ${style.outlineWidth} ${style.outlineColor}`
      }
      if (style.boxShadow !== 'none') return `box-shadow ${style.boxShadow}`
      return ''
    }
    let focusIndicator = visible(getComputedStyle(el))
    // govuk-frontend draws a checkbox's focus ring on its label's ::before (the input is hidden).
    if (
      !focusIndicator &&
      el instanceof HTMLInputElement &&
      el.type === 'checkbox' &&
      el.labels?.[0]
    ) {
      focusIndicator = visible(getComputedStyle(el.labels[0], '::before'))
    }
    const rect = el.getBoundingClientRect()
    return {
      tag: el.tagName.toLowerCase(),
      id: el.id,
      type: el.getAttribute('type') ?? '',
      name: el.getAttribute('name') ?? '',
      value: (el as HTMLInputElement).value ?? '',
      text: (el.textContent ?? '').trim().replace(/\s+/g, ' '),
      href: el.getAttribute('href') ?? '',
      checked: el instanceof HTMLInputElement && el.checked,
      focusIndicator,
      box: {
        x: rect.x + window.scrollX,
        y: rect.y + window.scrollY,
        width: rect.width,
        height: rect.height,
      },
      viewport: { width: innerWidth, height: innerHeight },
    }
  })
}

/** Presses Tab (or Shift+Tab) until `wanted` holds for the focused element; fails after `max`. */
async function tabTo(
  p: Page,
  wanted: (f: Focused) => boolean,
  { backwards = false, max = 60 } = {},
): Promise<Focused> {
  const seen: string[] = []
  for (let i = 0; i < max; i++) {
    await p.keyboard.press(backwards ? 'Shift+Tab' : 'Tab')
    const f = await focused(p)
    // Every stop on the way must show its focus.
    expect(f.focusIndicator, `focus not visible on ${f.tag}#${f.id} "${f.text}"`).not.toBe('')
    if (wanted(f)) return f
    seen.push(`${f.tag}#${f.id}[${f.name || f.href}]`)
  }
  throw new Error(`not reached after ${max} presses; focus went to:\n${seen.join('\n')}`)
}

describe.each(Object.keys(VIEWPORTS) as (keyof typeof VIEWPORTS)[])(
  'keyboard only, %s',
  (viewport) => {
    beforeAll(async () => {
      page = await browser().newPage({ viewport: VIEWPORTS[viewport] })
    })
    afterAll(async () => {
      await page?.close()
    })

    it('the skip link is the first stop, shows when focused, and moves focus to the main content', async () => {
      await page.goto(`${baseUrl}/`)
      const hidden = await page.locator('.govuk-skip-link').boundingBox()
      // Visually hidden until focused (clipped to a pixel or less).
      expect((hidden?.width ?? 0) <= 1 || (hidden?.height ?? 0) <= 1).toBe(true)

      await page.keyboard.press('Tab')
      const skip = await focused(page)
      expect(skip).toMatchObject({ tag: 'a', href: '#main-content', text: 'Skip to main content' })
      expect(skip.focusIndicator).not.toBe('')
      expect(skip.box.width).toBeGreaterThan(100)
      expect(skip.box.height).toBeGreaterThan(20)
      expect(skip.box.y).toBeGreaterThanOrEqual(0)
      expect(skip.box.x + skip.box.width).toBeLessThanOrEqual(skip.viewport.width)

      await page.keyboard.press('Enter')
      await page.waitForFunction(() => location.hash === '#main-content')
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('main-content')
      // The next Tab goes into the main content, past the header and navigation.
      await page.keyboard.press('Tab')
      expect(
        await page.evaluate(() =>
          document.getElementById('main-content')?.contains(document.activeElement),
        ),
      ).toBe(true)
    })

    it('search for a phrase from the header, open a quote result, land on the quote', async () => {
      await page.goto(`${baseUrl}/`)
      const box = await tabTo(page, (f) => f.id === 'app-header-search')
      expect(box.tag).toBe('input')
      await page.keyboard.type('"no overall control"')
      await Promise.all([page.waitForURL(/\/search\?/), page.keyboard.press('Enter')])
      const url = new URL(page.url())
      expect(url.pathname).toBe('/search')
      expect(url.searchParams.get('q')).toBe('"no overall control"')

      // The first link straight to a quote in its story.
      const result = await tabTo(
        page,
        (f) => f.tag === 'a' && /^\/stories\/[a-z0-9-]+#/.test(f.href),
      )
      const [path, id] = result.href.split('#') as [string, string]
      await Promise.all([page.waitForURL((u) => u.pathname === path), page.keyboard.press('Enter')])
      expect(new URL(page.url()).hash).toBe(`#${id}`)

      // The quote is the target, shown with the focus colour, and in view.
      const target = await page.evaluate(() => {
        const el = document.querySelector(':target')
        if (!el) return null
        const style = getComputedStyle(el)
        const rect = el.getBoundingClientRect()
        return {
          id: el.id,
          className: el.className,
          outline: `${style.outlineStyle} ${style.outlineWidth}`,
          inView: rect.top >= 0 && rect.top < innerHeight,
        }
      })
      expect(target).toMatchObject({ id, className: 'app-quote', inView: true })
      expect(target?.outline).toMatch(/^solid [3-9]px$/)
      // The keyboard carries on from the quote: the next Tab stop is its own link.
      await page.keyboard.press('Tab')
      const next = await focused(page)
      expect(next.href).toBe(`${path}/quotes/${id}`)
      expect(next.focusIndicator).not.toBe('')
    })

    it('the story filters work with Tab, Space and Enter alone', async () => {
      await page.goto(`${baseUrl}/stories`)
      if (viewport === 'phone') {
        // On a phone the panel is collapsed behind one control: Enter opens it.
        const control = await tabTo(page, (f) => f.tag === 'summary')
        expect(control.text).toBe('Filter')
        await page.keyboard.press('Enter')
      }
      const checkbox = await tabTo(page, (f) => f.tag === 'input' && f.type === 'checkbox')
      expect(checkbox).toMatchObject({ name: 'theme', checked: false })
      await page.keyboard.press('Space')
      expect((await focused(page)).checked).toBe(true)

      const apply = await tabTo(page, (f) => f.tag === 'button' && f.text === 'Apply filters')
      // The button after the checkboxes, not the one before them.
      expect(apply.box.y).toBeGreaterThan(checkbox.box.y)
      await Promise.all([page.waitForURL(/\/stories\?/), page.keyboard.press('Enter')])
      const url = new URL(page.url())
      expect(url.searchParams.getAll(checkbox.name)).toEqual([checkbox.value])
      // The filtered page keeps the box ticked and says what it is filtered by.
      expect(
        await page
          .locator(`input[type="checkbox"][name="${checkbox.name}"][value="${checkbox.value}"]`)
          .isChecked(),
      ).toBe(true)
      await expect(page.locator('h2', { hasText: 'Filtered by' }).count()).resolves.toBe(1)
    })
  },
)

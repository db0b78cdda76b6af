import { AxeBuilder } from '@axe-core/playwright'
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Frame, Locator, Page } from 'playwright-core'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { createLogger } from '../../src/logger.js'
import { fromRoot } from '../../src/paths.js'
import { readAssetManifest } from '../../src/web/asset-manifest.js'
import { loadSiteContent } from '../../src/site/load.js'
import { ContentState } from '../../src/site/state.js'
import { tempDirs } from '../helpers/temp-dirs.js'
import { artefactDir, useBrowser, VIEWPORTS } from './support/browser.js'
import { startServer, type RunningServer } from './support/server.js'

/**
 * The editors' CMS at /admin, in Chromium against the built server in development mode (local
 * editing). Playwright cannot answer the browser's folder picker (playwright issue 11288), so
 * an init script stands in for `showDirectoryPicker` alone: it returns a folder of the
 * origin-private file system, seeded with a copy of content/ and an empty .git/ (which Sveltia
 * looks for). Everything else is the CMS as an editor uses it; what it writes is read back out
 * of that folder.
 */

/** What /admin may be refused under its policy, and why that is harmless. */
const EXPECTED_VIOLATIONS = [
  // Sveltia's stylesheet names its fonts on a CDN too; the bundled copies load from /assets/cms/.
  { directive: 'font-src', blocked: /^https:\/\/cdn\.jsdelivr\.net\/fontsource\// },
  // A check of GitHub's status page, shown only when GitHub is down.
  { directive: 'connect-src', blocked: /^https:\/\/www\.githubstatus\.com\// },
  // Sveltia fetches its built-in logo, a data: URL; the logo it shows is ours (config logo.src).
  { directive: 'connect-src', blocked: /^data$/ },
]

/** axe rules the CMS's own markup breaks on the new-story form (listed in docs/editing.md). */
const CMS_OWN_AXE_RULES = new Set<string>([
  // The preview pane's <iframe> document has lang="_default" (Sveltia's name for the one locale).
  'html-lang-valid',
])

const browser = useBrowser()
const tempDir = tempDirs()
const screenshots = artefactDir('cms')
let server: RunningServer
let page: Page
const violations: string[] = []
const pageErrors: string[] = []

/** content/ as it is in the repository: the stories the CMS lists, the themes its form offers. */
function contentFiles(): { path: string; text: string }[] {
  const stories = readdirSync(fromRoot('content', 'stories')).map(
    (name) => `content/stories/${name}`,
  )
  return [...stories, 'content/themes.yml', 'content/synonyms.yml'].map((file) => ({
    path: file,
    text: readFileSync(fromRoot(file), 'utf8'),
  }))
}

/** Writes the files into the origin-private file system's folder "project", afresh. */
async function seedProjectFolder(files: { path: string; text: string }[]): Promise<void> {
  await page.evaluate(async (files) => {
    const root = await navigator.storage.getDirectory()
    await root.removeEntry('project', { recursive: true }).catch(() => undefined)
    const project = await root.getDirectoryHandle('project', { create: true })
    await project.getDirectoryHandle('.git', { create: true })
    for (const file of files) {
      const parts = file.path.split('/')
      let dir = project
      for (const part of parts.slice(0, -1))
        dir = await dir.getDirectoryHandle(part, { create: true })
      const handle = await dir.getFileHandle(parts.at(-1) as string, { create: true })
      const writable = await handle.createWritable()
      await writable.write(file.text)
      await writable.close()
    }
  }, files)
}

/** A file of the "project" folder, as the CMS left it (undefined if there is none). */
function readProjectFile(file: string): Promise<string | undefined> {
  return page.evaluate(async (file) => {
    let dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('project')
    const parts = file.split('/')
    try {
      for (const part of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(part)
      return await (await (await dir.getFileHandle(parts.at(-1) as string)).getFile()).text()
    } catch {
      return undefined
    }
  }, file)
}

beforeAll(async () => {
  server = await startServer({
    contentDir: fromRoot('content'),
    env: { NODE_ENV: 'development' },
  })
  // No transitions: the form's panes fade in and out, and a click during a fade misses.
  const context = await browser().newContext({
    viewport: VIEWPORTS.desktop,
    locale: 'en-GB',
    reducedMotion: 'reduce',
  })
  page = await context.newPage()
  // The machine is shared: the CMS's editor loads its parts on demand.
  page.setDefaultTimeout(15_000)
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.log(`csp-violation ${event.effectiveDirective} ${event.blockedURI}`)
    })
    // The one stand-in: the folder picker answers with the seeded folder.
    Object.defineProperty(window, 'showDirectoryPicker', {
      value: async () => (await navigator.storage.getDirectory()).getDirectoryHandle('project'),
    })
  })
  page.on('console', (message) => {
    if (message.text().startsWith('csp-violation ')) violations.push(message.text().slice(14))
  })
  page.on('pageerror', (error) => pageErrors.push(error.message))
  // The folder lives in the origin's storage: seed it from a page of that origin.
  await page.goto(`${server.baseUrl}/healthz`)
  await seedProjectFolder(contentFiles())
  // From here on, what /admin does (the health check's plain-text page has the site's policy).
  violations.length = 0
  pageErrors.length = 0
  await page.goto(`${server.baseUrl}/admin`)
  await page.getByRole('button', { name: 'Work with Local Repository' }).waitFor()
  await page.screenshot({ path: path.join(screenshots, '1-sign-in.png') })
  await page.getByRole('button', { name: 'Work with Local Repository' }).click()
  await page.getByRole('button', { name: 'Create New Entry' }).waitFor()
  await page.screenshot({ path: path.join(screenshots, '2-stories.png') })
})

afterAll(async () => {
  await page?.context().close()
  await server?.stop()
})

describe('/admin', () => {
  it('loads under its own policy, with no page error and only the expected CSP refusals', async () => {
    const res = await fetch(`${server.baseUrl}/admin`)
    const csp = res.headers.get('content-security-policy') ?? ''
    expect(csp).toContain("script-src 'self';")
    expect(csp).not.toContain('unsafe-eval')
    expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin-allow-popups')
    expect(res.headers.get('x-robots-tag')).toBe('noindex')
    expect(pageErrors).toEqual([])
    const unexpected = violations.filter((violation) => {
      const [directive, blocked = ''] = violation.split(' ')
      return !EXPECTED_VIOLATIONS.some((e) => e.directive === directive && e.blocked.test(blocked))
    })
    expect(unexpected).toEqual([])
    // People can zoom: the CMS's own viewport tag has lost its maximum-scale.
    const viewports = await page
      .locator('meta[name="viewport"]')
      .evaluateAll((metas) => metas.map((meta) => meta.getAttribute('content')))
    expect(viewports.length).toBeGreaterThan(0)
    for (const content of viewports) expect(content).not.toMatch(/maximum-scale|user-scalable/)
  })
})

/** An accessible name as Sveltia writes it: the words it fills in are wrapped in bidi isolates. */
function named(text: string): RegExp {
  const isolates = '[\u2068\u2069]*'
  const chars = [...text].map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
  return new RegExp(`^${isolates}${chars.join(isolates)}${isolates}$`)
}

/**
 * Opens the CMS afresh at a route of its own (`#/collections/stories/new`, `…/entries/<slug>`):
 * a new page load, so that no pane of an earlier test is still closing. The CMS remembers the
 * folder it was given; if it asks again, the stand-in picker answers.
 */
async function openCms(route: string): Promise<void> {
  await page.goto('about:blank')
  await page.goto(`${server.baseUrl}/admin${route}`)
  const local = page.getByRole('button', { name: 'Work with Local Repository' })
  const signedIn = page.getByRole('toolbar', { name: 'Global' })
  await local.or(signedIn).first().waitFor()
  if (await local.isVisible()) await local.click()
  await signedIn.waitFor()
}

/** Picks an option of one of Sveltia's selects (a combobox with a listbox). */
async function choose(scope: Locator, field: string, option: string): Promise<void> {
  await scope.getByRole('combobox', { name: field, exact: true }).click()
  await page.getByRole('option', { name: option, exact: true }).click()
}

const SLUG = 'dunmere-shared-plan'

describe('creating a story through the form', () => {
  it('writes a file the content loader accepts, which the site renders', async () => {
    await page.getByRole('button', { name: 'Create New Entry' }).click()
    const form = page.locator('body')
    await form
      .getByRole('textbox', { name: 'Title', exact: true })
      .fill('Dunmere builds a shared plan with its partners')
    await form
      .getByRole('textbox', { name: 'Council', exact: true })
      .fill('Dunmere District Council')
    await choose(form, 'Type of council', 'District council')
    await choose(form, 'Region', 'South West')
    await choose(form, 'Type of challenge', 'Corporate peer challenge')
    await form.getByRole('spinbutton', { name: 'Year of the challenge' }).fill('2023')
    await choose(form, 'Themes', 'Transformation')
    await choose(form, 'Themes', 'Vision and place-shaping')
    await page.screenshot({ path: path.join(screenshots, '3-new-story.png') })
    // The preview pane is drawn with the site's own (hashed) stylesheet.
    const preview = page.frames().find((frame) => frame !== page.mainFrame())
    const previewStyles = await preview?.evaluate(() =>
      [...document.querySelectorAll('link[rel="stylesheet"]')].map((link) =>
        link.getAttribute('href'),
      ),
    )
    expect(previewStyles).toContainEqual(
      expect.stringMatching(new RegExp(`/assets/${readAssetManifest()['app.css']}$`)),
    )
    await form
      .getByRole('textbox', { name: 'Summary', exact: true })
      .fill(
        'Dunmere asked its peers how to plan with its partners, and now shares one plan for the district with them.',
      )
    await form.getByRole('button', { name: named('Add Impacts') }).click()
    await form
      .getByRole('textbox', { name: 'Impact', exact: true })
      .fill('One plan for the district, agreed by five partners')
    const quotes = [
      {
        id: 'leader-one-plan',
        speaker: 'Leader',
        text: 'We had five plans for one place. Now we have one, and everyone signed it.',
      },
      {
        id: 'peer-partners',
        speaker: 'Peer',
        text: 'The partners were ready long before the council asked them.',
        theme: 'Outward focus and partnership',
      },
    ]
    for (const [index, quote] of quotes.entries()) {
      await form.getByRole('button', { name: named('Add Quotes') }).click()
      await form.getByRole('textbox', { name: 'Quote id', exact: true }).nth(index).fill(quote.id)
      await form.getByRole('combobox', { name: 'Speaker', exact: true }).nth(index).click()
      await page.getByRole('option', { name: quote.speaker, exact: true }).click()
      await form
        .getByRole('textbox', { name: 'What they said', exact: true })
        .nth(index)
        .fill(quote.text)
      if (quote.theme !== undefined) {
        await form
          .getByRole('combobox', { name: 'Theme of this quote', exact: true })
          .nth(index)
          .click()
        await page.getByRole('option', { name: quote.theme, exact: true }).click()
      }
    }
    await form
      .getByRole('textbox', { name: 'What they said', exact: true })
      .nth(0)
      .scrollIntoViewIfNeeded()
    await page.screenshot({ path: path.join(screenshots, '4-quotes.png') })
    await form.getByRole('textbox', { name: 'Published', exact: true }).fill('2026-11-30')
    // The narrative, typed as Markdown into the CMS's rich editor (its shortcuts make the heading).
    // The form draws the fields below the fold as they are scrolled to.
    await page
      .getByRole('textbox', { name: 'Link to the peer challenge report' })
      .scrollIntoViewIfNeeded()
    const narrative = page.locator('[contenteditable="true"]')
    await narrative.click()
    await page.keyboard.type('## Five plans, one place')
    await page.keyboard.press('Enter')
    await page.keyboard.type(
      'Dunmere had a plan for the district, and so did each of its partners.',
    )
    await page.getByRole('textbox', { name: 'Slug', exact: true }).fill(SLUG)
    await page.screenshot({ path: path.join(screenshots, '5-narrative-and-slug.png') })
    await expectPreviewOfNewStory()
    await page.getByRole('button', { name: 'Save', exact: true }).click()
    await expect
      .poll(() => readProjectFile(`content/stories/${SLUG}.md`), { timeout: 10_000 })
      .toBeDefined()
    const written = (await readProjectFile(`content/stories/${SLUG}.md`)) as string
    await page.screenshot({ path: path.join(screenshots, '6-saved.png') })
    expect(written).toMatch(/^published: 2026-11-30$/m)
    expect(written).not.toMatch(/: ''$|: null$|^updated:|^politicalControl:/m)

    // The project's own loader accepts it with the rest of content/, with no problems (it
    // throws, listing them, if there are any), and an app built on that folder renders it.
    const contentDir = tempDir('cms-content-')
    cpSync(fromRoot('content'), contentDir, { recursive: true })
    writeFileSync(path.join(contentDir, 'stories', `${SLUG}.md`), written)
    const config = loadConfig({ NODE_ENV: 'test', CONTENT_DIR: contentDir, LOG_LEVEL: 'silent' })
    const content = new ContentState(await loadSiteContent({ ...config, cacheDir: undefined }))
    const app = createApp({ config, content, logger: createLogger(config) })
    const res = await request(app).get(`/stories/${SLUG}`)
    expect(res.status).toBe(200)
    expect(res.text).toContain('Dunmere builds a shared plan with its partners')
    expect(res.text).toContain('We had five plans for one place.')
    expect(res.text).toContain('The partners were ready long before the council asked them.')
    // The story page's sections are h2s, so the narrative's own headings are one level down.
    expect(res.text).toMatch(/<h3[^>]*>Five plans, one place<\/h3>/)
  })
})

/** The preview pane's document (Sveltia draws it in an iframe of its own). */
function previewFrame(): Frame {
  const frame = page.frames().find((candidate) => candidate !== page.mainFrame())
  if (frame === undefined) throw new Error('the CMS shows no preview pane')
  return frame
}

/**
 * The preview pane shows the story being written as its page will (the story page's article
 * template, run in the browser), live as it is typed, in the site's stylesheet.
 */
async function expectPreviewOfNewStory(): Promise<void> {
  const preview = previewFrame()
  const article = preview.locator('article')
  // The narrative typed last is there: the preview follows the form.
  await article.locator('h3', { hasText: 'Five plans, one place' }).waitFor()
  expect(await article.locator('h1.govuk-heading-xl').textContent()).toBe(
    'Dunmere builds a shared plan with its partners',
  )
  const summaryList = article.locator('dl.govuk-summary-list')
  expect(
    await summaryList.locator('a[href="/councils/dunmere-district-council"]').textContent(),
  ).toBe('Dunmere District Council')
  expect(await summaryList.textContent()).toMatch(/Region\s+South West/)
  expect(await summaryList.textContent()).toMatch(/Challenge\s+Corporate peer challenge, 2023/)
  expect(await summaryList.textContent()).toMatch(/Published\s+30 November 2026/)
  // The narrative's heading is one level down, as on the page (the server's Markdown renderer).
  expect(await article.locator('.app-narrative h3.govuk-heading-m').textContent()).toBe(
    'Five plans, one place',
  )
  expect(
    await article.locator('figure.app-quote#leader-one-plan blockquote').textContent(),
  ).toContain('We had five plans for one place.')
  expect(await article.locator('.app-quote__speaker').allTextContents()).toEqual(['Leader', 'Peer'])
  expect(await article.locator('.app-tags a').allTextContents()).toEqual([
    'Transformation',
    'Vision and place-shaping',
  ])
  // Styled by app.css: govuk-frontend's heading and the site's own rule beside a quote.
  const styles = await article.evaluate((element) => ({
    title: getComputedStyle(element.querySelector('h1') as Element).fontWeight,
    quoteBorder: getComputedStyle(element.querySelector('.app-quote') as Element).borderLeftWidth,
  }))
  expect(styles).toEqual({ title: '700', quoteBorder: '8px' })
  for (const viewport of [VIEWPORTS.desktop, { width: 375, height: 812 }]) {
    await page.setViewportSize(viewport)
    await page.screenshot({ path: path.join(screenshots, `5-preview-${viewport.width}.png`) })
  }
  await page.setViewportSize(VIEWPORTS.desktop)
}

/**
 * An existing story's preview is its page's article: the main column and the themes as the
 * server renders them (both read through the browser's parser, which writes ' for &#39;).
 * The council's other stories and related stories are the page's alone.
 */
async function expectPreviewAsOnThePage(slug: string): Promise<void> {
  const preview = previewFrame()
  await preview.locator('article .app-quote').first().waitFor()
  const served = await (await fetch(`${server.baseUrl}/stories/${slug}`)).text()
  const [shown, onPage] = await preview.evaluate((served) => {
    const parts = (article: Element | null) =>
      ['.govuk-grid-column-two-thirds', '.app-tags'].map(
        (selector) => article?.querySelector(selector)?.innerHTML,
      )
    const page = new DOMParser().parseFromString(served, 'text/html')
    return [parts(document.querySelector('article')), parts(page.querySelector('article'))]
  }, served)
  expect(shown[0]).toContain('In their words')
  expect(shown).toEqual(onPage)
}

describe('editing a story', () => {
  it('changes only the edited field’s lines in the file', async () => {
    const slug = 'ambershire-county-budget-gap'
    const before = readFileSync(fromRoot('content', 'stories', `${slug}.md`), 'utf8')
    await openCms(`#/collections/stories/entries/${slug}`)
    await expectPreviewAsOnThePage(slug)
    const council = page.getByRole('textbox', { name: 'Council', exact: true })
    await council.fill('Ambershire County Council (renamed)')
    await page.getByRole('button', { name: 'Save', exact: true }).click()
    await expect.poll(() => readProjectFile(`content/stories/${slug}.md`)).not.toBe(before)
    const after = (await readProjectFile(`content/stories/${slug}.md`)) as string
    const beforeLines = before.split('\n')
    const afterLines = after.split('\n')
    expect(afterLines.length).toBe(beforeLines.length)
    const changed = afterLines.filter((line, index) => line !== beforeLines[index])
    expect(changed).toEqual(['council: Ambershire County Council (renamed)'])
  })
})

describe('accessibility of the new-story form', () => {
  it('axe finds nothing of ours at 1,280 pixels (the CMS’s own findings are listed)', async () => {
    await openCms('#/collections/stories/new')
    await page.getByRole('textbox', { name: 'Title', exact: true }).waitFor()
    const results = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
      .analyze()
    const found = results.violations.map(
      (v) =>
        `${v.id} (${v.impact}, ${v.nodes.length}): ${v.help}; ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(' '))
          .join(' | ')}`,
    )
    console.log(found.join('\n'))
    expect(results.violations.filter((v) => !CMS_OWN_AXE_RULES.has(v.id)).map((v) => v.id)).toEqual(
      [],
    )
  })
})

describe('a required field left empty', () => {
  it('is refused by the form, with a message, and nothing is written', async () => {
    await openCms('#/collections/stories/new')
    await page.getByRole('textbox', { name: 'Title', exact: true }).fill('Westry learns to say no')
    await page.getByRole('textbox', { name: 'Slug', exact: true }).fill('westry-learns-to-say-no')
    await page.getByRole('button', { name: 'Save', exact: true }).click()
    await page.screenshot({ path: path.join(screenshots, '7-refused.png') })
    // The empty Council field (one of those left empty) says why, and the save is refused.
    const council = page.getByRole('group', { name: named('“Council” Field') })
    await expect
      .poll(() => council.getByRole('alert').textContent())
      .toContain('This field is required.')
    expect(
      await page
        .getByRole('textbox', { name: 'Council', exact: true })
        .getAttribute('aria-invalid'),
    ).toBe('true')
    await page.getByText(/fields have errors\. Please correct them to save the entry\./).waitFor()
    expect(await readProjectFile('content/stories/westry-learns-to-say-no.md')).toBeUndefined()
  })
})

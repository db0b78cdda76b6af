import nunjucks from 'nunjucks'
import type { ContentState, SiteContent } from '../site/state.js'
import { escapeHtml } from './escape-html.js'
import { joinChunks, type HtmlChunk } from './html-bytes.js'

/**
 * Marks where a value goes in the shell's one render. U+0001 is not escaped by autoescaping and
 * never comes from our templates; the name is checked for after splitting (below), in any case,
 * so a template that transforms a value (a filter, a slice) is refused instead of served wrong.
 */
const MARK = '\u0001'
const slotMark = (name: string): string => `${MARK}page-shell-slot:${name}${MARK}`
const SLOT_PATTERN = new RegExp(`${MARK}page-shell-slot:([A-Za-z]+)${MARK}`)
const MAIN = 'main'

export interface PageShellOptions<S extends string> {
  /** The page template, which extends layout.njk. */
  view: string
  /** Its block written per request (the page's main content). */
  block: string
  /** The request path the route serves (the layout's `currentPath`: the active navigation). */
  path: string
  /** The layout's values that change per request, each written as `{{ value }}` writes it. */
  slots: readonly S[]
  /** False in development, where templates reload on change: the shell is rendered every time. */
  keep: boolean
}

interface Split<S> {
  /** The constant text, UTF-8 encoded once; one more than the slots. */
  parts: Buffer[]
  /** What goes between parts[i] and parts[i + 1]. */
  slots: (S | typeof MAIN)[]
}

/**
 * A page whose layout is the same for every request but for a few values (title, canonical
 * address) and its main content. Rendering layout.njk for every request (frames, imports, the
 * govuk macros of the skip link, phase banner and breadcrumbs) was the biggest part of
 * rendering the stories list. So the page template is rendered once, through Nunjucks as
 * before, with a marker in place of each changing value and of the block, and split at the
 * markers; a request joins the constant parts (kept as UTF-8 bytes) with its values, escaped
 * as autoescaping escapes them, and its main content (HTML the caller made, escaped by it).
 *
 * What the layout shows besides those values depends only on the content snapshot (the
 * problems of a failed development reload) and the path, so a new snapshot or new problems
 * render the shell again. A value is written where the template writes `{{ value }}`; as the
 * markers are truthy, an empty value (which a template might test) is not served from the
 * shell: `bytes` answers undefined and the caller renders the page as before.
 */
export class PageShell<S extends string> {
  readonly #template: nunjucks.Template
  readonly #content: ContentState
  readonly #options: PageShellOptions<S>
  #snapshot: SiteContent | undefined
  #problems: readonly string[] | undefined
  #split: Split<S> | undefined

  constructor(env: nunjucks.Environment, content: ContentState, options: PageShellOptions<S>) {
    if (!/^[A-Za-z]+$/.test(options.block) || (options.slots as readonly string[]).includes(MAIN)) {
      throw new Error(`PageShell: bad block or slot names for ${options.view}`)
    }
    this.#template = new nunjucks.Template(
      `{% extends ${JSON.stringify(options.view)} %}` +
        `{% block ${options.block} %}{{ ${MAIN} }}{% endblock %}`,
      env,
    )
    this.#content = content
    this.#options = options
    // Rendered on first use, not here: createApp reads no content (the 500 page's test app
    // has none). A template the shell cannot reproduce fails that request and the tests.
  }

  /** The page's bytes, or undefined when a value is empty (render it in full instead). */
  bytes(values: Readonly<Record<S, string>>, main: readonly HtmlChunk[]): Buffer | undefined {
    const escaped = new Map<string, string>()
    for (const name of this.#options.slots) {
      const value = values[name]
      if (value === '') return undefined
      escaped.set(name, escapeHtml(value))
    }
    const { parts, slots } = this.#current()
    const chunks: HtmlChunk[] = [parts[0] as Buffer]
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i] as S | typeof MAIN
      if (slot === MAIN) chunks.push(...main)
      else chunks.push(escaped.get(slot) as string)
      chunks.push(parts[i + 1] as Buffer)
    }
    return joinChunks(chunks)
  }

  #current(): Split<S> {
    const { current, problems } = this.#content
    if (
      this.#split === undefined ||
      !this.#options.keep ||
      this.#snapshot !== current ||
      this.#problems !== problems
    ) {
      this.#split = this.#render(problems)
      this.#snapshot = current
      this.#problems = problems
    }
    return this.#split
  }

  #render(problems: readonly string[]): Split<S> {
    const { view, path, slots } = this.#options
    // The locals res.render gives the page: what setUpViews puts in res.locals, and the route's.
    const locals: Record<string, unknown> = {
      currentPath: path,
      contentProblems: problems,
      [MAIN]: slotMark(MAIN),
    }
    for (const name of slots) locals[name] = slotMark(name)
    const pieces = this.#template.render(locals).split(SLOT_PATTERN)
    const parts = pieces.filter((_, i) => i % 2 === 0)
    const split: Split<S> = {
      parts: parts.map((part) => Buffer.from(part)),
      slots: pieces.filter((_, i) => i % 2 === 1) as (S | typeof MAIN)[],
    }
    const known = new Set<string>([MAIN, ...slots])
    const transformed = parts.some((p) => p.includes(MARK) || /page-shell-slot/i.test(p))
    if (
      transformed ||
      split.slots.some((s) => !known.has(s)) ||
      split.slots.filter((s) => s === MAIN).length !== 1
    ) {
      throw new Error(`PageShell: ${view} does not write its values as {{ value }}`)
    }
    return split
  }
}

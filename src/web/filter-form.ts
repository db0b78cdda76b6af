import type nunjucks from 'nunjucks'
import type { FacetOption } from './listing/filters.js'
import { escapeHtml } from './escape-html.js'
import { shownOptions } from './filters/shown-options.js'
import { joinChunks, type HtmlChunk } from './html-bytes.js'

export interface FilterFormParams<P extends string> {
  /** Where the form is sent (a GET form). */
  action: string
  facets: Readonly<Record<P, readonly FacetOption[]>>
  legends: Readonly<Record<P, string>>
  /** The filters, in the order their fieldsets appear. */
  params: readonly P[]
  hidden: readonly { name: string; value: string }[]
  /** The id of the results, for a skip link. */
  resultsId?: string
}

/**
 * The filter form of views/components/filters.njk (`appFilters`), written here instead, byte
 * for byte: on the stories list the macro's loops over some fifty options were most of what
 * was left of rendering the page (Nunjucks sets eight loop variables per option, splitting
 * each name on dots). Every value from the content or the request is escaped as the template
 * escapes it; govuk-frontend's buttons are rendered once, by its macro. The macro stays the
 * reference (test/web/filter-form.test.ts compares the two) and the search page's form.
 */
/** The end of every option's markup, after its count. */
const OPTION_END = Buffer.from(`)</span>
      </label>
    </div>
`)

/** One option's markup up to its count, for one place in its list, ticked or not. */
interface OptionHead {
  label: string
  /** By place in the list shown (the id depends on it): [unticked, ticked]. */
  atIndex: [Buffer | undefined, Buffer | undefined][]
}

export class FilterForm {
  readonly #topButton: string
  readonly #bottomButton: string
  /**
   * Each option's markup up to its count, encoded once: it depends only on the filter, the
   * option (value and label), its place among the options shown and whether it is ticked;
   * only the count changes between requests. The options come from the library (facets never
   * hold values from the request), so this holds at most every option at every place: a few
   * hundred small buffers. A new label (a development reload) replaces the option's entry.
   */
  readonly #heads = new Map<string, Map<string, OptionHead>>()

  constructor(env: nunjucks.Environment) {
    const button = (classes: string): string =>
      env.renderString(
        '{% from "govuk/components/button/macro.njk" import govukButton %}' +
          "{{ govukButton({ text: 'Apply filters', classes: classes }) }}",
        { classes },
      )
    this.#topButton = button('govuk-!-margin-bottom-4')
    this.#bottomButton = button('govuk-!-margin-bottom-0')
  }

  html<P extends string>(form: FilterFormParams<P>): string {
    return joinChunks(this.chunks(form)).toString()
  }

  /** The form as pieces of a page (html-bytes.ts): the options' fixed markup as bytes. */
  chunks<P extends string>(form: FilterFormParams<P>): HtmlChunk[] {
    const chunks: HtmlChunk[] = []
    let html = `<form class="app-filters" method="get" action="${escapeHtml(form.action)}" aria-labelledby="app-filters-heading">
  <h2 class="govuk-heading-m" id="app-filters-heading">Filter</h2>
`
    if (form.resultsId) {
      html += `    <p class="govuk-body-s"><a class="govuk-link" href="#${escapeHtml(form.resultsId)}">Skip to the results</a></p>
`
    }
    for (const field of form.hidden) {
      html += `    <input type="hidden" name="${escapeHtml(field.name)}" value="${escapeHtml(field.value)}">
`
    }
    html += `  ${this.#topButton}\n`
    for (const param of form.params) {
      const shown = shownOptions(form.facets[param])
      if (shown.length === 0) continue
      html += `      <div class="govuk-form-group">
  <fieldset class="govuk-fieldset">
  <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">
    ${escapeHtml(form.legends[param])}
  </legend>
  <div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
`
      chunks.push(html)
      shown.forEach((option, index) => {
        chunks.push(this.#optionHead(param, option, index), String(option.count), OPTION_END)
      })
      html = `  </div>
</fieldset>
</div>

`
    }
    chunks.push(`${html}  ${this.#bottomButton}\n</form>\n`)
    return chunks
  }

  #optionHead(param: string, option: FacetOption, index: number): Buffer {
    let options = this.#heads.get(param)
    if (options === undefined) this.#heads.set(param, (options = new Map()))
    let head = options.get(option.value)
    if (head === undefined || head.label !== option.label) {
      options.set(option.value, (head = { label: option.label, atIndex: [] }))
    }
    const variants = (head.atIndex[index] ??= [undefined, undefined])
    const ticked = option.selected ? 1 : 0
    let bytes = variants[ticked]
    if (bytes === undefined) {
      const name = escapeHtml(param)
      const id = index === 0 ? `filter-${name}` : `filter-${name}-${index + 1}`
      bytes = variants[ticked] = Buffer.from(`    <div class="govuk-checkboxes__item">
      <input class="govuk-checkboxes__input" id="${id}" name="${name}" type="checkbox" value="${escapeHtml(option.value)}"${option.selected ? ' checked' : ''}>
      <label class="govuk-label govuk-checkboxes__label" for="${id}">
        ${escapeHtml(option.label)} <span class="app-filters__count">(`)
    }
    return bytes
  }
}

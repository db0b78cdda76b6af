import type nunjucks from 'nunjucks'
import type { FacetOption } from '../content/filters.js'
import { escapeHtml } from './escape-html.js'
import { shownOptions } from './filters/shown-options.js'

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
export class FilterForm {
  readonly #topButton: string
  readonly #bottomButton: string

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
      const name = escapeHtml(param)
      html += `      <div class="govuk-form-group">
  <fieldset class="govuk-fieldset">
  <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">
    ${escapeHtml(form.legends[param])}
  </legend>
  <div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
`
      shown.forEach((option, index) => {
        const id = index === 0 ? `filter-${name}` : `filter-${name}-${index + 1}`
        html += `    <div class="govuk-checkboxes__item">
      <input class="govuk-checkboxes__input" id="${id}" name="${name}" type="checkbox" value="${escapeHtml(option.value)}"${option.selected ? ' checked' : ''}>
      <label class="govuk-label govuk-checkboxes__label" for="${id}">
        ${escapeHtml(option.label)} <span class="app-filters__count">(${escapeHtml(option.count)})</span>
      </label>
    </div>
`
      })
      html += `  </div>
</fieldset>
</div>

`
    }
    return `${html}  ${this.#bottomButton}\n</form>\n`
  }
}

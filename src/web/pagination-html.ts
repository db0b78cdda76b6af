import { escapeHtml } from './escape-html.js'
import type { paginationParams } from './pagination.js'

type PaginationParams = NonNullable<ReturnType<typeof paginationParams>>

const ARROW_PREVIOUS = `      <svg class="govuk-pagination__icon govuk-pagination__icon--prev" xmlns="http://www.w3.org/2000/svg" height="13" width="15" aria-hidden="true" focusable="false" viewBox="0 0 15 13">
        <path d="m6.5938-0.0078125-6.7266 6.7266 6.7441 6.4062 1.377-1.449-4.1856-3.9768h12.896v-2h-12.984l4.2931-4.293-1.414-1.414z"></path>
      </svg>
`
const ARROW_NEXT = `      <svg class="govuk-pagination__icon govuk-pagination__icon--next" xmlns="http://www.w3.org/2000/svg" height="13" width="15" aria-hidden="true" focusable="false" viewBox="0 0 15 13">
        <path d="m8.107-0.0078125-1.4136 1.414 4.2926 4.293h-12.986v2h12.896l-4.1855 3.9766 1.377 1.4492 6.7441-6.4062-6.7246-6.7266z"></path>
      </svg>
`

/**
 * govuk-frontend's `govukPagination` for what `paginationParams` makes (numbered items, with
 * previous and next links when there are pages before or after), written here byte for byte:
 * on the stories list the macro (a call block per arrow, `indent` filters, a macro per item)
 * was what was left of Nunjucks per request. Only that shape is written: other parameters
 * (labels, classes, attributes, block mode without items) are not, so callers pass exactly
 * paginationParams' result. test/web/pagination-html.test.ts compares it with the macro for
 * every page of lists of up to 12 pages, with hostile query strings in the addresses.
 */
export function paginationHtml(params: PaginationParams): string {
  let html = '<nav class="govuk-pagination" aria-label="Pagination">\n'
  if (params.previous?.href) {
    html += `  <div class="govuk-pagination__prev">
    <a class="govuk-link govuk-pagination__link" href="${escapeHtml(params.previous.href)}" rel="prev">
${ARROW_PREVIOUS}      <span class="govuk-pagination__link-title">
        Previous<span class="govuk-visually-hidden"> page</span>
      </span>
    </a>
  </div>
`
  }
  html += '  <ul class="govuk-pagination__list">\n'
  for (const item of params.items) {
    if (item.ellipsis) {
      html += `      <li class="govuk-pagination__item govuk-pagination__item--ellipsis">
      &ctdot;
    </li>
`
      continue
    }
    const number = escapeHtml(String(item.number))
    html += `      <li class="govuk-pagination__item${item.current ? ' govuk-pagination__item--current' : ''}">
      <a class="govuk-link govuk-pagination__link" href="${escapeHtml(item.href ?? '')}" aria-label="Page ${number}"${item.current ? ' aria-current="page"' : ''}>
        ${number}
      </a>
    </li>
`
  }
  html += '  </ul>\n'
  if (params.next?.href) {
    html += `  <div class="govuk-pagination__next">
    <a class="govuk-link govuk-pagination__link" href="${escapeHtml(params.next.href)}" rel="next">
      <span class="govuk-pagination__link-title">
        Next<span class="govuk-visually-hidden"> page</span>
      </span>
${ARROW_NEXT}    </a>
  </div>
`
  }
  return `${html}</nav>\n`
}

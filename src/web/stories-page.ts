import type { Story } from '../content/model.js'
import { escapeHtml } from './escape-html.js'
import { joinChunks, type HtmlChunk } from './html-bytes.js'
import { pluralise } from './filters/pluralise.js'
import { paginationHtml } from './pagination-html.js'
import type { Page, paginationParams } from './pagination.js'
import type { SelectedFilter } from './selected-filters.js'

/** What views/pages/stories.njk is rendered with (the route makes it: routes/stories.ts). */
export interface StoriesPageLocals {
  pageTitle: string
  canonicalUrl: string
  page: Page<Story>
  /** The cards (StoryCardList#chunks); the template reads them as `storyCardsHtml`. */
  storyCards: HtmlChunk[]
  /** The filter form (FilterForm#chunks); the template reads it as `filterFormHtml`. */
  filterForm: HtmlChunk[]
  /** The ticked options, kept as hidden fields when the sort form is sent. */
  selectedFields: { name: string; value: string }[]
  selected: SelectedFilter[]
  sort: string
  sorts: Readonly<Record<string, string>>
  pagination: ReturnType<typeof paginationParams>
  downloads: { storiesCsv: string; quotesCsv: string; json: string }
}

/** What the template itself is rendered with (the full render: tests, and the shell's fallback). */
export function storiesTemplateLocals(
  v: StoriesPageLocals,
): StoriesPageLocals & { storyCardsHtml: string; filterFormHtml: string } {
  return {
    ...v,
    storyCardsHtml: joinChunks(v.storyCards).toString(),
    filterFormHtml: joinChunks(v.filterForm).toString(),
  }
}

/** The list's title: it tells screen readers and tabs which page of which list this is. */
export function storiesPageTitle(filtered: boolean, page: Page<unknown>): string {
  return (
    'Stories' +
    (filtered ? ' (filtered)' : '') +
    (page.totalPages > 1 ? `, page ${page.page} of ${page.totalPages}` : '')
  )
}

/**
 * The `content` block of views/pages/stories.njk, written here byte for byte, so the list page
 * (its layout from a PageShell) renders nothing through Nunjucks per request (the pagination
 * is written in pagination-html.ts). The template stays the reference:
 * test/web/stories-page.test.ts compares the whole page served with the template's render,
 * over many filters, sorts and pages and hostile query strings. Every value from the content or the request is escaped as
 * autoescaping escapes it; the cards and the filter form come escaped from their makers.
 */
export function storiesMainChunks(v: StoriesPageLocals): HtmlChunk[] {
  const { page } = v
  let summary: string
  if (page.total === 0) summary = 'No stories match these filters.'
  else {
    summary = escapeHtml(pluralise(page.total, 'story', 'stories'))
    if (page.totalPages > 1) summary += `, showing ${page.from} to ${page.to}`
  }
  const chunks: HtmlChunk[] = [
    `<h1 class="govuk-heading-xl">Stories</h1>
<div class="govuk-grid-row">
  <div class="govuk-grid-column-one-third">
    `,
    ...v.filterForm,
  ]
  let html = `
  </div>
  <div class="govuk-grid-column-two-thirds">
    <p class="app-result-summary" id="app-results" tabindex="-1">
${summary}    </p>
`
  if (v.selected.length > 0) {
    html += `      <h2 class="govuk-heading-s">Filtered by</h2>
      <ul class="govuk-list">
`
    for (const s of v.selected) {
      const legend = escapeHtml(s.legend)
      const label = escapeHtml(s.label)
      html += `          <li>${legend}: ${label} – <a class="govuk-link" href="${escapeHtml(s.removeHref)}">Remove<span class="govuk-visually-hidden"> filter ${legend}: ${label}</span></a></li>
`
    }
    html += `        <li><a class="govuk-link" href="/stories">Clear all filters</a></li>
      </ul>
`
  }
  html += `    <form method="get" action="/stories" class="govuk-!-margin-bottom-4">
`
  for (const field of v.selectedFields) {
    html += `<input type="hidden" name="${escapeHtml(field.name)}" value="${escapeHtml(field.value)}">`
  }
  html += `      <div class="govuk-form-group govuk-!-margin-bottom-0">
        <label class="govuk-label govuk-!-display-inline-block govuk-!-margin-right-2" for="app-sort">Sort by</label>
        <select class="govuk-select" id="app-sort" name="sort">
`
  for (const [value, text] of Object.entries(v.sorts)) {
    html += `            <option value="${escapeHtml(value)}"${value === v.sort ? ' selected' : ''}>${escapeHtml(text)}</option>
`
  }
  html += `        </select>
        <button class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" type="submit">Sort</button>
      </div>
    </form>
`
  if (page.total === 0) {
    html += `      <p class="govuk-body">Try removing a filter, or <a class="govuk-link" href="/search">search the stories and quotes</a>.</p>
`
  }
  chunks.push(`${html}    `, ...v.storyCards)
  html = '\n'
  if (v.pagination) html += paginationHtml(v.pagination)
  if (page.total > 0) {
    const { downloads } = v
    html += `    <div class="app-no-print">
    <h2 class="govuk-heading-s govuk-!-margin-top-6">Use this list elsewhere</h2>
    <ul class="govuk-list">
      <li><a class="govuk-link" href="${escapeHtml(downloads.storiesCsv)}" download>Download these stories as CSV</a></li>
      <li><a class="govuk-link" href="${escapeHtml(downloads.quotesCsv)}" download>Download their quotes as CSV</a></li>
      <li><a class="govuk-link" href="${escapeHtml(downloads.json)}">These stories as JSON</a> (<a class="govuk-link" href="/about#open-data">about the open data</a>)</li>
    </ul>
    </div>
`
  }
  chunks.push(`${html}  </div>
</div>
`)
  return chunks
}

import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.js'
import { createViewEnvironment } from '../../src/web/view-environment.js'

/**
 * views/components/filters.njk writes govuk-frontend's checkboxes markup out by hand (the macro
 * cost most of a list page's render time). This keeps it the same as the macro's, so an upgrade
 * of govuk-frontend that changes the markup fails here rather than drifting silently.
 */
const env = createViewEnvironment({ config: loadConfig({ LOG_LEVEL: 'silent' }) })
const normalise = (html: string): string =>
  html
    .replace(/>\s+</g, '><')
    .replace(/\s+/g, ' ')
    .replace(/\s*(<\/?(?:label|legend)[^>]*>)\s*/g, '$1')
    .trim()

const options = [
  { value: 'vision-and-place', label: 'Vision & place', count: 3, selected: true },
  { value: 'transformation', label: 'Transformation', count: 0, selected: false },
  { value: 'learning-culture', label: 'Learning <culture>', count: 2, selected: false },
]

describe('the filter component', () => {
  it("renders the same checkboxes as govuk-frontend's macro", () => {
    const ours = env.renderString(
      `{% from "components/filters.njk" import appFilters %}{{ appFilters({ action: '/stories', facets: { theme: options }, legends: { theme: 'Theme' }, params: ['theme'] }) }}`,
      { options },
    )
    const fieldset = /<div class="govuk-form-group">[\s\S]*?<\/fieldset>\s*<\/div>/.exec(ours)?.[0]
    const shown = options.filter((o) => o.count > 0 || o.selected)
    const theirs = env.renderString(
      `{% from "govuk/components/checkboxes/macro.njk" import govukCheckboxes %}{{ govukCheckboxes({
        idPrefix: 'filter-theme', name: 'theme', classes: 'govuk-checkboxes--small',
        fieldset: { legend: { text: 'Theme', classes: 'govuk-fieldset__legend--s' } },
        items: items }) }}`,
      {
        items: shown.map((o) => ({
          value: o.value,
          html: `${env.getFilter('escape')(o.label)} <span class="app-filters__count">(${o.count})</span>`,
          checked: o.selected,
        })),
      },
    )
    expect(fieldset).toBeDefined()
    expect(normalise(fieldset ?? '')).toBe(normalise(theirs))
    expect(ours).toContain('Learning &lt;culture&gt;')
    expect(ours).not.toContain('value="transformation"')
  })
})

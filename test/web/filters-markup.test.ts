import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.js'
import { filterPanel } from '../../src/web/filter-panel.js'
import type { FacetOption } from '../../src/web/listing/filters.js'
import { createViewEnvironment } from '../../src/web/view-environment.js'

/**
 * views/components/filters.njk, the one filter panel of /stories and /search: govuk-frontend's
 * checkboxes, one fieldset per filter, each option with its count.
 */
const env = createViewEnvironment({ config: loadConfig({ LOG_LEVEL: 'silent' }) })
const render = (panel: ReturnType<typeof filterPanel>): string =>
  env.renderString('{% from "components/filters.njk" import appFilters %}{{ appFilters(panel) }}', {
    panel,
  })

const options: FacetOption[] = [
  { value: 'a"b', label: `Vision & <place> 'quoted' back\\slash`, count: 3, selected: true },
  { value: 'none', label: 'None', count: 0, selected: false },
  { value: 'ticked-empty', label: 'Ticked', count: 0, selected: true },
  { value: 'learning', label: 'Learning culture', count: 2, selected: false },
]

describe('the filter panel', () => {
  it('is a GET form of checkboxes with counts, escaped, leaving out options with nothing to show', () => {
    const html = render(
      filterPanel({
        action: '/stories?x="y"',
        facets: { theme: options, region: [] as FacetOption[] },
        legends: { theme: 'Theme <b>', region: 'Region' },
        params: ['theme', 'region'],
        hidden: [{ name: 'sort', value: '<oldest>' }],
      }),
    )
    expect(html).toContain(
      '<form class="app-filters" method="get" action="/stories?x=&quot;y&quot;"',
    )
    expect(html).toContain('<input type="hidden" name="sort" value="&lt;oldest&gt;">')
    expect(html).toContain('Vision &amp; &lt;place&gt; &#39;quoted&#39; back&#92;slash')
    expect(html).toContain('Theme &lt;b&gt;')
    // The first option's id has no number, as govuk-frontend makes it.
    expect(html).toMatch(
      /id="filter-theme" name="theme" type="checkbox" value="a&quot;b" checked>\s*<label class="govuk-label govuk-checkboxes__label" for="filter-theme">\s*Vision &amp; [^<]*<span class="app-filters__count">\(3\)<\/span>/,
    )
    // A ticked option with no results stays, so it can be unticked; an unticked one goes.
    expect(html).toMatch(
      /id="filter-theme-2" name="theme" type="checkbox" value="ticked-empty" checked>/,
    )
    expect(html).not.toContain('value="none"')
    expect(html).toContain('id="filter-theme-3"')
    // A filter with nothing to show has no fieldset.
    expect(html).not.toContain('Region')
    expect(html.match(/<fieldset/g)).toHaveLength(1)
    expect(html).not.toContain('Skip to the results')
    expect(html.match(/Apply filters/g)).toHaveLength(2)
  })

  it('links to the results when told where they are', () => {
    const html = render(
      filterPanel({
        action: '/search',
        facets: { theme: options },
        legends: { theme: 'Theme' },
        params: ['theme'],
        hidden: [],
        resultsId: 'app-results',
      }),
    )
    expect(html).toContain('<a class="govuk-link" href="#app-results">Skip to the results</a>')
  })
})

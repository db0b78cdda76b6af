import { beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.js'
import type { FacetOption } from '../../src/web/listing/filters.js'
import { loadSiteContent } from '../../src/site/load.js'
import type { Library } from '../../src/content/library.js'
import { fromRoot } from '../../src/paths.js'
import { listFilterForm } from '../../src/web/routes/stories.js'
import { storyListing } from '../../src/web/listing/story-listing.js'
import { escapeHtml } from '../../src/web/escape-html.js'
import { FilterForm, type FilterFormParams } from '../../src/web/filter-form.js'
import { createViewEnvironment } from '../../src/web/view-environment.js'

/**
 * The list page's filter form is written in TypeScript; views/components/filters.njk's
 * appFilters macro is the reference it must match byte for byte.
 */
const env = createViewEnvironment({ config: loadConfig({ LOG_LEVEL: 'silent' }) })
const form = new FilterForm(env)
let library: Library

beforeAll(async () => {
  ;({ library } = await loadSiteContent({
    contentDir: fromRoot('content'),
    dev: false,
    cacheDir: undefined,
  }))
})

function macro<P extends string>(params: FilterFormParams<P>): string {
  return env.renderString(
    '{% from "components/filters.njk" import appFilters %}{{ appFilters(params) }}',
    { params },
  )
}

function formFor(query: object): FilterFormParams<string> {
  const { facets, sort } = storyListing(library, query)
  return listFilterForm(facets, sort)
}

describe('the filter form written in TypeScript', () => {
  it.each([
    {},
    { theme: 'transformation' },
    { theme: ['transformation', 'financial-sustainability'], region: 'london' },
    { councilType: 'district', control: 'labour', sort: 'council' },
    { year: '2019', challenge: 'corporate', sort: 'oldest' },
    { region: 'no-such-region' },
  ])('is the macro, byte for byte, for the bundled stories filtered by %j', (query) => {
    const params = formFor(query)
    expect(form.html(params)).toBe(macro(params))
  })

  it("keeps each option's markup for its place, and stays the macro as places, ticks, counts and labels change", () => {
    // One form, as the route keeps it, over states that move options between places.
    const kept = new FilterForm(env)
    const option = (value: string, label: string, count: number, selected = false) => ({
      value,
      label,
      count,
      selected,
    })
    const states: FacetOption[][] = [
      [option('a', 'A', 3), option('b', 'B', 2), option('c', 'C', 1)],
      [option('a', 'A', 0), option('b', 'B', 12, true), option('c', 'C', 1)],
      [option('a', 'A', 0, true), option('b', 'B', 0), option('c', 'C', 1234)],
      [option('a', 'A renamed <&>', 3), option('b', 'B', 2), option('c', 'C', 1, true)],
      [option('a', 'A', 3), option('b', 'B', 2), option('c', 'C', 1)],
    ]
    for (const theme of states) {
      const params: FilterFormParams<'theme' | 'region'> = {
        action: '/stories',
        facets: { theme, region: [option('a', 'Region A', 1)] },
        legends: { theme: 'Theme', region: 'Region' },
        params: ['theme', 'region'],
        hidden: [],
        resultsId: 'app-results',
      }
      expect(kept.html(params)).toBe(macro(params))
    }
  })

  it('escapes what the macro escapes, and leaves out options with nothing to show', () => {
    const options: FacetOption[] = [
      { value: 'a"b', label: `Vision & <place> 'quoted' back\\slash`, count: 3, selected: true },
      { value: 'none', label: 'None', count: 0, selected: false },
      { value: 'ticked-empty', label: 'Ticked', count: 0, selected: true },
    ]
    const params: FilterFormParams<'theme' | 'region'> = {
      action: '/stories?x="y"',
      facets: { theme: options, region: [] },
      legends: { theme: 'Theme <b>', region: 'Region' },
      params: ['theme', 'region'],
      hidden: [{ name: 'sort', value: '<oldest>' }],
    }
    const ours = form.html(params)
    expect(ours).toBe(macro(params))
    expect(ours).toContain('Vision &amp; &lt;place&gt; &#39;quoted&#39; back&#92;slash')
    expect(ours).not.toContain('value="none"')
    expect(ours).toContain('id="filter-theme-2"')
    expect(ours).not.toContain('Skip to the results')
  })

  it('escapeHtml is Nunjucks autoescaping', () => {
    const text = `<a href="x">'&'\\</a> 12`
    expect(escapeHtml(text)).toBe(env.renderString('{{ text }}', { text }))
    expect(escapeHtml(42)).toBe('42')
    for (const plain of ['', 'north-west', 'Vision and place – 2016', '12,345']) {
      expect(escapeHtml(plain)).toBe(env.renderString('{{ text }}', { text: plain }))
    }
    for (const c of ['&', '"', "'", '<', '>', '\\']) {
      expect(escapeHtml(`a${c}b${c}`)).toBe(env.renderString('{{ text }}', { text: `a${c}b${c}` }))
    }
  })
})

import type { FacetOption } from './listing/filters.js'

export interface SelectedFilter {
  legend: string
  label: string
  /** The same page without this one option. */
  removeHref: string
}

/**
 * The ticked options of a filter form, each with a link that removes just it (the "Filtered
 * by" list on /stories and /search). `params` is the page's current query string.
 */
export function selectedFilters<P extends string>(
  facets: Readonly<Record<P, readonly FacetOption[]>>,
  order: readonly P[],
  legends: Readonly<Record<P, string>>,
  basePath: string,
  params: URLSearchParams,
): SelectedFilter[] {
  return order.flatMap((param) =>
    facets[param]
      .filter((o) => o.selected)
      .map((o) => {
        const without = new URLSearchParams(params)
        without.delete(param, o.value)
        without.delete('page')
        const qs = without.toString()
        return {
          legend: legends[param],
          label: o.label,
          removeHref: qs === '' ? basePath : `${basePath}?${qs}`,
        }
      }),
  )
}

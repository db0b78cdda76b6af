import type { FacetOption } from './listing/filters.js'
import { shownOptions } from './filters/shown-options.js'

/** What views/components/filters.njk's `appFilters` is called with. */
export interface FilterPanel {
  /** Where the form is sent (a GET form). */
  action: string
  /** One group of checkboxes per filter with something to show, in the order given. */
  groups: { param: string; legend: string; options: FacetOption[] }[]
  /** Parameters the form keeps (the query, a sort that is not the default). */
  hidden: readonly { name: string; value: string }[]
  /** The id of the results, for a skip link. */
  resultsId?: string
  /** How many options are ticked, for the control that opens the panel on small screens. */
  selectedCount: number
  /** What the number beside each option counts, said under the heading. */
  countsNote?: string
}

/**
 * The filter panel of /stories and /search: each filter's options worth showing (those with
 * results, and those ticked, so they can be unticked); a filter with none is left out.
 */
export function filterPanel<P extends string>(form: {
  action: string
  facets: Readonly<Record<P, readonly FacetOption[]>>
  legends: Readonly<Record<P, string>>
  params: readonly P[]
  hidden: readonly { name: string; value: string }[]
  resultsId?: string
  countsNote?: string
}): FilterPanel {
  const groups = form.params.flatMap((param) => {
    const options = shownOptions(form.facets[param])
    return options.length === 0 ? [] : [{ param, legend: form.legends[param], options }]
  })
  return {
    action: form.action,
    groups,
    hidden: form.hidden,
    selectedCount: groups.reduce((n, g) => n + g.options.filter((o) => o.selected).length, 0),
    ...(form.resultsId === undefined ? {} : { resultsId: form.resultsId }),
    ...(form.countsNote === undefined ? {} : { countsNote: form.countsNote }),
  }
}

/** The ticked options as hidden fields, kept when the page's sort (or search) form is sent. */
export function selectedFields<P extends string>(
  facets: Readonly<Record<P, readonly FacetOption[]>>,
  params: readonly P[],
): { name: P; value: string }[] {
  return params.flatMap((param) =>
    facets[param].filter((o) => o.selected).map((o) => ({ name: param, value: o.value })),
  )
}

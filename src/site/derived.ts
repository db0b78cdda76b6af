/**
 * One mechanism for everything worked out once per content snapshot (filter options, the facet
 * index, sort orders, snippet indexes): the value is kept against the object it was computed
 * from (a Library, a SearchEngine, the snapshot itself) and the function that computed it. A
 * new snapshot brings new objects, so its values are computed afresh and the old ones go with
 * the old snapshot; nothing needs invalidating by hand, and nothing outlives what it describes.
 */
const values = new WeakMap<object, Map<(source: never) => unknown, unknown>>()

export function derived<Source extends object, Value>(
  source: Source,
  compute: (source: Source) => Value,
): Value {
  let bySource = values.get(source)
  if (bySource === undefined) {
    bySource = new Map()
    values.set(source, bySource)
  }
  if (bySource.has(compute)) return bySource.get(compute) as Value
  const value = compute(source)
  bySource.set(compute, value)
  return value
}

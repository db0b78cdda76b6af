/** Repeated parameters beyond this many values are ignored. */
const MAX_VALUES_PER_PARAM = 50

/**
 * Express 5 gives a query value as a string, an array (`q=a&q=b`), or an object (`q[x]=a`).
 * Normalise to a list of strings; anything else is dropped.
 */
export function queryValues(query: unknown, name: string): string[] {
  if (query === null || typeof query !== 'object') return []
  const raw: unknown = Object.hasOwn(query, name)
    ? (query as Record<string, unknown>)[name]
    : undefined
  const list = Array.isArray(raw) ? raw : [raw]
  return list.filter((v): v is string => typeof v === 'string').slice(0, MAX_VALUES_PER_PARAM)
}

/** The first string value of a parameter, or '' (for `q`, `page`, `sort`). */
export function queryValue(query: unknown, name: string): string {
  return queryValues(query, name)[0] ?? ''
}

export const PAGE_SIZE = 20

export interface Page<T> {
  items: T[]
  page: number
  totalPages: number
  total: number
  /** 1-based index of the first item shown (0 when empty). */
  from: number
  to: number
}

/** `page` from the query string: anything but a whole number in range becomes 1 or the last page. */
export function parsePageNumber(raw: string): number {
  if (!/^\d{1,6}$/.test(raw)) return 1
  return Math.max(1, Number(raw))
}

export function paginate<T>(items: readonly T[], page: number, size = PAGE_SIZE): Page<T> {
  return paginateCount(items.length, page, (start, end) => items.slice(start, end), size)
}

/**
 * paginate for a list known only by its length: `slice(start, end)` makes the items of the page
 * shown, so a long list of results need not be built to show twenty of them.
 */
export function paginateCount<T>(
  total: number,
  page: number,
  slice: (start: number, end: number) => T[],
  size = PAGE_SIZE,
): Page<T> {
  const totalPages = Math.max(1, Math.ceil(total / size))
  const current = Math.min(Math.max(1, page), totalPages)
  const start = (current - 1) * size
  const items = slice(start, Math.min(total, start + size))
  return {
    items,
    page: current,
    totalPages,
    total,
    from: items.length === 0 ? 0 : start + 1,
    to: start + items.length,
  }
}

interface GovukPaginationItem {
  number?: number
  href?: string
  current?: boolean
  ellipsis?: boolean
}

/** Parameters for govuk-frontend's pagination macro; hrefs keep the other query parameters. */
export function paginationParams(
  page: Page<unknown>,
  basePath: string,
  params: URLSearchParams,
): { previous?: { href: string }; next?: { href: string }; items: GovukPaginationItem[] } | null {
  if (page.totalPages <= 1) return null
  const href = (n: number): string => {
    const p = new URLSearchParams(params)
    p.delete('page')
    if (n > 1) p.set('page', String(n))
    const qs = p.toString()
    return qs === '' ? basePath : `${basePath}?${qs}`
  }
  const items: GovukPaginationItem[] = []
  let lastShown = 0
  for (let n = 1; n <= page.totalPages; n++) {
    const near = Math.abs(n - page.page) <= 1 || n === 1 || n === page.totalPages
    if (!near) continue
    if (n - lastShown > 1) items.push({ ellipsis: true })
    items.push({ number: n, href: href(n), current: n === page.page })
    lastShown = n
  }
  return {
    ...(page.page > 1 ? { previous: { href: href(page.page - 1) } } : {}),
    ...(page.page < page.totalPages ? { next: { href: href(page.page + 1) } } : {}),
    items,
  }
}

export interface PageLinks {
  self: string
  first: string
  last: string
  prev: string | null
  next: string | null
}

/** The JSON APIs' `links` for a page, given how to address page n. */
export function pageLinks(page: Page<unknown>, at: (n: number) => string): PageLinks {
  return {
    self: at(page.page),
    first: at(1),
    last: at(page.totalPages),
    prev: page.page > 1 ? at(page.page - 1) : null,
    next: page.page < page.totalPages ? at(page.page + 1) : null,
  }
}

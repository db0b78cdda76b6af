/** The filter options worth showing: those with results, and those ticked (so they can be unticked). */
export function shownOptions<T extends { count: number; selected: boolean }>(
  options: readonly T[] | undefined,
): T[] {
  return (options ?? []).filter((o) => o.count > 0 || o.selected)
}

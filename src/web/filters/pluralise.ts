/** `3 | pluralise('story', 'stories')` → `3 stories`; `1` → `1 story`. */
export function pluralise(count: unknown, singular: string, plural = `${singular}s`): string {
  const n = typeof count === 'number' ? count : Number(count)
  const safe = Number.isFinite(n) ? n : 0
  return `${safe.toLocaleString('en-GB')} ${safe === 1 ? singular : plural}`
}

/** `3 | pluralise('story', 'stories')` → `3 stories`; `1` → `1 story`. */
export function pluralise(count: unknown, singular: string, plural = `${singular}s`): string {
  const n = typeof count === 'number' ? count : Number(count)
  const safe = Number.isFinite(n) ? n : 0
  // Whole numbers from 0 to 999 have no separator to add: toLocaleString (ICU) was ~1% of the
  // stories list's CPU, for the same text (-0 is left to it: it writes "-0").
  const short = Number.isInteger(safe) && safe >= 0 && safe < 1000 && !Object.is(safe, -0)
  const digits = short ? String(safe) : safe.toLocaleString('en-GB')
  return `${digits} ${safe === 1 ? singular : plural}`
}

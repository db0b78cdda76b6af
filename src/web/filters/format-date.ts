const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
]

/** `2019-03-05` → `5 March 2019` (GOV.UK style). Anything else is returned unchanged. */
export function formatDate(value: unknown): string {
  if (typeof value !== 'string') return ''
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  if (!match) return value
  const month = MONTHS[Number(match[2]) - 1]
  if (month === undefined) return value
  return `${Number(match[3])} ${month} ${match[1]}`
}

import { describe, expect, it } from 'vitest'
import { formatDate } from '../../../src/web/filters/format-date.js'

describe('formatDate', () => {
  it.each([
    ['2019-03-05', '5 March 2019'],
    ['2020-12-31', '31 December 2020'],
    ['2017-01-01', '1 January 2017'],
  ])('%s → %s', (input, expected) => {
    expect(formatDate(input)).toBe(expected)
  })

  it('passes through what is not a YYYY-MM-DD date', () => {
    expect(formatDate('soon')).toBe('soon')
    expect(formatDate('2019-13-01')).toBe('2019-13-01')
    expect(formatDate(undefined)).toBe('')
    expect(formatDate(20190305)).toBe('')
  })
})

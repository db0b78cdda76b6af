import { describe, expect, it } from 'vitest'
import { pluralise } from '../../../src/web/filters/pluralise.js'

describe('pluralise', () => {
  it.each([
    [0, '0 stories'],
    [1, '1 story'],
    [2, '2 stories'],
    [12345, '12,345 stories'],
  ])('%i', (n, expected) => {
    expect(pluralise(n, 'story', 'stories')).toBe(expected)
  })

  it('defaults the plural to singular + s and copes with non-numbers', () => {
    expect(pluralise(3, 'quote')).toBe('3 quotes')
    expect(pluralise('x', 'quote')).toBe('0 quotes')
  })

  it('writes every number as toLocaleString does (its shortcut below a thousand included)', () => {
    const numbers = [-0, 0.5, 999.5, -999.5, 1e21, Infinity, -Infinity]
    for (let n = -1500; n <= 1500; n++) numbers.push(n)
    for (const n of numbers) {
      const safe = Number.isFinite(n) ? n : 0
      expect(pluralise(n, 'a', 'b')).toBe(
        `${safe.toLocaleString('en-GB')} ${safe === 1 ? 'a' : 'b'}`,
      )
    }
  })
})

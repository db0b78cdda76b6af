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
})

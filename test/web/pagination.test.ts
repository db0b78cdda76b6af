import { describe, expect, it } from 'vitest'
import { paginate, paginationParams, parsePageNumber } from '../../src/web/pagination.js'

const items = Array.from({ length: 45 }, (_, i) => i + 1)

describe('pagination', () => {
  it('parses page numbers, ignoring nonsense', () => {
    expect(parsePageNumber('3')).toBe(3)
    expect(parsePageNumber('')).toBe(1)
    expect(parsePageNumber('-1')).toBe(1)
    expect(parsePageNumber('1e9')).toBe(1)
    expect(parsePageNumber('99999999')).toBe(1)
  })

  it('slices pages of 20 and clamps to the last page', () => {
    expect(paginate(items, 1)).toMatchObject({ page: 1, totalPages: 3, from: 1, to: 20 })
    expect(paginate(items, 3).items).toEqual([41, 42, 43, 44, 45])
    expect(paginate(items, 9)).toMatchObject({ page: 3, from: 41, to: 45 })
    expect(paginate([], 1)).toMatchObject({ page: 1, totalPages: 1, from: 0, to: 0, total: 0 })
  })

  it('builds govuk pagination links that keep the other parameters', () => {
    const params = new URLSearchParams('theme=a&page=2')
    const p = paginationParams(paginate(items, 2), '/stories', params)
    expect(p?.previous?.href).toBe('/stories?theme=a')
    expect(p?.next?.href).toBe('/stories?theme=a&page=3')
    expect(p?.items.map((i) => i.number)).toEqual([1, 2, 3])
    expect(paginationParams(paginate(items.slice(0, 5), 1), '/stories', params)).toBeNull()
  })

  it('puts ellipses between distant pages', () => {
    const many = Array.from({ length: 200 }, (_, i) => i)
    const p = paginationParams(paginate(many, 5), '/s', new URLSearchParams())
    expect(p?.items.map((i) => (i.ellipsis ? '…' : i.number))).toEqual([1, '…', 4, 5, 6, '…', 10])
  })
})

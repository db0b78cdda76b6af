import { describe, expect, it } from 'vitest'
import { joinChunks } from '../../src/web/html-bytes.js'

describe('joinChunks', () => {
  it('is the UTF-8 of the pieces in order, text and bytes mixed', () => {
    const pieces = [
      '<p>',
      Buffer.from('caf\u00e9 \u2013 '),
      'na\u00efve \u{1F600} ',
      '',
      Buffer.alloc(0),
    ]
    const text = '<p>caf\u00e9 \u2013 na\u00efve \u{1F600} '
    expect(joinChunks(pieces)).toEqual(Buffer.from(text))
    expect(joinChunks([])).toEqual(Buffer.alloc(0))
  })

  it('grows past its working buffer and keeps earlier pages intact', () => {
    const first = joinChunks(['a\u2013'.repeat(10)])
    const big = ['x'.repeat(50_000), Buffer.from('y'.repeat(70_000)), '\u2013'.repeat(40_000), 'z']
    const joined = joinChunks(big)
    expect(joined.length).toBe(50_000 + 70_000 + 120_000 + 1)
    expect(joined.toString()).toBe(
      `${'x'.repeat(50_000)}${'y'.repeat(70_000)}${'\u2013'.repeat(40_000)}z`,
    )
    expect(first.toString()).toBe('a\u2013'.repeat(10))
    // A page made after a big one is its own size, not the working buffer's.
    expect(joinChunks(['ok'])).toEqual(Buffer.from('ok'))
  })
})

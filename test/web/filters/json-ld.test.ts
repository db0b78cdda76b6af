import { describe, expect, it } from 'vitest'
import { jsonLd, serialiseJsonLd } from '../../../src/web/filters/json-ld.js'

describe('jsonLd', () => {
  it('escapes what could end the script element, and still round-trips', () => {
    const value = { text: '</script><!-- a & b --> \u2028 \u2029 "q"' }
    const out = serialiseJsonLd(value)
    expect(out).not.toMatch(/[<>&\u2028\u2029]/)
    expect(out).toContain('\\u003c/script\\u003e')
    expect(JSON.parse(out)).toEqual(value)
  })

  it('is marked safe for autoescaping templates, and copes with undefined', () => {
    expect(String(jsonLd({ a: 1 }))).toBe('{"a":1}')
    expect(jsonLd({ a: 1 })).toHaveProperty('val', '{"a":1}')
    expect(serialiseJsonLd(undefined)).toBe('null')
  })
})

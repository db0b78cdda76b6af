import { describe, expect, it } from 'vitest'
import { label } from '../../../src/web/filters/label.js'

describe('label', () => {
  it('looks values up in their vocabulary', () => {
    expect(label('no-overall-control', 'control')).toBe('No overall control')
    expect(label('metropolitan-borough', 'councilType')).toBe('Metropolitan borough')
    expect(label('yorkshire-and-the-humber', 'region')).toBe('Yorkshire and the Humber')
    expect(label('childrens-services', 'challenge')).toBe("Children's services peer challenge")
    expect(label('chief-executive', 'speaker')).toBe('Chief executive')
  })

  it('passes unknown values through and never finds inherited keys', () => {
    expect(label('unknown', 'control')).toBe('unknown')
    expect(label('constructor', 'region')).toBe('constructor')
    expect(label('leader', 'nope')).toBe('leader')
    expect(label(undefined, 'region')).toBe('')
  })
})

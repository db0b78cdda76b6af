import nunjucks from 'nunjucks'
import { describe, expect, it } from 'vitest'
import { fasterBuiltinFilters } from '../../../src/web/filters/faster-builtins.js'

/** The faster `trim` and `indent` give what Nunjucks' own give, for every kind of input. */
const own = new nunjucks.Environment(null, { autoescape: true })
const ours = new nunjucks.Environment(null, { autoescape: true })
fasterBuiltinFilters(ours)

const { SafeString } = nunjucks.runtime
const texts = [
  '',
  'plain',
  '  padded  ',
  '\n\n  <label class="govuk-label">\n    Vision &amp; place\n  </label>\n\n',
  'one\ntwo\n\nfour\n',
  '\t\r\n\u00a0\ufeff\u2028 odd white space \u3000\u205f\n\u2029',
  '\n',
  ' '.repeat(5000) + 'x' + ' \n'.repeat(5000),
]
const values: unknown[] = [
  ...texts,
  ...texts.map((t) => new SafeString(t)),
  null,
  undefined,
  false,
  0,
  42,
  ['a', 'b'],
]

/** What a filter gives, or the error it throws, and whether the result is marked safe. */
function outcome(env: nunjucks.Environment, name: string, args: unknown[]) {
  try {
    const result = (env.getFilter(name) as (...a: unknown[]) => unknown)(...args)
    return { safe: result instanceof SafeString, value: String(result) }
  } catch (error) {
    return { error: (error as Error).message }
  }
}

describe('faster built-in filters', () => {
  it('trim is Nunjucks trim', () => {
    for (const value of values) {
      expect(outcome(ours, 'trim', [value])).toEqual(outcome(own, 'trim', [value]))
    }
  })

  it('indent is Nunjucks indent, for any width and first-line choice', () => {
    for (const value of values) {
      for (const width of [undefined, 0, 2, 6, 1.5, -1, '3']) {
        for (const first of [undefined, false, true]) {
          expect(outcome(ours, 'indent', [value, width, first])).toEqual(
            outcome(own, 'indent', [value, width, first]),
          )
        }
      }
    }
  })

  it('in templates too, autoescaped or safe', () => {
    const template = '{{ a | trim | indent(4) }}|{{ b | safe | trim | indent(2, true) }}'
    const context = { a: '  <b>\n x \n', b: '\n <i>y</i>\n z ' }
    expect(ours.renderString(template, context)).toBe(own.renderString(template, context))
  })
})

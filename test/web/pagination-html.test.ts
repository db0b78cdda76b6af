import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.js'
import { paginationHtml } from '../../src/web/pagination-html.js'
import { paginationParams, type Page } from '../../src/web/pagination.js'
import { createViewEnvironment } from '../../src/web/view-environment.js'

/** The stories list's pagination, written in TypeScript, must be govuk-frontend's macro. */
const env = createViewEnvironment({ config: loadConfig({ LOG_LEVEL: 'silent' }) })
const MACRO =
  '{% from "govuk/components/pagination/macro.njk" import govukPagination %}' +
  '{{ govukPagination(pagination) }}'

const page = (current: number, totalPages: number): Page<unknown> => ({
  items: [],
  page: current,
  totalPages,
  total: totalPages * 20,
  from: (current - 1) * 20 + 1,
  to: current * 20,
})

describe('paginationHtml', () => {
  it.each([
    '',
    'theme=transformation&region=london',
    'theme=%3Cscript%3E%22%27%26%5C&sort=council',
    'region=a%26b&q=%E2%80%AE%00',
  ])('is the macro for every page of 2 to 12 pages (query %j)', (query) => {
    let compared = 0
    for (let totalPages = 2; totalPages <= 12; totalPages++) {
      for (let current = 1; current <= totalPages; current++) {
        const params = paginationParams(
          page(current, totalPages),
          '/stories',
          new URLSearchParams(query),
        )
        expect(params).not.toBeNull()
        if (params === null) continue
        expect(paginationHtml(params)).toBe(env.renderString(MACRO, { pagination: params }))
        compared++
      }
    }
    expect(compared).toBe(77)
  })

  it('escapes the addresses as the macro does', () => {
    const params = {
      previous: { href: '/x?a="<b>"&c=\'d\'' },
      next: { href: '/x?\\' },
      items: [
        { number: 1, href: '/x?<1>', current: false },
        { ellipsis: true },
        { number: 3, href: '/x?&3', current: true },
      ],
    }
    const html = paginationHtml(params)
    expect(html).toBe(env.renderString(MACRO, { pagination: params }))
    expect(html).toContain('href="/x?a=&quot;&lt;b&gt;&quot;&amp;c=&#39;d&#39;"')
  })
})

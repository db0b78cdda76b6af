import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp } from '../helpers/app.js'
import { rawClient, type RawClient, type RawResponse } from '../helpers/raw-http.js'
import { expectSecurityHeaders } from '../helpers/security.js'

/**
 * Hostile and malformed requests against the real app (createApp over the fixture content),
 * each with the status it must get. For every one: no 500, nothing in the body that names a
 * file, a library or a stack frame, charset=utf-8 on text, the security headers, and the
 * next request still answers 200.
 */

// Every query below must be answered with a page, never a 500 (Lunr syntax, fuzzy and
// wildcard bombs, 10 KB queries, arrays and objects in place of q).
const SEARCH = 200

const STORY = '/stories/ashcombe-vale-finds-its-vision'
const kb = (n: number, unit = 'a'): string =>
  unit.repeat(Math.ceil((n * 1024) / unit.length)).slice(0, n * 1024)

interface Hostile {
  method?: string
  path: string
  status: number
  headers?: Record<string, string>
  body?: string
  /** Extra checks on the answer. */
  check?: (res: RawResponse) => void
}

const location = (to: string) => (res: RawResponse) => expect(res.headers.location).toBe(to)
const allow = (res: RawResponse) => expect(res.headers.allow).toBe('GET, HEAD')

const HOSTILE: [string, Hostile][] = [
  // Search: Lunr query syntax, fuzzy and wildcard bombs, huge and odd-shaped queries.
  ['Lunr field syntax', { path: '/search?q=title:council', status: SEARCH }],
  ['Lunr boost', { path: '/search?q=council^10', status: SEARCH }],
  ['Lunr fuzzy bomb ~6', { path: '/search?q=transformation~6', status: SEARCH }],
  ['Lunr fuzzy bomb ~10', { path: '/search?q=commercial~10', status: SEARCH }],
  ['Lunr presence operators', { path: '/search?q=%2Bcouncil%20-vision%20%2B-', status: SEARCH }],
  ['Lunr lone colon', { path: '/search?q=:', status: SEARCH }],
  ['Lunr lone tilde and caret', { path: '/search?q=~%20^%20~1%20^2', status: SEARCH }],
  ['wildcard storm', { path: `/search?q=${'*a'.repeat(500)}`, status: SEARCH }],
  ['wildcards only', { path: `/search?q=${'*'.repeat(2000)}`, status: SEARCH }],
  [
    'many fuzzy terms',
    { path: `/search?q=${encodeURIComponent('council~2 '.repeat(300))}`, status: SEARCH },
  ],
  ['10 KB query of one word', { path: `/search?q=${kb(10)}`, status: SEARCH }],
  ['10 KB query of words', { path: `/search?q=${kb(10, 'vision+')}`, status: SEARCH }],
  ['q twice', { path: '/search?q=a&q=b', status: SEARCH }],
  ['q[]', { path: '/search?q[]=a', status: SEARCH }],
  ['q[x]', { path: '/search?q[x]=a&q[y][z]=b', status: SEARCH }],
  ['NUL in q', { path: '/search?q=%00', status: SEARCH }],
  ['control characters in q', { path: '/search?q=%01%02%1B%7F%C2%85', status: SEARCH }],
  ['bad percent-encoding in q', { path: '/search?q=%E0%A4%A', status: SEARCH }],
  ['markup in q', { path: '/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E', status: SEARCH }],
  ['emoji and RTL override in q', { path: '/search?q=%F0%9F%92%A9%E2%80%AE', status: SEARCH }],
  ['__proto__ as q', { path: '/search?q=__proto__&page=constructor', status: SEARCH }],
  ['empty q', { path: '/search?q=', status: SEARCH }],

  // Filters on /stories: unknown, repeated and object-shaped values are ignored.
  ['filter twice', { path: '/stories?theme=transformation&theme=vision-and-place', status: 200 }],
  ['filter[]', { path: '/stories?theme[]=transformation', status: 200 }],
  ['filter[x]', { path: '/stories?theme[x]=a&region[$gt]=', status: 200 }],
  [
    '__proto__ parameters',
    { path: '/stories?__proto__[x]=1&constructor[prototype][y]=2', status: 200 },
  ],
  ['huge page number', { path: '/stories?page=1e309', status: 200 }],
  ['negative page', { path: '/stories?page=-5', status: 200 }],
  ['odd sort', { path: '/stories?sort=__proto__', status: 200 }],
  ['NUL in a filter', { path: '/stories?year=%00&region=%0D%0A', status: 200 }],
  ['bad percent-encoding in a filter', { path: '/stories?theme=%E0%A4%A', status: 200 }],
  ['1,000 parameters', { path: `/stories?${'theme=x&'.repeat(1000)}`, status: 200 }],
  ['10 KB filter value', { path: `/stories?region=${kb(10)}`, status: 200 }],

  // Feeds of lists and searches: what the pages ignore is ignored; an unknown filter value or no
  // words is a 400 that says so, never a 500.
  ['feed: filter[]', { path: '/stories/feed.xml?theme[]=transformation', status: 200 }],
  ['feed: __proto__ parameters', { path: '/stories/feed.xml?__proto__[x]=1&page=-5', status: 200 }],
  [
    'feed: bad percent-encoding in a filter',
    { path: '/stories/feed.xml?theme=%E0%A4%A', status: 400 },
  ],
  ['feed: 10 KB filter value', { path: `/stories/feed.xml?region=${kb(10)}`, status: 400 }],
  [
    'feed: 1,000 parameters',
    { path: `/search/feed.xml?q=a&${'speaker=x&'.repeat(1000)}`, status: 400 },
  ],
  ['feed: Lunr fuzzy bomb', { path: '/search/feed.xml?q=transformation~6', status: SEARCH }],
  ['feed: wildcard storm', { path: `/search/feed.xml?q=${'*a'.repeat(500)}`, status: SEARCH }],
  ['feed: 10 KB query', { path: `/search/feed.xml?q=${kb(10, 'vision+')}`, status: SEARCH }],
  ['feed: q[x]', { path: '/search/feed.xml?q[x]=a', status: 400 }],
  ['feed: NUL as q', { path: '/search/feed.xml?q=%00', status: 400 }],

  // Paths: encodings, traversal, source and config files.
  ['bad percent-encoding', { path: '/%E0%A4%A', status: 400 }],
  ['bad percent-encoding in a slug', { path: '/stories/%E0%A4%A', status: 400 }],
  ['bad percent-encoding under /assets', { path: '/assets/%E0%A4%A', status: 400 }],
  ['lone percent', { path: '/stories/%', status: 400 }],
  ['NUL in a slug', { path: '/stories/%00', status: 404 }],
  ['CRLF in a slug', { path: '/stories/%0D%0Aset-cookie:%20x=1', status: 404 }],
  [
    'CRLF kept encoded in a redirect',
    {
      path: '/Stories/%0d%0aSet-Cookie:%20x=1',
      status: 301,
      check: (res) => {
        expect(res.headers['set-cookie']).toBeUndefined()
        expect(res.headers.location).toBe('/stories/%0d%0aset-cookie:%20x=1')
      },
    },
  ],
  ['traversal ..%2F', { path: '/stories/..%2F..%2Fpackage.json', status: 404 }],
  ['traversal %2e%2e', { path: '/%2e%2e/%2e%2e/etc/passwd', status: 404 }],
  ['traversal in a slug', { path: '/stories/%2e%2e', status: 404 }],
  ['traversal under /assets', { path: '/assets/..%2F..%2Fpackage.json', status: 404 }],
  ['traversal under /assets, %2e%2e', { path: '/assets/%2e%2e/%2e%2e/package.json', status: 404 }],
  ['traversal with backslashes', { path: '/assets/..%5C..%5Cpackage.json', status: 404 }],
  ['traversal, double-encoded', { path: '/assets/%252e%252e/package.json', status: 404 }],
  ['/.git/config', { path: '/.git/config', status: 404 }],
  ['/.env', { path: '/.env', status: 404 }],
  ['/views/layout.njk', { path: '/views/layout.njk', status: 404 }],
  ['/content/stories/x.md', { path: '/content/stories/x.md', status: 404 }],
  [
    'a fixture story file',
    { path: '/test/fixtures/content/stories/marrowby-goes-commercial.md', status: 404 },
  ],
  ['/src/app.ts', { path: '/src/app.ts', status: 404 }],
  ['/package.json', { path: '/package.json', status: 404 }],
  ['/dist/src/server.js', { path: '/dist/src/server.js', status: 404 }],
  ['/node_modules/', { path: '/node_modules/express/package.json', status: 404 }],
  ['the asset manifest', { path: '/assets/manifest.json', status: 404 }],
  ['8 KB path', { path: `/${kb(8)}`, status: 404 }],
  ['8 KB slug', { path: `/stories/${kb(8)}`, status: 404 }],
  ['8 KB slug of hyphens', { path: `/stories/${kb(8, 'a-')}`, status: 404 }],

  // One URL per page.
  ['capitals', { path: '/Stories/Foo', status: 301, check: location('/stories/foo') }],
  ['trailing slash', { path: `${STORY}/`, status: 301, check: location(STORY) }],
  [
    'capitals and slash, query kept',
    { path: '/STORIES/?theme=x', status: 301, check: location('/stories?theme=x') },
  ],
  ['double slash', { path: '/stories//', status: 301, check: location('/stories') }],
  ['no open redirect', { path: '//evil.example/', status: 301, check: location('/evil.example') }],
  ['an alias', { path: '/stories/ashcombe-vision', status: 301, check: location(STORY) }],

  // Unknown things, including Object.prototype's names.
  ['unknown story', { path: '/stories/no-such-story', status: 404 }],
  ['unknown council', { path: '/councils/no-such-council', status: 404 }],
  ['unknown theme', { path: '/themes/no-such-theme', status: 404 }],
  ['/stories/__proto__', { path: '/stories/__proto__', status: 404 }],
  ['/stories/constructor', { path: '/stories/constructor', status: 404 }],
  ['/councils/constructor', { path: '/councils/constructor', status: 404 }],
  ['/councils/__proto__', { path: '/councils/__proto__', status: 404 }],
  [
    '/themes/hasOwnProperty',
    { path: '/themes/hasOwnProperty', status: 301, check: location('/themes/hasownproperty') },
  ],
  ['/themes/hasownproperty', { path: '/themes/hasownproperty', status: 404 }],
  ['/themes/toString', { path: '/themes/tostring', status: 404 }],
  ['a draft', { path: '/stories/kettlewick-draft-story', status: 404 }],

  // Methods: a read-only site.
  ['POST', { method: 'POST', path: '/stories', status: 405, check: allow }],
  ['POST with a body', { method: 'POST', path: '/', status: 405, body: kb(100), check: allow }],
  ['PUT', { method: 'PUT', path: STORY, status: 405, check: allow }],
  ['PATCH', { method: 'PATCH', path: '/stories/x', status: 405, check: allow }],
  ['DELETE', { method: 'DELETE', path: STORY, status: 405, check: allow }],
  ['TRACE', { method: 'TRACE', path: '/', status: 405, check: allow }],
  ['OPTIONS', { method: 'OPTIONS', path: '/stories', status: 204, check: allow }],
  ['HEAD', { method: 'HEAD', path: '/stories', status: 200 }],
  ['HEAD on a 404', { method: 'HEAD', path: '/nope', status: 404 }],

  // Headers that must change nothing.
  [
    'a forged Host',
    {
      path: STORY,
      status: 200,
      headers: { Host: 'evil.example', 'X-Forwarded-Host': 'evil.example' },
      check: (res) => expect(res.body.toString()).not.toContain('evil.example'),
    },
  ],
  ['a Range header', { path: '/', status: 200, headers: { Range: 'bytes=0-10' } }],
  ['a huge cookie', { path: '/', status: 200, headers: { Cookie: `a=${kb(8)}` } }],
  ['Accept: JSON', { path: '/stories', status: 200, headers: { Accept: 'application/json' } }],
  [
    'odd Accept-Encoding',
    { path: '/stories', status: 200, headers: { 'Accept-Encoding': 'zstd;q=x, *;q=0.1, br;q=2' } },
  ],
]

/** Words that would mean an error leaked out: file paths, stack frames, library names. */
const LEAK =
  /node_modules|at Object|at \w+ \(|\.ts:\d|\.js:\d|express|nunjucks|URIError|RangeError|TypeError|\/work\/|dist\/src/i

let client: RawClient
beforeAll(async () => {
  client = await rawClient((await createTestApp()).app)
})
afterAll(async () => {
  await client?.close()
})

describe('hostile requests', () => {
  it('the table is long enough', () => {
    expect(HOSTILE.length).toBeGreaterThanOrEqual(60)
  })

  it.each(HOSTILE)('%s', async (_name, h) => {
    const method = h.method ?? 'GET'
    const res = await client.send(method, h.path, h.headers, h.body)
    expect(res.status).toBe(h.status)
    expect(res.status).toBeLessThan(500)
    expect(res.body.toString('utf8')).not.toMatch(LEAK)
    const type = String(res.headers['content-type'] ?? '')
    if (/^(text\/|application\/(json|javascript|xml))/.test(type)) {
      expect(type.toLowerCase()).toContain('charset=utf-8')
    }
    if (method === 'HEAD') expect(res.body.length).toBe(0)
    expectSecurityHeaders(res.headers, `${method} ${h.path.slice(0, 60)}`)
    h.check?.(res)
    // The app is unharmed.
    expect((await client.send('GET', '/')).status).toBe(200)
  })
})

describe('HEAD', () => {
  it.each(['/', '/stories?theme=transformation', STORY, '/nope', '/Stories'])(
    'HEAD %s has the same headers as GET and no body',
    async (path) => {
      const get = await client.send('GET', path)
      const head = await client.send('HEAD', path)
      expect(head.status).toBe(get.status)
      expect(head.body.length).toBe(0)
      const without = (h: RawResponse['headers']) =>
        Object.fromEntries(Object.entries(h).filter(([name]) => name !== 'date'))
      expect(without(head.headers)).toEqual(without(get.headers))
    },
  )
})

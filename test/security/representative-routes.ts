/**
 * Routes standing for every kind of answer the site gives (pages, redirects, errors, open data,
 * feeds, cards, assets, health), for the test that /admin's security policy reaches nothing else:
 * test/security/admin-scope.test.ts compares their headers with those recorded before /admin
 * existed (route-headers.json).
 */
export const REPRESENTATIVE_ROUTES: readonly (readonly [
  'get' | 'head' | 'post' | 'options',
  string,
])[] = [
  ['get', '/'],
  ['get', '/stories'],
  ['get', '/stories?theme=transformation&page=2'],
  ['get', '/stories/ashcombe-vale-finds-its-vision'],
  ['get', '/stories/ashcombe-vale-finds-its-vision/quotes/leader-vision'],
  ['get', '/stories/ashcombe-vale-finds-its-vision/image.png'],
  ['get', '/stories/ashcombe-vision'],
  ['get', '/themes'],
  ['get', '/themes/transformation'],
  ['get', '/themes/transformation/feed.xml'],
  ['get', '/councils'],
  ['get', '/search?q=vision'],
  ['get', '/about'],
  ['get', '/accessibility'],
  ['get', '/api/stories'],
  ['get', '/api/search?q=vision'],
  ['get', '/api/nope'],
  ['get', '/stories.csv'],
  ['get', '/feed.xml'],
  ['get', '/sitemap.xml'],
  ['get', '/robots.txt'],
  ['get', '/embed/stories/ashcombe-vale-finds-its-vision'],
  ['get', '/embed.js'],
  [
    'get',
    '/oembed?url=https%3A%2F%2Fstories.example.org%2Fstories%2Fashcombe-vale-finds-its-vision',
  ],
  ['get', '/assets/{app.css}'],
  ['get', '/assets/nope.js'],
  ['get', '/favicon.svg'],
  ['get', '/healthz'],
  ['get', '/Stories'],
  ['get', '/nope'],
  ['get', '/administrator'],
  ['get', '/admin-guide'],
  ['get', '/%E0%A4%A'],
  ['head', '/stories'],
  ['post', '/stories'],
  ['options', '/'],
]

/** Headers that follow from the body (which a footer link may change) or the clock. */
const BODY_OR_CLOCK = new Set(['date', 'etag', 'content-length', 'last-modified'])

export function comparableHeaders(headers: Record<string, string | string[] | undefined>) {
  return Object.fromEntries(
    Object.entries(headers)
      .filter(([name]) => !BODY_OR_CLOCK.has(name))
      .map(([name, value]): [string, string] => [
        name,
        Array.isArray(value) ? value.join(', ') : String(value),
      ])
      .sort(([a], [b]) => a.localeCompare(b)),
  ) as Record<string, string>
}

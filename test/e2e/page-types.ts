/**
 * Every page type of the site, ONE table for the browser suite: axe-core (desktop and phone),
 * screenshots, and the Nu Html Checker all iterate over it. When you add a page type (quote
 * page, embed card, search results / no results / did-you-mean…), add a row here and the
 * whole suite covers it.
 *
 * Paths are on the fixture content (test/fixtures/content).
 */
export interface PageType {
  /** Short, file-safe name: used for screenshot and HTML file names. */
  name: string
  /** Path and query on the site. */
  path: string
  /** Expected HTTP status. */
  status: number
  /**
   * Where the HTML comes from. `server` (default): the real server child process.
   * `broken-app`: the real app factory with a failing dependency (test/helpers/broken-app.ts),
   * for the 500 page; the browser is shown it at `path` on the real server's origin, so its
   * CSS, scripts and headers are the real ones.
   */
  source?: 'server' | 'broken-app'
  /** Set for pages shown inside another site's iframe (embeds): skips the page-level axe rules. */
  embedded?: boolean
}

export const PAGE_TYPES: readonly PageType[] = [
  { name: 'home', path: '/', status: 200 },
  { name: 'stories', path: '/stories', status: 200 },
  {
    name: 'stories-filtered',
    path: '/stories?region=north-west&year=2018&sort=oldest',
    status: 200,
  },
  {
    name: 'stories-no-results',
    path: '/stories?theme=transformation&region=south-west',
    status: 200,
  },
  { name: 'story', path: '/stories/ashcombe-vale-finds-its-vision', status: 200 },
  { name: 'story-markdown-hostile', path: '/stories/marrowby-goes-commercial', status: 200 },
  {
    name: 'quote',
    path: '/stories/ashcombe-vale-finds-its-vision/quotes/leader-vision',
    status: 200,
  },
  {
    name: 'embed-quote',
    path: '/embed/stories/ashcombe-vale-finds-its-vision/quotes/leader-vision',
    status: 200,
    embedded: true,
  },
  {
    name: 'embed-story',
    path: '/embed/stories/ashcombe-vale-finds-its-vision',
    status: 200,
    embedded: true,
  },
  { name: 'search-blank', path: '/search', status: 200 },
  { name: 'search-results', path: '/search?q=overall', status: 200 },
  { name: 'search-filtered', path: '/search?q=council&speaker=leader&sort=newest', status: 200 },
  { name: 'search-did-you-mean', path: '/search?q=overal', status: 200 },
  // "Also searched for: no overall control" (the fixture content's synonyms.yml).
  { name: 'search-synonym', path: '/search?q=NOC', status: 200 },
  { name: 'search-no-results', path: '/search?q=zzzzqqq&region=london', status: 200 },
  // A quote with every word, then "Quotes with some of your words" and its "Missing: vision".
  { name: 'search-partial', path: '/search?q=council+vision+overall', status: 200 },
  { name: 'councils', path: '/councils', status: 200 },
  { name: 'council', path: '/councils/ashcombe-vale-district-council', status: 200 },
  { name: 'themes', path: '/themes', status: 200 },
  { name: 'theme', path: '/themes/commercial-approach', status: 200 },
  { name: 'about', path: '/about', status: 200 },
  { name: 'accessibility', path: '/accessibility', status: 200 },
  { name: 'not-found', path: '/stories/no-such-story', status: 404 },
  { name: 'bad-request', path: '/stories/%E0%A4%A', status: 400 },
  // A feed asked to follow a filter value the site does not know: the 400 page says which.
  { name: 'feed-bad-request', path: '/stories/feed.xml?region=atlantis', status: 400 },
  { name: 'server-error', path: '/stories', status: 500, source: 'broken-app' },
]

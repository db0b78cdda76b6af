import type { Library } from '../../content/library.js'
import { absoluteUrl, lastChanged, paths } from '../links.js'
import { serialiseXml, xmlDocument, xmlElement as el } from './xml.js'

const SITEMAP = 'http://www.sitemaps.org/schemas/sitemap/0.9'

/** Pages of fixed text, and the lists. */
const FIXED_PAGES = ['/', '/stories', '/themes', '/councils', '/about']

function newest(dates: readonly string[]): string | undefined {
  return dates.length === 0 ? undefined : [...dates].sort().at(-1)
}

/**
 * sitemap.xml (sitemaps.org 0.9): every published story, quote page, theme and council page,
 * each with the date its content last changed. Built from the library, so drafts are never in it.
 */
export function sitemapXml(library: Library, baseUrl: string): string {
  const { doc, root: urlset } = xmlDocument(SITEMAP, 'urlset')
  const add = (path: string, lastmod: string | undefined): void => {
    const url = el(urlset, 'url')
    el(url, 'loc', {}, absoluteUrl(baseUrl, path))
    if (lastmod !== undefined) el(url, 'lastmod', {}, lastmod)
  }

  for (const path of FIXED_PAGES) add(path, path === '/about' ? undefined : library.lastUpdated)
  for (const story of library.stories) {
    add(paths.story(story), lastChanged(story))
    for (const quote of story.quotes) add(paths.quote(quote), lastChanged(story))
  }
  for (const theme of library.themes) {
    const stories = library.stories.filter((s) => s.themes.includes(theme.slug))
    add(paths.theme(theme), newest(stories.map(lastChanged)))
  }
  for (const council of library.councils) {
    add(paths.council(council), newest(council.stories.map(lastChanged)))
  }
  return serialiseXml(doc)
}

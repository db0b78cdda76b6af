import type { Library } from '../../content/library.js'
import type { Story } from '../../content/model.js'
import { absoluteUrl, dateOf, lastChanged, paths } from '../links.js'
import { xmlDocument } from './xml.js'

const ATOM = 'http://www.w3.org/2005/Atom'

/** Stories in a feed: the newest this many. */
export const FEED_LIMIT = 50

export interface FeedOptions {
  /** Newest first; only the first FEED_LIMIT are listed. */
  stories: readonly Story[]
  library: Library
  baseUrl: string
  title: string
  subtitle: string
  /** Path of the feed itself, e.g. /feed.xml. */
  selfPath: string
  /** Path of the page the feed follows, e.g. /stories. */
  htmlPath: string
  siteName: string
}

/** An Atom 1.0 feed (RFC 4287) of stories, each with its summary and narrative. */
export function atomFeed(options: FeedOptions): string {
  const { baseUrl, library } = options
  const stories = options.stories.slice(0, FEED_LIMIT)
  const newest = stories.map(lastChanged).sort().at(-1) ?? library.lastUpdated
  const doc = xmlDocument()
  const feed = doc.ele(ATOM, 'feed', { 'xml:lang': 'en-GB', 'xml:base': `${baseUrl}/` })
  feed.ele('id').txt(absoluteUrl(baseUrl, options.selfPath))
  feed.ele('title').txt(options.title)
  feed.ele('subtitle').txt(options.subtitle)
  feed.ele('updated').txt((newest === undefined ? new Date(0) : dateOf(newest)).toISOString())
  feed.ele('link', {
    rel: 'self',
    type: 'application/atom+xml',
    href: absoluteUrl(baseUrl, options.selfPath),
  })
  feed.ele('link', {
    rel: 'alternate',
    type: 'text/html',
    href: absoluteUrl(baseUrl, options.htmlPath),
  })
  feed.ele('author').ele('name').txt(options.siteName)
  feed.ele('icon').txt(absoluteUrl(baseUrl, '/favicon.svg'))

  for (const story of stories) {
    const url = absoluteUrl(baseUrl, paths.story(story))
    const entry = feed.ele('entry')
    entry.ele('id').txt(url)
    entry.ele('title', { type: 'text' }).txt(story.title)
    entry.ele('link', { rel: 'alternate', type: 'text/html', href: url })
    entry.ele('published').txt(dateOf(story.published).toISOString())
    entry.ele('updated').txt(dateOf(lastChanged(story)).toISOString())
    const author = entry.ele('author')
    author.ele('name').txt(story.council)
    author.ele('uri').txt(absoluteUrl(baseUrl, paths.council(story.councilSlug)))
    for (const slug of story.themes) {
      entry.ele('category', {
        term: slug,
        label: library.themeBySlug.get(slug)?.title ?? slug,
        scheme: absoluteUrl(baseUrl, '/themes/'),
      })
    }
    entry.ele('summary', { type: 'text' }).txt(story.summary)
    // The narrative as rendered on the page (sanitised); xmlbuilder2 escapes it as text.
    entry.ele('content', { type: 'html' }).txt(story.bodyHtml)
  }
  return doc.end({ prettyPrint: true })
}

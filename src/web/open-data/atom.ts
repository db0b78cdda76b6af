import type { Library } from '../../content/library.js'
import type { Quote, Story } from '../../content/model.js'
import { SPEAKERS } from '../../content/vocabulary.js'
import { absoluteUrl, dateOf, lastChanged, paths } from '../links.js'
import { serialiseXml, xmlDocument, xmlElement as el } from './xml.js'

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
  /**
   * Search feeds: the quote each story matched through, if it did. Its entry's summary quotes
   * it (the reader sees why the story is there) and links to the quote in the story.
   */
  matchedQuotes?: ReadonlyMap<Story, Quote>
}

/** A quote as an entry's summary: “…” – Leader, Pat Example, Anytown Council. */
export function quoteSummary(story: Pick<Story, 'council'>, quote: Quote): string {
  const speaker = SPEAKERS[quote.speaker] + (quote.name === undefined ? '' : `, ${quote.name}`)
  return `“${quote.text}” – ${speaker}, ${story.council}`
}

/**
 * An Atom 1.0 feed (RFC 4287) of stories, each with its summary and narrative: the one writer
 * of the site's feeds (all stories, a theme, a filtered list, a search).
 */
export function atomFeed(options: FeedOptions): string {
  const { baseUrl, library } = options
  const stories = options.stories.slice(0, FEED_LIMIT)
  const newest = stories.map(lastChanged).sort().at(-1) ?? library.lastUpdated
  const selfUrl = absoluteUrl(baseUrl, options.selfPath)
  const { doc, root: feed } = xmlDocument(ATOM, 'feed', {
    'xml:lang': 'en-GB',
    'xml:base': `${baseUrl}/`,
  })
  el(feed, 'id', {}, selfUrl)
  el(feed, 'title', {}, options.title)
  el(feed, 'subtitle', {}, options.subtitle)
  el(feed, 'updated', {}, (newest === undefined ? new Date(0) : dateOf(newest)).toISOString())
  el(feed, 'link', { rel: 'self', type: 'application/atom+xml', href: selfUrl })
  el(feed, 'link', {
    rel: 'alternate',
    type: 'text/html',
    href: absoluteUrl(baseUrl, options.htmlPath),
  })
  el(el(feed, 'author'), 'name', {}, options.siteName)
  el(feed, 'icon', {}, absoluteUrl(baseUrl, '/favicon.svg'))

  for (const story of stories) {
    const url = absoluteUrl(baseUrl, paths.story(story))
    const quote = options.matchedQuotes?.get(story)
    const entry = el(feed, 'entry')
    // The story's address, whichever feed it is in: a reader shows a story once.
    el(entry, 'id', {}, url)
    el(entry, 'title', { type: 'text' }, story.title)
    el(entry, 'link', {
      rel: 'alternate',
      type: 'text/html',
      href: quote === undefined ? url : absoluteUrl(baseUrl, paths.quoteInStory(quote)),
    })
    el(entry, 'published', {}, dateOf(story.published).toISOString())
    el(entry, 'updated', {}, dateOf(lastChanged(story)).toISOString())
    const author = el(entry, 'author')
    el(author, 'name', {}, story.council)
    el(author, 'uri', {}, absoluteUrl(baseUrl, paths.council(story.councilSlug)))
    for (const slug of story.themes) {
      el(entry, 'category', {
        term: slug,
        label: library.themeBySlug.get(slug)?.title ?? slug,
        scheme: absoluteUrl(baseUrl, '/themes/'),
      })
    }
    el(
      entry,
      'summary',
      { type: 'text' },
      quote === undefined ? story.summary : quoteSummary(story, quote),
    )
    // The narrative as rendered on the page (sanitised HTML), escaped as text.
    el(entry, 'content', { type: 'html' }, story.bodyHtml)
  }
  return serialiseXml(doc)
}

import type { Council, Quote, Story, Theme } from '../content/model.js'

/**
 * Every public address of a story, quote, theme and council, in one place. These paths are
 * a public contract: LGA pages, reports and emails link to them, so they never change
 * (a renamed story keeps its old slug as an alias, which redirects).
 */
export const paths = {
  story: (story: Pick<Story, 'slug'> | string): string =>
    `/stories/${typeof story === 'string' ? story : story.slug}`,
  /** The quote in its story: the permanent #anchor. */
  quoteInStory: (quote: Pick<Quote, 'id' | 'storySlug'>): string =>
    `/stories/${quote.storySlug}#${quote.id}`,
  /** The quote on a page of its own (for sharing and citing). */
  quote: (quote: Pick<Quote, 'id' | 'storySlug'>): string =>
    `/stories/${quote.storySlug}/quotes/${quote.id}`,
  embedQuote: (quote: Pick<Quote, 'id' | 'storySlug'>): string =>
    `/embed/stories/${quote.storySlug}/quotes/${quote.id}`,
  embedStory: (story: Pick<Story, 'slug'>): string => `/embed/stories/${story.slug}`,
  theme: (theme: Pick<Theme, 'slug'> | string): string =>
    `/themes/${typeof theme === 'string' ? theme : theme.slug}`,
  themeFeed: (theme: Pick<Theme, 'slug'> | string): string =>
    `/themes/${typeof theme === 'string' ? theme : theme.slug}/feed.xml`,
  council: (council: Pick<Council, 'slug'> | string): string =>
    `/councils/${typeof council === 'string' ? council : council.slug}`,
  apiStory: (story: Pick<Story, 'slug'> | string): string =>
    `/api/stories/${typeof story === 'string' ? story : story.slug}`,
} as const

/** `/stories/x` → `https://site.example/stories/x`, from the configured BASE_URL. */
export function absoluteUrl(baseUrl: string, path: string): string {
  return baseUrl + (path.startsWith('/') ? path : `/${path}`)
}

/** A YYYY-MM-DD date as the instant it began in UTC (for Atom and sitemap timestamps). */
export function dateOf(isoDate: string): Date {
  return new Date(`${isoDate}T00:00:00Z`)
}

/** A story's last change: `updated`, else `published`. */
export function lastChanged(story: Pick<Story, 'published' | 'updated'>): string {
  return story.updated ?? story.published
}

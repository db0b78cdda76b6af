import type { Library } from '../content/library.js'
import type { Quote, Story } from '../content/model.js'
import { SLUG_PATTERN } from '../content/schema.js'

/**
 * What a slug in a URL names: a story, a former slug (alias) of one, or nothing. Every route
 * that takes a story slug uses this, so aliases redirect the same way everywhere.
 */
export type StoryLookup =
  { kind: 'story'; story: Story } | { kind: 'alias'; slug: string } | { kind: 'none' }

export function lookUpStory(library: Library, slug: unknown): StoryLookup {
  if (typeof slug !== 'string' || !SLUG_PATTERN.test(slug)) return { kind: 'none' }
  const story = library.storyBySlug.get(slug)
  if (story) return { kind: 'story', story }
  const current = library.aliasToSlug.get(slug)
  return current === undefined ? { kind: 'none' } : { kind: 'alias', slug: current }
}

/** A quote of a story by its id (ids are unique within a story). */
export function findQuote(story: Story, id: unknown): Quote | undefined {
  if (typeof id !== 'string' || !SLUG_PATTERN.test(id)) return undefined
  return story.quotes.find((q) => q.id === id)
}

/**
 * A quote named by a story slug (or a former slug) and a quote id. `renamed` is true when the
 * slug is an alias: the caller redirects to the current address. An unknown quote id under an
 * alias is simply not found: there is nothing to redirect to.
 */
export type QuoteLookup =
  { kind: 'quote'; story: Story; quote: Quote; renamed: boolean } | { kind: 'none' }

export function lookUpQuote(library: Library, slug: unknown, quoteId: unknown): QuoteLookup {
  const found = lookUpStory(library, slug)
  if (found.kind === 'none') return { kind: 'none' }
  const story = found.kind === 'story' ? found.story : library.storyBySlug.get(found.slug)
  const quote = story && findQuote(story, quoteId)
  if (!story || !quote) return { kind: 'none' }
  return { kind: 'quote', story, quote, renamed: found.kind === 'alias' }
}

import type { Council, Quote, Story, Theme } from '../../content/model.js'
import {
  CHALLENGE_TYPES,
  COUNCIL_TYPES,
  POLITICAL_CONTROLS,
  REGIONS,
  SPEAKERS,
} from '../../content/vocabulary.js'
import { absoluteUrl, paths } from '../links.js'

/**
 * The JSON shapes of the open data API (docs/api.md). Field names are a public contract:
 * add fields, never rename or remove one. Each field is picked explicitly, so nothing
 * internal (the source file path, the raw Markdown, draft flags) can leak by accident.
 */

export interface Coded {
  /** The value used in URLs and filters, e.g. "south-west". */
  value: string
  /** What people read, e.g. "South West". */
  label: string
}

const coded = <K extends string>(labels: Readonly<Record<K, string>>, value: K): Coded => ({
  value,
  label: labels[value],
})

export interface QuoteJson {
  id: string
  text: string
  speaker: Coded
  name: string | null
  theme: string | null
  url: string
  urlInStory: string
  embedUrl: string
}

export interface StorySummaryJson {
  slug: string
  title: string
  url: string
  apiUrl: string
  council: { slug: string; name: string; url: string }
  councilType: Coded
  region: Coded
  politicalControl: Coded | null
  challenge: { type: Coded; year: number }
  themes: string[]
  summary: string
  published: string
  updated: string | null
  quoteCount: number
}

export interface StoryJson extends StorySummaryJson {
  impacts: string[]
  reportUrl: string | null
  quotes: QuoteJson[]
  /** The narrative as sanitised HTML (relative links are to this site). */
  narrativeHtml: string
  /** The narrative as plain text. */
  narrativeText: string
}

export function quoteJson(quote: Quote, baseUrl: string): QuoteJson {
  return {
    id: quote.id,
    text: quote.text,
    speaker: coded(SPEAKERS, quote.speaker),
    name: quote.name ?? null,
    theme: quote.theme ?? null,
    url: absoluteUrl(baseUrl, paths.quote(quote)),
    urlInStory: absoluteUrl(baseUrl, paths.quoteInStory(quote)),
    embedUrl: absoluteUrl(baseUrl, paths.embedQuote(quote)),
  }
}

export function storySummaryJson(story: Story, baseUrl: string): StorySummaryJson {
  return {
    slug: story.slug,
    title: story.title,
    url: absoluteUrl(baseUrl, paths.story(story)),
    apiUrl: absoluteUrl(baseUrl, paths.apiStory(story)),
    council: {
      slug: story.councilSlug,
      name: story.council,
      url: absoluteUrl(baseUrl, paths.council(story.councilSlug)),
    },
    councilType: coded(COUNCIL_TYPES, story.councilType),
    region: coded(REGIONS, story.region),
    politicalControl:
      story.politicalControl === undefined
        ? null
        : coded(POLITICAL_CONTROLS, story.politicalControl),
    challenge: { type: coded(CHALLENGE_TYPES, story.challenge.type), year: story.challenge.year },
    themes: [...story.themes],
    summary: story.summary,
    published: story.published,
    updated: story.updated ?? null,
    quoteCount: story.quotes.length,
  }
}

export function storyJson(story: Story, baseUrl: string): StoryJson {
  return {
    ...storySummaryJson(story, baseUrl),
    impacts: [...story.impacts],
    reportUrl: story.reportUrl ?? null,
    quotes: story.quotes.map((q) => quoteJson(q, baseUrl)),
    narrativeHtml: story.bodyHtml,
    narrativeText: story.bodyText,
  }
}

export interface ThemeJson {
  slug: string
  title: string
  description: string
  url: string
  feedUrl: string
  storyCount: number
  /** This theme's stories from the API. */
  storiesApiUrl: string
}

export function themeJson(theme: Theme, storyCount: number, baseUrl: string): ThemeJson {
  return {
    slug: theme.slug,
    title: theme.title,
    description: theme.description,
    url: absoluteUrl(baseUrl, paths.theme(theme)),
    feedUrl: absoluteUrl(baseUrl, paths.themeFeed(theme)),
    storyCount,
    storiesApiUrl: absoluteUrl(baseUrl, `/api/stories?theme=${encodeURIComponent(theme.slug)}`),
  }
}

export interface CouncilJson {
  slug: string
  name: string
  url: string
  councilType: Coded
  region: Coded
  storyCount: number
  stories: { slug: string; title: string; url: string; apiUrl: string }[]
}

export function councilJson(council: Council, baseUrl: string): CouncilJson {
  return {
    slug: council.slug,
    name: council.name,
    url: absoluteUrl(baseUrl, paths.council(council)),
    councilType: coded(COUNCIL_TYPES, council.councilType),
    region: coded(REGIONS, council.region),
    storyCount: council.stories.length,
    stories: council.stories.map((s) => ({
      slug: s.slug,
      title: s.title,
      url: absoluteUrl(baseUrl, paths.story(s)),
      apiUrl: absoluteUrl(baseUrl, paths.apiStory(s)),
    })),
  }
}

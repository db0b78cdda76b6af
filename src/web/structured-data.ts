import type { Quote, Story } from '../content/model.js'
import { SPEAKERS } from '../content/vocabulary.js'
import { absoluteUrl, lastChanged, paths } from './links.js'

/**
 * schema.org descriptions of a page for search engines and link previews, as plain objects.
 * The `jsonLd` filter serialises them safely into a <script type="application/ld+json">.
 */

type Json = Record<string, unknown>

function library(baseUrl: string, siteName: string): Json {
  return { '@type': 'Organization', name: siteName, url: absoluteUrl(baseUrl, '/') }
}

function council(baseUrl: string, story: Story): Json {
  return {
    '@type': 'GovernmentOrganization',
    name: story.council,
    url: absoluteUrl(baseUrl, paths.council(story.councilSlug)),
  }
}

/** A story: an Article about a council, published by the library. */
export function storyStructuredData(story: Story, baseUrl: string, siteName: string): Json {
  const url = absoluteUrl(baseUrl, paths.story(story))
  return {
    '@context': 'https://schema.org',
    '@type': 'Article',
    '@id': url,
    url,
    mainEntityOfPage: url,
    headline: story.title,
    description: story.summary,
    datePublished: story.published,
    dateModified: lastChanged(story),
    inLanguage: 'en-GB',
    keywords: story.themes,
    about: council(baseUrl, story),
    publisher: library(baseUrl, siteName),
    isPartOf: { '@type': 'WebSite', name: siteName, url: absoluteUrl(baseUrl, '/') },
  }
}

/** A quote: a Quotation said by someone at a council, part of the story's Article. */
export function quoteStructuredData(
  story: Story,
  quote: Quote,
  baseUrl: string,
  siteName: string,
): Json {
  const url = absoluteUrl(baseUrl, paths.quote(quote))
  const speaker: Json = {
    '@type': 'Person',
    jobTitle: SPEAKERS[quote.speaker],
    worksFor: council(baseUrl, story),
  }
  if (quote.name !== undefined) speaker.name = quote.name
  return {
    '@context': 'https://schema.org',
    '@type': 'Quotation',
    '@id': url,
    url,
    text: quote.text,
    inLanguage: 'en-GB',
    creator: speaker,
    spokenByCharacter: speaker,
    about: council(baseUrl, story),
    isPartOf: {
      '@type': 'Article',
      '@id': absoluteUrl(baseUrl, paths.story(story)),
      headline: story.title,
      datePublished: story.published,
    },
    publisher: library(baseUrl, siteName),
  }
}

import type { Council, Quote, Story, SynonymGroup, Theme } from './model.js'

/**
 * The loaded content, indexed for the lookups pages make. Built once at load; read-only after.
 * Lookups are Maps keyed by validated slugs: a plain object would find `constructor`.
 */
export interface Library {
  /** Newest first (published, then slug). */
  readonly stories: readonly Story[]
  readonly themes: readonly Theme[]
  /** content/synonyms.yml's groups (search expands a query with them). */
  readonly synonyms: readonly SynonymGroup[]
  readonly councils: readonly Council[]
  readonly storyBySlug: ReadonlyMap<string, Story>
  /** Former slug → current slug. */
  readonly aliasToSlug: ReadonlyMap<string, string>
  readonly themeBySlug: ReadonlyMap<string, Theme>
  readonly councilBySlug: ReadonlyMap<string, Council>
  /** Quotes tagged with a theme (directly or via the story), story order. */
  quotesForTheme(themeSlug: string): readonly Quote[]
  /** Stories sharing most themes with this one (then newest). */
  relatedStories(story: Story, limit?: number): readonly Story[]
  /** Newest `updated ?? published` date of any story, YYYY-MM-DD. */
  readonly lastUpdated: string | undefined
}

export function buildLibrary(
  input: readonly Story[],
  themes: readonly Theme[],
  synonyms: readonly SynonymGroup[] = [],
): Library {
  const stories = [...input].sort(
    (a, b) => b.published.localeCompare(a.published) || a.slug.localeCompare(b.slug),
  )
  const storyBySlug = new Map(stories.map((s) => [s.slug, s]))
  const aliasToSlug = new Map<string, string>()
  for (const story of stories) for (const alias of story.aliases) aliasToSlug.set(alias, story.slug)
  const themeBySlug = new Map(themes.map((t) => [t.slug, t]))

  const councilMap = new Map<string, Council>()
  for (const story of stories) {
    let council = councilMap.get(story.councilSlug)
    if (!council) {
      council = {
        slug: story.councilSlug,
        name: story.council,
        councilType: story.councilType,
        region: story.region,
        stories: [],
      }
      councilMap.set(story.councilSlug, council)
    }
    council.stories.push(story)
  }
  const councils = [...councilMap.values()].sort((a, b) =>
    a.name.localeCompare(b.name, 'en-GB', { sensitivity: 'base' }),
  )

  const quotesByTheme = new Map<string, Quote[]>()
  for (const story of stories) {
    for (const quote of story.quotes) {
      // A quote's own theme wins; untagged quotes belong to none (the story's themes are broad).
      if (quote.theme === undefined) continue
      const list = quotesByTheme.get(quote.theme) ?? []
      list.push(quote)
      quotesByTheme.set(quote.theme, list)
    }
  }

  const lastUpdated = stories.reduce<string | undefined>((latest, s) => {
    const date = s.updated ?? s.published
    return latest === undefined || date > latest ? date : latest
  }, undefined)

  const relatedMemo = new Map<string, readonly Story[]>()
  return {
    stories,
    themes,
    synonyms,
    councils,
    storyBySlug,
    aliasToSlug,
    themeBySlug,
    councilBySlug: councilMap,
    lastUpdated,
    quotesForTheme: (slug) => quotesByTheme.get(slug) ?? [],
    relatedStories(story, limit = 3) {
      // The same answer every time for a story: work it out once (it scans every story).
      const key = `${story.slug} ${limit}`
      let related = relatedMemo.get(key)
      if (related === undefined) {
        const mine = new Set(story.themes)
        related = stories
          .filter((other) => other !== story)
          .map((other) => ({ other, shared: other.themes.filter((t) => mine.has(t)).length }))
          .filter(({ shared }) => shared > 0)
          .sort((a, b) => b.shared - a.shared)
          .slice(0, limit)
          .map(({ other }) => other)
        relatedMemo.set(key, related)
      }
      return related
    },
  }
}

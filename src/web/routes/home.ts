import type { Express } from 'express'
import type { AppDeps } from '../deps.js'
import { REGIONS } from '../../content/vocabulary.js'

export function registerHomeRoutes(app: Express, { content }: AppDeps): void {
  app.get('/', (_req, res) => {
    const { library } = content.current
    const latest = library.stories.slice(0, 4)
    // Featured: the story with most quotes among those not already in "latest", for variety.
    const featured = [...library.stories.slice(4)].sort(
      (a, b) => b.quotes.length - a.quotes.length || b.published.localeCompare(a.published),
    )[0]
    const regionCounts = Object.entries(REGIONS).map(([value, label]) => ({
      value,
      label,
      count: library.stories.filter((s) => s.region === value).length,
    }))
    res.render('pages/home.njk', {
      latest,
      featured,
      themes: library.themes,
      regions: regionCounts,
      storyCount: library.stories.length,
      councilCount: library.councils.length,
      quoteCount: library.stories.reduce((n, s) => n + s.quotes.length, 0),
    })
  })
}

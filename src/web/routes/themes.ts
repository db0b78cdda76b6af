import type { Express } from 'express'
import type { AppDeps } from '../deps.js'
import { SLUG_PATTERN } from '../../content/schema.js'

export function registerThemeRoutes(app: Express, { content }: AppDeps): void {
  app.get('/themes', (_req, res) => {
    const { library } = content.current
    const counts = new Map<string, number>()
    for (const story of library.stories) {
      for (const theme of story.themes) counts.set(theme, (counts.get(theme) ?? 0) + 1)
    }
    res.render('pages/themes.njk', {
      themes: library.themes.map((theme) => ({
        theme,
        storyCount: counts.get(theme.slug) ?? 0,
        quoteCount: library.quotesForTheme(theme.slug).length,
      })),
    })
  })

  app.get('/themes/:slug', (req, res, next) => {
    const slug = req.params.slug
    if (!SLUG_PATTERN.test(slug)) return next()
    const { library } = content.current
    const theme = library.themeBySlug.get(slug)
    if (!theme) return next()
    const stories = library.stories.filter((s) => s.themes.includes(slug))
    const quotes = library.quotesForTheme(slug).map((quote) => ({
      quote,
      story: library.storyBySlug.get(quote.storySlug),
    }))
    res.render('pages/theme.njk', { theme, stories, quotes })
  })
}

import type { Express } from 'express'
import type { AppDeps } from '../deps.js'
import { SLUG_PATTERN } from '../../content/schema.js'

export function registerCouncilRoutes(app: Express, { content }: AppDeps): void {
  app.get('/councils', (_req, res) => {
    const { councils } = content.current.library
    // Group A–Z by first letter for a scannable index.
    const groups = new Map<string, typeof councils>()
    for (const council of councils) {
      const letter = council.name.charAt(0).toUpperCase()
      groups.set(letter, [...(groups.get(letter) ?? []), council])
    }
    res.render('pages/councils.njk', {
      councils,
      groups: [...groups.entries()].map(([letter, list]) => ({ letter, councils: list })),
    })
  })

  app.get('/councils/:slug', (req, res, next) => {
    const slug = req.params.slug
    if (!SLUG_PATTERN.test(slug)) return next()
    const council = content.current.library.councilBySlug.get(slug)
    if (!council) return next()
    res.render('pages/council.njk', { council })
  })
}

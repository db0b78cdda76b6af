import type { Express, Response } from 'express'
import type { AppDeps } from '../deps.js'
import { SLUG_PATTERN } from '../../content/schema.js'
import { paths } from '../links.js'
import { atomFeed } from '../open-data/atom.js'
import { SITE_NAME } from '../view-environment.js'

function sendAtom(res: Response, xml: string): void {
  res
    .set('Cache-Control', 'public, max-age=900')
    .type('application/atom+xml; charset=utf-8')
    .send(xml)
}

/** Atom feeds of new stories: all of them, and one per theme. */
export function registerFeedRoutes(app: Express, { content, config }: AppDeps): void {
  app.get('/feed.xml', (_req, res) => {
    const { library } = content.current
    sendAtom(
      res,
      atomFeed({
        stories: library.stories,
        library,
        baseUrl: config.baseUrl,
        title: SITE_NAME,
        subtitle: 'New stories of councils improving with help from their peers.',
        selfPath: '/feed.xml',
        htmlPath: '/stories',
        siteName: SITE_NAME,
      }),
    )
  })

  app.get('/themes/:slug/feed.xml', (req, res, next) => {
    const slug = req.params.slug
    if (!SLUG_PATTERN.test(slug)) return next()
    const { library } = content.current
    const theme = library.themeBySlug.get(slug)
    if (!theme) return next()
    sendAtom(
      res,
      atomFeed({
        stories: library.stories.filter((s) => s.themes.includes(slug)),
        library,
        baseUrl: config.baseUrl,
        title: `${theme.title} – ${SITE_NAME}`,
        subtitle: theme.description,
        selfPath: paths.themeFeed(theme),
        htmlPath: paths.theme(theme),
        siteName: SITE_NAME,
      }),
    )
  })
}

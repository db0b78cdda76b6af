import type { Express } from 'express'
import type { AppDeps } from '../deps.js'
import { absoluteUrl } from '../links.js'
import { sitemapXml } from '../open-data/sitemap.js'

/** /sitemap.xml and /robots.txt, for search engines. */
export function registerCrawlerRoutes(app: Express, { content, config }: AppDeps): void {
  app.get('/sitemap.xml', (_req, res) => {
    res
      .set('Cache-Control', 'public, max-age=3600')
      .type('application/xml; charset=utf-8')
      .send(sitemapXml(content.current.library, config.baseUrl))
  })

  app.get('/robots.txt', (_req, res) => {
    const lines = [
      'User-agent: *',
      // Everything but the editors' CMS may be crawled (it also says noindex, in a header). The
      // /embed/ cards say noindex themselves (a robots.txt block would hide that from crawlers).
      'Disallow: /admin',
      '',
      `Sitemap: ${absoluteUrl(config.baseUrl, '/sitemap.xml')}`,
      '',
    ]
    res
      .set('Cache-Control', 'public, max-age=3600')
      .type('text/plain; charset=utf-8')
      .send(lines.join('\n'))
  })
}

import type { Express } from 'express'
import type { Library } from '../../content/library.js'
import { derived } from '../../site/derived.js'
import type { AppDeps } from '../deps.js'
import { cmsConfigYaml, cmsEnabled } from '../cms/cms-config.js'

/**
 * The editors' CMS: /admin (the page that loads it) and /admin/config.yml (its configuration,
 * generated from the content schema and themes.yml once per content snapshot). Served in
 * development, and in production only with CMS_REPO: otherwise every /admin path is a 404.
 * The CMS writes to GitHub, or to the folder picked in the browser: never to this server.
 */
export function registerAdminRoutes(app: Express, deps: AppDeps): void {
  if (!cmsEnabled(deps.config)) return
  const configYaml = (library: Library): string =>
    cmsConfigYaml(deps.config, library.themes, new Date().getUTCFullYear())
  // Generated now, so a schema field the form cannot show stops start-up, not an editor.
  derived(deps.content.current.library, configYaml)

  app.get('/admin', (_req, res) => {
    // Always asked again: a new release's page names new bundle files. The themes' titles are
    // for the preview pane, which shows a story's themes as its page does.
    const themes = deps.content.current.library.themes.map(({ slug, title }) => ({ slug, title }))
    res.set('Cache-Control', 'no-cache').render('pages/admin.njk', { themes })
  })
  app.get('/admin/config.yml', (_req, res) => {
    res
      .set('Cache-Control', 'no-cache')
      .type('application/yaml; charset=utf-8')
      .send(derived(deps.content.current.library, configYaml))
  })
}

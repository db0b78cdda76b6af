import type { Config } from '../config.js'
import { projectRoot } from '../paths.js'
import { loadContent } from './load.js'
import type { SiteContent } from './state.js'

/** Loads the content named by the config and builds what pages serve from. */
export async function loadSiteContent(config: Pick<Config, 'contentDir' | 'dev'>): Promise<SiteContent> {
  const library = await loadContent({
    contentDir: config.contentDir,
    includeDrafts: config.dev,
    displayRoot: projectRoot,
  })
  return { library }
}

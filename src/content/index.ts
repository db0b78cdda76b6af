import type { Config } from '../config.js'
import { projectRoot } from '../paths.js'
import { buildSearchEngine } from '../search/index.js'
import { loadContent } from './load.js'
import type { SiteContent } from './state.js'

/**
 * Loads the content named by the config, then builds what pages serve from: the library and
 * its search index (load first, then build: the index is made from validated stories only).
 */
export async function loadSiteContent(config: Pick<Config, 'contentDir' | 'dev'>): Promise<SiteContent> {
  const library = await loadContent({
    contentDir: config.contentDir,
    includeDrafts: config.dev,
    displayRoot: projectRoot,
  })
  return { library, search: buildSearchEngine(library.stories, library.themes) }
}

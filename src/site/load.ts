import type { Config } from '../config.js'
import { projectRoot } from '../paths.js'
import { loadContent } from '../content/load.js'
import type { LoadStats } from '../content/story-files.js'
import { contentCachePath } from '../content/content-cache.js'
import { Synonyms, synonymTermProblem } from '../search/index.js'
import { pruneCacheDir } from './cache-files.js'
import { loadOrBuildSearch, searchCachePath, type SearchCacheStats } from './search-cache.js'
import type { SiteContent } from './state.js'

export interface SiteContentStats {
  content: LoadStats
  search: SearchCacheStats
  /** Cache files of other versions removed from the cache folder (see cache-files.ts). */
  cacheFilesRemoved?: string[]
}

/**
 * Loads the content named by the config, then builds what pages serve from: the library, its
 * search index and its synonyms (load first, then build: the index is made from validated
 * stories only). With a cache folder, unchanged story files and an unchanged index come from the
 * caches there, and the cache files of other versions are removed from it first.
 */
export async function loadSiteContent(
  config: Pick<Config, 'contentDir' | 'dev'> & { cacheDir?: string | undefined },
  stats: SiteContentStats = { content: {}, search: {} },
): Promise<SiteContent> {
  const { cacheDir } = config
  if (cacheDir !== undefined) {
    const current = [
      contentCachePath(cacheDir, config.contentDir),
      searchCachePath(cacheDir, config.contentDir),
    ]
    stats.cacheFilesRemoved = pruneCacheDir(cacheDir, current)
  }
  const library = await loadContent({
    contentDir: config.contentDir,
    includeDrafts: config.dev,
    displayRoot: projectRoot,
    ...(cacheDir === undefined ? {} : { cacheDir }),
    stats: stats.content,
    synonymTermProblem,
  })
  const search = loadOrBuildSearch(
    library.stories,
    library.themes,
    cacheDir === undefined ? undefined : { cacheDir, contentDir: config.contentDir },
    stats.search,
  )
  // Synonyms are applied to queries, not indexed: a changed synonyms.yml needs no new index.
  return { library, search, synonyms: new Synonyms(library.synonyms) }
}

import type { SearchEngine, Synonyms } from '../search/index.js'
import type { Library } from '../content/library.js'

/** What the pages serve from: one consistent snapshot of the content and its search index. */
export interface SiteContent {
  readonly library: Library
  readonly search: SearchEngine
  /** The library's synonym groups, ready for searches to expand queries with. */
  readonly synonyms: Synonyms
}

/**
 * Holds the snapshot being served. In production it never changes; in development the
 * watcher swaps in a new snapshot after a successful reload, or records the problems of a
 * failed one (which the pages then show) and keeps serving the last good snapshot.
 */
export class ContentState {
  #current: SiteContent
  #problems: readonly string[] = []

  constructor(initial: SiteContent) {
    this.#current = initial
  }

  get current(): SiteContent {
    return this.#current
  }

  /** Formatted problems of the last failed reload (development only); empty when all is well. */
  get problems(): readonly string[] {
    return this.#problems
  }

  replace(next: SiteContent): void {
    this.#current = next
    this.#problems = []
  }

  reportProblems(problems: readonly string[]): void {
    this.#problems = problems
  }
}

/**
 * What the layout reads from `res.locals`, typed once for every route: Express's own `Locals`
 * interface, merged here. setUpViews sets the first three for every request; routes may
 * replace them (a page with distinct content per query string sets its canonical address)
 * or add the search box's words.
 */
declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Express declares Locals in its global namespace; merging is how it is typed
  namespace Express {
    interface Locals {
      /** The request path: the main navigation marks the section it is in. */
      currentPath: string
      /** The page's one address, for <link rel="canonical"> and og:url; error pages clear it. */
      canonicalUrl: string | undefined
      /** The problems of a failed development reload, shown on every page (empty otherwise). */
      contentProblems: readonly string[]
      /** The words in the header's search box (the search page shows what was searched). */
      headerQuery?: string
    }
  }
}

export {}

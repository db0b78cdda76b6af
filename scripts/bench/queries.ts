/**
 * The fixed query sets of the benchmarks, shared by scripts/bench-search.ts (in-process latency)
 * and scripts/bench.ts (in-process and over HTTP), so both measure the same queries.
 */
import { THEME_SLUGS } from '../generate-corpus.js'

const WORDS = [
  'council',
  'budget',
  'leadership',
  'peer',
  'challenge',
  'culture',
  'improvement',
  'governance',
  'partnership',
  'scrutiny',
  'homelessness',
  'procurement',
  'residents',
  'transformation',
  'digital',
  'feedback',
  'confidence',
  'housing',
  'reserves',
  'savings',
  'vision',
  'ambition',
  'political',
  'cabinet',
  'officers',
  'trust',
  'openness',
  'recovery',
  'commercial',
  'investment',
  'children',
  'social',
  'planning',
  'climate',
  'audit',
  'board',
  'inclusion',
  'agency',
  'satisfaction',
  'honest',
]
const PHRASES = [
  '"peer challenge"',
  '"action plan"',
  '"senior team"',
  '"improvement board"',
  '"no overall control"',
  '"sector-led improvement"',
  '"medium term financial"',
  '"front-line teams"',
  '"feedback report"',
  '"political groups"',
  '"the council was"',
  '"heads of service"',
  '"balanced budget"',
  '"resident satisfaction"',
  '"agency spend"',
  '"asset management"',
  '"parish councils"',
  '"chief executive"',
  '"local plan"',
  '"digital inclusion"',
  '"we were clear"',
  '"cross-party"',
  '"annual governance statement"',
  '"for years"',
  '"leadership team"',
  '"the hardest part"',
  '"councils helping councils"',
  '"permission to talk"',
  '"in full"',
  '"every 3 weeks"',
]
const PREFIXES = [
  'transform*',
  'improv*',
  'lead*',
  'govern*',
  'partner*',
  'commerc*',
  'digit*',
  'resid*',
  'budg*',
  'counc*',
  'peer*',
  'cult*',
  'plan*',
  'hous*',
  'confid*',
  'scrut*',
  'procur*',
  'experim*',
  'organi*',
  'deliver*',
  'sustain*',
  'financ*',
  'capac*',
  'recover*',
  'homeless*',
  'audit*',
  'trust*',
  'open*',
  'vision*',
  'polit*',
]
const NO_RESULT = [
  'councl',
  'budgte',
  'leadreship',
  'trasnformation',
  'goverance',
  'partnrship',
  'scrutinny',
  'homelesness',
  'procurment',
  'residnets',
  'xyzzy',
  'qwertyuiop',
  'flibbertigibbet',
  'zqxv budget',
  'councl budgte',
  'improvment plan',
  'digtal inclusoin',
  'transformaton board',
  'peer chalenge',
  'satisfacton',
  '"budget leadership council"',
  '"peer peer peer"',
  'qqq*',
  'zz*',
  '"no overall" -control',
  'xylophone orchestra',
  'aardvark',
  'submarine',
  'volcano',
  'penguin colony',
]

/** Index ranges of the query kinds in benchQueries(). */
export const CATEGORIES: Record<string, [number, number]> = {
  oneWord: [0, 40],
  twoWords: [40, 80],
  phrase: [80, 110],
  prefix: [110, 140],
  exclusion: [140, 170],
  noResult: [170, 200],
}

/** The fixed 200 queries: 40 one-word, 40 two-word, 30 phrase, 30 prefix, 30 exclusion, 30 no-result. */
export function benchQueries(): string[] {
  const n = WORDS.length
  const w = (i: number) => WORDS[i % n] as string
  const two = WORDS.map((_, i) => `${w(i)} ${w(i * 7 + 3)}`)
  const exclusions = Array.from({ length: 30 }, (_, i) => `${w(i)} -${w(i * 11 + 5)}`)
  const queries = [...WORDS, ...two, ...PHRASES, ...PREFIXES, ...exclusions, ...NO_RESULT]
  if (queries.length !== 200) throw new Error(`expected 200 queries, got ${queries.length}`)
  return queries
}

const REGIONS_IN_ROTATION: readonly string[] = [
  'london',
  'north-west',
  'south-east',
  'yorkshire-and-the-humber',
  'east-midlands',
]

/**
 * 50 distinct search addresses for the HTTP benchmark: words, phrases and prefixes from the set
 * above, each with a theme or region filter, some with both, some sorted by newest. Served in
 * rotation, so a result cache of a few entries cannot flatter the figure.
 */
export function httpSearchPaths(): string[] {
  const queries = benchQueries()
  const picks = [
    ...queries.slice(0, 20),
    ...queries.slice(40, 50),
    ...queries.slice(80, 90),
    ...queries.slice(110, 115),
    ...queries.slice(140, 145),
  ]
  return picks.map((q, i) => {
    const params = new URLSearchParams({ q })
    if (i % 2 === 0) params.append('theme', THEME_SLUGS[i % THEME_SLUGS.length] as string)
    if (i % 3 !== 1)
      params.append('region', REGIONS_IN_ROTATION[i % REGIONS_IN_ROTATION.length] as string)
    if (i % 5 === 4) params.set('sort', 'newest')
    return `/search?${params.toString()}`
  })
}

/**
 * Common-word searches: pairs of words among the twenty most frequent content words of the
 * generated corpora (by the number of stories they occur in), each matching more than half the
 * stories, as real searches often do ("council housing" matches 80% of the standard corpus at
 * 1,000, the others over 90%; the bench prints each one's share). They cost the most per query
 * (every matching story is scored and counted in the facets), so they are measured and reported
 * apart from the 200 queries and the 50 rotating addresses above.
 */
export const COMMON_QUERIES = [
  'council housing',
  'peers leadership',
  'residents budget',
  'improvement plan',
]

/**
 * 12 addresses for the HTTP benchmark: each common query alone, with a region filter, and with
 * a theme filter, served in rotation like httpSearchPaths().
 */
export function httpCommonSearchPaths(): string[] {
  return COMMON_QUERIES.flatMap((q, i) => [
    new URLSearchParams({ q }),
    new URLSearchParams({
      q,
      region: REGIONS_IN_ROTATION[i % REGIONS_IN_ROTATION.length] as string,
    }),
    new URLSearchParams({ q, theme: THEME_SLUGS[(i * 5) % THEME_SLUGS.length] as string }),
  ]).map((params) => `/search?${params.toString()}`)
}

import type {
  ChallengeType,
  CouncilType,
  PoliticalControl,
  Region,
  Speaker,
} from './vocabulary.js'
import type { Theme } from './schema.js'

export type { Theme }

/** Terms that mean the same to people searching (content/synonyms.yml), as written there. */
export type SynonymGroup = readonly string[]

/** A quote as the site uses it: validated frontmatter plus where it lives. */
export interface Quote {
  id: string
  speaker: Speaker
  name?: string
  text: string
  theme?: string
  /** The story this quote belongs to. */
  storySlug: string
}

/** A validated, rendered story. Everything a page needs is computed once, at load. */
export interface Story {
  slug: string
  title: string
  council: string
  /** Slug of the council's name, for /councils/<slug>. */
  councilSlug: string
  councilType: CouncilType
  region: Region
  politicalControl?: PoliticalControl
  challenge: { type: ChallengeType; year: number }
  themes: string[]
  summary: string
  impacts: string[]
  quotes: Quote[]
  /** YYYY-MM-DD */
  published: string
  /** YYYY-MM-DD */
  updated?: string
  aliases: string[]
  draft: boolean
  reportUrl?: string
  /** The narrative rendered by marked and sanitised: the only HTML marked safe in views. */
  bodyHtml: string
  /** The narrative as plain text (for search and snippets). */
  bodyText: string
  /** Path of the source file relative to the content folder, e.g. stories/foo.md. */
  sourcePath: string
}

export interface Council {
  slug: string
  name: string
  councilType: CouncilType
  region: Region
  /** Newest first. */
  stories: Story[]
}

import type { Story, Theme } from '../content/model.js'
import type { EngineData, KindIndex, QuoteRef } from './engine-data.js'
import { buildIndexes, type LunrBuilderKind } from './index-builder.js'
import type { PreparedIndex } from './lunr-query.js'
import { parseQuery, type Clause } from './query.js'
import { emptyHighlight, highlightTerms, planQuery, type Group } from './query-plan.js'
import {
  minimumShouldMatch,
  noMatches,
  runPlan,
  type LunrEvaluator,
  type Matches,
} from './query-run.js'
import { rankFull, rankPartial } from './ranking.js'
import { contentFingerprint, readEngineData, serializeEngineData } from './stored-index.js'
import type { SerializedSearchIndex } from './stored-index.js'
import { Suggester } from './suggestions.js'
import type {
  Expansion,
  QuoteHit,
  SearchOptions,
  SearchOutcome,
  SearchSort,
  StoryHit,
} from './types.js'

/*
 * The search engine: two `lunr.Index`es, one per kind of document (stories, quotes), built with
 * `lunr.Builder` (index-builder.ts) or read from a cache file (stored-index.ts), and queried with
 * `lunr.Query` clauses, as `idx.query()` takes them. Lunr matches and scores (BM25 per field, k1
 * 1.2, b 0.75, field boosts); the queries are evaluated by queryPrepared (lunr-query.ts), which
 * computes exactly what Lunr's `Index#query` returns over the same index, 6–13 times faster
 * (docs/performance.md; tested against it).
 *
 * A search: the parsed query (query.ts) is planned into groups of index terms and phrases
 * (query-plan.ts), run on each kind (query-run.ts: Lunr's clauses, then what Lunr has no notion
 * of: exact phrases, groups of several terms), ranked (ranking.ts: the word-order boost, "newest"
 * order), and, when nothing matched every word, corrected ("did you mean", suggestions.ts).
 * Lunr's undeclared members are reached only through lunr-internals.ts.
 *
 * Each kind matches on its own terms: the results having every word come first; when fewer than
 * `partialBelow` (a page) of a kind have them, those having most of them follow
 * (minimumShouldMatch, query-run.ts), by how many they have, then by score; when no result of
 * a kind has every word or that many, the results of that kind having any one of them.
 */

/** A page of results (the site's page size): fewer full matches than this bring partial ones. */
export const PARTIAL_BELOW = 20

export interface EngineOptions {
  evaluator?: LunrEvaluator
  /** buildSearchEngine: `lean` (LeanBuilder, the default) or Lunr's own lunr.Builder. */
  builder?: LunrBuilderKind
  /**
   * loadSearchEngine: where a kind's Lunr index comes from when the serialised engine has `null`
   * in its place (a cache file read one part at a time, so that the parsed stories index can be
   * collected before the quotes index is parsed).
   */
  readLunr?: (kind: 'stories' | 'quotes') => object
}

/** The search engine: build once at start-up (or load from a cache), then query many times. */
export class SearchEngine {
  private readonly storyPublished: Uint32Array
  private readonly suggester: Suggester

  /** @internal use buildSearchEngine or loadSearchEngine */
  constructor(
    private readonly data: EngineData,
    stories: readonly Story[],
    private readonly evaluator: LunrEvaluator = 'prepared',
  ) {
    this.suggester = new Suggester(data, evaluator)
    const published = new Map(stories.map((s) => [s.slug, s.published]))
    // Published dates as yyyymmdd numbers: "newest" compares integers, not strings.
    this.storyPublished = Uint32Array.from(data.storySlugs, (slug) =>
      Number((published.get(slug) ?? '0000-00-00').replaceAll('-', '')),
    )
  }

  /**
   * Sizes, for logs and the bench. `bytes` counts the engine's typed arrays (word sequences,
   * tables, the prepared postings); the Lunr indexes are ordinary JavaScript objects, measured as
   * heap by the bench.
   */
  get stats(): { stories: number; quotes: number; terms: number; words: number; bytes: number } {
    const { stories, quotes, vocab } = this.data
    const bytes =
      stories.seqStart.byteLength +
      stories.seq.byteLength +
      quotes.seqStart.byteLength +
      quotes.seq.byteLength +
      vocab.df.byteLength +
      vocab.wordTerms.byteLength +
      postingBytes(stories.prepared) +
      postingBytes(quotes.prepared)
    return {
      stories: stories.docCount,
      quotes: quotes.docCount,
      terms: vocab.terms.length - 1,
      words: vocab.words.length,
      bytes,
    }
  }

  get fingerprint(): string {
    return this.data.fingerprint
  }

  /** Story number → slug (the numbers of `SearchOutcome.storyNumbers`). */
  get storySlugs(): readonly string[] {
    return this.data.storySlugs
  }

  /** Quote number → its story's number and the quote's id (`SearchOutcome.quoteNumbers`). */
  get quoteRefs(): readonly Readonly<QuoteRef>[] {
    return this.data.quoteRefs
  }

  /** Search. Never throws on any input; returns every match, ranked. */
  search(input: string, options: SearchOptions = {}): SearchOutcome {
    const sort: SearchSort = options.sort === 'newest' ? 'newest' : 'relevance'
    const parsed = parseQuery(input, options.synonyms)
    const positive = parsed.clauses.filter((c) => !c.negated)
    const outcome: SearchOutcome = {
      query: parsed.text,
      truncated: parsed.truncated,
      relaxed: false,
      partial: false,
      words: [],
      empty: positive.length === 0,
      sort,
      storyHits: [],
      quoteHits: [],
      storyNumbers: new Int32Array(0),
      quoteNumbers: new Int32Array(0),
      storyAllWords: 0,
      quoteAllWords: 0,
      storyWordsHad: new Uint16Array(0),
      quoteWordsHad: new Uint16Array(0),
      matchedStoryNumbers: new Int32Array(0),
      matchedQuoteNumbers: new Int32Array(0),
      highlight: emptyHighlight(),
      expansions: expansionsOf(positive),
      suggestions: [],
      ignored: parsed.ignored,
    }
    // A query of exclusions only would list nearly everything: treat it as nothing to search.
    if (positive.length === 0) return outcome
    const plan = planQuery(this.data.vocab, parsed.clauses)
    outcome.highlight = highlightTerms(positive, plan)
    const keepStories: Keep = options.keepStory === undefined ? {} : { keep: options.keepStory }
    const keepQuotes: Keep = options.keepQuote === undefined ? {} : { keep: options.keepQuote }
    const evaluator = this.evaluator
    const { stories: storyIndex, quotes: quoteIndex } = this.data
    const stories = runPlan(storyIndex, plan, 'all', evaluator, keepStories)
    const quotes = runPlan(quoteIndex, plan, 'all', evaluator, keepQuotes)
    const strictEmpty = stories.all.length === 0 && quotes.all.length === 0
    const words = plan.counted.length
    outcome.words = plan.counted.map((g) => (plan.groups[g] as Group).label)
    // Decided on every full match, kept or not: a filter then narrows the same list of results.
    const below = options.partialBelow ?? PARTIAL_BELOW
    const partialOf = (kind: KindIndex, full: Matches, minimum: number, keep: Keep) =>
      words > 1 && full.all.length < below
        ? runPlan(kind, plan, minimum, evaluator, keep)
        : noMatches()
    const minimum = minimumShouldMatch(words)
    const none = (m: Matches) => m.all.length === 0
    // A kind with nothing having most of the words lists those having any of them: the quote a
    // person half-remembers is then still on the page, below the quotes having more words.
    const partialOrAny = (kind: KindIndex, full: Matches, keep: Keep) => {
      const most = partialOf(kind, full, minimum, keep)
      return none(full) && none(most) && minimum > 1 ? partialOf(kind, full, 1, keep) : most
    }
    const partialStories = partialOrAny(storyIndex, stories, keepStories)
    const partialQuotes = partialOrAny(quoteIndex, quotes, keepQuotes)
    outcome.partial = !none(partialStories) || !none(partialQuotes)
    outcome.relaxed = strictEmpty && outcome.partial
    const refs = this.data.quoteRefs
    const storyDate = (d: number) => this.storyPublished[d] as number
    const quoteDate = (d: number) => this.storyPublished[(refs[d] as QuoteRef).story] as number
    const rankedStories = concat(
      rankFull(storyIndex, plan, stories, sort, storyDate),
      rankPartial(storyIndex, plan, partialStories, sort, storyDate),
    )
    const rankedQuotes = concat(
      rankFull(quoteIndex, plan, quotes, sort, quoteDate),
      rankPartial(quoteIndex, plan, partialQuotes, sort, quoteDate),
    )
    outcome.storyNumbers = rankedStories.docs
    outcome.quoteNumbers = rankedQuotes.docs
    outcome.storyAllWords = rankedStories.allWords
    outcome.quoteAllWords = rankedQuotes.allWords
    outcome.storyWordsHad = rankedStories.wordsHad
    outcome.quoteWordsHad = rankedQuotes.wordsHad
    outcome.matchedStoryNumbers = rankedStories.all
    outcome.matchedQuoteNumbers = rankedQuotes.all
    // Tens of thousands of hit objects are made only if someone reads them (the web layer reads
    // the numbers).
    lazy(outcome, 'storyHits', () => this.storyHits(rankedStories, outcome.words))
    lazy(outcome, 'quoteHits', () => this.quoteHits(rankedQuotes, outcome.words))
    if (strictEmpty && options.suggest !== false)
      outcome.suggestions = this.suggester.suggest(parsed.clauses, options.synonyms)
    return outcome
  }

  /** Serialise for a cache file (JSON.stringify the result). */
  toJSON(): SerializedSearchIndex {
    return serializeEngineData(this.data, false)
  }

  /**
   * As toJSON, but each Lunr index's postings are a table of document numbers (base64) instead of
   * Lunr's `{ ref: {} }` objects: a fifth of the bytes, and nothing to parse into millions of
   * properties when loading (the start-up cache file). loadSearchEngine reads both forms.
   */
  toCompactJSON(): SerializedSearchIndex {
    return serializeEngineData(this.data, true)
  }

  private storyHits(m: Ranked, words: readonly string[]): StoryHit[] {
    const hits: StoryHit[] = new Array<StoryHit>(m.docs.length)
    for (let i = 0; i < m.docs.length; i++) {
      hits[i] = {
        storySlug: this.data.storySlugs[m.docs[i] as number] as string,
        score: round(m.scores[i] as number),
        missing: missingWords(m, i, words),
      }
    }
    return hits
  }

  private quoteHits(m: Ranked, words: readonly string[]): QuoteHit[] {
    const refs = this.data.quoteRefs
    const hits: QuoteHit[] = new Array<QuoteHit>(m.docs.length)
    for (let i = 0; i < m.docs.length; i++) {
      const ref = refs[m.docs[i] as number] as QuoteRef
      hits[i] = {
        storySlug: this.data.storySlugs[ref.story] as string,
        quoteId: ref.quoteId,
        score: round(m.scores[i] as number),
        missing: missingWords(m, i, words),
      }
    }
    return hits
  }
}

/** Which matches of a kind are ranked and listed (the page's filters). */
interface Keep {
  keep?: (doc: number) => boolean
}

/** One kind's results: the full matches, then the partial ones with the words each has. */
interface Ranked {
  docs: Int32Array
  scores: Float64Array
  all: Int32Array
  allWords: number
  wordsHad: Uint16Array
}

function concat(full: Matches, partial: Matches): Ranked {
  const join = <T extends Int32Array | Float64Array>(a: T, b: T, make: (n: number) => T): T => {
    if (b.length === 0) return a
    const out = make(a.length + b.length)
    out.set(a)
    out.set(b, a.length)
    return out
  }
  return {
    docs: join(full.docs, partial.docs, (n) => new Int32Array(n)),
    scores: join(full.scores, partial.scores, (n) => new Float64Array(n)),
    all: join(full.all, partial.all, (n) => new Int32Array(n)),
    allWords: full.docs.length,
    wordsHad: partial.words ?? new Uint16Array(0),
  }
}

/** The words result i of `m` lacks (none for a full match). */
export function missingWords(
  m: Pick<Ranked, 'allWords' | 'wordsHad'>,
  i: number,
  words: readonly string[],
): string[] {
  if (i < m.allWords) return []
  const had = m.wordsHad[i - m.allWords] as number
  return words.filter((_, k) => ((had >>> k) & 1) === 0)
}

function expansionsOf(positive: readonly Clause[]): Expansion[] {
  const out: Expansion[] = []
  for (const c of positive) {
    if (c.kind === 'phrase' || c.alternatives === undefined || c.alternatives.length === 0) continue
    out.push({ term: c.raw, alsoSearched: c.alternatives.map((a) => a.text) })
  }
  return out
}

function postingBytes(prepared: PreparedIndex): number {
  let bytes = 0
  for (const perField of prepared.postings.values()) for (const p of perField) bytes += p.byteLength
  return bytes
}

/** Define `key` as made by `make` on first read (and settable), enumerable like a plain field. */
function lazy<T extends object, K extends keyof T>(object: T, key: K, make: () => T[K]): void {
  let value: T[K] | undefined
  let made = false
  Object.defineProperty(object, key, {
    enumerable: true,
    configurable: true,
    get: () => {
      if (!made) {
        value = make()
        made = true
      }
      return value
    },
    set: (v: T[K]) => {
      value = v
      made = true
    },
  })
}

const round = (x: number): number => Math.round(x * 10000) / 10000

/** Build the engine from loaded stories and themes (drafts should already be filtered out). */
export function buildSearchEngine(
  stories: readonly Story[],
  themes: readonly Theme[],
  options: EngineOptions = {},
): SearchEngine {
  const indexes = buildIndexes(stories, themes, options.builder ?? 'lean')
  const data: EngineData = { ...indexes, fingerprint: contentFingerprint(stories, themes) }
  return new SearchEngine(data, stories, options.evaluator)
}

/**
 * Load an engine serialised by `toJSON()`. Throws SearchIndexLoadError if it was made by another
 * format or Lunr version, for other content, or is damaged: the caller should then rebuild.
 */
export function loadSearchEngine(
  json: SerializedSearchIndex | string,
  stories: readonly Story[],
  themes: readonly Theme[],
  options: EngineOptions = {},
): SearchEngine {
  const data = readEngineData(json, stories, themes, options.readLunr)
  return new SearchEngine(data, stories, options.evaluator)
}

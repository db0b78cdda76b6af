import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mulberry32, writeCorpus } from '../../scripts/generate-corpus.js'
import { benchQueries } from '../../scripts/bench/queries.js'
import { loadSiteContent } from '../../src/site/load.js'
import type { Quote, Story, Theme } from '../../src/content/model.js'
import { fromRoot } from '../../src/paths.js'
import { buildSearchEngine, SnippetIndex, type SearchEngine } from '../../src/search/index.js'
import { rawWords } from '../../src/search/text.js'
import * as before from './fixtures/highlight-before.js'
import { generateStories, makeStory, THEMES } from './fixtures/factory.js'

/*
 * The search page highlights from stored tokens (SnippetIndex); it must give exactly what the
 * highlighter gave when it tokenised each text on every request (fixtures/highlight-before.ts, a
 * frozen copy): the same snippet, cut at the same places, the same marks, byte for byte. Checked
 * on the bundled and fixture content, two generated corpora and texts made to be awkward, for
 * the bench's 200 queries, hand-written ones and several hundred drawn from the texts themselves
 * (words as written, prefixes, phrases that occur, exclusions), on the results each query shows
 * and on stories and quotes it does not match.
 */

interface Corpus {
  name: string
  stories: Story[]
  themes: Theme[]
}

/** Texts the tokeniser finds awkward: offsets, hyphens, stop words, long and odd words. */
const AWKWARD: Story[] = [
  makeStory({
    slug: 'awkward-hyphens',
    title: 'Sector-led, state-of-the-art co-operation in Stoke-on-Trent',
    summary:
      'A well-known, long-term, x-ʼ and ʼ-x; the “sector‑led” (non-breaking) and sector‐led.',
    bodyText:
      'Sector-led improvement is sector led. State-of-the-art work, up-to-date plans. ' +
      'Co-operate, cooperate and co-operation. Stoke-on-Trent’s leader. ' +
      'In-house, in house. The-the-the. 2019–2020 budgets and ½-day sessions.',
    impacts: ['Sector-led peer support', 'No overall control: a minority administration'],
    quotes: [
      { id: 'hyphen', text: 'It was sector-led, and state-of-the-art — the co-op way.' },
      { id: 'stops', text: 'The and of to a in an: the council, of the people.' },
    ],
  }),
  makeStory({
    slug: 'awkward-letters',
    title: 'Ynys Môn, Ærø and the Œuvre of Straße',
    summary: 'Organisation, organization, behaviour, behavior, programme, program, centre, center.',
    bodyText:
      'The organisation’s behaviour changed; the organization’s behavior changed. ' +
      'Ynys Môn and Ynys Mon. Ærø, Aero; Straße, strasse. Café, cafe, CAFÉ. ' +
      'council’s councils’ O’Neill o\u2019neill D\u02bcArcy. Mo\u0302n with a combining mark. ' +
      `${'a'.repeat(300)} ${'Verylongword'.repeat(20)} ` +
      `spaced${' '.repeat(400)}out and\n\n\nnew\tlines ` +
      'Emoji 🙂 between words 🙂🙂 and digits 123 4,500 £2.5m 2.5 x2 2x.',
    impacts: [],
    quotes: [{ id: 'letters', text: "Môn’s “organization” & <behavior> 'quoted' \\ back." }],
  }),
  makeStory({
    slug: 'awkward-empty',
    title: 'Nothing',
    summary: '',
    bodyText: '',
    impacts: ['', ' · '],
    quotes: [{ id: 'empty', text: '—' }],
  }),
  makeStory({
    slug: 'awkward-repeats',
    title: 'Budget budget budgets budgeting',
    summary: 'Budget savings budget savings budget savings.',
    bodyText: Array.from(
      { length: 120 },
      (_, i) =>
        `Filler words number ${i} here. ${i % 9 === 0 ? 'Budget savings were agreed.' : ''}` +
        `${i % 13 === 0 ? ' No overall control, the budget and the savings.' : ''}`,
    ).join(' '),
    impacts: ['Budget set', 'Savings made', 'Budget savings agreed'],
  }),
]

const HAND_WRITTEN = [
  '',
  'budget',
  'budget savings',
  '"budget savings"',
  '"the budget"',
  '"no overall control"',
  '"in no overall control"',
  'sector-led',
  'sector led',
  '"sector led"',
  'sectorled',
  'state-of-the-art',
  '"state of the art"',
  'co-operation',
  'cooperation',
  'stoke-on-trent',
  'organization behavior',
  'organiz* behav*',
  'program* centr*',
  'ynys mon',
  'môn',
  'aero strasse cafe',
  'oneill darcy',
  'council’s',
  'budg*',
  'bu*',
  'sav* -budget',
  'budget -"budget savings"',
  '"budget savings" agreed',
  'leader -council',
  'peer challenge -"peer challenge"',
  'verylongword*',
  'aaaaaaaa*',
  '123 4500',
  '2019',
  'emoji',
  'the',
  'the and of',
  'zzzzqqq',
  'budgt',
  'a "the the" budget',
  'x',
  '"council the"',
  'in-house',
  '"in house"',
]

/** Queries drawn from the texts, seeded: words as written, prefixes, phrases, exclusions. */
function drawnQueries(stories: readonly Story[], count: number, seed: number): string[] {
  const rand = mulberry32(seed)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T
  const queries: string[] = []
  while (queries.length < count) {
    const story = pick(stories)
    const text = pick([story.bodyText, story.summary, story.title, ...story.impacts])
    const words = rawWords(text)
    if (words.length === 0) continue
    const at = Math.floor(rand() * words.length)
    const word = words[at] as string
    const next = words.slice(at, at + 2 + Math.floor(rand() * 3))
    const other = pick(rawWords(pick(stories).bodyText)) ?? 'council'
    switch (queries.length % 6) {
      case 0:
        queries.push(word)
        break
      case 1:
        queries.push(`${word.toLowerCase().slice(0, 2 + Math.floor(rand() * 5))}*`)
        break
      case 2:
        queries.push(`"${next.join(' ')}"`)
        break
      case 3:
        queries.push(`${word} ${other}`)
        break
      case 4:
        queries.push(`${word} -${other}`)
        break
      default:
        queries.push(`${other.slice(0, 3)}* "${next.join(' ')}" ${word}`)
    }
  }
  return queries
}

let generatedDir: string
const corpora: Corpus[] = []

beforeAll(async () => {
  generatedDir = mkdtempSync(join(tmpdir(), 'snippet-index-'))
  writeCorpus(generatedDir, { count: 120, seed: 20_240_601 })
  for (const [name, contentDir] of [
    ['bundled content', fromRoot('content')],
    ['fixture content', fromRoot('test', 'fixtures', 'content')],
    ['the bench generator, 120 stories', generatedDir],
  ] as const) {
    const { library } = await loadSiteContent({ contentDir, dev: false, cacheDir: undefined })
    corpora.push({ name, stories: [...library.stories], themes: [...library.themes] })
  }
  const zipf = generateStories(80, 7)
  corpora.push({ name: 'Zipf corpus, 80 stories', ...zipf })
  corpora.push({ name: 'awkward texts', stories: AWKWARD, themes: THEMES })
})

afterAll(() => rmSync(generatedDir, { recursive: true, force: true }))

/** Hits compared per query: the top of the first page (the comparison costs ~1 ms each). */
const HITS_COMPARED = 8

interface Tally {
  compared: number
  marked: number
}

/**
 * For each query, the first stories and quotes it shows (up to 8 of each) and a few it does not:
 * snippet (at several lengths), title and quote text, stored tokens against the frozen copy.
 */
function compare(
  corpus: Corpus,
  engine: SearchEngine,
  index: SnippetIndex,
  queries: readonly string[],
  seed: number,
): Tally {
  const rand = mulberry32(seed)
  const bySlug = new Map(corpus.stories.map((s) => [s.slug, s]))
  const quotes = corpus.stories.flatMap((s) => s.quotes)
  const storyOf = (quote: Quote) => bySlug.get(quote.storySlug) as Story
  const quoteOf = (slug: string, id: string): Quote | undefined =>
    bySlug.get(slug)?.quotes.find((q) => q.id === id)
  const tally: Tally = { compared: 0, marked: 0 }
  const check = (what: string, ours: string, theirs: string) => {
    tally.compared++
    if (theirs.includes('<mark>')) tally.marked++
    if (ours !== theirs) expect(ours, what).toBe(theirs)
  }
  for (const q of queries) {
    const outcome = engine.search(q)
    const highlighter = index.forQuery(outcome.highlight)
    const stories = outcome.storyHits
      .slice(0, HITS_COMPARED)
      .map((h) => bySlug.get(h.storySlug) as Story)
    const shownQuotes = outcome.quoteHits
      .slice(0, HITS_COMPARED)
      .map((h) => quoteOf(h.storySlug, h.quoteId) as Quote)
    for (let i = 0; i < 3; i++) {
      if (corpus.stories.length > 0)
        stories.push(corpus.stories[Math.floor(rand() * corpus.stories.length)] as Story)
      if (quotes.length > 0) shownQuotes.push(quotes[Math.floor(rand() * quotes.length)] as Quote)
    }
    for (const story of stories) {
      const where = `${corpus.name}: ${JSON.stringify(q)} on ${story.slug}`
      const maxChars = [240, 240, 60, 500, 10][Math.floor(rand() * 5)] as number
      check(
        `${where}, snippet of ${maxChars}`,
        highlighter.storySnippet(story, maxChars),
        before.storySnippet(story, outcome, maxChars),
      )
      check(
        `${where}, title`,
        highlighter.storyTitle(story),
        before.highlightText(story.title, outcome),
      )
    }
    for (const quote of shownQuotes) {
      check(
        `${corpus.name}: ${JSON.stringify(q)} on quote ${quote.storySlug}#${quote.id}`,
        highlighter.quote(storyOf(quote), quote),
        before.highlightQuote(quote.text, outcome),
      )
    }
  }
  return tally
}

describe('SnippetIndex', () => {
  it('highlights as tokenising every time did, on every corpus and query', () => {
    const total: Tally = { compared: 0, marked: 0 }
    // Every corpus gets the hand-written queries, a quarter of the bench's 200 (a different
    // quarter each, so the five corpora cover all of them) and queries drawn from its own texts,
    // seeded. About 14,000 outputs: seconds of work where the full cross product (67,000) took
    // 18 s of a 20 s limit on a busy machine. The budget below leaves room for a busier one.
    const bench = benchQueries()
    corpora.forEach((corpus, n) => {
      const engine = buildSearchEngine(corpus.stories, corpus.themes)
      const index = new SnippetIndex()
      const queries = [
        ...HAND_WRITTEN,
        ...bench.filter((_, i) => i % 4 === n % 4),
        ...drawnQueries(corpus.stories, corpus.stories.length < 10 ? 40 : 80, 100 + n),
      ]
      const tally = compare(corpus, engine, index, queries, 200 + n)
      total.compared += tally.compared
      total.marked += tally.marked
    })
    // The comparison is worth something only if much of what it compared had matches to mark
    // (14,055 outputs, 41% with marks: titles and the unmatched stories mostly have none).
    expect(total.compared).toBeGreaterThan(12_000)
    expect(total.marked / total.compared).toBeGreaterThan(0.35)
  }, 60_000)

  it('gives the same output whichever order stories are first shown in', () => {
    const corpus = corpora.find((c) => c.name.startsWith('Zipf')) as Corpus
    const engine = buildSearchEngine(corpus.stories, corpus.themes)
    const queries = drawnQueries(corpus.stories, 60, 5)
    const forwards = new SnippetIndex()
    const backwards = new SnippetIndex()
    for (const story of [...corpus.stories].reverse()) backwards.storyTexts(story)
    for (const q of queries) {
      const outcome = engine.search(q)
      const a = forwards.forQuery(outcome.highlight)
      const b = backwards.forQuery(outcome.highlight)
      for (const story of corpus.stories.slice(0, 30)) {
        expect(a.storySnippet(story)).toBe(b.storySnippet(story))
      }
    }
  })

  it('follows a story whose text was changed in place, instead of the stored tokens', () => {
    const story = makeStory({ slug: 'changing', bodyText: 'The budget was set.' })
    const engine = buildSearchEngine([story], THEMES)
    const index = new SnippetIndex()
    const outcome = engine.search('budget')
    expect(index.forQuery(outcome.highlight).storySnippet(story)).toBe(
      'The <mark>budget</mark> was set.',
    )
    story.bodyText = 'At last, after a long wait, the budget was set.'
    story.title = 'Budget day'
    expect(index.forQuery(outcome.highlight).storySnippet(story)).toBe(
      before.storySnippet(story, outcome, 240),
    )
    expect(index.forQuery(outcome.highlight).storyTitle(story)).toBe('<mark>Budget</mark> day')
  })
})

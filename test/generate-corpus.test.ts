import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import {
  THEME_SLUGS,
  countWords,
  generateCorpus,
  themesYaml,
  writeCorpus,
} from '../scripts/generate-corpus.js'
import { SLUG_PATTERN, storyFrontmatterSchema, themesFileSchema } from '../src/content/schema.js'
import {
  CHALLENGE_TYPES,
  COUNCIL_TYPES,
  POLITICAL_CONTROLS,
  REGIONS,
} from '../src/content/vocabulary.js'

const EXPECTED_THEMES = [
  'vision-and-place',
  'political-leadership',
  'governance-and-culture',
  'financial-sustainability',
  'commercial-approach',
  'transformation',
  'capacity-and-senior-team',
  'outward-focus-and-partnership',
  'learning-culture',
  'recovery-from-difficulty',
  'peer-challenge-process',
  'service-improvement',
]

/** Splits a generated file into its parsed frontmatter (YAML 1.2 core schema) and its body. */
function split(text: string): { data: unknown; body: string } {
  expect(text.startsWith('---\n')).toBe(true)
  const end = text.indexOf('\n---\n', 3)
  expect(end).toBeGreaterThan(0)
  return { data: parse(text.slice(4, end + 1)), body: text.slice(end + 5) }
}

const schema = storyFrontmatterSchema(2026)
const corpus = generateCorpus({ count: 200, seed: 42 })
const parsed = corpus.map((story) => {
  const { data, body } = split(story.text)
  return { story, data, body, result: schema.safeParse(data) }
})

describe('generateCorpus', () => {
  it('is deterministic for a seed and count', () => {
    const again = generateCorpus({ count: 200, seed: 42 })
    expect(again).toEqual(corpus)
  })

  it('gives different output for a different seed', () => {
    const other = generateCorpus({ count: 200, seed: 43 })
    expect(other.map((s) => s.text)).not.toEqual(corpus.map((s) => s.text))
    expect(other.map((s) => s.fileName)).not.toEqual(corpus.map((s) => s.fileName))
  })

  it('generates the requested number of stories', () => {
    expect(corpus).toHaveLength(200)
    expect(generateCorpus({ count: 0, seed: 1 })).toEqual([])
    expect(generateCorpus({ count: 1, seed: 1 })).toHaveLength(1)
  })

  it('writes frontmatter that passes the content schema', () => {
    const failures = parsed
      .filter((p) => !p.result.success)
      .map((p) => `${p.story.fileName}: ${p.result.error?.message ?? ''}`)
    expect(failures).toEqual([])
  })

  it('keeps narratives between 300 and 1,500 words, with headings', () => {
    for (const { story, body } of parsed) {
      const words = countWords(body)
      expect(words).toBe(story.wordCount)
      expect(words).toBeGreaterThanOrEqual(300)
      expect(words).toBeLessThanOrEqual(1500)
      expect(body).toMatch(/^## \S/m)
      expect(body).not.toMatch(/\{\w+\}/) // no unfilled template slots
    }
  })

  it('has 4–12 quotes of 20–400 characters, with unique kebab-case ids', () => {
    for (const { story, result } of parsed) {
      if (!result.success) continue
      const { quotes } = result.data
      expect(quotes.length).toBe(story.quoteCount)
      expect(quotes.length).toBeGreaterThanOrEqual(4)
      expect(quotes.length).toBeLessThanOrEqual(12)
      expect(new Set(quotes.map((q) => q.id)).size).toBe(quotes.length)
      for (const quote of quotes) {
        expect(quote.id).toMatch(/^[a-z]+(?:-[a-z]+)*-\d+$/)
        expect(quote.id.startsWith(quote.speaker)).toBe(true)
        expect(quote.text.length).toBeGreaterThanOrEqual(20)
        expect(quote.text.length).toBeLessThanOrEqual(400)
      }
    }
  })

  it('has 1–5 known themes, 3–8 impacts, dates in range and no drafts', () => {
    for (const { result } of parsed) {
      if (!result.success) continue
      const story = result.data
      expect(story.themes.length).toBeGreaterThanOrEqual(1)
      expect(story.themes.length).toBeLessThanOrEqual(5)
      for (const theme of story.themes) expect(THEME_SLUGS).toContain(theme)
      for (const quote of story.quotes) {
        if (quote.theme !== undefined) expect(story.themes).toContain(quote.theme)
      }
      expect(story.impacts.length).toBeGreaterThanOrEqual(3)
      expect(story.impacts.length).toBeLessThanOrEqual(8)
      expect(story.published >= '2018-01-01' && story.published <= '2026-06-30').toBe(true)
      if (story.updated !== undefined) expect(story.updated <= '2026-06-30').toBe(true)
      expect(story.challenge.year).toBeGreaterThanOrEqual(2011)
      expect(story.challenge.year).toBeLessThanOrEqual(2025)
      expect(story.draft).toBeUndefined()
    }
  })

  it('has unique slugs and aliases that match the slug pattern', () => {
    const slugs = corpus.map((s) => s.fileName.replace(/\.md$/, ''))
    const aliases = parsed.flatMap((p) => (p.result.success ? (p.result.data.aliases ?? []) : []))
    for (const slug of [...slugs, ...aliases]) expect(slug).toMatch(SLUG_PATTERN)
    expect(new Set([...slugs, ...aliases]).size).toBe(slugs.length + aliases.length)
  })

  it('covers every vocabulary value and reuses some councils', () => {
    const ok = parsed.flatMap((p) => (p.result.success ? [p.result.data] : []))
    const values = (f: (s: (typeof ok)[number]) => string | undefined) => new Set(ok.map(f))
    expect(values((s) => s.councilType)).toEqual(new Set(Object.keys(COUNCIL_TYPES)))
    expect(values((s) => s.region)).toEqual(new Set(Object.keys(REGIONS)))
    expect(values((s) => s.challenge.type)).toEqual(new Set(Object.keys(CHALLENGE_TYPES)))
    const controls = values((s) => s.politicalControl)
    for (const control of Object.keys(POLITICAL_CONTROLS)) expect(controls).toContain(control)
    const years = values((s) => String(s.challenge.year))
    expect(years.size).toBe(15)

    const perCouncil = new Map<string, number>()
    for (const s of ok) perCouncil.set(s.council, (perCouncil.get(s.council) ?? 0) + 1)
    expect(Math.max(...perCouncil.values())).toBeGreaterThanOrEqual(3)
    expect(perCouncil.size).toBeGreaterThan(40)
    for (const s of ok) {
      if (s.councilType === 'london-borough') expect(s.region).toBe('london')
    }
    expect(ok.some((s) => s.updated !== undefined)).toBe(true)
  })

  it('uses a varied, Zipf-like vocabulary with the expected phrases', () => {
    const all = parsed.map((p) => p.body).join('\n')
    const counts = new Map<string, number>()
    for (const word of all.toLowerCase().match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu) ?? []) {
      counts.set(word, (counts.get(word) ?? 0) + 1)
    }
    expect(counts.size).toBeGreaterThan(500)
    const sorted = [...counts.values()].sort((a, b) => b - a)
    // A long tail: the top word is far more common than the hundredth, which beats the 500th.
    expect(sorted[0]).toBeGreaterThan(10 * (sorted[99] ?? 0))
    expect(sorted[99]).toBeGreaterThan(sorted[499] ?? 0)
    for (const phrase of ['no overall control', 'sector-led improvement', 'the peers told us']) {
      expect(all.toLowerCase()).toContain(phrase)
    }
    expect([...counts.keys()].some((w) => w.includes('-'))).toBe(true)
    expect([...counts.keys()].some((w) => /[^\p{ASCII}]/u.test(w))).toBe(true)
  })
})

describe('the heavy profile', () => {
  const heavy = generateCorpus({ count: 100, seed: 42, profile: 'heavy' })

  it('gives about 1,400 words of narrative and 8 quotes a story, valid against the schema', () => {
    for (const story of heavy) {
      const { data, body } = split(story.text)
      const result = schema.safeParse(data)
      expect(result.success).toBe(true)
      expect(story.quoteCount).toBe(8)
      if (result.success) expect(result.data.quotes).toHaveLength(8)
      expect(countWords(body)).toBe(story.wordCount)
      expect(story.wordCount).toBeGreaterThanOrEqual(1300)
      expect(story.wordCount).toBeLessThanOrEqual(1600)
    }
    const mean = heavy.reduce((n, s) => n + s.wordCount, 0) / heavy.length
    expect(mean).toBeGreaterThan(1350)
    expect(mean).toBeLessThan(1450)
  })

  it('standard is the default profile; heavy is deterministic too', () => {
    expect(generateCorpus({ count: 200, seed: 42, profile: 'standard' })).toEqual(corpus)
    expect(generateCorpus({ count: 100, seed: 42, profile: 'heavy' })).toEqual(heavy)
    const mean = corpus.reduce((n, s) => n + s.wordCount, 0) / corpus.length
    expect(mean).toBeLessThan(1000)
  })
})

describe('themes', () => {
  it('lists the twelve bundled theme slugs, valid against the schema', () => {
    const themes = themesFileSchema.parse(parse(themesYaml))
    expect(themes.map((t) => t.slug)).toEqual(EXPECTED_THEMES)
    expect(THEME_SLUGS).toEqual(EXPECTED_THEMES)
  })
})

describe('writeCorpus', () => {
  const dirs: string[] = []
  const tempDir = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'corpus-test-'))
    dirs.push(dir)
    return dir
  }
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
  })

  it('writes stories/ and themes.yml', () => {
    const out = tempDir()
    const totals = writeCorpus(out, { count: 5, seed: 7 })
    expect(totals.files).toBe(5)
    expect(readdirSync(path.join(out, 'stories'))).toHaveLength(5)
    expect(readFileSync(path.join(out, 'themes.yml'), 'utf8')).toBe(themesYaml)
  })

  it('refuses a non-empty folder without force, and with force clears only stories and themes', () => {
    const out = tempDir()
    writeCorpus(out, { count: 5, seed: 7 })
    writeFileSync(path.join(out, 'keep.txt'), 'mine')
    writeFileSync(path.join(out, 'stories', 'notes.txt'), 'mine too')
    expect(() => writeCorpus(out, { count: 3, seed: 8 })).toThrow(/--force/)
    writeCorpus(out, { count: 3, seed: 8, force: true })
    const md = readdirSync(path.join(out, 'stories')).filter((f) => f.endsWith('.md'))
    expect(md.sort()).toEqual(
      generateCorpus({ count: 3, seed: 8 })
        .map((s) => s.fileName)
        .sort(),
    )
    expect(readFileSync(path.join(out, 'keep.txt'), 'utf8')).toBe('mine')
    expect(readFileSync(path.join(out, 'stories', 'notes.txt'), 'utf8')).toBe('mine too')
  })

  it('accepts an empty existing folder without force', () => {
    const out = tempDir()
    expect(writeCorpus(out, { count: 2, seed: 1 }).files).toBe(2)
    const fresh = path.join(tempDir(), 'not-yet-made')
    expect(writeCorpus(fresh, { count: 2, seed: 1 }).files).toBe(2)
  })
})

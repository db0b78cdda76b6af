import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import matter from 'gray-matter'
import { afterAll, describe, expect, it } from 'vitest'
import { SCRIPT_ENGINES } from '../../src/content/frontmatter.js'
import { loadContent } from '../../src/content/load.js'
import { ContentValidationError, formatProblem } from '../../src/content/problems.js'
import { synonymTermProblem } from '../../src/search/index.js'
import { FIXTURE_CONTENT } from '../helpers/app.js'

/**
 * Content faults: each bad file is refused with the file, line, field and message an editor
 * sees, exactly (`content/stories/x.md:<line>: <field>: <message>`; whole-file problems have
 * no line). Every case runs loadContent on a temporary content folder; none may hang or crash.
 */

const roots: string[] = []
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true })
})

const THEMES = readFileSync(path.join(FIXTURE_CONTENT, 'themes.yml'), 'utf8')
const NOW = new Date('2026-06-01T00:00:00Z')

/** A valid story; the line numbers matter to the expectations below. */
const GOOD = [
  '---', //                                                                        1
  'title: Ashcombe Vale finds its vision', //                                      2
  'council: Ashcombe Vale District Council', //                                    3
  'councilType: district', //                                                      4
  'region: south-west', //                                                         5
  'challenge:', //                                                                 6
  '  type: corporate', //                                                          7
  '  year: 2016', //                                                               8
  'themes:', //                                                                    9
  '  - vision-and-place', //                                                      10
  'summary: A hung council agreed a shared vision for its place after a peer challenge.', // 11
  'impacts:', //                                                                  12
  '  - A shared vision agreed by all three groups', //                            13
  'quotes:', //                                                                   14
  '  - id: leader-vision', //                                                     15
  '    speaker: leader', //                                                       16
  '    text: The peers told us we had plans but no vision at all.', //            17
  'published: 2019-03-05', //                                                     18
  '---', //                                                                       19
  'Narrative.', //                                                                20
  '',
].join('\n')

/** GOOD with one piece replaced; fails loudly if the piece is not there. */
function edit(from: string, to: string, source = GOOD): string {
  if (!source.includes(from)) throw new Error(`test bug: "${from}" not in the story`)
  return source.replace(from, to)
}

type Files = Record<string, string | Buffer>

/**
 * Writes content/themes.yml, content/synonyms.yml (if given) and content/stories/<files>, loads
 * it, returns the problems.
 */
async function problemsOf(
  stories: Files,
  themes: string | Buffer = THEMES,
  synonyms?: string | Buffer,
): Promise<string[]> {
  const root = mkdtempSync(path.join(tmpdir(), 'content-faults-'))
  roots.push(root)
  const dir = path.join(root, 'content')
  mkdirSync(path.join(dir, 'stories'), { recursive: true })
  writeFileSync(path.join(dir, 'themes.yml'), themes)
  if (synonyms !== undefined) writeFileSync(path.join(dir, 'synonyms.yml'), synonyms)
  for (const [name, source] of Object.entries(stories)) {
    writeFileSync(path.join(dir, 'stories', name), source)
  }
  try {
    // Synonym terms checked against the search, as the site and `npm run validate` load it.
    await loadContent({
      contentDir: dir,
      includeDrafts: true,
      displayRoot: root,
      now: NOW,
      synonymTermProblem,
    })
  } catch (error) {
    if (error instanceof ContentValidationError) return error.problems.map(formatProblem)
    throw error
  }
  return []
}

const X = 'content/stories/x.md'
const deepList = Array.from({ length: 100 }, (_, i) => `${'  '.repeat(i)}- x`).join('\n')
const aliasBomb = [
  'a: &a ["x","x","x","x","x","x","x","x","x"]',
  'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
  'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
  'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
  'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
  'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
  'g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]',
  'h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]',
  'i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]',
  'title: Ashcombe Vale finds its vision',
].join('\n')
const fiveMb = GOOD + 'word '.repeat(1024 * 1024)
const blockNest = Array.from({ length: 500 }, (_, i) => `${' '.repeat(i + 1)}-`).join('\n')

const CASES: [name: string, source: string | Buffer, expected: string[]][] = [
  [
    'JavaScript front matter (---js)',
    edit('---\ntitle', '---js\ntitle'),
    [
      `${X}:1: (frontmatter): front matter must be YAML opened by a line of exactly "---" (found "---js"); JavaScript and other engines are not allowed`,
    ],
  ],
  [
    'JavaScript front matter (--- js)',
    edit('---\ntitle', '--- js\ntitle'),
    [
      `${X}:1: (frontmatter): front matter must be YAML opened by a line of exactly "---" (found "--- js"); JavaScript and other engines are not allowed`,
    ],
  ],
  [
    'invalid YAML: an unclosed quote',
    edit('title: Ashcombe', 'title: "Ashcombe'),
    [`${X}:2: (frontmatter): a quoted value has no closing quote mark`],
  ],
  [
    'invalid YAML: a mapping inside a value',
    edit('council: Ashcombe Vale District Council', 'council: Ashcombe: Vale'),
    [`${X}:3: (frontmatter): invalid YAML: Nested mappings are not allowed in compact mappings`],
  ],
  [
    'invalid YAML: a tab for indentation',
    edit('  type: corporate', '\ttype: corporate'),
    [`${X}:7: (frontmatter): indent with spaces, not tabs`],
  ],
  [
    'unclosed front matter',
    edit('---\nNarrative.', 'Narrative.'),
    [`${X}:1: (frontmatter): front matter is not closed: add a "---" line after it`],
  ],
  [
    'no front matter',
    'Just a narrative.\n',
    [`${X}:1: (frontmatter): file must start with a "---" line opening the YAML front matter`],
  ],
  [
    'a duplicate key',
    edit('region: south-west', 'region: south-west\nregion: london'),
    [`${X}:6: region: is given twice; keep one`],
  ],
  [
    'front matter that is not a set of fields',
    '---\n- a list\n---\nNarrative.\n',
    [`${X}:2: (frontmatter): front matter must be a set of "field: value" lines`],
  ],
  ['a list where text belongs', edit('title: Ashcombe Vale finds its vision', 'title: [a]'), [`${X}:2: title: must be text`]],
  [
    'an impossible date (YAML would read it as 14 February 2018)',
    edit('published: 2019-03-05', 'published: 2017-13-45'),
    [`${X}:18: published: is not a real date`],
  ],
  [
    'a date in another format',
    edit('published: 2019-03-05', 'published: 5/3/2019'),
    [`${X}:18: published: must be a date written as YYYY-MM-DD`],
  ],
  [
    'a year with a leading zero (YAML would read 0123 as 123, or 83)',
    edit('year: 2016', 'year: 0123'),
    [`${X}:8: challenge.year: must be a year written as four digits, e.g. 2017 (found "0123")`],
  ],
  [
    'a year written as a decimal',
    edit('year: 2016', 'year: 2016.0'),
    [`${X}:8: challenge.year: must be a year written as four digits, e.g. 2017 (found "2016.0")`],
  ],
  [
    'a year in quotes',
    edit('year: 2016', 'year: "2016"'),
    [`${X}:8: challenge.year: must be a year, e.g. 2017`],
  ],
  ['a year in the future', edit('year: 2016', 'year: 2027'), [`${X}:8: challenge.year: must not be after 2026`]],
  [
    'a missing required field',
    edit('summary: A hung council agreed a shared vision for its place after a peer challenge.\n', ''),
    [`${X}:2: summary: is required`],
  ],
  [
    'a missing required field in a quote',
    edit('    speaker: leader\n', ''),
    [`${X}:15: quotes[0].speaker: is required`],
  ],
  [
    'an unknown field (a typo)',
    edit('summary:', 'summery:'),
    [
      `${X}:2: summary: is required`,
      `${X}:11: summery: unknown field; did you mean "summary"? (see docs/content-guide.md)`,
    ],
  ],
  [
    'an unknown field in a quote',
    edit('    speaker: leader', '    speaker: leader\n    role: leader'),
    [`${X}:17: quotes[0].role: unknown field (check the spelling; see docs/content-guide.md)`],
  ],
  [
    'a value outside the vocabulary',
    edit('region: south-west', 'region: wessex'),
    [
      `${X}:5: region: must be one of: north-east, north-west, yorkshire-and-the-humber, east-midlands, west-midlands, east-of-england, london, south-east, south-west`,
    ],
  ],
  [
    'an unknown theme',
    edit('  - vision-and-place', '  - vision-and-plaice'),
    [`${X}:10: themes[0]: unknown theme "vision-and-plaice" (themes are defined in themes.yml)`],
  ],
  [
    'an unknown theme on a quote',
    edit('    speaker: leader', '    speaker: leader\n    theme: nope'),
    [`${X}:17: quotes[0].theme: unknown theme "nope" (themes are defined in themes.yml)`],
  ],
  [
    'duplicate quote ids',
    edit(
      'published:',
      '  - id: leader-vision\n    speaker: peer\n    text: Another quote that is long enough.\npublished:',
    ),
    [`${X}:18: quotes[1].id: duplicate quote id "leader-vision" (ids must be unique in a story)`],
  ],
  [
    'a bad quote id',
    edit('id: leader-vision', 'id: Leader Vision'),
    [`${X}:15: quotes[0].id: must be lower-case letters, digits and single hyphens (a quote id)`],
  ],
  [
    "an alias equal to the story's own slug",
    edit('published:', 'aliases:\n  - x\npublished:'),
    [`${X}:19: aliases[0]: "x" is this story's own slug`],
  ],
  [
    'updated before published',
    edit('published: 2019-03-05', 'published: 2019-03-05\nupdated: 2018-01-01'),
    [`${X}:19: updated: must not be before published`],
  ],
  [
    'a report link that is not https',
    edit('published:', 'reportUrl: javascript:alert(1)\npublished:'),
    [`${X}:18: reportUrl: must be an https:// URL`],
  ],
  ['an empty file', '', [`${X}: (file): file is empty`]],
  [
    'UTF-16 with a byte order mark',
    Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(GOOD, 'utf16le')]),
    [`${X}: (file): file is UTF-16; save it as UTF-8`],
  ],
  [
    'UTF-16 without a byte order mark',
    Buffer.from(GOOD, 'utf16le'),
    [`${X}:1: (file): file contains NUL bytes, so it is not UTF-8 text (UTF-16 perhaps); save it as UTF-8`],
  ],
  [
    'invalid UTF-8 bytes (Latin-1 é)',
    Buffer.concat([Buffer.from(edit('Narrative.\n', 'Caf')), Buffer.from([0xe9]), Buffer.from(' open.\n')]),
    [`${X}:20: (file): file is not valid UTF-8; save it as UTF-8`],
  ],
  [
    'a 5 MB file',
    fiveMb,
    [`${X}: (file): file is ${Buffer.byteLength(fiveMb)} bytes; the limit is 1048576 bytes (1 MB)`],
  ],
  [
    'a YAML alias bomb (billion laughs)',
    edit('title: Ashcombe Vale finds its vision', aliasBomb),
    [`${X}:3: (frontmatter): YAML aliases (*name) expand too far (over 50); write the values out instead`],
  ],
  [
    'YAML nested 20,000 brackets deep',
    edit('title: Ashcombe Vale finds its vision', `title: ${'['.repeat(20_000)}${']'.repeat(20_000)}`),
    [`${X}:2: (frontmatter): front matter is nested 20001 levels deep; the limit is 20 (check the indentation and the brackets)`],
  ],
  [
    'YAML nested 500 levels deep by indentation',
    edit('title: Ashcombe Vale finds its vision', `title:\n${blockNest}`),
    [`${X}:22: (frontmatter): front matter is nested 21 levels deep; the limit is 20 (check the indentation and the brackets)`],
  ],
  [
    'Markdown quotes nested 3,000 deep',
    edit('Narrative.', `${'>'.repeat(3000)} deep`),
    [`${X}:20: (body): Markdown is nested 3000 levels deep; the limit is 40`],
  ],
  [
    'a Markdown list nested 100 deep',
    edit('Narrative.', deepList),
    [`${X}:60: (body): Markdown is nested 41 levels deep; the limit is 40`],
  ],
  [
    'thousands of emphasis marks in one paragraph (quadratic in marked)',
    edit('Narrative.', 'Intro.\n\n' + '*_a'.repeat(1000)),
    [`${X}:22: (body): this paragraph has 2000 of the characters * _ ~; the limit is 200 (is some bold or italic formatting broken?)`],
  ],
  [
    'a narrative of 150,000 characters',
    edit('Narrative.', 'x'.repeat(150_000)),
    [`${X}:20: (body): the narrative is 150,001 characters long; the limit is 100,000`],
  ],
  [
    'no narrative',
    edit('Narrative.\n', ''),
    [`${X}:20: (body): the narrative is missing: write it below the closing --- line`],
  ],
]

describe('a bad story file is refused with its file, line, field and message', () => {
  it('covers every case the issue lists', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(35)
  })

  it.each(CASES)('%s', async (_name, source, expected) => {
    expect(await problemsOf({ 'x.md': source })).toEqual(expected)
  })

  it.each([
    ['Bad_Name.md', 'content/stories/Bad_Name.md'],
    ['double--hyphen.md', 'content/stories/double--hyphen.md'],
  ])('a bad file name: %s', async (name, shown) => {
    expect(await problemsOf({ [name]: GOOD })).toEqual([
      `${shown}: (file name): the file name is the slug: use lower-case letters, digits and single hyphens, ending .md`,
    ])
  })

  it('a file that is not Markdown', async () => {
    expect(await problemsOf({ 'x.md': GOOD, 'notes.txt': 'hello' })).toEqual([
      'content/stories/notes.txt: (file): only .md files belong in the stories folder',
    ])
  })
})

describe('front matter is never run as JavaScript', () => {
  const g = globalThis as Record<string, unknown>

  it.each(['js', 'javascript', 'JavaScript', 'JS'])('---%s is refused and not run', async (engine) => {
    const marker = path.join(mkdtempSync(path.join(tmpdir(), 'pwned-')), 'pwned.txt')
    roots.push(path.dirname(marker))
    // If this ran, it would set a global and write a file.
    const payload = `{ title: (globalThis.__pwned = true, require("fs").writeFileSync(${JSON.stringify(marker)}, "x"), "t") }`
    const problems = await problemsOf({ 'x.md': `---${engine}\n${payload}\n---\nNarrative.\n` })
    expect(problems).toEqual([
      `${X}:1: (frontmatter): front matter must be YAML opened by a line of exactly "---" (found "---${engine}"); JavaScript and other engines are not allowed`,
    ])
    expect(g.__pwned).toBeUndefined()
    expect(existsSync(marker)).toBe(false)
  })

  it('second line of defence: gray-matter with our engines refuses both names', () => {
    // Without the override, gray-matter evaluates the block (this is the trap).
    const unsafe = matter('---javascript\n{ title: (globalThis.__grayMatterRan = "yes") }\n---\n', {})
    expect(unsafe.data).toEqual({ title: 'yes' })
    expect(g.__grayMatterRan).toBe('yes')
    delete g.__grayMatterRan

    for (const engine of ['js', 'javascript']) {
      expect(() =>
        matter(`---${engine}\n{ title: (globalThis.__grayMatterRan = "${engine}") }\n---\nx`, {
          language: 'yaml',
          engines: SCRIPT_ENGINES,
        }),
      ).toThrow(/JavaScript front matter is not allowed/)
    }
    expect(g.__grayMatterRan).toBeUndefined()
  })
})

describe('problems across files', () => {
  it('an alias that is another story’s slug (a duplicate address)', async () => {
    const a = edit('published:', 'aliases:\n  - b\npublished:')
    expect(await problemsOf({ 'a.md': a, 'b.md': GOOD })).toEqual([
      'content/stories/a.md:19: aliases[0]: "b" is already used by content/stories/b.md',
    ])
  })

  it('the same alias on two stories', async () => {
    const withAlias = edit('published:', 'aliases:\n  - old-name\npublished:')
    expect(await problemsOf({ 'a.md': withAlias, 'b.md': withAlias })).toEqual([
      'content/stories/b.md:19: aliases[0]: "old-name" is already used by content/stories/a.md',
    ])
  })

  it('reports ALL problems of ALL files in one pass, themes included', async () => {
    const themes = `${THEMES}- slug: transformation\n  title: Again\n  description: A duplicate theme slug.\n`
    const problems = await problemsOf(
      {
        'a.md': edit('summary:', 'summery:'),
        'b.md': '',
        'c.md': edit('---\ntitle', '---javascript\ntitle'),
        'd.md': edit('published: 2019-03-05', 'published: 2017-13-45'),
        'Bad.md': GOOD,
        'e.md': GOOD,
        'f.md': edit('Narrative.', `${'>'.repeat(100)} deep`),
      },
      themes,
    )
    expect(problems).toEqual([
      'content/themes.yml:13: [4].slug: duplicate theme slug "transformation"',
      'content/stories/Bad.md: (file name): the file name is the slug: use lower-case letters, digits and single hyphens, ending .md',
      'content/stories/a.md:2: summary: is required',
      'content/stories/a.md:11: summery: unknown field; did you mean "summary"? (see docs/content-guide.md)',
      'content/stories/b.md: (file): file is empty',
      'content/stories/c.md:1: (frontmatter): front matter must be YAML opened by a line of exactly "---" (found "---javascript"); JavaScript and other engines are not allowed',
      'content/stories/d.md:18: published: is not a real date',
      'content/stories/f.md:20: (body): Markdown is nested 100 levels deep; the limit is 40',
    ])
  })

  it.each([
    [
      'a YAML alias bomb',
      aliasBomb.replace('\ntitle: Ashcombe Vale finds its vision', ''),
      'content/themes.yml: (file): YAML aliases (*name) expand too far (over 50); write the values out instead',
    ],
    [
      'deep nesting',
      `${'['.repeat(5000)}${']'.repeat(5000)}`,
      'content/themes.yml:1: (file): nested 5001 levels deep; the limit is 20 (check the indentation and the brackets)',
    ],
    [
      'invalid YAML',
      '- slug: a\n  title: "unclosed\n',
      'content/themes.yml:2: (file): a quoted value has no closing quote mark',
    ],
    [
      'a duplicate key',
      '- slug: a\n  slug: b\n',
      'content/themes.yml:2: slug: is given twice; keep one',
    ],
    ['invalid UTF-8', Buffer.from([0x2d, 0x20, 0xff]), 'content/themes.yml:1: (file): file is not valid UTF-8; save it as UTF-8'],
  ])('themes.yml with %s is refused', async (_name, themes, expected) => {
    // The stories are then checked against no themes, so only the themes problem is reported.
    expect(await problemsOf({ 'x.md': GOOD }, themes)).toEqual([expected])
  })
})

describe('synonyms.yml', () => {
  const S = 'content/synonyms.yml'
  it.each([
    ['a group of one term', '- [NOC]\n', [`${S}:1: [0]: must list at least two terms that mean the same`]],
    [
      'a character search would not keep',
      '# comment\n- [NOC, no overall control]\n- [CE, chief/executive]\n',
      [`${S}:3: [1][1]: may hold only letters, digits, spaces, hyphens and apostrophes`],
    ],
    [
      'a term twice in a group',
      '- [NOC, no overall control]\n- [CE, chief executive, ce]\n',
      [`${S}:2: [1][2]: "ce" is already in this group (as "CE")`],
    ],
    [
      'a term of words search skips',
      '- [NOC, no overall control]\n- [IN, intervention notice]\n- [head of paid service, the, HoPS]\n',
      [
        `${S}:2: [1][0]: "IN" is only words that search skips as too common, so it can never be searched for: leave it out, or write it as part of a longer term`,
        `${S}:3: [2][1]: "the" is only words that search skips as too common, so it can never be searched for: leave it out, or write it as part of a longer term`,
      ],
    ],
    [
      'a bare number',
      '- [s114, 114]\n',
      [`${S}:1: [0][1]: must be text (put a number in quotes, e.g. "114")`],
    ],
    [
      'too many words',
      '- [X, one two three four five six seven eight nine]\n',
      [`${S}:1: [0][1]: must be at most 8 words`],
    ],
    [
      'a group that is not a list',
      '- NOC: no overall control\n',
      [`${S}:1: [0]: must be a list of terms that mean the same, e.g. [NOC, no overall control]`],
    ],
    [
      'a map instead of a list',
      'NOC: no overall control\n',
      [`${S}:1: (file): must be a list of groups, one a line: - [NOC, no overall control]`],
    ],
    ['an unclosed bracket', '- [NOC, no overall control\n', [`${S}:2: (file): invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]`]],
    ['invalid UTF-8', Buffer.from([0x2d, 0x20, 0xff]), [`${S}:1: (file): file is not valid UTF-8; save it as UTF-8`]],
  ])('with %s is refused, at its line', async (_name, synonyms, expected) => {
    expect(await problemsOf({ 'x.md': GOOD }, THEMES, synonyms)).toEqual(expected)
  })

  it('is reported with the stories’ problems, all at once', async () => {
    const problems = await problemsOf(
      { 'x.md': edit('published: 2019-03-05', 'published: 2019-02-30') },
      THEMES,
      '- [NOC]\n',
    )
    expect(problems).toEqual([
      `${S}:1: [0]: must list at least two terms that mean the same`,
      `${X}:18: published: is not a real date`,
    ])
  })

  it('may be missing, empty or only comments', async () => {
    expect(await problemsOf({ 'x.md': GOOD })).toEqual([])
    expect(await problemsOf({ 'x.md': GOOD }, THEMES, '')).toEqual([])
    expect(await problemsOf({ 'x.md': GOOD }, THEMES, '# none yet\n')).toEqual([])
  })

  it('the shipped file is valid', async () => {
    const shipped = readFileSync(path.join(FIXTURE_CONTENT, '../../../content/synonyms.yml'))
    expect(await problemsOf({ 'x.md': GOOD }, THEMES, shipped)).toEqual([])
  })
})

describe('what is fine', () => {
  it('the valid story loads', async () => {
    expect(await problemsOf({ 'x.md': GOOD })).toEqual([])
  })

  it('Windows line endings and a byte order mark are fine', async () => {
    expect(await problemsOf({ 'x.md': `\uFEFF${GOOD.replace(/\n/g, '\r\n')}` })).toEqual([])
  })

  it('emphasis inside a code fence does not count', async () => {
    expect(await problemsOf({ 'x.md': edit('Narrative.', '```\n' + '*'.repeat(1000) + '\n```\n\nText.') })).toEqual([])
  })
})

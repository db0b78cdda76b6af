/**
 * `npx tsx scripts/cms-style-stories.ts [content dir]`: rewrites every story file in the style
 * the editors' CMS writes (src/web/cms/story-style.ts), so that a later edit made in /admin
 * shows in a diff as the edited field's lines only. The values do not change: each file is read
 * with the content loader's own parser, and refused if its frontmatter is not a mapping.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { parseMarkdownFile } from '../src/content/frontmatter.js'
import { fromRoot } from '../src/paths.js'
import { cmsStyleStory } from '../src/web/cms/story-style.js'

const storiesDir = path.join(process.argv[2] ?? fromRoot('content'), 'stories')
let changed = 0
for (const entry of readdirSync(storiesDir)
  .filter((name) => name.endsWith('.md'))
  .sort()) {
  const file = path.join(storiesDir, entry)
  const source = readFileSync(file, 'utf8')
  const { data, body } = parseMarkdownFile(source)
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new Error(`${entry}: the frontmatter is not a mapping`)
  }
  const styled = cmsStyleStory(data as Record<string, unknown>, body)
  if (styled !== source) {
    writeFileSync(file, styled)
    changed++
  }
}
console.log(`${changed} of the stories in ${storiesDir} rewritten in the CMS's style`)

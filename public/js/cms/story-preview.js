// The CMS's preview pane for a story: the story page's own article template
// (views/components/story-article.njk, precompiled at build time by
// scripts/story-article-templates.mjs) run by Nunjucks' slim runtime, which compiles nothing
// (/admin's policy allows no eval), with the server's filters and the server's Markdown
// renderer and sanitiser. Loaded by admin.js as a chunk of its own, the first time a preview
// is shown.
import nunjucks from 'nunjucks/browser/nunjucks-slim.js'
import templates from 'story-article-templates'
import { formatDate } from '../../../src/web/filters/format-date.ts'
import { label } from '../../../src/web/filters/label.ts'
import { storyPreviewContext } from '../../../src/web/cms/story-preview.ts'

const loader = new nunjucks.PrecompiledLoader(templates)
// The slim runtime has no path module to resolve govuk-frontend's relative imports
// ("./template.njk"); the names were compiled resolved the same way.
loader.resolve = (from, to) => new URL(to, `file:///${from}`).pathname.slice(1)

// The options that matter at run time are the server's (src/web/view-environment.ts).
const env = new nunjucks.Environment(loader, { autoescape: true, throwOnUndefined: false })
env.addFilter('formatDate', formatDate)
env.addFilter('label', label)
env.addGlobal('baseUrl', window.location.origin)

/**
 * The story article's HTML for an entry of the CMS.
 * @param {Record<string, unknown>} data the entry's fields
 * @param {string} slug the entry's slug (empty for a story not yet saved)
 * @param {{ slug: string, title: string }[]} themes themes.yml's themes
 * @returns {string}
 */
export function renderStoryPreview(data, slug, themes) {
  return env.render('components/story-article.njk', storyPreviewContext(data, slug, themes))
}

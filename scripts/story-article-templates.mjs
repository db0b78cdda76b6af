// The story page's article (views/components/story-article.njk) and every template it imports,
// precompiled by Nunjucks for the CMS's preview pane (public/js/cms/story-preview.js), which runs
// them with Nunjucks' slim browser runtime: /admin's policy allows no eval, so nothing is
// compiled in the browser. An esbuild plugin hands them to the bundle as the module
// `story-article-templates`: { name: compiled template }, the names as the browser's loader
// asks for them (relative names resolved against the importing template's name).
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import nunjucks from 'nunjucks'

const ENTRY = 'components/story-article.njk'
const MODULE_NAME = 'story-article-templates'

/** The names a template imports, includes or extends, as written. */
function referencedNames(source) {
  return [...source.matchAll(/{%-?\s*(?:from|import|include|extends)\s+["']([^"']+)["']/g)].map(
    (match) => match[1],
  )
}

/** As the browser's loader resolves a relative name (see story-preview.js). */
function resolveName(from, to) {
  return to.startsWith('./') || to.startsWith('../')
    ? path.posix.join(path.posix.dirname(from), to)
    : to
}

/**
 * The compiled templates as the source of an ES module. The environment has the server's
 * compile-time options (src/web/view-environment.ts), so the output is the same.
 */
export function storyArticleTemplatesModule(root) {
  const require = createRequire(path.join(root, 'package.json'))
  const govukViews = path.dirname(
    path.dirname(require.resolve('govuk-frontend/dist/govuk/all.bundle.js')),
  )
  const searchPaths = [path.join(root, 'views'), govukViews]
  const env = new nunjucks.Environment([], {
    autoescape: true,
    trimBlocks: true,
    lstripBlocks: true,
  })
  const compiled = new Map()
  const pending = [ENTRY]
  while (pending.length > 0) {
    const name = pending.pop()
    if (compiled.has(name)) continue
    const file = searchPaths.map((dir) => path.join(dir, name)).find(existsSync)
    if (file === undefined) throw new Error(`${ENTRY} needs ${name}, which is in no view folder`)
    const source = readFileSync(file, 'utf8')
    compiled.set(
      name,
      nunjucks.precompileString(source, {
        name,
        env,
        wrapper: ([template]) => template.template,
      }),
    )
    for (const referenced of referencedNames(source)) pending.push(resolveName(name, referenced))
  }
  const entries = [...compiled].map(
    ([name, code]) => `${JSON.stringify(name)}: (function () {\n${code}\n})()`,
  )
  return `export default {\n${entries.join(',\n')}\n}\n`
}

/** esbuild plugin: `import templates from 'story-article-templates'`. */
export function storyArticleTemplatesPlugin(root) {
  return {
    name: MODULE_NAME,
    setup(build) {
      build.onResolve({ filter: new RegExp(`^${MODULE_NAME}$`) }, () => ({
        path: MODULE_NAME,
        namespace: MODULE_NAME,
      }))
      build.onLoad({ filter: /.*/, namespace: MODULE_NAME }, () => ({
        contents: storyArticleTemplatesModule(root),
        loader: 'js',
        resolveDir: root,
      }))
    },
  }
}

/**
 * esbuild plugin: Nunjucks' slim runtime without its one attempt at eval. Its webpack bundle
 * finds the global object with `Function("return this")()` when `this` is undefined, as it is
 * in an ES module: under /admin's policy that throws (it is caught, and `window` used), but the
 * browser reports a refused eval each time the preview loads. `globalThis` is the same object,
 * with no eval. If an upgrade changes that line, the build stops here rather than ship it.
 */
export function nunjucksSlimWithoutEvalPlugin() {
  const evalLine = 'g = g || Function("return this")() || (1,eval)("this");'
  return {
    name: 'nunjucks-slim-without-eval',
    setup(build) {
      build.onLoad({ filter: /[\\/]nunjucks[\\/]browser[\\/]nunjucks-slim\.js$/ }, (args) => {
        const source = readFileSync(args.path, 'utf8')
        if (!source.includes(evalLine)) {
          throw new Error(`${args.path} no longer has the line this build replaces: ${evalLine}`)
        }
        return { contents: source.replace(evalLine, 'g = g || globalThis;'), loader: 'js' }
      })
    },
  }
}

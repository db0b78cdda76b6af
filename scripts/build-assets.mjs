// Builds the browser assets into dist/assets with content-hashed names, so they can be served
// with long immutable caching, and writes dist/asset-manifest.json (logical name → hashed
// file) for the views, outside the served folder. Run by `npm run build` (and so by `npm ci` through `prepare`).
import { createHash } from 'node:crypto'
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import * as esbuild from 'esbuild'
import * as sass from 'sass'
import {
  nunjucksSlimWithoutEvalPlugin,
  storyArticleTemplatesPlugin,
} from './story-article-templates.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const out = path.join(root, 'dist', 'assets')

rmSync(out, { recursive: true, force: true })
mkdirSync(out, { recursive: true })
const manifest = {}

function emit(logicalName, contents) {
  const hash = createHash('sha256').update(contents).digest('hex').slice(0, 12)
  const ext = path.extname(logicalName)
  const hashed = `${path.basename(logicalName, ext)}.${hash}${ext}`
  writeFileSync(path.join(out, hashed), contents)
  manifest[logicalName] = hashed
}

const css = sass.compile(path.join(root, 'src', 'styles', 'app.scss'), {
  loadPaths: [root, path.join(root, 'node_modules')],
  style: 'compressed',
  quietDeps: true,
  silenceDeprecations: ['import'],
})
emit('app.css', css.css)

const printCss = sass.compile(path.join(root, 'src', 'styles', 'print.scss'), {
  loadPaths: [root, path.join(root, 'node_modules')],
  style: 'compressed',
  quietDeps: true,
})
emit('print.css', printCss.css)

// The embeddable cards' own stylesheet: no site chrome, no govuk-frontend.
const embedCss = sass.compile(path.join(root, 'src', 'styles', 'embed.scss'), {
  style: 'compressed',
})
emit('embed.css', embedCss.css)

// govuk-frontend's own script for the service navigation (its "Menu" toggle on phones), as the
// package ships it: one self-contained ES module. Its source map is not shipped, so the comment
// that names it goes.
const serviceNavigation = readFileSync(
  path.join(
    root,
    'node_modules/govuk-frontend/dist/govuk/components/service-navigation/service-navigation.bundle.mjs',
  ),
  'utf8',
).replace(/\n\/\/# sourceMappingURL=.*\n?$/, '\n')
emit('govuk-service-navigation.mjs', serviceNavigation)

// Our scripts. app.js imports govuk-frontend's module by its plain name; the import is pointed at
// the hashed file here, so app.js's own hash changes whenever that module's does.
for (const file of readdirSync(path.join(root, 'public', 'js'))) {
  if (file.endsWith('.js') || file.endsWith('.mjs')) {
    let source = readFileSync(path.join(root, 'public', 'js', file), 'utf8')
    for (const [logicalName, hashed] of Object.entries(manifest)) {
      if (logicalName.endsWith('.mjs')) {
        source = source.replaceAll(`from './${logicalName}'`, `from './${hashed}'`)
      }
    }
    emit(file, source)
  }
}

// The editors' CMS (/admin only): Sveltia CMS bundled from its npm entry (npm/index.js), not its
// ready-made dist/ file, which fetches from public CDNs. It finds its fonts, images and workers
// with `new URL('assets/…', import.meta.url)`, which esbuild leaves as written: so the bundle
// goes to dist/assets/cms/ and the package's own assets (already content-hashed by its build)
// to dist/assets/cms/assets/ beside it. Its locales become chunks loaded on demand, and so does
// the story preview (public/js/cms/story-preview.js, with the precompiled story templates).
const cmsOut = path.join(out, 'cms')
const cmsBuild = await esbuild.build({
  absWorkingDir: root,
  entryPoints: { admin: 'public/js/cms/admin.js' },
  bundle: true,
  format: 'esm',
  splitting: true,
  minify: true,
  target: 'es2022',
  outdir: cmsOut,
  entryNames: '[name].[hash]',
  chunkNames: 'chunks/[name].[hash]',
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
  plugins: [storyArticleTemplatesPlugin(root), nunjucksSlimWithoutEvalPlugin()],
})
const [cmsEntry] = Object.entries(cmsBuild.metafile.outputs).find(
  ([, output]) => output.entryPoint === 'public/js/cms/admin.js',
)
manifest['cms/admin.js'] = path.relative(out, path.join(root, cmsEntry)).split(path.sep).join('/')
const cmsPackageAssets = path.join(root, 'node_modules', '@sveltia', 'cms', 'npm', 'assets')
mkdirSync(path.join(cmsOut, 'assets'))
for (const file of readdirSync(cmsPackageAssets)) {
  if (!file.endsWith('.map')) {
    copyFileSync(path.join(cmsPackageAssets, file), path.join(cmsOut, 'assets', file))
  }
}

writeFileSync(
  path.join(root, 'dist', 'asset-manifest.json'),
  JSON.stringify(manifest, null, 2) + '\n',
)
console.log(`Built ${Object.keys(manifest).length} assets into dist/assets`)

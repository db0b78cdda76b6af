// Builds the browser assets into dist/assets with content-hashed names, so they can be served
// with long immutable caching, and writes dist/asset-manifest.json (logical name → hashed
// file) for the views, outside the served folder. Run by `npm run build` (and so by `npm ci` through `prepare`).
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import * as sass from 'sass'

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

for (const file of readdirSync(path.join(root, 'public', 'js'))) {
  if (file.endsWith('.js') || file.endsWith('.mjs')) {
    emit(file, readFileSync(path.join(root, 'public', 'js', file)))
  }
}

writeFileSync(
  path.join(root, 'dist', 'asset-manifest.json'),
  JSON.stringify(manifest, null, 2) + '\n',
)
console.log(`Built ${Object.keys(manifest).length} assets into dist/assets`)

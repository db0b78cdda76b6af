// The editors' CMS at /admin: Sveltia CMS from its npm package, bundled by
// scripts/build-assets.mjs into /assets/cms/ (no script from a CDN). Its configuration is the
// page's <link rel="cms-config-url">, /admin/config.yml, which the server generates from the
// content schema.
import { init, registerPreviewStyle } from '@sveltia/cms'

// The preview pane shows an entry in the site's own stylesheet: its hashed address is on the
// <script> element that loads this module (views/pages/admin.njk), as only the server knows it.
const previewStylesheet = document.querySelector('script[data-preview-stylesheet]')?.dataset
  .previewStylesheet
if (previewStylesheet) registerPreviewStyle(previewStylesheet)

// Sveltia adds a viewport tag with maximum-scale=1, which stops people zooming in on a phone
// (WCAG 1.4.4; axe's meta-viewport rule). It is set once, when the CMS mounts: take it out.
function allowZoom() {
  for (const meta of document.head.querySelectorAll('meta[name="viewport"]')) {
    const content = meta.getAttribute('content') ?? ''
    if (/maximum-scale/.test(content)) {
      meta.setAttribute(
        'content',
        content
          .split(',')
          .map((part) => part.trim())
          .filter((part) => !part.startsWith('maximum-scale'))
          .join(', '),
      )
    }
  }
}
new MutationObserver(allowZoom).observe(document.head, {
  childList: true,
  subtree: true,
  attributes: true,
  attributeFilter: ['content'],
})

init()

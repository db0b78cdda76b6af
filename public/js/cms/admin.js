// The editors' CMS at /admin: Sveltia CMS from its npm package, bundled by
// scripts/build-assets.mjs into /assets/cms/ (no script from a CDN). Its configuration is the
// page's <link rel="cms-config-url">, /admin/config.yml, which the server generates from the
// content schema.
import { init, registerPreviewStyle, registerPreviewTemplate } from '@sveltia/cms'

// The preview pane shows an entry in the site's own stylesheet: its hashed address is on the
// <script> element that loads this module (views/pages/admin.njk), as only the server knows it.
const cmsScript = document.querySelector('script[data-preview-stylesheet]')
const previewStylesheet = cmsScript?.dataset.previewStylesheet
if (previewStylesheet) registerPreviewStyle(previewStylesheet)

// A story is previewed as the story page shows it: its article template, rendered in the
// browser by story-preview.js, a chunk of its own fetched the first time a preview is shown.
// themes.yml's titles come with the page (data-themes), as only the server has them.
// Sveltia wants a React component: it puts window.createClass and window.h (React's) there.
const themes = JSON.parse(cmsScript?.dataset.themes ?? '[]')
let renderStoryPreview
const loadStoryPreview = () => import('./story-preview.js')
const StoryPreview = window.createClass({
  getInitialState() {
    return { ready: renderStoryPreview !== undefined, failed: false }
  },
  componentDidMount() {
    if (this.state.ready) return
    loadStoryPreview().then(
      (module) => {
        renderStoryPreview = module.renderStoryPreview
        this.setState({ ready: true })
      },
      () => this.setState({ failed: true }),
    )
  },
  render() {
    if (this.state.failed) {
      return window.h('p', null, 'The preview could not be loaded. Reload the page to try again.')
    }
    if (!this.state.ready) return window.h('p', null, 'Loading the preview…')
    const { entry } = this.props
    let html
    try {
      html = renderStoryPreview(entry.get('data')?.toJS() ?? {}, entry.get('slug') ?? '', themes)
    } catch (error) {
      // Not seen with any entry, full or empty; if it happens, the form stays usable.
      console.error(error)
      return window.h(
        'p',
        null,
        'The preview cannot show this story; the form and saving still work.',
      )
    }
    // The article's HTML, from the story page's own (autoescaping) template; the narrative in
    // it is sanitised as on the page.
    return window.h('div', { dangerouslySetInnerHTML: { __html: html } })
  },
})
registerPreviewTemplate('stories', StoryPreview)

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

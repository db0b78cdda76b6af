import type { Express, Response } from 'express'
import type { AppDeps } from '../deps.js'
import { queryValue } from '../query-params.js'
import type { Library } from '../../content/library.js'
import type { Quote, Story } from '../../content/model.js'
import { quoteEmbedCode, storyEmbedCode, type EmbedLimits } from '../embed-code.js'
import { absoluteUrl, paths } from '../links.js'
import { findQuote, lookUpQuote, lookUpStory } from '../lookup.js'
import { openDataHeaders } from '../security-headers.js'
import { SITE_NAME } from '../view-environment.js'

/** How long consumers may cache an answer, in seconds. */
export const OEMBED_CACHE_AGE = 86_400

type Target = { story: Story; quote?: Quote }

/**
 * What a URL of this site names, if anything we can embed: a story (/stories/<slug>, or
 * /stories/<slug>#<quote id> for one of its quotes) or a quote page. Former slugs count.
 * The URL must start with BASE_URL; trailing slashes and capitals are forgiven, as the site
 * forgives them (it redirects).
 */
export function oembedTarget(library: Library, baseUrl: string, raw: string): Target | undefined {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return undefined
  }
  const base = new URL(`${baseUrl}/`)
  if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname)) return undefined
  const path = `/${url.pathname.slice(base.pathname.length)}`.replace(/\/+$/, '').toLowerCase()
  const quotePage = /^\/stories\/([^/]+)\/quotes\/([^/]+)$/.exec(path)
  if (quotePage) {
    const found = lookUpQuote(library, quotePage[1], quotePage[2])
    return found.kind === 'quote' ? { story: found.story, quote: found.quote } : undefined
  }
  const storyPage = /^\/stories\/([^/]+)$/.exec(path)
  if (!storyPage) return undefined
  const found = lookUpStory(library, storyPage[1])
  const story =
    found.kind === 'story'
      ? found.story
      : found.kind === 'alias'
        ? library.storyBySlug.get(found.slug)
        : undefined
  if (!story) return undefined
  // Quote ids are slugs: a fragment that needs decoding names no quote.
  const quote = findQuote(story, url.hash.slice(1).toLowerCase())
  return quote ? { story, quote } : { story }
}

/** maxwidth / maxheight: a positive whole number of pixels, else no limit. */
function dimension(raw: string): number | undefined {
  return /^[1-9]\d{0,4}$/.test(raw) ? Number(raw) : undefined
}

function fail(res: Response, status: number, error: string): void {
  res.status(status).set('Cache-Control', 'public, max-age=300').json({ error })
}

/** /oembed: oEmbed 1.0 (https://oembed.com) `rich` answers for story and quote URLs. */
export function registerOembedRoutes(app: Express, { content, config }: AppDeps): void {
  app.get('/oembed', openDataHeaders, async (req, res) => {
    const format = queryValue(req.query, 'format') || 'json'
    if (format !== 'json') return fail(res, 501, 'Only format=json is supported')
    const url = queryValue(req.query, 'url')
    if (url === '') return fail(res, 400, 'The url parameter is required')
    const target = oembedTarget(content.current.library, config.baseUrl, url)
    if (!target) return fail(res, 404, 'No story or quote of this library has that URL')

    const limits: EmbedLimits = {}
    const maxwidth = dimension(queryValue(req.query, 'maxwidth'))
    const maxheight = dimension(queryValue(req.query, 'maxheight'))
    if (maxwidth !== undefined) limits.maxwidth = maxwidth
    if (maxheight !== undefined) limits.maxheight = maxheight
    const { story, quote } = target
    const code = quote
      ? await quoteEmbedCode(req.app, config.baseUrl, story, quote, limits)
      : await storyEmbedCode(req.app, config.baseUrl, story, limits)
    res.set('Cache-Control', `public, max-age=${OEMBED_CACHE_AGE}`).json({
      version: '1.0',
      type: 'rich',
      provider_name: SITE_NAME,
      provider_url: absoluteUrl(config.baseUrl, '/'),
      title: quote ? code.title : story.title,
      author_name: story.council,
      author_url: absoluteUrl(config.baseUrl, paths.council(story.councilSlug)),
      html: code.html,
      width: code.width,
      height: code.height,
      cache_age: OEMBED_CACHE_AGE,
    })
  })
}

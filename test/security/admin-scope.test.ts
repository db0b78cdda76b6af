import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { readAssetManifest } from '../../src/web/asset-manifest.js'
import { createTestApp } from '../helpers/app.js'
import { comparableHeaders, REPRESENTATIVE_ROUTES } from './representative-routes.js'
import recorded from './route-headers.json' with { type: 'json' }

/**
 * The editors' CMS gets a looser policy at /admin and its bundle's files, and nowhere else:
 * every other route's headers are exactly those recorded before /admin existed (bar the ones
 * that follow from the body or the clock: see representative-routes.ts).
 */

const ENVIRONMENTS = [
  ['without CMS_REPO', {}],
  ['with CMS_REPO', { CMS_REPO: 'example/stories' }],
] as const

describe.each(ENVIRONMENTS)('every other route, %s', (name, env) => {
  it('sends exactly the headers it sent before /admin existed', async () => {
    const { app } = await createTestApp({ ...env, EMBED_ORIGINS: 'https://partner.example.org' })
    const expected = recorded[name] as Record<string, Record<string, string>>
    for (const [method, path] of REPRESENTATIVE_ROUTES) {
      const url = path.replace('{app.css}', readAssetManifest()['app.css'] ?? '')
      const res = await request(app)[method](url)
      const key = `${method.toUpperCase()} ${path}`
      expect({ status: String(res.status), ...comparableHeaders(res.headers) }, key).toEqual(
        expected[key],
      )
    }
  })
})

describe("the CMS's own policy", () => {
  it.each(['/admin', '/admin/config.yml', `/assets/{cms/admin.js}`])(
    '%s: scripts from this site only (never eval), inline styles, GitHub, popups, noindex',
    async (path) => {
      const { app } = await createTestApp({ CMS_REPO: 'example/stories' })
      const url = path.replace('{cms/admin.js}', readAssetManifest()['cms/admin.js'] ?? '')
      const res = await request(app).get(url)
      expect(res.status).toBe(200)
      const csp = res.headers['content-security-policy'] as string
      expect(csp).toContain("script-src 'self';")
      expect(csp).not.toContain('unsafe-eval')
      expect(csp).toContain("style-src 'self' 'unsafe-inline';")
      expect(csp).toContain("connect-src 'self' https://api.github.com;")
      expect(csp).toMatch(/img-src 'self' data: blob: https:\/\/avatars\.githubusercontent\.com/)
      expect(csp).toContain("frame-ancestors 'self'")
      expect(res.headers['cross-origin-opener-policy']).toBe('same-origin-allow-popups')
      expect(res.headers['x-robots-tag']).toBe('noindex')
      expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains')
    },
  )

  it('reaches every path under /admin, even one that is not found (the sign-in routes too)', async () => {
    const { app } = await createTestApp({ CMS_REPO: 'example/stories' })
    const res = await request(app).get('/admin/no-such-page')
    expect(res.status).toBe(404)
    expect(res.headers['cross-origin-opener-policy']).toBe('same-origin-allow-popups')
  })

  it('is still read-only: the CMS writes to GitHub or a local folder, never to this server', async () => {
    const { app } = await createTestApp({ CMS_REPO: 'example/stories' })
    const res = await request(app).post('/admin/config.yml').send('backend: {}')
    expect(res.status).toBe(405)
    expect(res.headers.allow).toBe('GET, HEAD')
  })
})

describe('crawlers', () => {
  it('robots.txt disallows /admin and the sitemap does not list it', async () => {
    const { app } = await createTestApp({ CMS_REPO: 'example/stories' })
    const robots = await request(app).get('/robots.txt')
    expect(robots.text.split('\n')).toContain('Disallow: /admin')
    const sitemap = await request(app).get('/sitemap.xml')
    expect(sitemap.text).not.toContain('/admin')
  })
})

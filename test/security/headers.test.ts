import request from 'supertest'
import { beforeAll, describe, expect, it } from 'vitest'
import { createBrokenApp } from '../helpers/broken-app.js'
import { createTestApp, type TestApp } from '../helpers/app.js'
import { readAssetManifest } from '../../src/web/asset-manifest.js'
import { CSP, expectSecurityHeaders } from '../helpers/security.js'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})

describe('security headers', () => {
  it('the CSP is strict: no inline script or style, no plugins, no base, framed by self only', async () => {
    const res = await request(t.app).get('/')
    expect(res.headers['content-security-policy']).toBe(CSP)
    expect(res.headers['content-security-policy']).not.toMatch(/unsafe-inline|unsafe-eval|\*/)
    // Nothing inline for the CSP to block: no <script> without src, no style attributes.
    expect(res.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/)
    expect(res.text).not.toMatch(/<style|\sstyle="/)
  })

  it.each([
    [200, '/'],
    [200, '/stories?theme=transformation'],
    [200, 'asset'],
    [301, '/Stories'],
    [301, '/stories/ashcombe-vision'],
    [400, '/%E0%A4%A'],
    [404, '/nope'],
    [404, '/assets/nope.css'],
  ])('%i %s carries the same security headers', async (status, path) => {
    const url = path === 'asset' ? `/assets/${readAssetManifest()['app.css']}` : path
    const res = await request(t.app).get(url)
    expect(res.status).toBe(status)
    expectSecurityHeaders(res.headers, url)
  })

  it.each(['post', 'put', 'patch', 'delete'] as const)(
    '405 (%s) carries them too',
    async (method) => {
      const res = await request(t.app)[method]('/stories')
      expect(res.status).toBe(405)
      expect(res.headers.allow).toBe('GET, HEAD')
      expectSecurityHeaders(res.headers, method)
    },
  )

  it('500 carries them too, with no-store and no detail', async () => {
    const res = await request(createBrokenApp()).get('/stories')
    expect(res.status).toBe(500)
    expect(res.headers['cache-control']).toBe('no-store')
    expect(res.text).toContain('Sorry, there is a problem with the service')
    expect(res.text).not.toMatch(/deliberate test fault|at \w+ \(|node_modules|\.ts:/)
    expectSecurityHeaders(res.headers, '500')
  })
})

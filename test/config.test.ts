import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../src/config.js'
import { fromRoot } from '../src/paths.js'

describe('loadConfig', () => {
  it('has defaults that run the bundled content', () => {
    const config = loadConfig({})
    expect(config).toMatchObject({
      port: 3000,
      env: 'production',
      dev: false,
      contentDir: fromRoot('content'),
      baseUrl: 'http://localhost:3000',
      embedOrigins: [],
      trustProxy: false,
    })
  })

  it('reads and normalises every variable', () => {
    const config = loadConfig({
      PORT: '8080',
      NODE_ENV: 'development',
      CONTENT_DIR: '/tmp/c',
      BASE_URL: 'https://stories.example.org/',
      EMBED_ORIGINS: 'https://www.example.org, https://news.example.org',
    })
    expect(config).toMatchObject({
      port: 8080,
      dev: true,
      contentDir: '/tmp/c',
      baseUrl: 'https://stories.example.org',
      embedOrigins: ['https://www.example.org', 'https://news.example.org'],
    })
  })

  it('fails fast naming every bad variable', () => {
    expect(() =>
      loadConfig({ PORT: 'abc', BASE_URL: 'ftp://x', EMBED_ORIGINS: 'https://a.example/path' }),
    ).toThrowError(ConfigError)
    try {
      loadConfig({ PORT: 'abc', BASE_URL: 'ftp://x', EMBED_ORIGINS: 'https://a.example/path' })
    } catch (error) {
      const message = (error as Error).message
      expect(message).toContain('PORT')
      expect(message).toContain('BASE_URL')
      expect(message).toContain('EMBED_ORIGINS')
    }
  })

  it("TRUST_PROXY takes what Express's trust proxy takes, and nothing else", () => {
    const trust = (value: string) => loadConfig({ TRUST_PROXY: value }).trustProxy
    expect(trust('')).toBe(false)
    expect(trust('false')).toBe(false)
    expect(trust('true')).toBe(true)
    expect(trust('1')).toBe(1)
    expect(trust('loopback, 10.0.0.0/8,fd00::/8 , 192.0.2.1')).toEqual([
      'loopback',
      '10.0.0.0/8',
      'fd00::/8',
      '192.0.2.1',
    ])
    for (const bad of [
      'yes',
      '-1',
      '10.0.0.0/33',
      'loopback,example.org',
      '1.2.3',
      ',',
      '::1/129',
    ]) {
      expect(() => trust(bad), bad).toThrowError(/TRUST_PROXY/)
    }
  })

  it('--dev turns on development mode', () => {
    expect(loadConfig({}, { dev: true })).toMatchObject({ dev: true, env: 'development' })
  })
})

describe('loadConfig: the editors’ CMS settings', () => {
  it('has no GitHub backend or sign-in by default, and publishes to main', () => {
    expect(loadConfig({}).cms).toEqual({ repo: undefined, branch: 'main', github: undefined })
  })

  it('reads CMS_REPO, CMS_BRANCH and the GitHub OAuth app', () => {
    const config = loadConfig({
      CMS_REPO: 'example-org/peer-stories',
      CMS_BRANCH: 'content',
      CMS_GITHUB_CLIENT_ID: 'Iv1.abc',
      CMS_GITHUB_CLIENT_SECRET: 'secret',
    })
    expect(config.cms).toEqual({
      repo: 'example-org/peer-stories',
      branch: 'content',
      github: { clientId: 'Iv1.abc', clientSecret: 'secret' },
    })
  })

  it('treats an empty CMS_REPO as unset', () => {
    expect(loadConfig({ CMS_REPO: '' }).cms.repo).toBeUndefined()
  })

  it('refuses a CMS_REPO that is not owner/name, naming the variable', () => {
    expect(() => loadConfig({ CMS_REPO: 'https://github.com/a/b' })).toThrowError(/CMS_REPO/)
  })

  it('refuses a client id without its secret', () => {
    expect(() => loadConfig({ CMS_GITHUB_CLIENT_ID: 'Iv1.abc' })).toThrowError(
      /CMS_GITHUB_CLIENT_SECRET/,
    )
  })
})

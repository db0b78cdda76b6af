import { describe, expect, it } from 'vitest'
import {
  FrontError,
  readFrontSettings,
  readTemplate,
  renderTemplate,
  TEMPLATE_VARIABLES,
  upstreamServers,
  type TemplateValues,
} from '../../scripts/front/settings.js'

/** npm run front's environment and the rendering of deploy/nginx.conf (nginx itself: test/e2e/front.test.ts). */
describe('readFrontSettings', () => {
  it('has the documented defaults', () => {
    expect(readFrontSettings({})).toEqual({
      httpPort: 8080,
      httpsPort: 8443,
      upstreams: ['127.0.0.1:3000'],
      tls: undefined,
    })
  })

  it('reads ports, upstreams and a certificate', () => {
    expect(
      readFrontSettings({
        FRONT_HTTP_PORT: '80',
        FRONT_HTTPS_PORT: '443',
        UPSTREAMS: ' 10.0.0.1:3000, app-2.internal:3001,[::1]:3002 ',
        TLS_CERT: '/etc/ssl/site.pem',
        TLS_KEY: '/etc/ssl/site.key',
      }),
    ).toEqual({
      httpPort: 80,
      httpsPort: 443,
      upstreams: ['10.0.0.1:3000', 'app-2.internal:3001', '[::1]:3002'],
      tls: { cert: '/etc/ssl/site.pem', key: '/etc/ssl/site.key' },
    })
  })

  it('refuses what nginx would misread, naming the variable', () => {
    const bad: [Record<string, string>, RegExp][] = [
      [{ FRONT_HTTP_PORT: 'http' }, /FRONT_HTTP_PORT/],
      [{ FRONT_HTTPS_PORT: '70000' }, /FRONT_HTTPS_PORT/],
      [{ FRONT_HTTP_PORT: '9000', FRONT_HTTPS_PORT: '9000' }, /both 9000/],
      [{ UPSTREAMS: '127.0.0.1' }, /UPSTREAMS/],
      [{ UPSTREAMS: '::1:3000' }, /UPSTREAMS/],
      [{ UPSTREAMS: 'a:1;b:2' }, /UPSTREAMS/],
      [{ UPSTREAMS: 'a:1 down' }, /UPSTREAMS/],
      [{ UPSTREAMS: ' , ' }, /UPSTREAMS is empty/],
      [{ TLS_CERT: '/x.pem' }, /TLS_CERT and TLS_KEY/],
    ]
    for (const [env, message] of bad) {
      expect(() => readFrontSettings(env), JSON.stringify(env)).toThrowError(FrontError)
      expect(() => readFrontSettings(env), JSON.stringify(env)).toThrowError(message)
    }
  })
})

describe('renderTemplate', () => {
  const values: TemplateValues = {
    FRONT_HTTP_PORT: '8080',
    FRONT_HTTPS_PORT: '8443',
    FRONT_PUBLIC_HTTPS_PORT: '443',
    UPSTREAM_SERVERS: upstreamServers(['127.0.0.1:3000', '127.0.0.1:3001']),
    TLS_CERT: '/certs/site.pem',
    TLS_KEY: '/certs/site.key',
    FRONT_RUNTIME_DIR: '/run/front',
    FRONT_ACCESS_LOG: '/dev/stdout',
  }

  it('fills in the named variables of deploy/nginx.conf and leaves nginx’s own alone', () => {
    const template = readTemplate()
    for (const name of TEMPLATE_VARIABLES) expect(template, name).toContain(`\${${name}}`)
    const config = renderTemplate(template, values)
    expect(config).not.toContain('${')
    expect(config).toContain('listen 8443 ssl http2;')
    expect(config).toContain('return 301 https://$host:443$request_uri;')
    expect(config).toContain(
      'server 127.0.0.1:3000 max_fails=1 fail_timeout=10s;\n    server 127.0.0.1:3001 max_fails=1 fail_timeout=10s;',
    )
    expect(config).toContain('add_header X-Cache-Status $upstream_cache_status always;')
    expect(config).toContain('proxy_cache_path /run/front/cache ')
  })

  it('is restricted to the named variables, and refuses to leave one unset', () => {
    expect(renderTemplate('a ${FRONT_HTTP_PORT} $host ${host}', values)).toBe(
      'a 8080 $host ${host}',
    )
    expect(() => renderTemplate('listen ${HOME};', values)).toThrowError(/\$\{HOME\}/)
  })
})

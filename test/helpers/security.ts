import { expect } from 'vitest'

/** The exact policy: a change to it must be deliberate, and show up in review. */
export const CSP =
  "default-src 'none';script-src 'self';style-src 'self';img-src 'self' data:;font-src 'self';" +
  "connect-src 'self';manifest-src 'self';form-action 'self';frame-ancestors 'self';" +
  "base-uri 'none';object-src 'none'"

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CSP,
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-content-type-options': 'nosniff',
  'cross-origin-resource-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
}

/** Asserts every security header, exactly, and that the framework is not named. */
export function expectSecurityHeaders(headers: Record<string, unknown>, what = ''): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
    expect(headers[name], `${name} on ${what}`).toBe(value)
  }
  expect(headers['x-powered-by'], what).toBeUndefined()
}

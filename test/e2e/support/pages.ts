import type { Page } from 'playwright-core'
import request from 'supertest'
import { createBrokenApp } from '../../helpers/broken-app.js'
import type { PageType } from '../page-types.js'

export interface FetchedPage {
  status: number
  headers: Record<string, string>
  html: string
}

const HOP_BY_HOP = new Set([
  'connection',
  'content-length',
  'content-encoding',
  'transfer-encoding',
  'keep-alive',
])

/** The HTML of a page type, as the server (or the broken app, for the 500 page) answers it. */
export async function fetchPage(baseUrl: string, type: PageType): Promise<FetchedPage> {
  if (type.source === 'broken-app') {
    const res = await request(createBrokenApp()).get(type.path)
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(res.headers as Record<string, string | string[]>)) {
      if (!HOP_BY_HOP.has(name)) headers[name] = Array.isArray(value) ? value.join(', ') : value
    }
    return { status: res.status, headers, html: res.text }
  }
  const res = await fetch(new URL(type.path, baseUrl), { redirect: 'manual' })
  const headers: Record<string, string> = {}
  res.headers.forEach((value, name) => {
    headers[name] = value
  })
  return { status: res.status, headers, html: await res.text() }
}

/**
 * Opens a page type in the browser and returns the HTTP status it was served with. Pages
 * from the broken app are served to the browser, status, headers (CSP included) and all,
 * at their path on the real server's origin, so their assets load from the real server.
 */
export async function openPage(page: Page, baseUrl: string, type: PageType): Promise<number> {
  const url = new URL(type.path, baseUrl).href
  if (type.source === 'broken-app') {
    const fetched = await fetchPage(baseUrl, type)
    await page.route(
      (u) => u.href === url,
      (route) =>
        route.fulfill({ status: fetched.status, headers: fetched.headers, body: fetched.html }),
    )
  }
  const response = await page.goto(url, { waitUntil: 'load' })
  if (type.source === 'broken-app') await page.unrouteAll()
  if (!response) throw new Error(`no response for ${type.path}`)
  return response.status()
}

/**
 * The addresses the site benchmark requests (story pages spread through a corpus, filtered
 * lists; searches are in queries.ts), and what it reads from single requests: mean body sizes
 * (for the ceiling) and a story page's weight with its assets.
 */
import { readdirSync } from 'node:fs'
import path from 'node:path'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { get } from './processes.js'

export interface PageWeight {
  htmlBytes: number
  totalBytes: number
  wireBytes: number
  encoding: string
  files: Record<string, number>
}

function decoded(body: Buffer, encoding: unknown): string {
  const enc = String(encoding ?? 'identity')
  return (
    enc === 'br' ? brotliDecompressSync(body) : enc === 'gzip' ? gunzipSync(body) : body
  ).toString('utf8')
}

export function storyPaths(content: string, count = 20): string[] {
  const files = readdirSync(path.join(content, 'stories'))
    .filter((f) => f.endsWith('.md'))
    .sort()
  const step = Math.max(1, Math.floor(files.length / count))
  const picked: string[] = []
  for (let i = 0; i < files.length && picked.length < count; i += step) {
    picked.push(`/stories/${(files[i] as string).slice(0, -3)}`)
  }
  return picked
}

export const LIST_PATHS = [
  '/stories?theme=transformation&region=london',
  '/stories?theme=political-leadership&region=north-west',
  '/stories?theme=financial-sustainability&councilType=district',
  '/stories?theme=governance-and-culture&region=south-east',
  '/stories?region=east-midlands&control=labour',
  '/stories?theme=commercial-approach&challenge=corporate',
  '/stories?theme=learning-culture&region=yorkshire-and-the-humber',
  '/stories?councilType=unitary&control=no-overall-control',
  '/stories?theme=service-improvement&region=west-midlands',
  '/stories?theme=vision-and-place&councilType=county',
]

export async function meanBytes(origin: string, paths: string[]): Promise<number> {
  let total = 0
  for (const p of paths) {
    const res = await get(`${origin}${p}`)
    if (res.status !== 200) throw new Error(`${p} answered ${res.status}`)
    total += res.body.length
  }
  return Math.round(total / paths.length)
}

export async function pageWeight(origin: string, storyPath: string): Promise<PageWeight> {
  // What a browser sends; the server picks brotli.
  const headers = { 'Accept-Encoding': 'gzip, deflate, br, zstd' }
  const page = await get(`${origin}${storyPath}`, headers)
  const enc = String(page.headers['content-encoding'] ?? 'identity')
  const html = decoded(page.body, page.headers['content-encoding'])
  const assets = new Set<string>()
  for (const m of html.matchAll(/<(?:link[^>]+href|script[^>]+src)="(\/[^"]+)"/g)) {
    const tag = m[0]
    if (tag.startsWith('<script') || /rel="(?:stylesheet|icon)"/.test(tag))
      assets.add(m[1] as string)
  }
  const files: Record<string, number> = { [storyPath]: page.body.length }
  let total = page.body.length
  let wire = page.wireBytes
  // A Set grows while it is walked: the modules a script imports are fetched too.
  for (const asset of assets) {
    const res = await get(`${origin}${asset}`, headers)
    files[asset] = res.body.length
    total += res.body.length
    wire += res.wireBytes
    if (/\.m?js$/.test(asset)) {
      const source = decoded(res.body, res.headers['content-encoding'])
      for (const m of source.matchAll(/\bfrom '\.\/([^']+)'/g)) {
        assets.add(path.posix.join(path.posix.dirname(asset), m[1] as string))
      }
    }
  }
  return { htmlBytes: page.body.length, totalBytes: total, wireBytes: wire, encoding: enc, files }
}

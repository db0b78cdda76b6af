import { once } from 'node:events'
import { createServer, type Server } from 'node:http'

/**
 * Another site, for the embed tests: a loopback web server on its own origin
 * (`http://localhost:<port>`, while the library is at `http://127.0.0.1:<port>`), listed in
 * the library's EMBED_ORIGINS. `GET /card?url=<story or quote URL>` answers a page that embeds
 * that card the way a consumer of oEmbed does: it asks the library's /oembed for the URL and
 * puts the `html` it gets into its page, as it is. With `&pasted=<card address>` the iframe has
 * that address instead: embed code pasted before the story was renamed.
 */
export interface EmbedHost {
  origin: string
  /** The library to ask, once it is running (it needs this host's origin to start). */
  setLibrary: (baseUrl: string) => void
  stop: () => Promise<void>
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

function hostPage(embedHtml: string, url: string): string {
  // The host's own simple styles; the card's iframe sits in the page's flow, full width on a
  // narrow screen (its max-width:100%), at most its oEmbed width on a wide one. The icon link
  // stops Chromium asking the host for /favicon.ico, whose 404 would count as a console error.
  return `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>A partner's page with an embedded card</title>
<link rel="icon" href="data:,">
<style>
  body { margin: 0; font: 18px/1.5 Georgia, serif; color: #222; background: #f4f1ea; }
  header, footer { padding: 12px 16px; background: #3c2f5c; color: #fff; }
  p { margin: 16px; }
</style>
</head>
<body>
<header><p>A partner's page (another origin)</p></header>
<main>
<p>A quote about a peer challenge, embedded from the library (${escapeHtml(url)}):</p>
${embedHtml}
<p id="after-card">The host's text carries on after the card.</p>
</main>
<footer><p>The partner's footer</p></footer>
</body>
</html>
`
}

export async function startEmbedHost(): Promise<EmbedHost> {
  let library = ''
  const server: Server = createServer((req, res) => {
    void (async () => {
      const requested = new URL(req.url ?? '/', 'http://localhost')
      const url = requested.searchParams.get('url')
      if (requested.pathname !== '/card' || !url || library === '') {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found')
        return
      }
      const oembedUrl = `${library}/oembed?format=json&url=${encodeURIComponent(url)}`
      const answer = await fetch(oembedUrl)
      if (!answer.ok) {
        res.writeHead(502, { 'Content-Type': 'text/plain' }).end(`oEmbed: ${answer.status}`)
        return
      }
      const { html } = (await answer.json()) as { html: string }
      const pasted = requested.searchParams.get('pasted')
      const embedHtml = pasted
        ? html.replace(/ src="[^"]*\/embed\/[^"]*"/, () => ` src="${escapeHtml(pasted)}"`)
        : html
      res
        .writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
        .end(hostPage(embedHtml, url))
    })().catch((error: unknown) => {
      res.writeHead(500, { 'Content-Type': 'text/plain' }).end(String(error))
    })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    // `localhost`, not 127.0.0.1: the same machine, but another origin than the library's.
    origin: `http://localhost:${port}`,
    setLibrary: (baseUrl) => {
      library = baseUrl
    },
    stop: async () => {
      server.closeAllConnections()
      server.close()
      await once(server, 'close')
    },
  }
}

import { once } from 'node:events'
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Express } from 'express'

export interface RawResponse {
  status: number
  headers: IncomingHttpHeaders
  /** The body exactly as sent: not decompressed, not decoded. */
  body: Buffer
}

export interface RawClient {
  send(
    method: string,
    path: string,
    headers?: Record<string, string>,
    body?: string | Buffer,
  ): Promise<RawResponse>
  close(): Promise<void>
}

/**
 * Serves an app on a loopback port and sends requests with Node's own http client, with the
 * path sent byte for byte: supertest's client parses URLs, which would normalise `%2e%2e`
 * and friends away before the app ever saw them. No Accept-Encoding unless given.
 */
export async function rawClient(app: Express): Promise<RawClient> {
  const server: Server = createServer(app)
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  return {
    send: (method, path, headers = {}, body) =>
      new Promise((resolve, reject) => {
        const req = request(
          { host: '127.0.0.1', port, method, path, headers, agent: false },
          (res) => {
            const chunks: Buffer[] = []
            res.on('data', (chunk: Buffer) => chunks.push(chunk))
            res.on('end', () =>
              resolve({
                status: res.statusCode ?? 0,
                headers: res.headers,
                body: Buffer.concat(chunks),
              }),
            )
            res.on('error', reject)
          },
        )
        req.on('error', reject)
        req.end(body)
      }),
    close: async () => {
      server.closeAllConnections()
      server.close()
      await once(server, 'close')
    },
  }
}

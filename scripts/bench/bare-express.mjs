// The ceiling for the HTTP benchmark: a bare Express 5 app answering GET /<n> with a fixed
// string of n bytes (the sizes are given on the command line, so each page type is compared with
// a body of its own size). Nothing else: no logging, no helmet, no compression, Express defaults.
//
//   node scripts/bench/bare-express.mjs <port> <bytes> [<bytes>…]
import express from 'express'

const [port, ...sizes] = process.argv.slice(2).map(Number)
const app = express()
for (const size of sizes) {
  const body = `<!DOCTYPE html><p>${'x'.repeat(Math.max(0, size - 19))}`.slice(0, size)
  app.get(`/${size}`, (_req, res) => {
    res.type('html').send(body)
  })
}
const server = app.listen(port, '127.0.0.1', () => console.log('ready'))
process.on('SIGTERM', () => server.close(() => process.exit(0)))

// One HTTP load run, in its own process (so the load generator never shares an event loop with
// the server it measures): autocannon against a list of paths on one origin, each connection
// cycling through the paths in order. Prints one JSON line on stdout.
//
//   node scripts/bench/load.mjs '{"url":"http://127.0.0.1:3000","paths":["/a","/b"],"connections":50,"duration":20}'
import autocannon from 'autocannon'

const { url, paths, connections, duration } = JSON.parse(process.argv[2] ?? '{}')
const result = await autocannon({
  url,
  connections,
  duration,
  requests: paths.map((path) => ({ method: 'GET', path })),
})
process.stdout.write(
  `${JSON.stringify({
    requests: result.requests.total,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    bytes: result.throughput.total,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statusCodes: result.statusCodeStats,
  })}\n`,
)

/**
 * `npx tsx scripts/bench/page-weight.ts [origin] [story path]`: a story page's weight with every
 * stylesheet, script, module and icon it loads, compressed as a browser would receive it. The
 * full benchmark (`npm run bench`) reports the same figure; this asks a running site alone.
 */
import { pageWeight } from './pages.js'

const origin = process.argv[2] ?? 'http://localhost:3000'
const storyPath = process.argv[3] ?? '/stories/fenhallow-commercial-trading'
const weight = await pageWeight(origin, storyPath)
for (const [file, bytes] of Object.entries(weight.files)) {
  console.log(`${(bytes / 1024).toFixed(1).padStart(6)} KB  ${file}`)
}
console.log(
  `${(weight.totalBytes / 1024).toFixed(1).padStart(6)} KB  in all (${weight.encoding}), ${(weight.wireBytes / 1024).toFixed(1)} KB with headers`,
)

/**
 * What a story or quote page spends on its og:image tags: the card's template rendered and
 * hashed for the picture's version (src/web/og-image.ts), once per page render and per image
 * request. `npx tsx scripts/bench/og-markup.ts` prints the median of five rounds, per card.
 */
import { performance } from 'node:perf_hooks'
import { createTestApp } from '../../test/helpers/app.js'
import { ogImageRenderer, quoteOgCard, storyOgCard } from '../../src/web/og-image.js'

const { app, content } = await createTestApp()
const renderer = ogImageRenderer(app)
const library = content.current.library
const cards = library.stories.flatMap((story) => [
  storyOgCard(story),
  ...story.quotes.map((quote) => quoteOgCard(story, quote)),
])
const rounds: number[] = []
for (let round = 0; round < 6; round++) {
  const start = performance.now()
  for (let i = 0; i < 200; i++) for (const card of cards) renderer.markup(card)
  // The first round warms the template cache and the JIT; it is not counted.
  if (round > 0) rounds.push(((performance.now() - start) * 1000) / (200 * cards.length))
}
rounds.sort((a, b) => a - b)
console.log(`${cards.length} cards; markup and version: median ${rounds[2]?.toFixed(1)} µs a card`)

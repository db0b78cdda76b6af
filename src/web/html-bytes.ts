/** A piece of a page: text, or bytes (UTF-8) encoded once and kept. */
export type HtmlChunk = string | Buffer

/**
 * Where the text is encoded before the page is copied out at its exact size: one buffer,
 * reused (joinChunks runs to the end without yielding, and copies out before returning), and
 * grown when a page needs more.
 */
let scratch = Buffer.allocUnsafe(64 * 1024)

/**
 * The pieces as one UTF-8 buffer, the body sent. A list page is about 40 KB made of many
 * strings; encoding it as one string meant flattening the rope and encoding all of it (about
 * 10% of the list's CPU, more as the en dash of the title makes it a two-byte string), while
 * most of it (the layout, the cards) never changes: those pieces are kept encoded and copied.
 * The text is written straight into room for its longest encoding (3 bytes a UTF-16 unit)
 * rather than measured first: Buffer.byteLength walks a rope without flattening it, and cost
 * more than the encoding (6.5% of the list's CPU).
 */
export function joinChunks(chunks: readonly HtmlChunk[]): Buffer {
  let at = 0
  for (const chunk of chunks) {
    const room = typeof chunk === 'string' ? chunk.length * 3 : chunk.length
    if (at + room > scratch.length) {
      const larger = Buffer.allocUnsafe(Math.max(scratch.length * 2, at + room))
      scratch.copy(larger, 0, 0, at)
      scratch = larger
    }
    at += typeof chunk === 'string' ? scratch.write(chunk, at) : chunk.copy(scratch, at)
  }
  // Every byte is copied, so the body need not be zeroed first.
  const out = Buffer.allocUnsafe(at)
  scratch.copy(out, 0, 0, at)
  return out
}

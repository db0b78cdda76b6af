/** A piece of a page: text, or bytes (UTF-8) encoded once and kept. */
export type HtmlChunk = string | Buffer

/**
 * The pieces as one UTF-8 buffer, the body sent. A list page is about 40 KB made of many
 * strings; encoding it as one string meant flattening the rope and encoding all of it (about
 * 10% of the list's CPU, more as the en dash of the title makes it a two-byte string), while
 * most of it (the layout, the cards) never changes: those pieces are kept encoded and copied.
 */
export function joinChunks(chunks: readonly HtmlChunk[]): Buffer {
  let length = 0
  for (const chunk of chunks) {
    length += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length
  }
  // Every byte is written below, so the buffer need not be zeroed first.
  const out = Buffer.allocUnsafe(length)
  let at = 0
  for (const chunk of chunks) {
    at += typeof chunk === 'string' ? out.write(chunk, at) : chunk.copy(out, at)
  }
  return out
}

import type { Story } from '../content/model.js'
import { tokenize, type TextToken } from './text.js'
import type { HighlightTerms, SearchOutcome } from './types.js'

/**
 * Highlighting for the ~20 hits on a page: the displayed text is tokenised with the same
 * analyser as the index (microseconds for a quote, well under a millisecond for a 1,500-word
 * story), so the index stores no positions at all. The functions here tokenise on every call;
 * the search page instead keeps each shown story's tokens (snippet-index.ts, text-tokens.ts)
 * and shares the window choice, cutting and rendering below. Output is HTML-escaped text with
 * `<mark>` around exactly the matched words: a word whose term equals a searched term, a word
 * starting with a searched prefix, a whole hyphenated word whose run-together form was searched,
 * and each phrase occurrence as one mark.
 */

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/** Escape text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] as string)
}

/** A matched range of the text, and which searched thing it matched (for snippet scoring). */
export interface Span {
  start: number
  end: number
  key: string
}

/**
 * The spans of a tokenised text, sorted by start (longest first at equal starts; otherwise in the
 * order found). SpanMatcher (text-tokens.ts) must give exactly this list from its stored tokens.
 */
export function matchSpans(tokens: readonly TextToken[], h: HighlightTerms): Span[] {
  const terms = new Set(h.terms)
  const spans: Span[] = []
  for (const t of tokens) {
    if (t.joined !== undefined && terms.has(t.joined.term)) {
      spans.push({ start: t.start, end: t.joined.end, key: `t:${t.joined.term}` })
    }
    if (t.stop) continue
    if (terms.has(t.term)) spans.push({ start: t.start, end: t.end, key: `t:${t.term}` })
    else {
      const prefix = h.prefixes.find((p) => t.word.startsWith(p) || t.plain.startsWith(p))
      if (prefix !== undefined) spans.push({ start: t.start, end: t.end, key: `p:${prefix}` })
    }
  }
  h.phrases.forEach((phrase, n) => {
    if (phrase.length === 0) return
    outer: for (let i = 0; i + phrase.length <= tokens.length; i++) {
      for (let k = 0; k < phrase.length; k++) {
        const t = tokens[i + k] as TextToken
        if (t.term !== phrase[k]) continue outer
        // Consecutive in the sequence means adjacent positions (no field break in one text).
        if (k > 0 && t.position !== (tokens[i + k - 1] as TextToken).position + 1) continue outer
      }
      const last = tokens[i + phrase.length - 1] as TextToken
      spans.push({ start: (tokens[i] as TextToken).start, end: last.end, key: `q:${n}` })
    }
  })
  return spans.sort((a, b) => a.start - b.start || b.end - a.end)
}

/** Merge overlapping spans (a word inside a phrase, a part inside a hyphenated word). */
function merge(spans: readonly Span[]): Span[] {
  const out: Span[] = []
  for (const s of spans) {
    const last = out[out.length - 1]
    if (last !== undefined && s.start < last.end) last.end = Math.max(last.end, s.end)
    else out.push({ ...s })
  }
  return out
}

/** Escape text[from, to) with marks around the spans (clipped to the range). */
function render(
  text: string,
  spans: readonly Span[],
  from: number,
  to: number,
  squash: boolean,
): string {
  const clean = (s: string) => escapeHtml(squash ? s.replace(/\s+/g, ' ') : s)
  let out = ''
  let at = from
  for (const s of merge(spans)) {
    const start = Math.max(s.start, from)
    const end = Math.min(s.end, to)
    if (end <= start) continue
    out += clean(text.slice(at, start)) + '<mark>' + clean(text.slice(start, end)) + '</mark>'
    at = end
  }
  return out + clean(text.slice(at, to))
}

/** Text HTML-escaped, with marks around the given spans of it. */
export function highlightSpans(text: string, spans: readonly Span[]): string {
  return render(text, spans, 0, text.length, false)
}

/** A quote's text, HTML-escaped, with the matched words in `<mark>`. */
export function highlightQuote(text: string, outcome: Pick<SearchOutcome, 'highlight'>): string {
  return highlightSpans(text, matchSpans(tokenize(text), outcome.highlight))
}

/** Highlight any short text (a title, a summary) the same way. */
export const highlightText = highlightQuote

interface Window {
  source: string
  spans: Span[]
  start: number
  end: number
  score: number
}

/** The window of at most maxChars with the most distinct matches, then the most matches. */
function bestWindow(source: string, found: readonly Span[], maxChars: number): Window | undefined {
  const spans = merge(found)
  // merge() keeps the first key of merged spans; distinctness is about what was searched for.
  if (spans.length === 0) return undefined
  let best: Window | undefined
  let j = 0
  const counts = new Map<string, number>()
  for (let i = 0; i < spans.length; i++) {
    if (j < i) j = i
    while (j < spans.length && (spans[j] as Span).end - (spans[i] as Span).start <= maxChars) {
      const key = (spans[j] as Span).key
      counts.set(key, (counts.get(key) ?? 0) + 1)
      j++
    }
    const distinct = counts.size
    const score = distinct * 1000 + (j - i)
    if (j > i && (best === undefined || score > best.score)) {
      best = {
        source,
        spans,
        start: (spans[i] as Span).start,
        end: (spans[j - 1] as Span).end,
        score,
      }
    }
    if (j > i) {
      const key = (spans[i] as Span).key
      const left = (counts.get(key) ?? 1) - 1
      if (left === 0) counts.delete(key)
      else counts.set(key, left)
    }
  }
  if (best === undefined) {
    // A single match longer than maxChars (a very long phrase): show its start.
    const first = spans[0] as Span
    best = { source, spans, start: first.start, end: first.start, score: 0 }
  }
  return best
}

const isSpace = (c: string) => /\s/.test(c)

/** A text a snippet may come from, with its matches (as matchSpans gives them). */
export interface SnippetSource {
  source: string
  spans: readonly Span[]
}

/** Where a story's snippet may come from, in order of preference (see storySnippet). */
export function snippetTexts(story: Pick<Story, 'bodyText' | 'summary' | 'impacts'>): string[] {
  return [story.bodyText, story.summary, story.impacts.join(' · ')]
}

/** The text shown when no snippet source has a match. */
export function snippetFallback(story: Pick<Story, 'bodyText' | 'summary'>): string {
  return story.summary.length > 0 ? story.summary : story.bodyText
}

/**
 * A snippet of the story of at most `maxChars` characters of text (plus "…" at cut ends), cut at
 * word boundaries around the densest cluster of matches, HTML-escaped, matches in `<mark>`.
 * Looks in the narrative, then the summary, then the impacts, and keeps the best window (ties go
 * to the narrative, since a results card usually shows the summary already). With no match in
 * any of them (the story matched on its title or council), the start of the summary.
 */
export function storySnippet(
  story: Pick<Story, 'bodyText' | 'summary' | 'impacts'>,
  outcome: Pick<SearchOutcome, 'highlight'>,
  maxChars = 240,
): string {
  const sources = snippetTexts(story).map((source) => ({
    source,
    spans: matchSpans(tokenize(source), outcome.highlight),
  }))
  return snippetOf(sources, snippetFallback(story), maxChars)
}

/** storySnippet's choice and cutting, from texts whose matches are already found. */
export function snippetOf(
  sources: readonly SnippetSource[],
  fallback: string,
  maxChars: number,
): string {
  const limit = Math.max(20, Math.floor(maxChars))
  let best: Window | undefined
  for (const { source, spans: found } of sources) {
    const w = bestWindow(source, found, limit)
    if (w !== undefined && (best === undefined || w.score > best.score)) best = w
  }
  if (best === undefined) {
    best = { source: fallback, spans: [], start: 0, end: 0, score: 0 }
  }
  const { source, spans } = best
  // Centre the matches: a third of the spare room before them, the rest after.
  const spare = Math.max(0, limit - (best.end - best.start))
  let start = Math.max(0, best.start - Math.floor(spare / 3))
  let end = Math.min(source.length, start + limit)
  if (end - start < limit) start = Math.max(0, end - limit)
  // Never cut a word: move the cut ends inwards to whitespace, but not past the matches.
  if (start > 0 && !isSpace(source.charAt(start - 1))) {
    let s = start
    while (s < best.start && !isSpace(source.charAt(s))) s++
    start = s < best.start ? s : best.start
  }
  if (end < source.length && !isSpace(source.charAt(end))) {
    let e = end
    while (e > best.end && !isSpace(source.charAt(e - 1))) e--
    end = e > best.end ? e : best.end
  }
  while (start < end && isSpace(source.charAt(start))) start++
  while (end > start && isSpace(source.charAt(end - 1))) end--
  const body = render(source, spans, start, end, true)
  return `${start > 0 ? '…' : ''}${body}${end < source.length ? '…' : ''}`
}

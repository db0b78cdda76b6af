import type { Story } from '../content/model.js'

/**
 * A Harvard-style reference (Cite Them Right, web page) for a quote or a story:
 *   Council (Year) Title. Library. Available at: URL (Accessed: [date]).
 * The author is the council (the quote is its leader's or officer's, speaking for it), the
 * year is the story's publication year. The title is italic on the page; the parts are kept
 * apart so the view can mark it up, and `text` is the whole reference as plain text.
 */
export interface Citation {
  author: string
  year: string
  title: string
  container: string
  url: string
  accessed: string
  text: string
}

export const ACCESSED_PLACEHOLDER = '[date]'

export function citationFor(
  story: Pick<Story, 'council' | 'published' | 'title'>,
  url: string,
  siteName: string,
): Citation {
  const year = story.published.slice(0, 4)
  const title = story.title.replace(/[.\s]+$/, '')
  return {
    author: story.council,
    year,
    title,
    container: siteName,
    url,
    accessed: ACCESSED_PLACEHOLDER,
    text: `${story.council} (${year}) ${title}. ${siteName}. Available at: ${url} (Accessed: ${ACCESSED_PLACEHOLDER}).`,
  }
}

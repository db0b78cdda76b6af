// Apart from story-file.ts (which reads files) so that the CMS's preview, bundled for the
// browser, links a council as the story page does.

/** "Northfold Borough Council" → "northfold-borough-council" (accents folded). */
export function councilSlugOf(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
}

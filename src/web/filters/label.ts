import {
  CHALLENGE_TYPES,
  COUNCIL_TYPES,
  POLITICAL_CONTROLS,
  REGIONS,
  SPEAKERS,
} from '../../content/vocabulary.js'

const VOCABULARIES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  councilType: COUNCIL_TYPES,
  region: REGIONS,
  control: POLITICAL_CONTROLS,
  challenge: CHALLENGE_TYPES,
  speaker: SPEAKERS,
}

/** `'no-overall-control' | label('control')` → `No overall control`. Unknown keys pass through. */
export function label(value: unknown, vocabulary: string): string {
  if (typeof value !== 'string') return ''
  const labels = VOCABULARIES[vocabulary]
  if (!labels || !Object.hasOwn(labels, value)) return value
  return labels[value] ?? value
}

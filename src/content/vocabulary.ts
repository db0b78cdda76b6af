/**
 * The controlled vocabularies of the content contract, each with the label people read.
 * The keys are the public contract (frontmatter values and query parameter values); never
 * rename one without an alias.
 */

export const COUNCIL_TYPES = {
  county: 'County council',
  district: 'District council',
  unitary: 'Unitary authority',
  'metropolitan-borough': 'Metropolitan borough',
  'london-borough': 'London borough',
  'combined-authority': 'Combined authority',
  other: 'Other',
} as const

export const REGIONS = {
  'north-east': 'North East',
  'north-west': 'North West',
  'yorkshire-and-the-humber': 'Yorkshire and the Humber',
  'east-midlands': 'East Midlands',
  'west-midlands': 'West Midlands',
  'east-of-england': 'East of England',
  london: 'London',
  'south-east': 'South East',
  'south-west': 'South West',
} as const

export const POLITICAL_CONTROLS = {
  conservative: 'Conservative',
  labour: 'Labour',
  'liberal-democrat': 'Liberal Democrat',
  green: 'Green',
  independent: 'Independent',
  'no-overall-control': 'No overall control',
  other: 'Other',
} as const

export const CHALLENGE_TYPES = {
  corporate: 'Corporate peer challenge',
  finance: 'Finance peer challenge',
  governance: 'Governance peer challenge',
  planning: 'Planning peer challenge',
  'childrens-services': "Children's services peer challenge",
  'adult-social-care': 'Adult social care peer challenge',
  'bespoke-support': 'Bespoke support',
} as const

export const SPEAKERS = {
  leader: 'Leader',
  'chief-executive': 'Chief executive',
  'deputy-leader': 'Deputy leader',
  'cabinet-member': 'Cabinet member',
  'senior-officer': 'Senior officer',
  peer: 'Peer',
} as const

export type CouncilType = keyof typeof COUNCIL_TYPES
export type Region = keyof typeof REGIONS
export type PoliticalControl = keyof typeof POLITICAL_CONTROLS
export type ChallengeType = keyof typeof CHALLENGE_TYPES
export type Speaker = keyof typeof SPEAKERS

export const keysOf = <T extends Record<string, string>>(record: T): [keyof T & string, ...(keyof T & string)[]] =>
  Object.keys(record) as [keyof T & string, ...(keyof T & string)[]]

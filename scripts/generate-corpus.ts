/**
 * A deterministic generator of synthetic (fictional) sector-led improvement stories, for the
 * performance benchmarks and for tests that need a large, valid content folder.
 *
 *   npx tsx scripts/generate-corpus.ts --count 1000 --seed 42 --out /tmp/corpus-1000 [--force]
 *     [--profile standard|heavy]
 *
 * writes <out>/stories/<slug>.md and <out>/themes.yml, a folder usable as CONTENT_DIR.
 * The same seed and count always give byte-identical output: the only randomness is a seeded
 * mulberry32 generator, and every date comes from fixed ranges (never the clock).
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { stringify } from 'yaml'
import {
  CHALLENGE_TYPES,
  POLITICAL_CONTROLS,
  REGIONS,
  type ChallengeType,
  type CouncilType,
  type PoliticalControl,
  type Region,
  type Speaker,
} from '../src/content/vocabulary.js'

// ---------------------------------------------------------------------------------------------
// Seeded randomness
// ---------------------------------------------------------------------------------------------

/** mulberry32: a small, fast 32-bit PRNG; good enough for synthetic text, not for secrets. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Mixes the seed with a stream number so each story has its own independent generator. */
function mixSeed(seed: number, stream: number): number {
  let h = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(stream + 1, 0x85ebca6b)) >>> 0
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0
  return (h ^ (h >>> 16)) >>> 0
}

class Rng {
  readonly next: () => number
  constructor(seed: number) {
    this.next = mulberry32(seed)
  }
  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }
  chance(p: number): boolean {
    return this.next() < p
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T
  }
  /** Picks from a list with Zipf-like weights: the first items are much more frequent. */
  zipf<T>(list: ZipfList<T>): T {
    const r = this.next() * list.total
    const cum = list.cumulative
    let lo = 0
    let hi = cum.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if ((cum[mid] as number) < r) lo = mid + 1
      else hi = mid
    }
    return list.items[lo] as T
  }
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    let total = 0
    for (const [, w] of entries) total += w
    let r = this.next() * total
    for (const [item, w] of entries) {
      r -= w
      if (r < 0) return item
    }
    return (entries[entries.length - 1] as readonly [T, number])[0]
  }
  /** k distinct items, in random order (partial Fisher–Yates on a copy). */
  sample<T>(items: readonly T[], k: number): T[] {
    const copy = items.slice()
    const n = Math.min(k, copy.length)
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(this.next() * (copy.length - i))
      const tmp = copy[i] as T
      copy[i] = copy[j] as T
      copy[j] = tmp
    }
    return copy.slice(0, n)
  }
}

interface ZipfList<T> {
  items: readonly T[]
  cumulative: Float64Array
  total: number
}

/** Weights 1 / (rank + offset)^exponent: a larger offset flattens the head of the list. */
function zipfList<T>(items: readonly T[], exponent = 1, offset = 0): ZipfList<T> {
  const cumulative = new Float64Array(items.length)
  let total = 0
  for (let i = 0; i < items.length; i++) {
    total += 1 / Math.pow(i + 1 + offset, exponent)
    cumulative[i] = total
  }
  return { items, cumulative, total }
}

const words = (s: string): string[] =>
  s
    .trim()
    .split(/\s*\|\s*|\n+/)
    .filter(Boolean)

// ---------------------------------------------------------------------------------------------
// Themes
// ---------------------------------------------------------------------------------------------

export const THEMES = [
  {
    slug: 'vision-and-place',
    title: 'Vision and place',
    description:
      'A shared, ambitious vision for the place and its residents, understood by councillors, staff and partners, and used to set priorities.',
  },
  {
    slug: 'political-leadership',
    title: 'Political leadership',
    description:
      'How leaders, cabinets and groups lead the council, work across parties and hold a clear direction through elections and change.',
  },
  {
    slug: 'governance-and-culture',
    title: 'Governance and culture',
    description:
      'Decision-making, scrutiny, standards and the relationships between members and officers that make good governance work in practice.',
  },
  {
    slug: 'financial-sustainability',
    title: 'Financial sustainability',
    description:
      'Balancing the budget, a credible medium-term financial strategy, reserves, savings plans and financial grip across the organisation.',
  },
  {
    slug: 'commercial-approach',
    title: 'Commercial approach',
    description:
      'Income generation, trading companies, investment, procurement and a commercial mindset balanced against risk and public value.',
  },
  {
    slug: 'transformation',
    title: 'Transformation',
    description:
      'Redesigning services and the organisation: digital, customer access, operating models and the programme management to deliver them.',
  },
  {
    slug: 'capacity-and-senior-team',
    title: 'Capacity and senior team',
    description:
      'The capacity of the corporate centre and the senior leadership team, recruitment, interim cover and organisational resilience.',
  },
  {
    slug: 'outward-focus-and-partnership',
    title: 'Outward focus and partnership',
    description:
      'Working with health, police, business, the voluntary sector, neighbouring councils and residents to achieve more than the council could alone.',
  },
  {
    slug: 'learning-culture',
    title: 'Learning culture',
    description:
      'Openness to challenge, self-assessment, learning from others and using evidence and feedback to keep improving.',
  },
  {
    slug: 'recovery-from-difficulty',
    title: 'Recovery from difficulty',
    description:
      'Councils that faced intervention, failing inspections, financial crisis or breakdown in relationships, and how they recovered.',
  },
  {
    slug: 'peer-challenge-process',
    title: 'Peer challenge process',
    description:
      'Preparing for a peer challenge, working with the peer team, the position statement, feedback, action planning and the progress review.',
  },
  {
    slug: 'service-improvement',
    title: 'Service improvement',
    description:
      'Better outcomes in specific services such as planning, housing, children’s services and adult social care, and how they were achieved.',
  },
] as const

export const THEME_SLUGS: readonly string[] = THEMES.map((t) => t.slug)

export const themesYaml: string = stringify(
  THEMES.map((t) => ({ slug: t.slug, title: t.title, description: t.description })),
  { version: '1.1' },
)

// ---------------------------------------------------------------------------------------------
// Councils
// ---------------------------------------------------------------------------------------------

const NAME_STARTS = words(`
Ash | Mar | Kettle | Bram | Hol | Wether | Strat | Elm | Thorn | Crow | Fen | Hart | Lang | Oak |
Red | Stan | Wil | Brock | Dun | Gal | Kings | Nether | Salt | Wold | Alder | Bex | Cald | Dor |
Eg | Fal | Gis | Hal | Ick | Kirk | Lud | Mel | Nor | Ot | Pen | Quen | Ros | Shel | Tad | Ux |
Wend | Yar | Ab | Beck | Chil | Dray | Ever | Frome | Glen | Hep | Ivy | Lam | Mow | Nun | Or |
Pol | Rad | Sed | Tew | Ulver | Wick | Bur | Cran | Ditch | Emble | Fox | Gold | Hay | Lin | Maw`)

const NAME_MIDDLES = ['', '', '', '', 'er', 'ing', 'el', 'en', 'ton', 'ham', 'ley', 'ow', 'ers']

const NAME_ENDS = words(`
combe | by | wick | ford | ham | ton | field | ley | bury | mouth | dale | thorpe | stead |
worth | minster | cester | borough | well | gate | hurst | marsh | moor | brook | cliffe | den |
holme | lode | mere | shaw | stow | wold | haven | leigh | ridge | wood | bourne | caster`)

const AFFIXES = ['North ', 'South ', 'East ', 'West ', 'Upper ', 'Great ', 'Little ', 'Mid ']
const HYPHEN_TAILS = [
  '-on-Sea',
  '-on-Trent',
  '-le-Dale',
  '-under-Edge',
  '-upon-Wold',
  '-by-the-Sea',
]
/** A few fictional names with accents and hyphens, for search and slug edge cases. */
const SPECIAL_NAMES = words(`
Pen-y-Môr | Llandŵr | Aber-Côr | Bryn-y-Fân | Tre-Gŵyn | Cwm-Ysgôl | Nant-y-Rhôs | Maes-Dŵr |
Caer-Lûn | Porth-Ên`)

const REGION_KEYS = Object.keys(REGIONS) as Region[]
const CONTROL_KEYS = Object.keys(POLITICAL_CONTROLS) as PoliticalControl[]
const CHALLENGE_KEYS = Object.keys(CHALLENGE_TYPES) as ChallengeType[]

const NON_LONDON = REGION_KEYS.filter((r) => r !== 'london')
const METROPOLITAN_REGIONS: Region[] = [
  'north-east',
  'north-west',
  'yorkshire-and-the-humber',
  'west-midlands',
]

interface Council {
  /** The place name, e.g. "Ashcombe". */
  place: string
  /** The full name as written in frontmatter, e.g. "Ashcombe District Council". */
  name: string
  /** Slug of the place name, used in story slugs. */
  slug: string
  type: CouncilType
  region: Region
  control: PoliticalControl
}

export function slugify(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
}

function councilName(place: string, type: CouncilType, rng: Rng): string {
  switch (type) {
    case 'county':
      return rng.chance(0.5) && /^[A-Za-z]+$/.test(place) && !place.endsWith('shire')
        ? `${place}shire County Council`
        : `${place} County Council`
    case 'district':
      return rng.chance(0.6) ? `${place} District Council` : `${place} Borough Council`
    case 'unitary':
      return rng.weighted([
        [`${place} Council`, 3],
        [`${place} Borough Council`, 2],
        [`City of ${place} Council`, 1],
        [`${place} City Council`, 1],
      ])
    case 'metropolitan-borough':
      return rng.chance(0.8) ? `${place} Metropolitan Borough Council` : `${place} City Council`
    case 'london-borough':
      return rng.chance(0.85) ? `London Borough of ${place}` : `Royal Borough of ${place}`
    case 'combined-authority':
      return rng.chance(0.5) ? `${place} Combined Authority` : `Greater ${place} Combined Authority`
    case 'other':
      return rng.pick([
        `${place} Fire and Rescue Authority`,
        `${place} National Park Authority`,
        `${place} Waste Partnership`,
      ])
  }
}

function regionFor(type: CouncilType, rng: Rng): Region {
  if (type === 'london-borough') return 'london'
  if (type === 'metropolitan-borough') return rng.pick(METROPOLITAN_REGIONS)
  return rng.pick(NON_LONDON)
}

function makePlace(rng: Rng): string {
  if (rng.chance(0.03)) return rng.pick(SPECIAL_NAMES)
  let base = rng.pick(NAME_STARTS) + rng.pick(NAME_MIDDLES) + rng.pick(NAME_ENDS)
  base = base.replace(/(.)\1\1/g, '$1$1')
  if (rng.chance(0.08)) base = rng.pick(AFFIXES) + base
  else if (rng.chance(0.05)) base = base + rng.pick(HYPHEN_TAILS)
  return base
}

/**
 * A pool of fictional councils. The first councils cover every type and region so any corpus
 * of a few dozen stories uses them all; story selection is Zipf-weighted, so some councils
 * have several stories and many have one.
 */
function makeCouncils(count: number, rng: Rng): Council[] {
  const size = Math.max(12, Math.min(3000, Math.ceil(count / 2.5)))
  const councils: Council[] = []
  const usedSlugs = new Set<string>()
  const coverage: [CouncilType, Region][] = [
    ['county', 'south-east'],
    ['district', 'east-of-england'],
    ['unitary', 'south-west'],
    ['metropolitan-borough', 'north-west'],
    ['london-borough', 'london'],
    ['combined-authority', 'west-midlands'],
    ['other', 'east-midlands'],
    ['metropolitan-borough', 'yorkshire-and-the-humber'],
    ['unitary', 'north-east'],
  ]
  const typeWeights: [CouncilType, number][] = [
    ['district', 30],
    ['unitary', 18],
    ['county', 8],
    ['metropolitan-borough', 12],
    ['london-borough', 10],
    ['combined-authority', 2],
    ['other', 2],
  ]
  const controlWeights: [PoliticalControl, number][] = [
    ['conservative', 30],
    ['labour', 30],
    ['no-overall-control', 22],
    ['liberal-democrat', 10],
    ['independent', 5],
    ['green', 2],
    ['other', 1],
  ]
  let attempts = 0
  while (councils.length < size) {
    attempts++
    let place = makePlace(rng)
    if (attempts > size * 20) place = `${place} ${councils.length + 1}` // never reached in practice
    const slug = slugify(place)
    if (usedSlugs.has(slug)) continue
    usedSlugs.add(slug)
    const forced = coverage[councils.length]
    const type = forced ? forced[0] : rng.weighted(typeWeights)
    const region = forced ? forced[1] : regionFor(type, rng)
    const control =
      councils.length < CONTROL_KEYS.length
        ? (CONTROL_KEYS[councils.length] as PoliticalControl)
        : rng.weighted(controlWeights)
    councils.push({ place, name: councilName(place, type, rng), slug, type, region, control })
  }
  return councils
}

// ---------------------------------------------------------------------------------------------
// Vocabulary for narratives: ordered roughly by how common the words should be
// ---------------------------------------------------------------------------------------------

const NOUNS = zipfList(
  words(`
council | budget | leadership | culture | partnership | scrutiny | workforce | strategy | vision |
community | governance | performance | capacity | improvement | transformation | place | change |
decision-making | engagement | delivery | resilience | accountability | trust | ambition | housing |
regeneration | planning | well-being | prevention | savings | investment | income | procurement |
consultation | oversight | risk management | assurance | inspection | audit | recruitment |
retention | the constitution | the corporate plan | the medium-term financial strategy |
the capital programme | the operating model | customer service | digital inclusion | climate action |
the local plan | economic development | public health | social value | co-production | devolution |
the housing revenue account | commissioning | safeguarding | early help | homelessness |
the waste contract | asset management | estate rationalisation | the transformation programme |
member development | officer support | the cabinet system | the committee system | the forward plan |
the annual governance statement | internal audit | the section 151 role | the monitoring officer role |
the improvement board | the action plan | the position statement | the self-assessment |
the progress review | morale | communication | evidence | data | insight | benchmarking | feedback |
the town centre | the high street | the local economy | skills | the visitor economy | transport |
infrastructure | flood resilience | the market town | rural services | tenant engagement |
the leisure trust | the trading company | the housing company | the joint venture | shared services |
the integrated care board | the police and crime commissioner | the voluntary sector | the parish councils |
the business improvement district | the local enterprise partnership | the health and wellbeing board |
overview and scrutiny | the audit committee | the standards committee | the planning committee |
the scheme of delegation | the officer code | the member code of conduct | rapport | candour | grip |
pace | momentum | focus | clarity | confidence | humility | curiosity | openness | stability |
continuity | succession planning | the interim arrangements | the peer team | the review | the façade`),
  0.9,
)

const PLURALS = zipfList(
  words(`
residents | councillors | officers | partners | staff | members | peers | managers | services |
priorities | communities | businesses | tenants | families | young people | older people |
carers | schools | providers | colleagues | directors | heads of service | cabinet members |
ward councillors | parish councils | town councils | neighbouring councils | district councils |
health partners | voluntary groups | community groups | faith groups | landlords | developers |
contractors | auditors | inspectors | trade unions | apprentices | graduates | volunteers |
local employers | housing associations | social workers | planners | commissioners | regulators |
opposition groups | group leaders | the political groups | front-line teams | service users`),
  0.9,
)

const ADJECTIVES = zipfList(
  words(`
clear | strong | shared | new | honest | ambitious | difficult | open | corporate | political |
financial | realistic | sustainable | effective | collective | cross-party | long-term |
medium-term | short-term | constructive | practical | visible | stable | consistent | robust |
credible | resilient | focused | outward-looking | inward-looking | place-based | evidence-based |
high-performing | council-wide | front-line | member-led | officer-led | resident-focused |
transparent | confident | fragile | challenging | significant | modest | bold | careful |
pragmatic | candid | frank | inclusive | joined-up | well-run | under-resourced | over-stretched |
self-aware | forward-looking | deliberate | unglamorous | patient | relentless | generous | naïve |
rigorous | structured | informal | formal | external | internal | independent | impartial`),
  0.85,
)

const VERBS = zipfList(
  words(`
agreed | built | changed | developed | improved | delivered | reviewed | strengthened | created |
introduced | set out | worked through | invested in | rebuilt | reshaped | simplified | refreshed |
tested | challenged | prioritised | published | adopted | launched | restructured | streamlined |
clarified | reset | redesigned | shared | embedded | tackled | secured | recruited | retained |
commissioned | consulted on | co-produced | stabilised | scrutinised | modernised | rationalised |
re-prioritised | revisited | championed | accelerated | piloted | mapped | measured | benchmarked`),
  0.9,
)

const ADVERBS = zipfList(
  words(`
quickly | openly | carefully | deliberately | honestly | gradually | steadily | collectively |
consistently | genuinely | visibly | properly | jointly | patiently | decisively | quietly |
frankly | candidly | systematically | relentlessly`),
  0.9,
)

const RARE = zipfList(
  words(`
bellwether | lodestar | keystone | scaffolding | ballast | compass | groundwork | bedrock |
catalyst | springboard | yardstick | touchstone | crucible | watershed | inflection | tipping point |
blind spot | comfort zone | silo | bottleneck | backlog | legacy | patchwork | jigsaw | tapestry |
undercurrent | headwind | tailwind | runway | cliff edge | horizon | roadmap | milestone | heartbeat |
thermostat | pulse check | health check | deep dive | stocktake | reset | refresh | recalibration |
stewardship | custodianship | place-shaping | placemaking | step-change | follow-up | self-evaluation |
co-design | double-running | cross-subsidy | invest-to-save | one-council | whole-system |
neighbourhood working | locality model | hub-and-spoke | café | communiqué | régime | début`),
  0.7,
)

const SERVICES = zipfList(
  words(`
adult social care | children's services | planning | housing | waste and recycling | highways |
libraries | leisure | revenues and benefits | environmental health | licensing | building control |
parks and open spaces | customer services | special educational needs | public protection |
regulatory services | street cleansing | car parking | the crematorium`),
  1,
)

const FIRST_NAMES = words(`
Sarah | James | Amina | David | Helen | Rajesh | Claire | Michael | Fiona | Tom | Priya | Gareth |
Joanne | Sanjay | Rachel | Owen | Bethan | Kwame | Nicola | Ian | Aisling | Marcus | Zoë | Ciarán |
Hannah | Paul | Yasmin | Andrew | Gwen | Tariq | Louise | Chris | Siân | Ruth | Adebayo | Eleanor`)

const LAST_NAMES = words(`
Ashworth | Patel | Hughes | Okafor | Thornton | Bennett | Khan | Morgan | Fletcher | Singh |
Davies | Whitfield | Clarke | O'Neill | Harrison | Mensah | Lloyd | Kaur | Pritchard | Begum |
Armitage | Robertson | Fenwick | Ellis | Chowdhury | Marsden | Nwosu | Brightwell | Llewellyn |
Shah | Dobson | Renwick | Ahmed | Fairbairn | Gallagher | Sutcliffe`)

// ---------------------------------------------------------------------------------------------
// Templates
// ---------------------------------------------------------------------------------------------

interface Ctx {
  rng: Rng
  council: Council
  challenge: ChallengeType
  year: number
}

const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1)
const stripThe = (s: string): string => s.replace(/^the /, '')

/**
 * Fills {slots} in a template. Slots: noun, nouns (plural), adj, verb, adv, rare, service,
 * council, place, year, later (a later year), challenge (its label), n (a small number),
 * pct (a percentage), money (an amount), control (political control label).
 */
function fill(template: string, ctx: Ctx): string {
  const { rng } = ctx
  return template.replace(/\{(\w+)\}/g, (_m, slot: string) => {
    switch (slot) {
      case 'noun':
        return rng.zipf(NOUNS)
      case 'barenoun':
        return stripThe(rng.zipf(NOUNS))
      case 'nouns':
        return rng.zipf(PLURALS)
      case 'adj':
        return rng.zipf(ADJECTIVES)
      case 'verb':
        return rng.zipf(VERBS)
      case 'adv':
        return rng.zipf(ADVERBS)
      case 'rare':
        return rng.zipf(RARE)
      case 'service':
        return rng.zipf(SERVICES)
      case 'council':
        return ctx.council.name
      case 'place':
        return ctx.council.place
      case 'year':
        return String(ctx.year)
      case 'later':
        return String(Math.min(2026, ctx.year + rng.int(1, 3)))
      case 'challenge':
        return CHALLENGE_TYPES[ctx.challenge].toLowerCase()
      case 'n':
        return String(rng.int(2, 12))
      case 'pct':
        return String(rng.int(3, 60))
      case 'money':
        return `£${rng.int(1, 40)}${rng.chance(0.3) ? `.${rng.int(1, 9)}` : ''} million`
      case 'control':
        return controlPhrase(ctx.council.control)
      default:
        throw new Error(`unknown slot {${slot}}`)
    }
  })
}

const SENTENCES = zipfList(
  words(`
{Council} {verb} the {barenoun} with {nouns} over {n} months.
The {barenoun} was {adj}, but the {barenoun} was not.
The peers told us that our {barenoun} needed to be {adj} and {adj}.
We {verb} the {barenoun} and {verb} the way {nouns} worked together.
By {later} the council had {verb} its {barenoun} and {verb} its {barenoun}.
{Nouns} said the {barenoun} felt more {adj} than it had for years.
The {challenge} in {year} gave us an {adj} view of our {barenoun}.
We were {adj} about where we were, and that mattered more than anything else.
Sector-led improvement only works if a council is willing to hear difficult messages.
As a council under no overall control, every decision needed cross-party support.
The {adj} {barenoun} helped {nouns} and {nouns} see the same picture.
Without {adj} {barenoun}, {nouns} would have struggled to keep pace.
A small team {adv} {verb} the {barenoun}, which became a {rare} for the rest of the organisation.
The {barenoun} in {service} improved by {pct} per cent over {n} years.
We saved {money} while protecting {service} and {service}.
{Nouns} and {nouns} {adv} {verb} a {adj} plan for {place}.
The leader and chief executive met weekly to review the {barenoun}.
The peers told us what we needed to hear, not what we wanted to hear.
Looking back, the {barenoun} was the {rare} that everything else depended on.
Our {barenoun} had become {adj}, and {nouns} could see it.
In {service}, {nouns} {verb} the {barenoun} and the {barenoun}.
The improvement board met every {n} weeks and {adv} {verb} the action plan.
Group leaders agreed a {adj} protocol for how {nouns} and {nouns} would work together.
{Place} is a {adj} place with {adj} {nouns} and a {adj} {barenoun}.
We {adv} {verb} our approach to {service} after listening to {nouns}.
The {rare} came when {nouns} {verb} the {barenoun} together.
This was not a quick fix: it took {n} years of {adj} work.
The {adj} {barenoun} gave {nouns} the confidence to take {adj} decisions.
We learned that {barenoun} and {barenoun} go hand in hand.
Spending on {service} rose by {pct} per cent, so the {barenoun} had to change.
The section 151 officer and the monitoring officer {adv} {verb} the {barenoun}.
Councillors from all groups {verb} the {barenoun}.
A {adj} {rare} was needed, and the peer challenge provided it.
{Nouns} told the peers that the {barenoun} was {adj} but {adj}.
The progress review {n} months later found {adj} evidence of change.
We published the feedback report in full and {verb} an action plan within {n} weeks.
Nobody pretended the {barenoun} was easy, but everyone agreed it was necessary.
It was the first time in years that {nouns} had {verb} the {barenoun} together.
Under {control}, the {barenoun} had been {adj} and {adj}.
Other councils have since visited {place} to see how we {verb} the {barenoun}.
The Local Government Association and the regional peer team {verb} the {barenoun}.`),
  0.8,
)

/** Random-ish prose from the vocabulary alone, for a long tail of word combinations. */
const FREE_SENTENCES = words(`
{Adj} {barenoun}, {adj} {barenoun} and a {adj} {rare}.
{Nouns} {verb} {noun}; {nouns} {verb} {noun}.
The {rare} of {barenoun} was {adj} {barenoun} in {service}.
{Adv}, {nouns} {verb} {noun} and {noun}.`)

const HEADINGS_OPEN = words(`
Background | The context | Where we started | The place and the council | Setting the scene |
Why we asked for a peer challenge`)
const HEADINGS_MIDDLE = words(`
What the peers found | The challenge | What we did | Leadership and culture | Working with partners |
Getting a grip on the finances | Governance and decision-making | Building capacity |
Listening to residents | Members and officers together | The action plan | Making it stick |
Investing in our people | A commercial approach | Transforming services | Recovering confidence |
Scrutiny and challenge | The role of the peers | Place-shaping in practice | Early wins |
Difficult decisions | Medium-term financial planning | Cross-party working`)
const HEADINGS_CLOSE = words(`
The difference it made | Lessons for other councils | What's next | Reflections |
What we would do differently | Looking ahead | Impact and outcomes`)

const LIST_ITEMS = words(`
a {adj} {barenoun} agreed by full council
{adv} reviewing the {barenoun} every {n} months
a new {barenoun} for {service}
{n} workshops with {nouns} and {nouns}
a {adj} protocol between {nouns} and {nouns}
savings of {money} over {n} years
training for {nouns} on {barenoun}
a refreshed {barenoun}
a {adj} approach to {barenoun}
quarterly reports on {barenoun} to the cabinet
the peers told us to {verb2} the {barenoun}`)

// {verb2} needs an infinitive: handled by a small separate list.
const INFINITIVES = words(`
simplify | strengthen | rethink | prioritise | refresh | reset | revisit | streamline | clarify`)

const QUOTE_SENTENCES: Partial<Record<Speaker, string[]>> & { any: string[] } = {
  any: words(`
The peers told us what we needed to hear, not what we wanted to hear.
We had to be {adj} about the {barenoun}, and that was uncomfortable.
Sector-led improvement is about councils helping councils, and it worked for us.
It gave us permission to talk about the {barenoun} {adv}.
The {barenoun} is now {adj} in a way it simply wasn't before.
I would say to any council: invite the peers in and listen.
We are a very different organisation from the one the peers met in {year}.
The {challenge} was a turning point for {place}.
{Nouns} now trust us to deliver.
Our {barenoun} is {adj} because {nouns} built it together.
Don't wait for a crisis before you ask for a peer challenge.
The hardest part was admitting the {barenoun} wasn't working.`),
  leader: words(`
As leader, my job was to hold the {barenoun} steady while everything else changed.
Being under no overall control meant we had to build consensus every step of the way.
I wanted every councillor to own the {barenoun}, not just the cabinet.
The group leaders sat round the same table, which hadn't happened for years.`),
  'chief-executive': words(`
My first job was to get the senior team working as one team.
We had to fix the basics before we could talk about ambition.
The officers needed to know the {barenoun} would still be there after the next election.
I asked the peers to be brutal with us, and they were kind enough to be honest.`),
  peer: words(`
What struck the peer team was the {adj} commitment of {nouns} to {place}.
We saw a council that was {adj} about its {barenoun} and willing to act.
Our feedback focused on the {barenoun}, because everything else depended on it.`),
  'cabinet-member': words(`
In {service}, the {barenoun} made a real difference to {nouns}.
As portfolio holder I could finally see the data I needed.`),
  'senior-officer': words(`
Staff noticed the difference in the {barenoun} within months.
We stopped working in silos and started working on outcomes.`),
  'deputy-leader': words(`
Cross-party working on the {barenoun} was the thing I am proudest of.
We took the {adj} decisions together, in public.`),
}

const SUMMARIES = words(`
How {council} used a {challenge} in {year} to rebuild its {barenoun} and regain the confidence of {nouns}.
{Council} turned a {adj} {challenge} into a {adj} plan for {place}.
After a {challenge} in {year}, {council} {verb} its {barenoun} and {verb} its {barenoun}.
A {adj} story of sector-led improvement from {place}: {barenoun}, {barenoun} and {barenoun}.
How leaders in {place} worked across parties to strengthen {barenoun} after {year}.
{Council} acted on the peers' feedback to improve {service} and its {barenoun}.`)

const TITLES = words(`
How {place} rebuilt its {barenoun}
{Place}: from no overall control to a shared vision
Getting a grip on {barenoun} in {place}
{Council} and the {challenge}
A {adj} reset for {place}
Turning feedback into action in {place}
Sector-led improvement in {place}
{Place}'s journey to a {adj} {barenoun}
What {place} learned about {barenoun}
Rebuilding trust in {place} after {year}
{Place}: {adj} leadership, {adj} results
Improving {service} in {place}`)

const IMPACTS = words(`
{Pct}% reduction in agency spend within {n} months
A balanced budget for {n} consecutive years without using reserves
{Money} of savings delivered against a target of {money}
A new corporate plan agreed by full council with cross-party support
Staff survey engagement up {pct} percentage points
{Service} rated good at its next inspection
Permanent senior leadership team in place after {n} years of interim cover
Time to determine planning applications cut by {pct}%
Resident satisfaction up from {pct}% to {pct}%
A shared service with a neighbouring council saving {money} a year
{N} actions from the peer challenge completed within a year
Scrutiny committee work programme refreshed and focused on outcomes
A new partnership board with health, police and the voluntary sector
Complaints upheld by the ombudsman down by {pct}%
Member development programme taken up by {pct}% of councillors
A {adj} {barenoun} adopted and published
Progress review found the council had {verb} its {barenoun}
Income from commercial activity up {money} a year`)

// ---------------------------------------------------------------------------------------------
// Story assembly
// ---------------------------------------------------------------------------------------------

/** Words as search would count them: letters/digits, allowing internal hyphens and apostrophes. */
const WORD_RE = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu
export function countWords(text: string): number {
  let n = 0
  WORD_RE.lastIndex = 0
  while (WORD_RE.exec(text) !== null) n++
  return n
}

function controlPhrase(control: PoliticalControl): string {
  switch (control) {
    case 'no-overall-control':
      return 'no overall control'
    case 'other':
      return 'a coalition administration'
    case 'independent':
      return 'an Independent administration'
    default:
      return `a ${POLITICAL_CONTROLS[control]} administration`
  }
}

/** Words after which "a" is right even though they start with a vowel, and vice versa. */
const A_BEFORE_VOWEL = /^(one|uni|use|eu)/i
const AN_BEFORE_CONSONANT = /^(honest|hour)/i

/** Makes "a"/"an" agree with the word that follows. */
function fixArticles(text: string): string {
  return text.replace(
    /(?<![\p{L}\p{N}'’-])([Aa])n? (?=([\p{L}£\d]+))/gu,
    (_m, a: string, next: string) => {
      const vowel = /^[aeiou]/i.test(next)
        ? !A_BEFORE_VOWEL.test(next)
        : AN_BEFORE_CONSONANT.test(next) || /^(8\d*|11|18)$/.test(next)
      return vowel ? `${a}n ` : `${a} `
    },
  )
}

/** "no overall control" sentences read wrongly about a council with a majority. */
function suits(template: string, ctx: Ctx): boolean {
  return ctx.council.control === 'no-overall-control' || !template.includes('no overall control')
}

/**
 * Expands a template where slots may be capitalised ({Nouns}) to request an initial capital.
 */
function expand(template: string, ctx: Ctx): string {
  if (template.includes('{verb2}')) {
    template = template.replace(/\{verb2\}/g, () => ctx.rng.pick(INFINITIVES))
  }
  const filled = template.replace(/\{(\w)(\w*)\}/g, (_m, first: string, rest: string) => {
    const lower = `{${first.toLowerCase()}${rest}}`
    const value = fill(lower, ctx)
    return first === first.toUpperCase() ? capitalise(value) : value
  })
  return fixArticles(filled)
}

/** Picks a template that suits the council, trying a few times. */
function pickSuited(pick: () => string, ctx: Ctx): string {
  let template = pick()
  for (let i = 0; i < 4 && !suits(template, ctx); i++) template = pick()
  return suits(template, ctx) ? template : 'The {barenoun} mattered to {nouns}.'
}

function sentence(ctx: Ctx): string {
  const { rng } = ctx
  if (rng.chance(0.12)) return expand(rng.pick(FREE_SENTENCES), ctx)
  return expand(
    pickSuited(() => rng.zipf(SENTENCES), ctx),
    ctx,
  )
}

function buildBody(ctx: Ctx, target: number): string {
  const { rng } = ctx
  const blocks: string[] = []
  let wordCount = 0
  const push = (block: string) => {
    blocks.push(block)
    wordCount += countWords(block)
  }
  /** Up to maxSentences sentences, stopping once they hold at least minWords words. */
  const paragraph = (maxSentences: number, minWords: number): string => {
    const parts: string[] = []
    let n = 0
    while (parts.length < maxSentences && (parts.length === 0 || n < minWords)) {
      const s = sentence(ctx)
      parts.push(s)
      n += countWords(s)
    }
    return parts.join(' ')
  }
  const middles = rng.sample(HEADINGS_MIDDLE, HEADINGS_MIDDLE.length)
  let middleIndex = 0
  const closing = rng.pick(HEADINGS_CLOSE)
  const closingBudget = 60

  push(`## ${rng.pick(HEADINGS_OPEN)}`)
  let sectionParagraphs = 0
  let lastWasList = false
  while (wordCount < target - closingBudget) {
    if (sectionParagraphs >= 2 && rng.chance(0.4) && middleIndex < middles.length) {
      push(`## ${middles[middleIndex++] as string}`)
      sectionParagraphs = 0
    }
    if (sectionParagraphs > 0 && !lastWasList && rng.chance(0.12)) {
      lastWasList = true
      const ordered = rng.chance(0.3)
      const items = rng.sample(LIST_ITEMS, rng.int(3, 6))
      push(items.map((item, i) => `${ordered ? `${i + 1}.` : '-'} ${expand(item, ctx)}`).join('\n'))
    } else {
      lastWasList = false
      push(paragraph(rng.int(2, 6), target - wordCount))
    }
    sectionParagraphs++
  }
  push(`## ${closing}`)
  push(paragraph(Infinity, Math.max(1, target - wordCount)))
  return blocks.join('\n\n')
}

function quoteText(speaker: Speaker, ctx: Ctx): string {
  const { rng } = ctx
  const own = QUOTE_SENTENCES[speaker] ?? []
  const pool = own.length > 0 && rng.chance(0.45) ? own : QUOTE_SENTENCES.any
  const target = rng.weighted<number>([
    [60, 3],
    [150, 4],
    [260, 2],
    [380, 1],
  ])
  let text = expand(
    pickSuited(() => rng.pick(pool), ctx),
    ctx,
  )
  for (let guard = 0; text.length < target && guard < 8; guard++) {
    const next = rng.chance(0.6)
      ? expand(
          pickSuited(() => rng.pick(QUOTE_SENTENCES.any), ctx),
          ctx,
        )
      : sentence(ctx)
    if (text.length + 1 + next.length > 400) break
    text = `${text} ${next}`
  }
  return text.length > 400 ? `${text.slice(0, 396).replace(/\s+\S*$/, '')}…` : text
}

function personName(rng: Rng): string {
  return `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`
}

function speakerName(speaker: Speaker, ctx: Ctx): string {
  const { rng } = ctx
  const person = personName(rng)
  switch (speaker) {
    case 'leader':
    case 'deputy-leader':
    case 'cabinet-member':
      return `Councillor ${person}`
    case 'peer':
      return `${person}, ${rng.pick(['member peer', 'officer peer', 'lead peer', 'chief executive peer'])}`
    default:
      return person
  }
}

const SPEAKER_WEIGHTS: [Speaker, number][] = [
  ['leader', 32],
  ['chief-executive', 32],
  ['deputy-leader', 8],
  ['cabinet-member', 10],
  ['senior-officer', 10],
  ['peer', 8],
]

const DAY_MS = 86_400_000
const PUBLISHED_MIN = Date.UTC(2018, 0, 1) / DAY_MS
const PUBLISHED_MAX = Date.UTC(2026, 5, 30) / DAY_MS
const isoDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10)

/** Limits a template-built string to max characters, at a word boundary. */
function limit(text: string, max: number): string {
  if (text.length <= max) return text
  return text.slice(0, max).replace(/[\s,:;]+\S*$/, '')
}

export interface GeneratedStory {
  /** `<slug>.md` */
  fileName: string
  /** The whole file: YAML frontmatter between `---` fences, then the Markdown narrative. */
  text: string
  quoteCount: number
  /** Words in the narrative, as countWords counts them. */
  wordCount: number
}

/**
 * The shape of the stories: `standard`, narratives of 320 to about 1,400 words (skewed short)
 * with 4 to 12 quotes; `heavy`, about 1,400 words of narrative (1,300 to 1,500) and 8 quotes
 * each, in the range real case studies have.
 */
export type CorpusProfile = 'standard' | 'heavy'
export const CORPUS_PROFILES: readonly CorpusProfile[] = ['standard', 'heavy']

export interface GenerateOptions {
  count: number
  seed: number
  profile?: CorpusProfile
}

/** Generates the stories in memory. Deterministic: same options, same output. */
export function generateCorpus({
  count,
  seed,
  profile = 'standard',
}: GenerateOptions): GeneratedStory[] {
  if (!Number.isInteger(count) || count < 0) throw new Error('count must be a whole number >= 0')
  // Stream -1 is the council pool; stories use streams 0..count-1.
  const councilRng = new Rng(mixSeed(seed, -1))
  const councils = makeCouncils(count, councilRng)
  // Offset Zipf: the busiest council has roughly 1–2% of the stories, most have one to three.
  const councilPicker = zipfList(councils, 1, Math.max(5, Math.round(councils.length / 20)))
  const slugCounters = new Map<string, number>()
  const stories: GeneratedStory[] = []

  for (let i = 0; i < count; i++) {
    const rng = new Rng(mixSeed(seed, i))
    // The first stories take councils, challenge types and years in turn so every value appears.
    const council =
      i < councils.length && i < 12 ? (councils[i] as Council) : rng.zipf(councilPicker)
    const challenge =
      i < CHALLENGE_KEYS.length
        ? (CHALLENGE_KEYS[i] as ChallengeType)
        : rng.weighted<ChallengeType>([
            ['corporate', 45],
            ['finance', 12],
            ['governance', 10],
            ['planning', 8],
            ['childrens-services', 8],
            ['adult-social-care', 7],
            ['bespoke-support', 10],
          ])
    const year = i < 15 ? 2011 + i : rng.int(2011, 2025)
    const control =
      i < CONTROL_KEYS.length
        ? (CONTROL_KEYS[i] as PoliticalControl)
        : rng.chance(0.15)
          ? rng.pick(CONTROL_KEYS)
          : council.control
    const storyCouncil: Council = { ...council, control }
    const ctx: Ctx = { rng, council: storyCouncil, challenge, year }

    const key = `${council.slug}-${challenge}-${year}`
    const n = (slugCounters.get(key) ?? 0) + 1
    slugCounters.set(key, n)
    const slug = `${key}-${n}`

    const themeCount = rng.weighted<number>([
      [1, 2],
      [2, 4],
      [3, 4],
      [4, 2],
      [5, 1],
    ])
    const themes = rng.sample(THEME_SLUGS, themeCount)

    let title = limit(expand(rng.pick(TITLES), ctx), 120)
    if (title.length < 5) title = `The story of ${council.place}`
    let summary = expand(rng.pick(SUMMARIES), ctx)
    if (summary.length > 300) summary = limit(summary, 299)
    if (summary.length < 20) summary = `${summary} A story of sector-led improvement.`

    const impacts = rng.sample(IMPACTS, rng.int(3, 8)).map((t) => limit(expand(t, ctx), 300))

    const speakerCounts = new Map<Speaker, number>()
    const quoteCount = profile === 'heavy' ? 8 : rng.int(4, 12)
    const quotes = Array.from({ length: quoteCount }, () => {
      const speaker = rng.weighted(SPEAKER_WEIGHTS)
      const k = (speakerCounts.get(speaker) ?? 0) + 1
      speakerCounts.set(speaker, k)
      const quote: { id: string; speaker: Speaker; name?: string; text: string; theme?: string } = {
        id: `${speaker}-${k}`,
        speaker,
        text: quoteText(speaker, ctx),
      }
      if (rng.chance(0.5)) quote.name = speakerName(speaker, ctx)
      if (rng.chance(0.3)) quote.theme = rng.pick(themes)
      // Keys in a stable, readable order.
      return {
        id: quote.id,
        speaker: quote.speaker,
        ...(quote.name !== undefined ? { name: quote.name } : {}),
        text: quote.text,
        ...(quote.theme !== undefined ? { theme: quote.theme } : {}),
      }
    })

    const earliest = Math.max(PUBLISHED_MIN, Date.UTC(year, 2, 1) / DAY_MS)
    const publishedDay = rng.int(earliest, PUBLISHED_MAX)
    const updated = rng.chance(0.2) ? isoDay(rng.int(publishedDay, PUBLISHED_MAX)) : undefined
    const aliases = rng.chance(0.04) ? [`${council.slug}-${year}-${challenge}-${n}`] : undefined
    const reportUrl = rng.chance(0.5)
      ? `https://www.example.org/peer-challenge-reports/${slug}.pdf`
      : undefined

    const frontmatter = {
      title,
      council: council.name,
      councilType: council.type,
      region: council.region,
      ...(rng.chance(0.97) || i < CONTROL_KEYS.length ? { politicalControl: control } : {}),
      challenge: { type: challenge, year },
      themes,
      summary,
      impacts,
      quotes,
      published: isoDay(publishedDay),
      ...(updated !== undefined ? { updated } : {}),
      ...(aliases !== undefined ? { aliases } : {}),
      ...(reportUrl !== undefined ? { reportUrl } : {}),
    }

    // Standard: skewed towards shorter stories; the body overshoots its target by at most a few
    // sentences.
    const r = profile === 'heavy' ? 0 : rng.next()
    const targetWords =
      profile === 'heavy' ? rng.int(1300, 1480) : Math.round(320 + r * Math.sqrt(r) * 1060)
    const body = buildBody(ctx, targetWords)
    const wordCount = countWords(body)
    // version 1.1 output also quotes values a YAML 1.1 reader would misread (dates, yes/no).
    const yamlText = stringify(frontmatter, { version: '1.1' })
    stories.push({
      fileName: `${slug}.md`,
      text: `---\n${yamlText}---\n\n${body}\n`,
      quoteCount: quotes.length,
      wordCount,
    })
  }
  return stories
}

// ---------------------------------------------------------------------------------------------
// CLI
// ---------------------------------------------------------------------------------------------

function isEmptyDir(dir: string): boolean {
  return !existsSync(dir) || readdirSync(dir).length === 0
}

/** Writes a corpus into out/stories and out/themes.yml; returns totals for the summary line. */
export function writeCorpus(
  out: string,
  options: GenerateOptions & { force?: boolean },
): { files: number; quotes: number; words: number } {
  const storiesDir = path.join(out, 'stories')
  if (!isEmptyDir(out)) {
    if (!options.force) {
      throw new Error(`${out} is not empty; pass --force to replace its stories and themes.yml`)
    }
    if (existsSync(storiesDir)) {
      for (const name of readdirSync(storiesDir)) {
        if (name.endsWith('.md')) rmSync(path.join(storiesDir, name))
      }
    }
    rmSync(path.join(out, 'themes.yml'), { force: true })
  }
  mkdirSync(storiesDir, { recursive: true })
  const stories = generateCorpus(options)
  let quotes = 0
  let totalWords = 0
  for (const story of stories) {
    writeFileSync(path.join(storiesDir, story.fileName), story.text)
    quotes += story.quoteCount
    totalWords += story.wordCount
  }
  writeFileSync(path.join(out, 'themes.yml'), themesYaml)
  return { files: stories.length, quotes, words: totalWords }
}

function main(): void {
  const { values } = parseArgs({
    options: {
      count: { type: 'string', default: '1000' },
      seed: { type: 'string', default: '42' },
      out: { type: 'string' },
      force: { type: 'boolean', default: false },
      profile: { type: 'string', default: 'standard' },
    },
    strict: true,
  })
  const profile = values.profile as CorpusProfile
  if (!CORPUS_PROFILES.includes(profile)) {
    throw new Error(`--profile must be one of ${CORPUS_PROFILES.join(', ')}`)
  }
  const count = Number(values.count)
  const seed = Number(values.seed)
  if (!values.out) throw new Error('--out <folder> is required')
  if (!Number.isInteger(count) || count < 0) throw new Error('--count must be a whole number')
  if (!Number.isInteger(seed)) throw new Error('--seed must be a whole number')
  const out = path.resolve(values.out)
  const started = performance.now()
  const totals = writeCorpus(out, { count, seed, profile, force: values.force })
  const seconds = (performance.now() - started) / 1000
  console.log(
    `Wrote ${totals.files} stories (${totals.quotes} quotes, ${totals.words} words) and themes.yml to ${out} in ${seconds.toFixed(2)}s`,
  )
}

if (
  process.argv[1] !== undefined &&
  path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)
) {
  try {
    main()
  } catch (error) {
    console.error(`generate-corpus: ${error instanceof Error ? error.message : String(error)}`)
    process.exitCode = 1
  }
}

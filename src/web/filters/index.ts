import type { Environment } from 'nunjucks'
import { formatDate } from './format-date.js'
import { jsonLd } from './json-ld.js'
import { label } from './label.js'
import { pluralise } from './pluralise.js'
import { shownOptions } from './shown-options.js'

export function registerFilters(env: Environment): void {
  env.addFilter('formatDate', formatDate)
  env.addFilter('jsonLd', jsonLd)
  env.addFilter('label', label)
  env.addFilter('pluralise', pluralise)
  env.addFilter('shownOptions', shownOptions)
}

import { create } from 'xmlbuilder2'
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js'

/**
 * A new XML document. xmlbuilder2 escapes text and attribute values; characters XML 1.0
 * cannot hold (control characters) are dropped rather than breaking the document.
 */
export function xmlDocument(): XMLBuilder {
  return create({ version: '1.0', encoding: 'utf-8', invalidCharReplacement: '' })
}

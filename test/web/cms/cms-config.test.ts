import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { SPEAKERS } from '../../../src/content/vocabulary.js'
import { storyJsonSchema, type CmsField, type JsonSchema } from '../../../src/web/cms/story-form.js'
import { createTestApp } from '../../helpers/app.js'

/**
 * /admin/config.yml: the CMS's form, generated from the content schema. These tests walk the
 * schema (as JSON Schema, the form's own source) and the served form side by side, so a field
 * added to the schema without a form field, or an enum changed in one and not the other, fails.
 */

async function servedConfig(env: Record<string, string> = { CMS_REPO: 'example/stories' }) {
  const { app, content } = await createTestApp(env)
  const res = await request(app).get('/admin/config.yml')
  expect(res.status).toBe(200)
  expect(res.headers['content-type']).toBe('application/yaml; charset=utf-8')
  return { config: parse(res.text), themes: content.current.library.themes }
}

function storyFields(config: { collections: { name: string; fields: CmsField[] }[] }): CmsField[] {
  const stories = config.collections.find((c) => c.name === 'stories')
  if (stories === undefined) throw new Error('no stories collection')
  return stories.fields
}

/** Every (path, schema) pair of the schema's fields, objects and lists of objects descended. */
function schemaFields(schema: JsonSchema, prefix = ''): [string, JsonSchema, boolean][] {
  const required = new Set(schema.required ?? [])
  return Object.entries(schema.properties ?? {}).flatMap(([name, property]) => {
    const path = prefix + name
    const inner = property.type === 'array' ? property.items : property
    const own: [string, JsonSchema, boolean] = [path, property, required.has(name)]
    return inner?.type === 'object' ? [own, ...schemaFields(inner, `${path}.`)] : [own]
  })
}

function formFields(fields: CmsField[], prefix = ''): Map<string, CmsField> {
  const found = new Map<string, CmsField>()
  for (const field of fields) {
    const path = prefix + field.name
    found.set(path, field)
    const subfields = field.fields as CmsField[] | undefined
    if (subfields !== undefined)
      for (const [p, f] of formFields(subfields, `${path}.`)) found.set(p, f)
  }
  return found
}

describe('/admin/config.yml', () => {
  it('has a form field for every schema field, and none the schema lacks (bar the narrative)', async () => {
    const { config } = await servedConfig()
    const schema = schemaFields(storyJsonSchema(new Date().getUTCFullYear()))
    const form = formFields(storyFields(config))
    expect([...form.keys()].filter((p) => p !== 'body').sort()).toEqual(
      schema.map(([path]) => path).sort(),
    )
    expect(form.get('body')).toMatchObject({ widget: 'markdown', required: true })
  })

  it('carries over required fields, enums, lengths, bounds and patterns', async () => {
    const { config, themes } = await servedConfig()
    const form = formFields(storyFields(config))
    for (const [path, schema, required] of schemaFields(
      storyJsonSchema(new Date().getUTCFullYear()),
    )) {
      const field = form.get(path) as CmsField
      expect(field.required, path).toBe(required)
      const values = (field.options as { value: string }[] | undefined)?.map((o) => o.value)
      const enumValues = schema.enum ?? schema.items?.enum
      if (enumValues !== undefined) {
        expect(field.widget, path).toBe('select')
        expect(values, path).toEqual(enumValues)
      }
      if (schema.minLength !== undefined) expect(field.minlength, path).toBe(schema.minLength)
      if (schema.maxLength !== undefined) expect(field.maxlength, path).toBe(schema.maxLength)
      if (schema.minimum !== undefined) expect(field.min, path).toBe(schema.minimum)
      if (schema.maximum !== undefined) expect(field.max, path).toBe(schema.maximum)
      if (schema.minItems !== undefined) expect(field.min, path).toBe(schema.minItems)
      if (schema.maxItems !== undefined) expect(field.max, path).toBe(schema.maxItems)
      if (schema.pattern !== undefined && field.widget === 'string') {
        expect((field.pattern as string[])[0], path).toBe(schema.pattern)
      }
    }
    // Themes and a quote's theme are chosen from themes.yml, by title; slugs are written.
    const themeOptions = themes.map((t) => ({ label: t.title, value: t.slug }))
    expect(form.get('themes')).toMatchObject({ widget: 'select', multiple: true, min: 1, max: 5 })
    expect(form.get('themes')?.options).toEqual(themeOptions)
    expect(form.get('quotes.theme')?.options).toEqual(themeOptions)
    // The speaker is chosen by the label the site shows.
    expect(form.get('quotes.speaker')?.options).toEqual(
      Object.entries(SPEAKERS).map(([value, label]) => ({ label, value })),
    )
    // Dates are picked, and written YYYY-MM-DD.
    for (const date of ['published', 'updated']) {
      expect(form.get(date)).toMatchObject({
        widget: 'datetime',
        type: 'date',
        format: 'YYYY-MM-DD',
      })
    }
    expect(form.get('challenge.year')).toMatchObject({ widget: 'number', value_type: 'int' })
    expect(form.get('impacts')).toMatchObject({
      widget: 'list',
      field: { widget: 'string', minlength: 3 },
    })
    expect(form.get('reportUrl')?.pattern).toEqual(['^https://', expect.any(String)])
  })

  it('names the file by the slug, set when the story is created and never after; omits empty optional fields', async () => {
    const { config } = await servedConfig()
    const stories = config.collections[0]
    expect(stories).toMatchObject({
      folder: 'content/stories',
      extension: 'md',
      format: 'frontmatter',
      slug: { editable: ['create'] },
    })
    expect(config.output).toEqual({ omit_empty_optional_fields: true })
  })
})

describe('production', () => {
  it.each(['/admin', '/admin/config.yml', '/admin/anything'])(
    '%s is 404 without CMS_REPO',
    async (path) => {
      const { app } = await createTestApp()
      expect((await request(app).get(path)).status).toBe(404)
    },
  )

  it('with CMS_REPO, the configuration names the GitHub backend, the repository, the branch and the editorial workflow', async () => {
    const { config } = await servedConfig({ CMS_REPO: 'example-org/stories', CMS_BRANCH: 'live' })
    expect(config.backend).toMatchObject({
      name: 'github',
      repo: 'example-org/stories',
      branch: 'live',
    })
    expect(config.publish_mode).toBe('editorial_workflow')
  })

  it('without an OAuth app, the sign-in popup still goes to /admin/auth on this site (which says to use a token)', async () => {
    const { config } = await servedConfig({ CMS_REPO: 'example-org/stories' })
    expect(config.backend).toMatchObject({
      base_url: 'https://stories.example.org',
      auth_endpoint: 'admin/auth',
    })
  })

  it('with a GitHub OAuth app, the sign-in popup goes to /admin/auth on this site', async () => {
    const { config } = await servedConfig({
      CMS_REPO: 'example-org/stories',
      CMS_GITHUB_CLIENT_ID: 'id',
      CMS_GITHUB_CLIENT_SECRET: 'secret',
    })
    expect(config.backend).toEqual({
      name: 'github',
      repo: 'example-org/stories',
      branch: 'main',
      base_url: 'https://stories.example.org',
      auth_endpoint: 'admin/auth',
    })
  })

  it('in development without CMS_REPO, local editing only: no editorial workflow', async () => {
    const { config } = await servedConfig({ NODE_ENV: 'development', PAGE_CACHE_MB: '0' })
    expect(config.backend.name).toBe('github')
    expect(config.publish_mode).toBeUndefined()
  })
})

describe('/admin', () => {
  it('loads the CMS bundle and nothing of the site’s, and lets people zoom', async () => {
    const { app } = await createTestApp({ CMS_REPO: 'example/stories' })
    const res = await request(app).get('/admin')
    expect(res.status).toBe(200)
    const scripts = [...res.text.matchAll(/<script[^>]*src="([^"]+)"/g)].map((m) => m[1])
    expect(scripts).toEqual([expect.stringMatching(/^\/assets\/cms\/admin\.[A-Z0-9]+\.js$/)])
    expect(res.text).not.toMatch(/<link rel="stylesheet"/)
    expect(res.text).toContain(
      '<meta name="viewport" content="width=device-width, initial-scale=1">',
    )
    expect(res.text).toContain(
      '<link href="/admin/config.yml" type="application/yaml" rel="cms-config-url">',
    )
  })
})

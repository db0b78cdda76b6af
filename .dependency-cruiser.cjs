// The layers of src/, imports in one direction (README, "How the code is organised"):
// config → content → search → site → web → app and server. Run by `npm run lint`.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'A cycle makes every file in it depend on all the others: no layer can be read alone.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'config-imports-no-layer',
      severity: 'error',
      comment: 'Configuration is read before anything is loaded: it depends on no layer.',
      from: { path: '^src/(config|paths|logger|code-version)\\.ts$' },
      to: { path: '^src/(content|search|site|web)/|^src/(app|server|cluster)\\.ts$' },
    },
    {
      name: 'content-imports-no-higher-layer',
      severity: 'error',
      comment:
        'content/ reads, validates and models stories: it knows nothing of search, site or web.',
      from: { path: '^src/content/' },
      to: { path: '^src/(search|site|web)/|^src/(app|server|cluster)\\.ts$' },
    },
    {
      name: 'search-imports-no-higher-layer',
      severity: 'error',
      comment: 'search/ indexes and queries content: it knows nothing of the site or the web.',
      from: { path: '^src/search/' },
      to: { path: '^src/(site|web)/|^src/(app|server|cluster)\\.ts$' },
    },
    {
      name: 'site-imports-no-higher-layer',
      severity: 'error',
      comment: 'site/ is the loaded snapshot: the web layer is built on it, not the other way.',
      from: { path: '^src/site/' },
      to: { path: '^src/web/|^src/(app|server|cluster)\\.ts$' },
    },
    {
      name: 'web-imports-no-entry-point',
      severity: 'error',
      comment: 'web/ is handed its dependencies (AppDeps, src/web/deps.ts): it never reaches up.',
      from: { path: '^src/web/' },
      to: { path: '^src/(app|server|cluster)\\.ts$' },
    },
    {
      name: 'only-server-and-tests-import-app',
      severity: 'error',
      comment: 'createApp is for server.ts (and tests and benchmarks that drive the real app).',
      from: { path: '^src/', pathNot: '^src/server\\.ts$' },
      to: { path: '^src/app\\.ts$' },
    },
    {
      name: 'src-imports-no-tests-or-scripts',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|scripts)/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment:
        'An import that resolves to nothing is a typo, or a package missing from package.json.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules|coverage)/' },
    // Type-only imports count: a cycle through types still ties the files together.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.d.ts'],
    },
  },
}

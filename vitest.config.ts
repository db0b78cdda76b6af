import { defineConfig } from 'vitest/config'

/**
 * Two projects, both run by `npm test`:
 * - unit: route, content and module tests (supertest on createApp), in parallel.
 * - e2e: the browser suite and process tests against the real built server
 *   (test/e2e/support/global-setup.ts rebuilds dist/ if stale and starts one shared server).
 *   Its files run one at a time, beside the unit tests, so Chromium, Java and the server
 *   do not fight over the CPU.
 */
export default defineConfig({
  test: {
    environment: 'node',
    // Vitest's default is one worker fewer than the cores: one, on the two-core machines this
    // runs on, which ran every file one after another. Two lets the unit files run beside the
    // e2e files (most of whose time is waiting on Chromium, Java and the server).
    maxWorkers: 2,
    testTimeout: 20_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/e2e/support/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 60_000,
        },
      },
    ],
  },
})

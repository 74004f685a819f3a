import { defineConfig } from 'vitest/config';

// Tests run from source: workspace packages export their src/ entry points,
// so no build step stands between an edit and a test run.
export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/reference/globalSetup.ts'],
    testTimeout: 120_000,
    hookTimeout: 600_000,
    pool: 'forks',
  },
});

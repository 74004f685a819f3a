import { defineConfig } from 'vitest/config';
import { SHARED_TEST_OPTIONS, testProjects } from './vitest.config.js';

/**
 * `pnpm soak`: the long runs kept out of `pnpm test` (random kill -9 of
 * 100,000-record imports, the large Neo4j and GDS runs, the viewer's frame
 * times). Same layout as vitest.config.ts, but only `*.soak.*` files.
 */
export default defineConfig({
  test: { ...SHARED_TEST_OPTIONS, testTimeout: 3_600_000, projects: testProjects(true) },
});

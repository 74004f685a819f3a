import { defineConfig } from 'vitest/config';
import { NEO4J_TESTS, REPORTERS } from './vitest.config.js';

/**
 * `pnpm soak`: the long runs kept out of `pnpm test` (random kill -9 of
 * 100,000-record imports, the large Neo4j and GDS runs, the viewer's frame
 * times). Same layout as vitest.config.ts, but only `*.soak.*` files.
 */
const SOAK_NEO4J = ['**/*.soak.neo4j.test.ts', 'test/neo4j/**/*.soak.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 3_600_000,
    hookTimeout: 600_000,
    pool: 'forks',
    // As in vitest.config.ts: the Neo4j soaks wait on the server while the others run.
    maxWorkers: 2,
    reporters: REPORTERS,
    projects: [
      {
        extends: true,
        test: {
          name: 'soak',
          include: ['packages/*/test/**/*.soak.test.ts', 'test/**/*.soak.test.ts'],
          exclude: ['**/node_modules/**', ...NEO4J_TESTS],
          globalSetup: ['test/reference/globalSetup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'soak-neo4j',
          include: SOAK_NEO4J,
          exclude: ['**/node_modules/**'],
          globalSetup: ['test/reference/globalSetup.ts', 'test/neo4j/globalSetup.ts'],
          fileParallelism: false,
        },
      },
    ],
  },
});

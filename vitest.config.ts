import { defineConfig } from 'vitest/config';

/**
 * Tests that use the Neo4j test server share its one database (Community
 * edition has one), so they run one file at a time, in a project of their
 * own, beside the rest of the suite. Their file names end in `neo4j.test.ts`.
 */
export const NEO4J_TESTS = ['**/*neo4j.test.ts', 'test/neo4j/**/*.test.ts'];
/** Long soaks (`*.soak.*`) run apart, with `pnpm soak` (vitest.soak.config.ts). */
export const SOAK_TESTS = ['**/*.soak.*'];
/** The suite summary: the ten slowest files and every skip with its reason. */
export const REPORTERS = ['default', './test/reporter.ts'];

// Tests run from source: workspace packages export their src/ entry points,
// so no build step stands between an edit and a test run.
export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 600_000,
    pool: 'forks',
    // Two workers even on two cores: the Neo4j files mostly wait on the server,
    // so one worker runs them while the other runs the CPU-bound unit files.
    maxWorkers: 2,
    reporters: REPORTERS,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['**/node_modules/**', ...NEO4J_TESTS, ...SOAK_TESTS],
          globalSetup: ['test/reference/globalSetup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'neo4j',
          include: NEO4J_TESTS,
          exclude: ['**/node_modules/**', ...SOAK_TESTS],
          // Starts the Neo4j 5.26 + GDS server once for the run; in CI a missing Java fails, never skips.
          globalSetup: ['test/reference/globalSetup.ts', 'test/neo4j/globalSetup.ts'],
          fileParallelism: false,
        },
      },
    ],
  },
});

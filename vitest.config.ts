import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig, type TestProjectInlineConfiguration, type ViteUserConfig } from 'vitest/config';

/**
 * Tests that use the Neo4j test server share its one database (Community
 * edition has one), so they run one file at a time, in a project of their
 * own, beside the rest of the suite. Their file names end in `neo4j.test.ts`.
 */
const NEO4J_TESTS = ['**/*neo4j.test.ts', 'test/neo4j/**/*.test.ts'];
/** Long soaks (`*.soak.*`) run apart, with `pnpm soak` (vitest.soak.config.ts). */
const SOAK_TESTS = ['**/*.soak.*'];
const UNIT_TESTS = ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'];
const SOAK_UNIT_TESTS = ['packages/*/test/**/*.soak.test.ts', 'test/**/*.soak.test.ts'];
const SOAK_NEO4J_TESTS = ['**/*.soak.neo4j.test.ts', 'test/neo4j/**/*.soak.test.ts'];
const PYTHON_SETUP = 'test/reference/globalSetup.ts';

/**
 * The two projects, for the default suite or for the soak: the same layout,
 * only the files differ (a soak file is a test file whose name holds `.soak.`).
 */
export function testProjects(soak: boolean): TestProjectInlineConfiguration[] {
  const notSoak = soak ? [] : SOAK_TESTS;
  return [
    {
      extends: true,
      test: {
        name: soak ? 'soak' : 'unit',
        include: soak ? SOAK_UNIT_TESTS : UNIT_TESTS,
        exclude: ['**/node_modules/**', ...NEO4J_TESTS, ...notSoak],
        globalSetup: [PYTHON_SETUP],
      },
    },
    {
      extends: true,
      test: {
        name: soak ? 'soak-neo4j' : 'neo4j',
        include: soak ? SOAK_NEO4J_TESTS : NEO4J_TESTS,
        exclude: ['**/node_modules/**', ...notSoak],
        // Starts the Neo4j 5.26 + GDS server once for the run; in CI a missing Java fails, never skips.
        globalSetup: [PYTHON_SETUP, 'test/neo4j/globalSetup.ts'],
        fileParallelism: false,
      },
    },
  ];
}

/** What both suites share: forks, and the summary of the ten slowest files and every skip with its reason. */
export const SHARED_TEST_OPTIONS: NonNullable<ViteUserConfig['test']> = {
  // The audit keys the tests make go to a folder of this run, never the user's ~/.ocgnet/audit.
  env: { OCGNET_AUDIT_DIR: process.env.OCGNET_AUDIT_DIR ?? mkdtempSync(join(tmpdir(), 'ocgnet-test-audit-keys-')) },
  hookTimeout: 600_000,
  pool: 'forks',
  // Two workers even on two cores: the Neo4j files mostly wait on the server,
  // so one worker runs them while the other runs the CPU-bound files.
  maxWorkers: 2,
  reporters: ['default', './test/reporter.ts'],
};

// Tests run from source: workspace packages export their src/ entry points,
// so no build step stands between an edit and a test run.
export default defineConfig({
  test: { ...SHARED_TEST_OPTIONS, testTimeout: 120_000, projects: testProjects(false) },
});

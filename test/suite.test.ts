/**
 * The suite itself: a test that cannot run here skips with its reason printed
 * in the summary, and in CI (CI=true) the same test fails instead of skipping.
 * Runs vitest on one browser test file with Chromium pointed at a path that
 * does not exist.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './cli/cli.fixtures.js';

const VITEST = join(REPO_ROOT, 'node_modules', 'vitest', 'vitest.mjs');
const NO_BROWSER = '/nonexistent/chromium';

function runSuiteOn(file: string, ci: boolean): { code: number | null; out: string } {
  // The inner run must not think it is a worker of this one.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST') && key !== 'CI'),
  );
  const run = spawnSync(process.execPath, [VITEST, 'run', '--project', 'unit', file], {
    cwd: REPO_ROOT,
    env: { ...env, OCGNET_CHROMIUM: NO_BROWSER, NO_COLOR: '1', ...(ci ? { CI: 'true' } : {}) },
    encoding: 'utf8',
    timeout: 300_000,
  });
  return { code: run.status, out: `${run.stdout}\n${run.stderr}` };
}

describe('the suite summary and the CI rule', () => {
  it('outside CI a test that cannot run skips, and the summary gives the count and the reason', () => {
    const run = runSuiteOn('test/e2e/profile.test.ts', false);
    expect(run.code, run.out).toBe(0);
    expect(run.out).toMatch(/Slowest 1 test files/);
    expect(run.out).toMatch(/Skipped: 1 test\(s\)\./);
    expect(run.out).toContain(`no Chromium at ${NO_BROWSER}`);
  });

  it('in CI the same test fails instead of skipping', () => {
    const run = runSuiteOn('test/e2e/profile.test.ts', true);
    expect(run.code, run.out).not.toBe(0);
    expect(run.out).toMatch(/Skipped: none\./);
    expect(run.out).toMatch(/1 failed/);
  });
});

/**
 * Runs the ocgnet command in process (fast) or as a real subprocess (the
 * whole path a user takes), capturing exit code, stdout and stderr.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { main } from '@ocgnet/cli';
import { expect } from 'vitest';
import { NETWORKS_ROOT } from '../networks.js';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');
export const DATASETS = NETWORKS_ROOT;
export const SMALL_FIXTURE = join(REPO_ROOT, 'fixtures', 'small');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

function capture(): { stream: NodeJS.WriteStream; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      chunks.push(String(chunk));
      callback();
    },
  }) as unknown as NodeJS.WriteStream;
  return { stream, text: () => chunks.join('') };
}

/** Runs `ocgnet <args>` in this process. */
export async function runCli(...args: string[]): Promise<CliRun> {
  const stdout = capture();
  const stderr = capture();
  const code = await main(args, { stdout: stdout.stream, stderr: stderr.stream });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

/** Runs `ocgnet <args>` as a child process, exactly as `pnpm ocgnet` does. */
export function runCliProcess(args: string[], cwd = REPO_ROOT): CliRun {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(REPO_ROOT, 'packages', 'cli', 'src', 'bin.ts'), ...args],
    {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, INIT_CWD: cwd },
    },
  );
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

export function temporaryFolder(prefix = 'ocgnet-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** The node and edge counts a dataset's SOURCE.md declares (its own numbers, not ours). */
export function declaredCounts(dataset: string): {
  nodes: number;
  edges: number;
  components: number;
  largestComponent: number;
} {
  const text = readFileSync(join(DATASETS, dataset, 'SOURCE.md'), 'utf8');
  const nodes = /^- nodes: (\d+)/m.exec(text);
  const edges = /^- edges: (\d+)/m.exec(text);
  const components = /^- components: (\d+); largest: (\d+)/m.exec(text);
  if (!nodes || !edges || !components) throw new Error(`${dataset}/SOURCE.md declares no node/edge/component counts`);
  return {
    nodes: Number(nodes[1]),
    edges: Number(edges[1]),
    components: Number(components[1]),
    largestComponent: Number(components[2]),
  };
}

export function datasetNames(): string[] {
  return existsSync(DATASETS)
    ? readdirSync(DATASETS)
        .filter((name) => existsSync(join(DATASETS, name, 'SOURCE.md')))
        .sort()
    : [];
}

/** `git rev-parse HEAD` of this checkout, or undefined outside one: what a manifest's `versions.ocgnet_source` must name. */
export function checkoutCommit(): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return undefined;
  }
}

/** Checks a manifest's source revision against this checkout. */
export function expectSourceRevision(recorded: unknown): void {
  const commit = checkoutCommit();
  if (commit === undefined) expect(recorded).toBeUndefined();
  else expect(recorded).toMatch(new RegExp(`^${commit}( \\(modified\\))?$`));
}

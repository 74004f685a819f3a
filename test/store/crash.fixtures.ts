/**
 * What the kill -9 test needs: a 100,000-record import file, the store's
 * "before" content, and a child process running the real `ocgnet import`.
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { generateScenario } from '@ocgnet/generator';
import { graphFileHeader, recordNdjsonLines } from '@ocgnet/io';
import type { RecordSet } from '@ocgnet/schema';
import { REPO_ROOT } from '../cli/cli.fixtures.js';

export const BIG_IMPORT_RECORDS = 100_000;

/**
 * Exactly 100,000 records: every entity of the first two towns of the large
 * scenario, then their links up to the total. Each town's links join only
 * its own entities, so any prefix of the links is a valid import.
 */
export function bigImport(seed = 11): RecordSet {
  const records: RecordSet = { entities: [], links: [] };
  const links = [];
  let towns = 0;
  for (const chunk of generateScenario({ size: 'large', seed })) {
    records.entities.push(...chunk.entities);
    links.push(...chunk.links);
    if (++towns === 2) break;
  }
  records.links = links.slice(0, BIG_IMPORT_RECORDS - records.entities.length);
  if (records.entities.length + records.links.length !== BIG_IMPORT_RECORDS) throw new Error('the first two towns hold fewer than 100,000 records');
  return records;
}

export async function writeNdjson(records: RecordSet, path: string): Promise<void> {
  const out = createWriteStream(path);
  for (const line of recordNdjsonLines(records, graphFileHeader({ model: 'records', inputs: [] }))) {
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** A seeded uniform generator (mulberry32), so the kill points are the same on every run. */
export function seededUniform(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface ImportRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  ms: number;
  stderr: string;
}

/**
 * Runs `ocgnet import --store <store> <input>` as its own node process (not
 * through a wrapper, so SIGKILL hits the process doing the writing) and kills
 * it with SIGKILL after `killAfterMs`, unless it has finished by then.
 */
export async function runImportProcess(store: string, input: string, killAfterMs?: number): Promise<ImportRun> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'packages', 'cli', 'src', 'bin.ts'), 'import', '-q', '--store', store, '--who', 'crash-test', input], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  if (timer) clearTimeout(timer);
  return { code, signal, ms: performance.now() - started, stderr };
}

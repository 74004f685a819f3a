/**
 * What the kill -9 test needs: a 100,000-record import file, the store's
 * "before" content, and a child process running the real `ocgnet import`.
 */
import { spawn } from 'node:child_process';
import { expect } from 'vitest';
import { contentHashOf } from '@ocgnet/store';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { generateScenario } from '@ocgnet/generator';
import { graphFileHeader, recordNdjsonLines } from '@ocgnet/io';
import type { RecordSet } from '@ocgnet/schema';
import { REPO_ROOT } from '../cli/cli.fixtures.js';

export const BIG_IMPORT_RECORDS = 100_000;
export const KILLS = 50;

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

export interface CrashTarget {
  /** A store location that fails only after the input is parsed (to time the parse). */
  unreachable: string;
  /** Brings the store to the before state; returns its location. `dirty` says the last run may have committed. */
  reset(dirty: boolean): Promise<string>;
  /** Opens the store as a restarted process would and returns its content hash. */
  restartAndHash(location: string): Promise<string>;
}

interface Tally {
  before: number;
  after: number;
  killedMidRun: number;
  killedInStorePhase: number;
}

/** The shared procedure: time the phases, then kill at seeded points through the store phase. */
export async function killNineAtRandomPoints(target: CrashTarget, input: string, hashes: { before: string; after: string }, seed: number): Promise<Tally> {
  const parseOnly = await runImportProcess(target.unreachable, input);
  expect(parseOnly.code, parseOnly.stderr).toBe(1);

  const location = await target.reset(false);
  const full = await runImportProcess(location, input);
  expect(full.code, full.stderr).toBe(0);
  expect(await target.restartAndHash(location)).toBe(hashes.after);

  // Kill points spread from just before the store is opened to just after the import ends.
  const from = parseOnly.ms * 0.9;
  // The machine's load changes during a run (CI runs other tests beside this one), so the window
  // follows the import: a run that finished before its kill shortens it to that run's length.
  let to = full.ms * 1.05;
  const uniform = seededUniform(seed);
  const tally: Tally = { before: 0, after: 0, killedMidRun: 0, killedInStorePhase: 0 };
  let dirty = true;
  for (let kill = 0; kill < KILLS; kill++) {
    const at = from + uniform() * (to - from);
    const location = await target.reset(dirty);
    const run = await runImportProcess(location, input, at);
    if (run.signal === 'SIGKILL') {
      tally.killedMidRun++;
      if (at > parseOnly.ms) tally.killedInStorePhase++;
    } else {
      expect(run.code, run.stderr).toBe(0);
      to = Math.max(from + 1, Math.min(to, run.ms));
    }
    const hash = await target.restartAndHash(location);
    expect([hashes.before, hashes.after], `kill ${kill + 1} at ${Math.round(at)} ms left a partial store`).toContain(hash);
    if (hash === hashes.before) tally.before++;
    else tally.after++;
    dirty = hash !== hashes.before;
  }
  // A final, uninterrupted import over whatever the kills left behind completes normally.
  const last = await target.reset(dirty);
  const finish = await runImportProcess(last, input);
  expect(finish.code, finish.stderr).toBe(0);
  expect(await target.restartAndHash(last)).toBe(hashes.after);
  return tally;
}


export interface CrashScene {
  /** The 100k-record import file. */
  input: string;
  /** The store's content before the import: the small town. */
  beforeRecords: RecordSet;
  hashes: { before: string; after: string };
}

/** Writes the import file into `work` and computes both hashes from the records themselves. */
export async function crashScene(work: string): Promise<CrashScene> {
  const big = bigImport();
  const beforeRecords: RecordSet = generateScenario({ size: 'small', seed: 42 }).next().value!;
  const overlap = new Set(beforeRecords.entities.map((entity) => entity.id));
  if (big.entities.some((entity) => overlap.has(entity.id))) throw new Error('the big import overlaps the small town');
  const input = join(work, 'big.ocgnet.ndjson');
  await writeNdjson(big, input);
  return {
    input,
    beforeRecords,
    hashes: {
      before: contentHashOf(beforeRecords),
      after: contentHashOf({ entities: [...beforeRecords.entities, ...big.entities], links: [...beforeRecords.links, ...big.links] }),
    },
  };
}

/**
 * kill -9 during a 100,000-record import, at 50 seeded random points, into
 * each store. After each kill the store is opened afresh ("restart") and its
 * content hash must equal the hash of the records before the import or of the
 * records after it (both computed from the records themselves with
 * contentHashOf, not by the store): never anything in between.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateScenario } from '@ocgnet/generator';
import { contentHashOf, openStore, type StoreActor } from '@ocgnet/store';
import type { RecordSet } from '@ocgnet/schema';
import { BIG_IMPORT_RECORDS, bigImport, runImportProcess, seededUniform, writeNdjson } from './crash.fixtures.js';

const KILLS = 50;
const actor: StoreActor = { who: 'crash-test', audience: 'police-analyst', justification: 'store crash-safety test' };

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
  const to = full.ms * 1.05;
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
    } else expect(run.code, run.stderr).toBe(0);
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

let work: string;
let input: string;
let beforeRecords: RecordSet;
let hashes: { before: string; after: string };

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'ocgnet-crash-'));
  const big = bigImport();
  beforeRecords = generateScenario({ size: 'small', seed: 42 }).next().value!;
  const overlap = new Set(beforeRecords.entities.map((entity) => entity.id));
  expect(big.entities.some((entity) => overlap.has(entity.id))).toBe(false);
  input = join(work, 'big.ocgnet.ndjson');
  await writeNdjson(big, input);
  hashes = {
    before: contentHashOf(beforeRecords),
    after: contentHashOf({ entities: [...beforeRecords.entities, ...big.entities], links: [...beforeRecords.links, ...big.links] }),
  };
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('kill -9 during a 100k-record import', () => {
  it(`embedded store: ${KILLS} kills, each leaves the before or the after state`, async () => {
    const template = join(work, 'before.ocgnet.db');
    const store = await openStore(template, actor);
    await store.importRecords(beforeRecords);
    await store.close();
    expect(BIG_IMPORT_RECORDS).toBe(100_000);

    const live = join(work, 'live.ocgnet.db');
    const tally = await killNineAtRandomPoints(
      {
        unreachable: join(work, 'no-such-folder', 'store.db'),
        async reset() {
          for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(live + suffix, { force: true });
          copyFileSync(template, live);
          return live;
        },
        async restartAndHash(location) {
          const reopened = await openStore(location, actor);
          try {
            return await reopened.contentHash();
          } finally {
            await reopened.close();
          }
        },
      },
      input,
      hashes,
      20261124,
    );
    console.log(`embedded store kill -9: ${JSON.stringify(tally)}`);
    // The kills must have landed while the store was being written, not only before or after.
    expect(tally.killedInStorePhase).toBeGreaterThanOrEqual(KILLS / 2);
    expect(tally.before).toBeGreaterThan(0);
  }, 1_800_000);
});

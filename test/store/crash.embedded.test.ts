/**
 * kill -9 during a 100,000-record import into the embedded store, at 50
 * seeded random points. After each kill the store is opened afresh
 * ("restart") and its content hash must equal the hash of the records before
 * the import or after it (both computed from the records themselves with
 * contentHashOf, not by the store): never anything in between.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type StoreActor } from '@ocgnet/store';
import { KILLS, crashScene, killNineAtRandomPoints, type CrashScene } from './crash.fixtures.js';

const actor: StoreActor = { who: 'crash-test', audience: 'police-analyst', justification: 'store crash-safety test' };
let work: string;
let scene: CrashScene;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'ocgnet-crash-'));
  scene = await crashScene(work);
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('kill -9 during a 100k-record import', () => {
  it(`embedded store: ${KILLS} kills, each leaves the before or the after state`, async () => {
    const template = join(work, 'before.ocgnet.db');
    const store = await openStore(template, actor);
    await store.importRecords(scene.beforeRecords);
    await store.close();

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
      scene.input,
      scene.hashes,
      20261124,
    );
    console.log(`embedded store kill -9: ${JSON.stringify(tally)}`);
    // The kills must have landed while the store was being written, not only before or after.
    expect(tally.killedInStorePhase).toBeGreaterThanOrEqual(KILLS / 4);
    expect(tally.before).toBeGreaterThan(0);
  }, 1_800_000);
});

/**
 * Soak (`pnpm soak`, not `pnpm test`): kill -9 during a 100,000-record import
 * into the embedded store, at 50 seeded random points. After each kill the
 * store is opened afresh ("restart") and its content hash must equal the hash
 * of the records before the import or after it (both computed from the
 * records themselves with contentHashOf, not by the store): never anything in
 * between. The kills are tallied by the phase the child last reported.
 * crash.embedded.test.ts aims one kill at every phase of a small import.
 */
import { describe, expect, it } from 'vitest';
import {
  KILLS,
  bigScene,
  embeddedCrashTarget,
  killNineAtRandomPoints,
  sceneInTemporaryFolder,
} from './crash.fixtures.js';

const setting = sceneInTemporaryFolder(bigScene);

describe('kill -9 during a 100k-record import', () => {
  it(`embedded store: ${KILLS} kills, each leaves the before or the after state`, async () => {
    const target = await embeddedCrashTarget(setting.work, setting.scene.beforeRecords);
    const tally = await killNineAtRandomPoints(target, setting.scene, 20261124);
    console.log(`embedded store kill -9: ${JSON.stringify(tally)}`);
    // The kills must have landed while the store was being written, by what the child reported, not only before or after.
    expect(tally.killedInStorePhase).toBeGreaterThanOrEqual(KILLS / 4);
    expect(tally.byPhase.staging ?? 0).toBeGreaterThan(0);
    expect(tally.before).toBeGreaterThan(0);
  }, 1_800_000);
});

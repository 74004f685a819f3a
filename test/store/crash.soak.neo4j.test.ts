/**
 * Soak (`pnpm soak`, not `pnpm test`): kill -9 of the importing client during
 * a 100,000-record import into the Neo4j store, at 50 seeded random points.
 * The client dies; the server lives on, as it would in production. After
 * each kill, once the server has ended the dead client's transactions, the
 * store is opened afresh and its content hash must equal the hash of the
 * records before or after the import, computed from the records themselves.
 * The kills are tallied by the phase the child last reported.
 * crash.neo4j.test.ts aims one kill at every phase of a small import.
 */
import { describe, expect, it } from 'vitest';
import { NO_NEO4J, neo4jUriOrSkip } from '../neo4j/neo4j.fixtures.js';
import { skipUnless } from '../skip.js';
import { KILLS, bigScene, killNineAtRandomPoints, neo4jCrashTarget, sceneInTemporaryFolder } from './crash.fixtures.js';

const uri = neo4jUriOrSkip();
const setting = sceneInTemporaryFolder(bigScene);

describe('kill -9 during a 100k-record import', skipUnless(uri !== undefined, NO_NEO4J), () => {
  it(`neo4j store: ${KILLS} kills of the client, each leaves the before or the after state`, async () => {
    const tally = await killNineAtRandomPoints(
      neo4jCrashTarget(uri!, setting.scene.beforeRecords),
      setting.scene,
      20261125,
    );
    console.log(`neo4j store kill -9: ${JSON.stringify(tally)}`);
    expect(tally.killedInStorePhase).toBeGreaterThanOrEqual(KILLS / 4);
    expect(tally.byPhase.staging ?? 0).toBeGreaterThan(0);
    expect(tally.before).toBeGreaterThan(0);
  }, 3_600_000);
});

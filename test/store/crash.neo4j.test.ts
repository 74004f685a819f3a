/**
 * kill -9 of the importing client during a 100,000-record import into the
 * Neo4j store, at 50 seeded random points. The client dies; the server lives
 * on, as it would in production. After each kill, once the server has ended
 * the dead client's transactions, the store is opened afresh (which clears
 * staging leftovers) and its content hash must equal the hash of the records
 * before or after the import, computed from the records themselves.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type StoreActor } from '@ocgnet/store';
import { neo4jUriOrSkip, withDriver } from '../neo4j/neo4j.fixtures.js';
import { KILLS, crashScene, killNineAtRandomPoints, type CrashScene } from './crash.fixtures.js';

const uri = neo4jUriOrSkip();
const actor: StoreActor = { who: 'crash-test', audience: 'police-analyst', justification: 'store crash-safety test' };
let work: string;
let scene: CrashScene;

/** Waits until no transaction but this one is open: the server has rolled back (or committed) the dead client's work. */
async function serverSettled(): Promise<void> {
  await withDriver(async (driver) => {
    for (let attempt = 0; attempt < 600; attempt++) {
      const result = await driver.executeQuery('SHOW TRANSACTIONS YIELD currentQuery RETURN currentQuery');
      const others = result.records.filter((record) => !String(record.get('currentQuery')).startsWith('SHOW TRANSACTIONS'));
      if (others.length === 0) return;
      await sleep(100);
    }
    throw new Error('the dead client’s transactions were still open after 60 s');
  });
}

async function wipe(): Promise<void> {
  await withDriver(async (driver) => {
    const session = driver.session();
    try {
      await session.run('MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS');
    } finally {
      await session.close();
    }
  });
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'ocgnet-crash-'));
  scene = await crashScene(work);
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.skipIf(!uri)('kill -9 during a 100k-record import', () => {
  it(`neo4j store: ${KILLS} kills of the client, each leaves the before or the after state`, async () => {
    let initialised = false;
    const tally = await killNineAtRandomPoints(
      {
        unreachable: 'neo4j://127.0.0.1:1',
        async reset(dirty) {
          await serverSettled();
          if (dirty || !initialised) {
            await wipe();
            const store = await openStore(uri!, actor);
            try {
              await store.importRecords(scene.beforeRecords);
            } finally {
              await store.close();
            }
            initialised = true;
          }
          return uri!;
        },
        async restartAndHash(location) {
          await serverSettled();
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
      20261125,
    );
    console.log(`neo4j store kill -9: ${JSON.stringify(tally)}`);
    expect(tally.killedInStorePhase).toBeGreaterThanOrEqual(KILLS / 4);
    expect(tally.before).toBeGreaterThan(0);
  }, 3_600_000);
});

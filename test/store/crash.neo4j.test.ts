/**
 * kill -9 of the importing client, aimed at every phase boundary of a small
 * import into the Neo4j store: each staging batch, the commit point, each
 * roll-forward chunk, done. The client dies; the server lives on, as it
 * would in production. Before the reopen the server must show the import
 * `staging` (kills before the commit point) or `committing` (at the commit
 * point and in the roll-forward); after it, the store must hold the before or
 * the after state, with its audit chain intact. crash.fixtures.ts says how;
 * the 50 random kills of a 100k-record import are the soak,
 * crash.soak.neo4j.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { NO_NEO4J, neo4jUriOrSkip } from '../neo4j/neo4j.fixtures.js';
import { skipUnless } from '../skip.js';
import { killAtEveryPhase, neo4jCrashTarget, phaseScene, sceneInTemporaryFolder } from './crash.fixtures.js';

const uri = neo4jUriOrSkip();
/** Small batches and chunks, so the import of about a thousand records passes several of each. */
const SIZES = { batchSize: 400, commitChunkSize: 300 };

const setting = sceneInTemporaryFolder(phaseScene);

describe('kill -9 at every phase of an import', skipUnless(uri !== undefined, NO_NEO4J), () => {
  it('neo4j store: before the commit point the before state, from it on committing, then the after state', async () => {
    const started = performance.now();
    const { labels, kills } = await killAtEveryPhase(
      neo4jCrashTarget(uri!, setting.scene.beforeRecords),
      setting.scene,
      SIZES,
    );
    console.log(
      `neo4j store, kill -9 at ${kills.length} phases in ${((performance.now() - started) / 1000).toFixed(1)} s: ` +
        kills.map((kill) => `${kill.label} (${kill.importState ?? 'no import'}, ${kill.ms} ms)`).join(', '),
    );
    expect(
      labels.filter((label) => label.startsWith('roll-forward')).length,
      'roll-forward chunks',
    ).toBeGreaterThanOrEqual(2);
    expect(kills.filter((kill) => kill.importState === 'committing').length).toBe(
      labels.indexOf('done') - labels.indexOf('commit-point'),
    );
  }, 600_000);
});

/**
 * kill -9 of `ocgnet import` into the embedded store, aimed at every phase
 * boundary of a small import: each staging chunk (a batch inside the one
 * SQLite transaction), the commit point (the COMMIT) and done; the embedded
 * store has no roll-forward, its COMMIT is atomic. After each kill the store
 * must hold the before state (kills before the COMMIT) or the after state
 * (from it on), with its audit chain intact. crash.fixtures.ts says how; the
 * 50 random kills of a 100k-record import are the soak,
 * crash.embedded.soak.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { embeddedCrashTarget, killAtEveryPhase, phaseScene, sceneInTemporaryFolder } from './crash.fixtures.js';

/** Small batches, so the import of about a thousand records stages in several chunks. */
const SIZES = { batchSize: 250 };

const setting = sceneInTemporaryFolder(phaseScene);

describe('kill -9 at every phase of an import', () => {
  it('embedded store: before the COMMIT the before state, from it on the after state', async () => {
    const started = performance.now();
    const target = await embeddedCrashTarget(setting.work, setting.scene.beforeRecords);
    const { labels, kills } = await killAtEveryPhase(target, setting.scene, SIZES);
    console.log(
      `embedded store, kill -9 at ${kills.length} phases in ${((performance.now() - started) / 1000).toFixed(1)} s: ${labels.join(', ')}`,
    );
    // One transaction: staging chunks, the COMMIT, done; no roll-forward.
    expect(labels.filter((label) => label.startsWith('roll-forward'))).toEqual([]);
    expect(labels.slice(-2)).toEqual(['commit-point', 'done']);
    expect(kills.filter((kill) => kill.committed).map((kill) => kill.label)).toEqual(['commit-point', 'done']);
  }, 300_000);
});

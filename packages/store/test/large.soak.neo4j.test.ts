/**
 * Soak (`pnpm soak`, not `pnpm test`): imports 100,000 generated records into
 * the Neo4j store, then again (all unchanged), and prints how long staging,
 * the commit point and the roll-forward took; BENCHMARKS.md records the
 * numbers. Needs the test server (test/neo4j).
 */
import neo4j from 'neo4j-driver';
import { describe, expect, it } from 'vitest';
import { generateScenario } from '@ocgnet/generator';
import type { RecordSet } from '@ocgnet/schema';
import { contentHashOf, type ImportPhase } from '../src/index.js';
import { openNeo4jStore } from '../src/neo4j/neo4jStore.js';
import { CONTRACT_ACTOR } from './contract.js';
import { NO_NEO4J, neo4jUriOrSkip } from '../../../test/neo4j/neo4j.fixtures.js';
import { skipUnless } from '../../../test/skip.js';

const uri = neo4jUriOrSkip();

/** Deletes every ocgnet node; the `neo4j` projects run one file at a time, so nothing else is using them. */
async function wipe(): Promise<void> {
  const driver = neo4j.driver(uri!, undefined, { disableLosslessIntegers: true });
  const session = driver.session();
  try {
    await session.run(
      'MATCH (n) WHERE n:Entity OR n:OcgnetAudit OR n:OcgnetImport OR n:OcgnetStaged OR n:OcgnetMeta OR n:OcgnetAnalysisRun CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS',
    );
  } finally {
    await session.close();
    await driver.close();
  }
}

/** Two towns of the large scenario (about 37k entities, 63k links), cut to 100,000 records. */
function hundredThousand(): RecordSet {
  const records: RecordSet = { entities: [], links: [] };
  let towns = 0;
  for (const chunk of generateScenario({ size: 'large', seed: 1 })) {
    records.entities.push(...chunk.entities);
    records.links.push(...chunk.links);
    if (++towns === 2) break;
  }
  records.links = records.links.slice(0, 100_000 - records.entities.length);
  return records;
}

/** When each phase of one import was reached: staging ends at the last batch, the roll-forward at done. */
function phaseClock() {
  const started = performance.now();
  let staged = started;
  let committed = started;
  let done = started;
  const chunks: number[] = [];
  const onPhase = (phase: ImportPhase) => {
    const now = performance.now();
    if (phase.phase === 'staging' && phase.chunk === phase.chunks) staged = now;
    else if (phase.phase === 'commit-point') committed = now;
    else if (phase.phase === 'roll-forward') chunks.push(now - started);
    else if (phase.phase === 'done') done = now;
  };
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const summary = () =>
    `${s(done - started)}: staging ${s(staged - started)}, commit point ${s(committed - staged)}, roll-forward ${s(done - committed)} (${chunks.length} chunks)`;
  return { onPhase, summary, chunks };
}

describe('neo4j store: a 100k-record import', skipUnless(uri !== undefined, NO_NEO4J), () => {
  it(
    'imports 100k records, and again unchanged, and prints the time of each phase',
    { timeout: 1_200_000 },
    async () => {
      await wipe();
      const records = hundredThousand();
      const total = records.entities.length + records.links.length;
      const store = await openNeo4jStore(uri!, CONTRACT_ACTOR, { batchSize: 500 });
      try {
        const first = phaseClock();
        await store.importRecords(records, { batchSize: 5000, onPhase: first.onPhase });
        console.log(
          `[neo4j] imported ${total} records (${records.entities.length} entities, ${records.links.length} links) in ${first.summary()}`,
        );
        const second = phaseClock();
        const progress = setInterval(() => {
          const chunks = second.chunks.map((ms) => (ms / 1000).toFixed(1)).join(' ');
          console.log(
            `[neo4j] re-import: ${chunks ? `roll-forward chunks at ${chunks} s` : 'no roll-forward chunk yet'}`,
          );
        }, 10_000);
        const again = await store
          .importRecords(records, { onPhase: second.onPhase })
          .finally(() => clearInterval(progress));
        console.log(`[neo4j] re-import (all unchanged) in ${second.summary()}`);
        expect(again.entities.unchanged + again.links.unchanged).toBe(total);
        const hashStart = performance.now();
        expect(await store.contentHash()).toBe(contentHashOf(records));
        console.log(`[neo4j] contentHash in ${((performance.now() - hashStart) / 1000).toFixed(1)} s`);
      } finally {
        await store.close();
      }
    },
  );
});

/**
 * Makes a viewer bundle (bundle.json) for tests and demos, from the bundled
 * small fixture or from a generated scenario:
 *
 *   pnpm --filter @ocgnet/viewer make-bundle -- --fixture ../../fixtures/small --out small.bundle.json
 *   pnpm --filter @ocgnet/viewer make-bundle -- --size medium --seed 7 --out medium.bundle.json
 *
 * The bundle is built by the one builder, `buildViewerBundle` of
 * @ocgnet/bundle/build, for the police-analyst audience, as the server
 * serves it to a police analyst.
 */
import { createReadStream, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { describePlanFailure, type ViewerBundle } from '@ocgnet/bundle';
import { buildViewerBundle } from '@ocgnet/bundle/build';
import { generateScenario } from '@ocgnet/generator';
import { RecordCollector, readRecordCsv } from '@ocgnet/io';
import { audienceById, defaultAudiences, recordsForAudience } from '@ocgnet/profiles';
import type { RecordSet } from '@ocgnet/schema';

export type { ViewerBundle };

/** Reads an entities.csv + links.csv folder. */
export async function readRecordFolder(folder: string): Promise<RecordSet> {
  const collector = new RecordCollector();
  for (const name of ['entities.csv', 'links.csv']) {
    const file = join(folder, name);
    await readRecordCsv(createReadStream(file), file, collector);
  }
  const outcome = collector.finish();
  if (!outcome.ok) throw new Error(`${folder}: ${outcome.issues.length} invalid record(s)`);
  return outcome.records;
}

/** One generated town's records. */
export function generatedRecords(size: 'small' | 'medium', seed: number): RecordSet {
  const chunk = generateScenario({ size, seed }).next().value;
  if (!chunk) throw new Error('the generator produced nothing');
  return { entities: chunk.entities, links: chunk.links };
}

/**
 * A bundle as the server would serve it to a police analyst (what that audience may see).
 * `plans: false` leaves the disruption plans out (frame-time soaks, where they add nothing).
 */
export function makeBundle(records: RecordSet, options: { plans?: boolean } = {}): ViewerBundle {
  const audience = audienceById(defaultAudiences(), 'police-analyst');
  return buildViewerBundle(recordsForAudience(records, audience), {
    audience,
    ...(options.plans !== undefined ? { plans: options.plans } : {}),
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      fixture: { type: 'string' },
      size: { type: 'string' },
      seed: { type: 'string', default: '42' },
      out: { type: 'string', default: 'bundle.json' },
    },
  });
  const records =
    values.size !== undefined
      ? generatedRecords(values.size === 'medium' ? 'medium' : 'small', Number(values.seed))
      : await readRecordFolder(
          resolve(values.fixture ?? join(import.meta.dirname, '..', '..', '..', 'fixtures', 'small')),
        );
  const bundle = makeBundle(records);
  writeFileSync(values.out, JSON.stringify(bundle));
  for (const failure of bundle.planFailures ?? [])
    process.stderr.write(`warning: ${values.out}: ${describePlanFailure(failure)}\n`);
  const { graph, network, plans } = bundle;
  process.stdout.write(
    `${values.out}: ${graph.nodes.length} persons, ${graph.edges.length} associations, ${network.nodes.length} entities, ${plans.length} plans\n`,
  );
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(import.meta.filename)) await main();

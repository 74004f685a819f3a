/**
 * Helpers shared by the profile tests: the small fixture town
 * (`fixtures/small`), read as the CLI reads it.
 */
import { createReadStream } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RecordCollector, readRecordCsv } from '@ocgnet/io';
import type { RecordSet } from '@ocgnet/schema';

/** The small fixture's folder. */
export const SMALL = join(dirname(fileURLToPath(import.meta.url)), '../../../fixtures/small');

/** The small fixture's records; throws with the first issues if it does not load. */
export async function loadSmall(): Promise<RecordSet> {
  const collector = new RecordCollector();
  for (const file of ['entities.csv', 'links.csv'])
    await readRecordCsv(createReadStream(join(SMALL, file)), file, collector);
  const outcome = collector.finish();
  if (!outcome.ok) throw new Error(`small fixture: ${JSON.stringify(outcome.issues.slice(0, 3))}`);
  return outcome.records;
}

/** `text` as a literal inside a regular expression. */
export const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

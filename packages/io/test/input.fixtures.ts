/**
 * Helpers shared by the tests of hostile and broken input (integrity.test.ts,
 * fuzzFindings.test.ts): run record readers over files, and get the issues
 * of a refusal.
 */
import type { InputIssue } from '@ocgnet/schema';
import { RecordCollector, type ResearchParseResult } from '../src/index.js';
import type { ImportOutcome } from '../src/records/collector.js';

/** A record reader: CSV, JSON or NDJSON. */
export type RecordReader = (
  source: Iterable<string | Uint8Array>,
  file: string,
  collector: RecordCollector,
) => Promise<unknown>;

/** Reads each file (whole text, bytes, or chunks) with the reader into one collector, and decides the import. */
export async function readRecords(
  reader: RecordReader,
  files: Record<string, string | Uint8Array | Uint8Array[]>,
): Promise<ImportOutcome> {
  const collector = new RecordCollector();
  for (const [file, content] of Object.entries(files))
    await reader(Array.isArray(content) ? content : [content], file, collector);
  return collector.finish();
}

/** The issues of a refused import or parse; a test fails if the input was accepted. */
export function issuesOf(
  outcome: ImportOutcome | ResearchParseResult | { ok: boolean; issues?: InputIssue[] },
): InputIssue[] {
  if (outcome.ok || !('issues' in outcome) || outcome.issues === undefined)
    throw new Error('expected the input to be refused');
  return outcome.issues;
}

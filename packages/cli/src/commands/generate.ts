import { generateScenario, plannedTowns, TRUTH_COLUMNS, type ScenarioSize, type TruthRow } from '@ocgnet/generator';
import { csvLine, entitiesCsvLines, linksCsvLines, recordNdjsonLines } from '@ocgnet/io';
import type { Entity, Link } from '@ocgnet/schema';
import { EXIT } from '../errors.js';
import { writeFilesAtomically } from '../output.js';
import { startProgress, type ProgressOptions } from '../progress.js';
import type { CliIo } from '../main.js';

export interface GenerateOptions extends ProgressOptions {
  size: ScenarioSize;
  seed: number;
  out: string;
  format: 'csv' | 'ndjson';
}

function* truthLines(truth: Iterable<TruthRow>): Generator<string> {
  yield csvLine(TRUTH_COLUMNS);
  for (const row of truth) yield csvLine(TRUTH_COLUMNS.map((column) => String(row[column])));
}

function sourceNote(options: GenerateOptions, entities: number, links: number): string {
  return [
    `# Synthetic scenario: ${options.size}, seed ${options.seed}`,
    '',
    'Made by `ocgnet generate`. Every person, place, phone, vehicle and business here is invented;',
    'no real personal data was used. Handle as OFFICIAL-SENSITIVE all the same, as ocgnet treats all data.',
    '',
    `- entities: ${entities}`,
    `- links: ${links}`,
    `- command: ocgnet generate --size ${options.size} --seed ${options.seed} --format ${options.format}`,
    '- truth.csv: each nominal\'s true group and role, whether police have mapped them, and whether they are a hidden member.',
    '',
  ].join('\n');
}

/**
 * `ocgnet generate`: runs the generator town by town and writes the records
 * and the ground truth. The files appear together or not at all.
 */
export async function runGenerate(options: GenerateOptions, io: CliIo): Promise<number> {
  const towns = plannedTowns({ size: options.size, seed: options.seed });
  const progress = startProgress('generate', towns, 'towns', options);
  const entities: Entity[] = [];
  const links: Link[] = [];
  const truth: TruthRow[] = [];
  let done = 0;
  for (const chunk of generateScenario({ size: options.size, seed: options.seed })) {
    for (const entity of chunk.entities) entities.push(entity);
    for (const link of chunk.links) links.push(link);
    for (const row of chunk.truth) truth.push(row);
    progress.update(++done, chunk.town);
  }
  progress.stop();
  const recordFiles =
    options.format === 'csv'
      ? [
          { name: 'entities.csv', lines: () => entitiesCsvLines(entities) },
          { name: 'links.csv', lines: () => linksCsvLines(links) },
        ]
      : [{ name: 'records.ndjson', lines: () => recordNdjsonLines({ entities, links }) }];
  await writeFilesAtomically(options.out, [
    ...recordFiles,
    { name: 'truth.csv', lines: () => truthLines(truth) },
    { name: 'SOURCE.md', lines: () => [sourceNote(options, entities.length, links.length)] },
  ]);
  io.stdout.write(`wrote ${entities.length} entities, ${links.length} links and ground truth for ${truth.length} nominals to ${options.out}\n`);
  return EXIT.ok;
}

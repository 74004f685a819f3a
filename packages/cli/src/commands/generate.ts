import { generateScenario, plannedTowns, TRUTH_COLUMNS, type ScenarioSize } from '@ocgnet/generator';
import { ENTITY_COLUMNS, LINK_COLUMNS, csvLine, entityToCells, linkToCells } from '@ocgnet/io';
import { SCHEMA_VERSION } from '@ocgnet/schema';
import { EXIT } from '../errors.js';
import { openAtomicFiles } from '../output.js';
import { startProgress, type ProgressOptions } from '../progress.js';
import type { CliIo } from '../io.js';
import { Option, type Command } from 'commander';
import { integerFlag, type CommandContext } from '../command.js';

export interface GenerateOptions extends ProgressOptions {
  size: ScenarioSize;
  seed: number;
  out: string;
  format: 'csv' | 'ndjson';
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
    "- truth.csv: each nominal's true group and role, whether police have mapped them, and whether they are a hidden member.",
    '',
  ].join('\n');
}

/**
 * `ocgnet generate`: runs the generator town by town, streaming each town's
 * records to disk so a large scenario never sits in memory whole. The files
 * appear together or not at all.
 */
export async function runGenerate(options: GenerateOptions, io: CliIo): Promise<number> {
  const towns = plannedTowns({ size: options.size, seed: options.seed });
  const recordFiles = options.format === 'csv' ? ['entities.csv', 'links.csv'] : ['records.ndjson'];
  const files = await openAtomicFiles(options.out, [...recordFiles, 'truth.csv', 'SOURCE.md'], options);
  const progress = startProgress('generate', towns, 'towns', options);
  let entities = 0;
  let links = 0;
  let nominals = 0;
  try {
    if (options.format === 'csv') {
      await files.write('entities.csv', csvLine(ENTITY_COLUMNS));
      await files.write('links.csv', csvLine(LINK_COLUMNS));
    } else {
      await files.write('records.ndjson', `${JSON.stringify({ schema_version: SCHEMA_VERSION })}\n`);
    }
    await files.write('truth.csv', csvLine(TRUTH_COLUMNS));
    let done = 0;
    for (const chunk of generateScenario({ size: options.size, seed: options.seed })) {
      // NDJSON keeps all entities before links only within a town; readers do not need more.
      const entityText = chunk.entities
        .map((entity) =>
          options.format === 'csv' ? csvLine(entityToCells(entity, SCHEMA_VERSION)) : `${JSON.stringify({ entity })}\n`,
        )
        .join('');
      const linkText = chunk.links
        .map((link) =>
          options.format === 'csv' ? csvLine(linkToCells(link, SCHEMA_VERSION)) : `${JSON.stringify({ link })}\n`,
        )
        .join('');
      if (options.format === 'csv') {
        await files.write('entities.csv', entityText);
        await files.write('links.csv', linkText);
      } else {
        await files.write('records.ndjson', entityText + linkText);
      }
      await files.write(
        'truth.csv',
        chunk.truth.map((row) => csvLine(TRUTH_COLUMNS.map((column) => String(row[column])))).join(''),
      );
      entities += chunk.entities.length;
      links += chunk.links.length;
      nominals += chunk.truth.length;
      progress.update(++done, chunk.town);
    }
    await files.write('SOURCE.md', sourceNote(options, entities, links));
    // The bar ends before the commit, which may say on stderr that it made the folder.
    progress.stop();
    await files.commit();
  } catch (error) {
    await files.abort();
    throw error;
  } finally {
    progress.stop();
  }
  io.stdout.write(
    `wrote ${entities} entities, ${links} links and ground truth for ${nominals} nominals to ${options.out}\n`,
  );
  return EXIT.ok;
}

/** `ocgnet generate --out <dir>`. */
export function registerGenerate(program: Command, { io, action, progressOf }: CommandContext): void {
  program
    .command('generate')
    .description('write a seeded synthetic scenario (records and ground truth)')
    .addOption(new Option('--size <size>', 'scenario size').choices(['small', 'medium', 'large']).default('small'))
    .option('--seed <n>', 'random seed', '1')
    .requiredOption('-o, --out <dir>', 'folder to write entities.csv, links.csv, truth.csv into')
    .addOption(new Option('--format <format>', 'record format').choices(['csv', 'ndjson']).default('csv'))
    .action(
      action(
        async (
          options: { size: ScenarioSize; seed: string; out: string; format: 'csv' | 'ndjson' },
          command: Command,
        ) => {
          const seed = integerFlag(options.seed, '--seed', 0);
          return runGenerate(
            { size: options.size, seed, out: options.out, format: options.format, ...progressOf(command) },
            io,
          );
        },
      ),
    );
}

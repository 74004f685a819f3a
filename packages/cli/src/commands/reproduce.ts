/**
 * `ocgnet reproduce <manifest>`: checks a research export against its
 * manifest (file hashes, then the recorded analysis rerun on the re-imported
 * export). Exit 0 when everything matches, 1 with the list of mismatches.
 */
import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { MANIFEST_FILE, ManifestError, reproduce } from '@ocgnet/research';
import { EXIT } from '../errors.js';
import { sourceRevision } from '../manifest.js';
import { startProgress, type ProgressOptions } from '../progress.js';
import type { CliIo } from '../io.js';
import type { Command } from 'commander';
import type { CommandContext } from '../command.js';

export interface ReproduceCommandOptions extends ProgressOptions {
  json: boolean;
}

function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

export async function runReproduce(path: string, options: ReproduceCommandOptions, io: CliIo): Promise<number> {
  const manifestPath = (await stat(path)).isDirectory() ? join(path, MANIFEST_FILE) : path;
  const folder = dirname(manifestPath);
  let manifest: unknown;
  try {
    manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    io.stderr.write(`${manifestPath}: not valid JSON: ${error.message}\n`);
    return EXIT.badInput;
  }
  const steps = ['hash', 're-import', 'analyse'];
  const progress = startProgress('reproduce', steps.length, 'steps', options);
  let outcome: Awaited<ReturnType<typeof reproduce>>;
  try {
    outcome = await reproduce(
      manifest,
      (name) => readFile(join(folder, name), 'utf8'),
      (step) => progress.update(steps.indexOf(step), step),
    );
    progress.update(steps.length, 'done');
  } catch (error) {
    if (!(error instanceof ManifestError)) throw error;
    io.stderr.write(`${manifestPath}: ${error.userMessage}\n`);
    return EXIT.badInput;
  } finally {
    progress.stop();
  }
  const { mismatches } = outcome;
  if (options.json)
    io.stdout.write(`${JSON.stringify({ reproduced: mismatches.length === 0, ...outcome }, null, 2)}\n`);
  else if (mismatches.length === 0) {
    io.stdout.write(
      `reproduced: ${outcome.filesChecked} file(s) match their sha256; ${outcome.reimported} re-imported (${outcome.nodes} nodes) and re-analysed; every recorded result matches\n`,
    );
  } else {
    for (const mismatch of mismatches)
      io.stdout.write(
        `mismatch: ${mismatch.path}: recorded ${shown(mismatch.expected)}, found ${shown(mismatch.actual)}\n`,
      );
  }
  if (mismatches.length > 0) {
    io.stderr.write(`ocgnet: ${mismatches.length} mismatch(es): the export does not reproduce its manifest\n`);
    const recorded = (manifest as { versions?: Record<string, unknown> }).versions?.ocgnet_source;
    const current = sourceRevision();
    if (typeof recorded === 'string' && recorded !== current) {
      io.stderr.write(
        `note: the export was made by ocgnet at ${recorded}; this is ${current ?? 'an unknown revision'}: a changed algorithm can explain a result mismatch (not a file hash mismatch)\n`,
      );
    }
    return EXIT.badInput;
  }
  return EXIT.ok;
}

/** `ocgnet reproduce <manifest>`. */
export function registerReproduce(program: Command, { io, action, progressOf }: CommandContext): void {
  program
    .command('reproduce')
    .description(
      'check a research export against its manifest: file hashes, then the recorded analysis rerun on the re-imported export; exit 1 on any mismatch',
    )
    .argument('<manifest>', 'manifest.json, or the export folder')
    .option('--json', 'print JSON')
    .action(
      action(async (manifest: string, options: { json?: boolean }, command: Command) =>
        runReproduce(manifest, { json: Boolean(options.json), ...progressOf(command) }, io),
      ),
    );
}

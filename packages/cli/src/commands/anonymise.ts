/**
 * `ocgnet anonymise`: an anonymised research export of the person projection
 * (or of a research network) with keyed pseudonyms, a re-identification risk
 * report, and a manifest that reproduces the numbers from the export alone.
 * Refused, with nothing written, below the minimum k.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, realpath, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { resolveProjectionOptions, type ProjectionOptionsInput } from '@ocgnet/graph';
import {
  assertKeyOutsideOutput,
  EXPORT_FORMATS,
  formatKeyFile,
  MANIFEST_FILE,
  manifestJson,
  newPseudonymKey,
  parseKeyFile,
  prepareResearchExport,
  PseudonymKeyError,
  type DateMode,
  type ExportFormat,
  type KeptAttributes,
  type RiskReport,
} from '@ocgnet/research';
import { EXIT, UsageError } from '../errors.js';
import { dependencyVersions } from '../manifest.js';
import { openAtomicFiles } from '../output.js';
import { startProgress, type ProgressOptions } from '../progress.js';
import { loadSubject } from '../subject.js';
import { OCGNET_VERSION } from '../version.js';
import type { CliIo } from '../main.js';

export interface AnonymiseCommandOptions extends ProgressOptions {
  keyFile: string;
  out: string;
  force: boolean;
  minK: number;
  dates: DateMode;
  perturb: boolean;
  seed: number;
  formats: ExportFormat[];
  /** Attributes kept by default that this export leaves out. */
  drop: (keyof KeptAttributes)[];
  projection: ProjectionOptionsInput;
}

const DROPPABLE: readonly (keyof KeptAttributes)[] = ['ages', 'areas', 'channels', 'gradings', 'dates'];

/** `areas,dates` → the kept attributes to leave out; unknown names are a usage error. */
export function droppedAttributesFromFlag(flag: string | undefined): (keyof KeptAttributes)[] {
  if (flag === undefined || flag.trim() === '') return [];
  const names = flag.split(',').map((name) => name.trim());
  for (const name of names) {
    if (!(DROPPABLE as readonly string[]).includes(name)) throw new UsageError(`--drop: ${JSON.stringify(name)} is not one of ${DROPPABLE.join(', ')}`);
  }
  return names as (keyof KeptAttributes)[];
}

/** `graphml,csv` → formats; unknown names are a usage error. */
export function exportFormatsFromFlag(text: string): ExportFormat[] {
  const names = text.split(',').map((name) => name.trim().toLowerCase()).filter(Boolean);
  const unknown = names.filter((name) => !(EXPORT_FORMATS as readonly string[]).includes(name));
  if (unknown.length > 0 || names.length === 0) throw new UsageError(`--formats takes a comma-separated list of ${EXPORT_FORMATS.join(', ')}, not ${JSON.stringify(text)}`);
  return [...new Set(names)] as ExportFormat[];
}

/** The real path of `path`, resolving symbolic links in the part that exists. */
async function realLocation(path: string): Promise<string> {
  const absolute = resolve(path);
  if (existsSync(absolute)) return realpath(absolute);
  const parent = dirname(absolute);
  return parent === absolute ? absolute : join(await realLocation(parent), basename(absolute));
}

/** The key from the key file, or a new one (written later, only if the export goes ahead). */
async function loadKey(keyFile: string, io: CliIo): Promise<{ key: Buffer; created: boolean }> {
  if (!existsSync(keyFile)) return { key: newPseudonymKey(), created: true };
  const info = await stat(keyFile);
  if (!info.isFile()) throw new PseudonymKeyError(`${keyFile}: not a file`);
  if ((info.mode & 0o077) !== 0) io.stderr.write(`warning: ${keyFile}: the key file can be read by other users (mode ${(info.mode & 0o777).toString(8)}); chmod 600 it\n`);
  return { key: parseKeyFile(await readFile(keyFile), keyFile), created: false };
}

function riskLines(risk: RiskReport): string {
  const share = (value: number) => `${(value * 100).toFixed(1)}%`;
  return [
    `  nodes ${risk.nodes}, edges ${risk.edges}`,
    `  k-degree anonymity: ${risk.kDegree} (minimum ${risk.minK})`,
    `  unique by (degree, neighbour degrees): ${share(risk.neighbourhoodUniqueness)}`,
    ...(risk.attributeK !== null ? [`  smallest (age band, area) group: ${risk.attributeK}; smallest (degree, age band, area) group: ${risk.combinedK}`] : []),
  ].join('\n');
}

export async function runAnonymise(input: string, options: AnonymiseCommandOptions, io: CliIo): Promise<number> {
  try {
    return await anonymise(input, options, io);
  } catch (error) {
    if (error instanceof PseudonymKeyError) {
      io.stderr.write(`ocgnet: ${error.message}\n`);
      return EXIT.badInput;
    }
    throw error;
  }
}

async function anonymise(input: string, options: AnonymiseCommandOptions, io: CliIo): Promise<number> {
  assertKeyOutsideOutput(await realLocation(options.keyFile), await realLocation(options.out));
  if (existsSync(options.out)) {
    if (!(await stat(options.out)).isDirectory()) throw new UsageError(`--out ${options.out} is not a folder`);
    if ((await readdir(options.out)).length > 0 && !options.force) throw new UsageError(`--out ${options.out} is not empty; choose an empty folder, or --force to overwrite the export files in it`);
  }
  const { key, created } = await loadKey(options.keyFile, io);
  const subject = await loadSubject([input], options.projection, { quiet: options.quiet, stream: options.stream, skipInvalid: false }, io);

  const steps = ['anonymise', 'perturb', 'analyse', 'write'];
  const progress = startProgress('anonymise', steps.length, 'steps', options);
  let outcome: ReturnType<typeof prepareResearchExport>;
  try {
    outcome = prepareResearchExport(
      subject.model === 'records' ? { model: 'records', network: subject.network, persons: subject.persons } : { model: 'research', graph: subject.graph },
      key,
      {
        minK: options.minK,
        dates: options.dates,
        perturb: options.perturb,
        seed: options.seed,
        formats: options.formats,
        keep: Object.fromEntries(options.drop.map((name) => [name, false])),
        // Ages are measured at the projection's reference date when one is given.
        ...(options.projection.recency?.referenceDate !== undefined ? { referenceDate: options.projection.recency.referenceDate } : {}),
      },
      {
        inputs: subject.loaded.inputs,
        versions: dependencyVersions(),
        ocgnet: OCGNET_VERSION,
        ...(subject.model === 'records' ? { projection: resolveProjectionOptions(options.projection) } : {}),
      },
      (step) => progress.update(steps.indexOf(step), step),
    );
    progress.update(steps.length, 'done');
  } finally {
    progress.stop();
  }

  if (!outcome.ok) {
    io.stderr.write(`ocgnet: export refused: ${outcome.reason}\n${riskLines(outcome.risk)}\nNothing was written.\n`);
    return EXIT.badInput;
  }
  if (created) await writeFile(options.keyFile, formatKeyFile(key), { mode: 0o600, flag: 'wx' });
  const names = [...outcome.files.keys(), MANIFEST_FILE];
  const files = await openAtomicFiles(options.out, names);
  try {
    for (const [name, text] of outcome.files) await files.write(name, text);
    await files.write(MANIFEST_FILE, manifestJson(outcome.manifest));
    await files.commit();
  } catch (error) {
    await files.abort();
    throw error;
  }
  const { manifest } = outcome;
  const moved = manifest.perturbation;
  // k-degree anonymity is what is enforced; say plainly what it does not cover.
  if (outcome.risk.combinedK !== null && outcome.risk.combinedK < options.minK) {
    io.stderr.write(`warning: the smallest group sharing (degree, age band, area) has ${outcome.risk.combinedK} member(s): someone who knows a person's number of associates, age band and area may single them out\n`);
  }
  if (manifest.marking.handling === 'R') io.stderr.write('warning: the export rests partly on legacy 5x5x5 intelligence (handling R): it may not leave the police until that intelligence is re-graded\n');
  io.stdout.write(
    [
      `anonymised export written to ${options.out} (${names.join(', ')})`,
      `marking: ${manifest.classification}, handling ${manifest.marking.handling}${manifest.marking.conditions.length > 0 ? ` (conditions: ${manifest.marking.conditions.join('; ')})` : ''}`,
      riskLines(outcome.risk),
      ...(moved
        ? [
            `  perturbation: ${moved.added} edges added (seed ${options.seed}); Spearman degree ${moved.impact.spearman.degree.toFixed(3)}, betweenness ${moved.impact.spearman.betweenness.toFixed(3)}, PageRank ${moved.impact.spearman.pagerank.toFixed(3)}; modularity ${moved.impact.modularity.before?.toFixed(3)} → ${moved.impact.modularity.after?.toFixed(3)}; components ${moved.impact.components.before} → ${moved.impact.components.after}`,
          ]
        : []),
      created ? `new key written to ${options.keyFile} (mode 600): keep it apart from the export; the same key gives the same pseudonyms next time` : `pseudonyms keyed with ${options.keyFile}`,
      `check it with: ocgnet reproduce ${join(options.out, MANIFEST_FILE)}`,
      '',
    ].join('\n'),
  );
  return EXIT.ok;
}

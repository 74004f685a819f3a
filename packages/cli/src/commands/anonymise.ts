/**
 * `ocgnet anonymise`: an anonymised research export of the person projection
 * (or of a research network) with keyed pseudonyms, made only from the
 * evidence permitted for research, a re-identification report (every measure
 * against an attacker who holds the original network), and a manifest that
 * reproduces the numbers from the export alone. Refused, with nothing written
 * (no export, no key, no ledger entry), when any measure is below the minimum
 * k, with remedies checked and suggested; a second release under one key is
 * refused unless asked for, and refused anyway while intersecting it with the
 * earlier ones singles anyone out. The releases made with a key are kept in
 * its ledger, beside the key file.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { resolveProjectionOptions, type ProjectionOptionsInput } from '@ocgnet/graph';
import { researchUseOf } from '@ocgnet/profiles';
import {
  assertKeyOutsideOutput,
  EXPORT_FORMATS,
  formatKeyFile,
  ledgerFileFor,
  ledgerJson,
  MANIFEST_FILE,
  manifestJson,
  newLedger,
  newPseudonymKey,
  parseKeyFile,
  parseLedger,
  PERTURB_METHODS,
  prepareResearchExport,
  priorReleases,
  PseudonymKeyError,
  recordRelease,
  suggestRemedies,
  type ChannelMode,
  type DateMode,
  type ExportFormat,
  type KeptAttributes,
  type Ledger,
  type PerturbMethod,
  type RiskReport,
  type WeightMode,
} from '@ocgnet/research';
import { Option, type Command } from 'commander';
import { addAudiencesFlag, audiencesInForce, type AudiencesInForce } from '../audiences.js';
import { givenFlags, integerFlag, type CommandContext } from '../command.js';
import { addProjectionFlags, projectionOptionsFromFlags, type ProjectionFlags } from '../projectionFlags.js';
import { EXIT, UsageError } from '../errors.js';
import { dependencyVersions } from '../manifest.js';
import { openAtomicFiles } from '../output.js';
import { startProgress, type ProgressOptions } from '../progress.js';
import { loadSubject } from '../subject.js';
import { OCGNET_VERSION } from '../version.js';
import type { CliIo } from '../io.js';

export interface AnonymiseCommandOptions extends ProgressOptions {
  keyFile: string;
  out: string;
  force: boolean;
  minK: number;
  dates: DateMode;
  weights: WeightMode;
  channels: ChannelMode;
  /** false, or the method of structural perturbation. */
  perturb: false | PerturbMethod;
  seed: number;
  /** Make a release although the key has made one (still refused while the intersection singles anyone out). */
  allowSecondRelease: boolean;
  formats: ExportFormat[];
  /** Attributes kept by default that this export leaves out. */
  drop: (keyof KeptAttributes)[];
  projection: ProjectionOptionsInput;
  /** The force's audiences file; its researcher audiences decide which C evidence may be used. */
  audiences?: string;
}

const DROPPABLE: readonly (keyof KeptAttributes)[] = ['ages', 'areas', 'channels', 'gradings', 'dates'];

/** `areas,dates` → the kept attributes to leave out; unknown names are a usage error. */
function droppedAttributesFromFlag(flag: string | undefined): (keyof KeptAttributes)[] {
  if (flag === undefined || flag.trim() === '') return [];
  const names = flag.split(',').map((name) => name.trim());
  for (const name of names) {
    if (!(DROPPABLE as readonly string[]).includes(name))
      throw new UsageError(`--drop: ${JSON.stringify(name)} is not one of ${DROPPABLE.join(', ')}`);
  }
  return names as (keyof KeptAttributes)[];
}

/** `--perturb` alone → automorphism; `--perturb degree` → degree; absent → false. */
function perturbMethodFromFlag(flag: boolean | string | undefined): false | PerturbMethod {
  if (flag === undefined || flag === false) return false;
  if (flag === true) return 'automorphism';
  if (!(PERTURB_METHODS as readonly string[]).includes(flag))
    throw new UsageError(
      `--perturb takes ${PERTURB_METHODS.join(' or ')} (or nothing: automorphism), not ${JSON.stringify(flag)}`,
    );
  return flag as PerturbMethod;
}

/** `graphml,csv` → formats; unknown names are a usage error. */
function exportFormatsFromFlag(text: string): ExportFormat[] {
  const names = text
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  const unknown = names.filter((name) => !(EXPORT_FORMATS as readonly string[]).includes(name));
  if (unknown.length > 0 || names.length === 0)
    throw new UsageError(
      `--formats takes a comma-separated list of ${EXPORT_FORMATS.join(', ')}, not ${JSON.stringify(text)}`,
    );
  return [...new Set(names)] as ExportFormat[];
}

/**
 * What the manifest says decided research use: handling P, and C evidence
 * only where its release_to names one of the configuration's researcher
 * audiences (`researchUseOf`); the configuration is named by its hash.
 */
function researchUseStatement(inForce: AudiencesInForce): string {
  const researchers = inForce.config.audiences
    .filter((audience) => audience.kind === 'researcher')
    .map((audience) => audience.id);
  const rule =
    researchers.length > 0
      ? `handling P, and C released to ${researchers.join(', ')}`
      : 'handling P only (no researcher audience)';
  return `${rule}; audiences ${inForce.source === '(default)' ? 'as shipped' : 'of the force'}, sha256 ${inForce.sha256}`;
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
  if ((info.mode & 0o077) !== 0)
    io.stderr.write(
      `warning: ${keyFile}: the key file can be read by other users (mode ${(info.mode & 0o777).toString(8)}); chmod 600 it\n`,
    );
  return { key: parseKeyFile(await readFile(keyFile), keyFile), created: false };
}

function riskLines(risk: RiskReport): string {
  const share = (value: number) => `${(value * 100).toFixed(1)}%`;
  return [
    `  nodes ${risk.nodes}, edges ${risk.edges}${risk.perturbed ? ' (perturbed: the measures allow for the added ties)' : ''}`,
    `  re-identification by an attacker who holds the original network (minimum k ${risk.minK}):`,
    ...risk.measures.map(
      (measure) =>
        `    ${measure.measure.padEnd(18)} singles out ${String(measure.singledOut).padStart(4)}; smallest candidate set ${measure.k}`,
    ),
    ...(risk.intersection !== null
      ? [
          `    ${'intersection'.padEnd(18)} singles out ${String(risk.intersection.singledOut).padStart(4)}; smallest candidate set ${risk.intersection.k} (with ${risk.intersection.releases} earlier release(s) under this key)`,
        ]
      : []),
    `  release alone: k-degree anonymity ${risk.kDegree}; unique by (degree, neighbour degrees): ${share(risk.neighbourhoodUniqueness)}`,
  ].join('\n');
}

/** The key's ledger, or a new one; a ledger of another key is refused. */
async function loadLedger(keyFile: string, key: Buffer): Promise<{ file: string; ledger: Ledger }> {
  const file = ledgerFileFor(keyFile);
  if (!existsSync(file)) return { file, ledger: newLedger(key) };
  return { file, ledger: parseLedger(await readFile(file, 'utf8'), key, file) };
}

/** A PseudonymKeyError or LedgerError (the key or its ledger is at fault) is exit 1 in reportError. */
export async function runAnonymise(input: string, options: AnonymiseCommandOptions, io: CliIo): Promise<number> {
  assertKeyOutsideOutput(await realLocation(options.keyFile), await realLocation(options.out));
  if (existsSync(options.out)) {
    if (!(await stat(options.out)).isDirectory()) throw new UsageError(`--out ${options.out} is not a folder`);
    if ((await readdir(options.out)).length > 0 && !options.force)
      throw new UsageError(
        `--out ${options.out} is not empty; choose an empty folder, or --force to overwrite the export files in it`,
      );
  }
  const audiences = await audiencesInForce(options.audiences);
  const { key, created } = await loadKey(options.keyFile, io);
  const { file: ledgerFile, ledger } = await loadLedger(options.keyFile, key);
  const subject = await loadSubject(
    [input],
    options.projection,
    { quiet: options.quiet, stream: options.stream, skipInvalid: false },
    io,
  );

  const steps = ['anonymise', 'perturb', 'analyse', 'write'];
  const progress = startProgress('anonymise', steps.length, 'steps', options);
  let outcome: ReturnType<typeof prepareResearchExport>;
  const source =
    subject.model === 'records'
      ? {
          model: 'records' as const,
          network: subject.network,
          persons: subject.persons,
          projection: options.projection,
        }
      : { model: 'research' as const, graph: subject.graph };
  const exportOptions = {
    minK: options.minK,
    dates: options.dates,
    weights: options.weights,
    channels: options.channels,
    perturb: options.perturb,
    seed: options.seed,
    formats: options.formats,
    keep: Object.fromEntries(options.drop.map((name) => [name, false])),
    researchUse: researchUseOf(audiences.config),
    priorReleases: priorReleases(ledger),
    allowSecondRelease: options.allowSecondRelease,
    // Ages are measured at the projection's reference date when one is given.
    ...(options.projection.recency?.referenceDate !== undefined
      ? { referenceDate: options.projection.recency.referenceDate }
      : {}),
  };
  const context = {
    inputs: subject.loaded.inputs,
    versions: dependencyVersions(),
    ocgnet: OCGNET_VERSION,
    ...(subject.model === 'records'
      ? { projection: resolveProjectionOptions(options.projection), researchUse: researchUseStatement(audiences) }
      : {}),
  };
  try {
    outcome = prepareResearchExport(source, key, exportOptions, context, (step) =>
      progress.update(steps.indexOf(step), step),
    );
    progress.update(steps.length, 'done');
  } finally {
    progress.stop();
  }

  if (!outcome.ok) {
    const lines = [`ocgnet: export refused: ${outcome.reason}`, riskLines(outcome.risk)];
    if (outcome.kind === 'risk') {
      const remedies = suggestRemedies(source, key, { ...exportOptions, priorReleases: [] }, context);
      const passing = remedies.filter((remedy) => remedy.passes);
      if (passing.length > 0) {
        lines.push('suggested (checked: the export passes with these flags):');
        for (const remedy of passing) {
          lines.push(
            `  ${remedy.flags.join(' ')}: ${remedy.added !== null ? `${remedy.added} ties added, ` : ''}${(remedy.suppressedShare * 100).toFixed(0)}% of the released attribute values suppressed`,
          );
        }
        lines.push(
          '  (coarser --weights bands|none, --channels coarse|none, --dates quarter|year|none or --drop keep more of what remains uniform; a lower --min-k protects less)',
        );
      } else {
        lines.push(
          `no remedy tried passes (${remedies.map((remedy) => remedy.flags.join(' ')).join('; ')}): the network is too small for --min-k ${options.minK}, or lower --min-k (less protection)`,
        );
      }
    } else if (outcome.kind === 'second-release') {
      lines.push(
        `suggested: a new --key-file for a new release (this key's ledger, ${ledgerFile}, records ${ledger.releases.length} release(s))`,
      );
    }
    lines.push('Nothing was written.');
    io.stderr.write(`${lines.join('\n')}\n`);
    return EXIT.badInput;
  }
  const names = [...outcome.files.keys(), MANIFEST_FILE];
  const files = await openAtomicFiles(options.out, names, options);
  // The ledger is made ready beside the key first, and takes its place with the export.
  const nextLedger = recordRelease(ledger, outcome.release, resolve(options.out));
  const ledgerPartial = `${ledgerFile}.${process.pid}.partial`;
  let keyWritten = false;
  try {
    for (const [name, text] of outcome.files) await files.write(name, text);
    await files.write(MANIFEST_FILE, manifestJson(outcome.manifest));
    if (nextLedger !== ledger) await writeFile(ledgerPartial, ledgerJson(nextLedger), { mode: 0o600 });
    if (created) {
      await writeFile(options.keyFile, formatKeyFile(key), { mode: 0o600, flag: 'wx' });
      keyWritten = true;
    }
    await files.commit();
    if (nextLedger !== ledger) await rename(ledgerPartial, ledgerFile);
  } catch (error) {
    await files.abort();
    await rm(ledgerPartial, { force: true });
    // A key made for an export that was not written keys nothing.
    if (keyWritten) await rm(options.keyFile, { force: true });
    throw error;
  }
  const { manifest } = outcome;
  const moved = manifest.perturbation;
  if (manifest.marking.handling === 'R')
    io.stderr.write(
      'warning: the export rests partly on legacy 5x5x5 intelligence (handling R): it may not leave the police until that intelligence is re-graded\n',
    );
  const { leftOut } = outcome.anonymised;
  io.stdout.write(
    [
      `anonymised export written to ${options.out} (${names.join(', ')})`,
      `marking: ${manifest.classification}, ${manifest.marking.statement}`,
      ...(subject.model === 'records'
        ? [
            `research use: ${manifest.parameters.anonymise.researchUse}; ${leftOut.nominals} nominal(s) and ${leftOut.links} link(s) not permitted were left out (this count is not in the export)`,
          ]
        : []),
      riskLines(outcome.risk),
      ...(moved
        ? [
            `  perturbation (${moved.method}): ${moved.added} ties added (seed ${options.seed})` +
              (moved.impact !== null
                ? `; Spearman degree ${moved.impact.spearman.degree.toFixed(3)}, betweenness ${moved.impact.spearman.betweenness.toFixed(3)}, PageRank ${moved.impact.spearman.pagerank.toFixed(3)}; modularity ${moved.impact.modularity.before?.toFixed(3)} → ${moved.impact.modularity.after?.toFixed(3)}; components ${moved.impact.components.before} → ${moved.impact.components.after}`
                : '') +
              (typeof moved.suppressedShare === 'number'
                ? `; ${(moved.suppressedShare * 100).toFixed(0)}% of the released attribute values suppressed to make them the same along orbits`
                : ''),
          ]
        : []),
      outcome.release.repeat
        ? `identical to a release already in ${ledgerFile}: nothing new was released`
        : `release recorded in ${ledgerFile} (${nextLedger.releases.length} release(s) with this key)`,
      created
        ? `new key written to ${options.keyFile} (mode 600): keep it, and its ledger, apart from the export; the same key gives the same pseudonyms next time`
        : `pseudonyms keyed with ${options.keyFile}`,
      `check it with: ocgnet reproduce ${join(options.out, MANIFEST_FILE)}`,
      '',
    ].join('\n'),
  );
  return EXIT.ok;
}

interface AnonymiseFlags extends ProjectionFlags {
  keyFile: string;
  out: string;
  force?: boolean;
  minK: string;
  dates: DateMode;
  weights: WeightMode;
  channels: ChannelMode;
  perturb?: boolean | string;
  seed: string;
  allowSecondRelease?: boolean;
  formats: string;
  drop?: string;
  audiences?: string;
}

/** `ocgnet anonymise <input> --key-file <file> --out <dir>`. */
export function registerAnonymise(program: Command, { io, action, progressOf }: CommandContext): void {
  addProjectionFlags(
    addAudiencesFlag(
      program
        .command('anonymise')
        .alias('anonymize')
        .description(
          'an anonymised research export (keyed pseudonyms, evidence permitted for research only, generalised attributes, re-identification measures, manifest); refused when any attack singles out a nominal below --min-k, or on a second release under one key',
        )
        .argument('<input>', 'records (file or folder) or a research network')
        .requiredOption(
          '--key-file <file>',
          'pseudonym key: read if it exists, else created (32 random bytes as hex, mode 600); never inside --out. Its ledger of releases is kept beside it (<key-file>.releases.json)',
        )
        .requiredOption(
          '-o, --out <dir>',
          'folder to write the export and manifest.json into (must be empty unless --force)',
        )
        .option('--force', 'write into a folder that is not empty')
        .option(
          '--min-k <k>',
          'refuse unless every re-identification measure leaves each nominal among at least k candidates',
          '5',
        )
        .addOption(
          new Option('--dates <mode>', 'link dates: month, quarter, year, shift by a keyed per-export offset, or none')
            .choices(['shift', 'month', 'quarter', 'year', 'none'])
            .default('month'),
        )
        .addOption(
          new Option('--weights <mode>', 'tie weights: exact, bands (rounded down to a power of two) or none (all 1)')
            .choices(['exact', 'bands', 'none'])
            .default('exact'),
        )
        .addOption(
          new Option('--channels <mode>', 'tie channels: exact, coarse (direct, shared, phone) or none')
            .choices(['exact', 'coarse', 'none'])
            .default('exact'),
        )
        .option(
          '--perturb [method]',
          'add ties until every measure reaches --min-k: automorphism (default; k-automorphism, covers every measure) or degree (Liu & Terzi 2008, degree only)',
        )
        .option('--seed <n>', 'seed of the perturbation', '1')
        .option(
          '--allow-second-release',
          'make a release although this key has made one (still refused while intersecting the releases singles anyone out)',
        )
        .option('--formats <list>', 'comma-separated: graphml,gexf,csv,pajek,dl', 'graphml,gexf,csv,pajek,dl')
        .option('--drop <list>', 'kept attributes to leave out, comma-separated: ages,areas,channels,gradings,dates'),
      'C evidence is used only where its release_to names a researcher audience',
    ),
  ).action(
    action(async (input: string, options: AnonymiseFlags, command: Command) => {
      const minK = integerFlag(options.minK, '--min-k', 1);
      const seed = integerFlag(options.seed, '--seed', 0);
      return runAnonymise(
        input,
        {
          keyFile: options.keyFile,
          out: options.out,
          force: Boolean(options.force),
          minK,
          dates: options.dates,
          weights: options.weights,
          channels: options.channels,
          perturb: perturbMethodFromFlag(options.perturb),
          seed,
          allowSecondRelease: Boolean(options.allowSecondRelease),
          formats: exportFormatsFromFlag(options.formats),
          drop: droppedAttributesFromFlag(options.drop),
          projection: projectionOptionsFromFlags(options),
          ...givenFlags({ audiences: options.audiences }),
          ...progressOf(command),
        },
        io,
      );
    }),
  );
}

import { basename, extname } from 'node:path';
import { graphFileHeader, recordNdjsonLines, researchGraphFileLines, writeResearchGraph } from '@ocgnet/io';
import { formatIssue } from '@ocgnet/schema';
import { EXIT, UsageError } from '../errors.js';
import { loadInputs } from '../load.js';
import { writeFileAtomically } from '../output.js';
import type { CliIo } from '../io.js';
import { startProgress, type ProgressOptions } from '../progress.js';
import { actorFromFlags, withStore, type ActorFlags } from '../storeAccess.js';
import { importTestPhases, importTestSizes } from '../testPhases.js';
import type { AbsentRecords, ImportCounts, StoreActor } from '@ocgnet/store';
import type { Command } from 'commander';
import { addAudiencesFlag, audiencesInForce } from '../audiences.js';
import { givenFlags, type CommandContext } from '../command.js';
import { disseminationLines, disseminationReport } from '../dissemination.js';

export interface ImportOptions extends ProgressOptions {
  /** A graph file to write; or */
  out?: string;
  /** a store to import into (a path, or a neo4j:// URI). */
  store?: string;
  actor?: StoreActor;
  skipInvalid: boolean;
  /** With a store: the import is the whole truth for its records' sources (see StoreImportOptions.replaceSource). */
  replaceSource?: boolean;
  rejects?: string;
  /** The force's audiences file, for the dissemination report; default the shipped one. */
  audiences?: string;
}

/** The audiences in force and the loaded inputs, with their warnings on stderr. */
async function loadWithWarnings(inputs: string[], options: ImportOptions, io: CliIo) {
  const audiences = await audiencesInForce(options.audiences);
  const loaded = await loadInputs(inputs, {
    quiet: options.quiet,
    stream: options.stream,
    skipInvalid: options.skipInvalid,
  });
  for (const warning of loaded.warnings) io.stderr.write(`warning: ${formatIssue(warning)}\n`);
  return { audiences, loaded };
}

const RESEARCH_OUTPUTS: Record<string, string> = {
  '.graphml': 'graphml',
  '.gexf': 'gexf',
  '.net': 'pajek',
  '.dl': 'dl',
  '.csv': 'edgelist',
};

/**
 * `ocgnet import`: validates everything first and writes the graph file only
 * if the import stands, so a failed import leaves no output behind.
 */
export async function runImport(inputs: string[], options: ImportOptions, io: CliIo): Promise<number> {
  if ((options.out === undefined) === (options.store === undefined))
    throw new UsageError('give either --out <graph file> or --store <store>');
  if (options.store !== undefined) return importIntoStore(inputs, options.store, options, io);
  if (options.replaceSource === true)
    throw new UsageError('--replace-source applies to an import into a store (--store)');
  return importIntoFile(inputs, options.out!, options, io);
}

/**
 * Into a store: the records are validated in full first (as for a file), and
 * the store then commits them in one transaction, so a refused or killed
 * import changes nothing.
 */
async function importIntoStore(inputs: string[], location: string, options: ImportOptions, io: CliIo): Promise<number> {
  if (options.skipInvalid)
    throw new UsageError('--skip-invalid writes to a graph file; a store import is all or nothing');
  // Test-only (undefined unless a crash test set OCGNET_TEST_* variables): phase lines on stderr.
  const testPhases = importTestPhases();
  const testSizes = importTestSizes();
  testPhases?.report('parsing');
  const { audiences, loaded } = await loadWithWarnings(inputs, options, io);
  if (loaded.model !== 'records')
    throw new UsageError('a store holds intelligence records; write a research network to a graph file with --out');
  const { records } = loaded;
  for (const line of disseminationLines(disseminationReport(records, audiences), audiences))
    io.stderr.write(`${line}\n`);
  const sourceDescription = loaded.inputs
    .map((input) => `${basename(input.file)}#${input.sha256.slice(0, 12)}`)
    .join(' ')
    .slice(0, 1000);
  const total = records.entities.length + records.links.length;
  testPhases?.report('parsed');
  const result = await withStore(location, options.actor ?? actorFromFlags({}), async (store) => {
    const progress = startProgress('store', total, 'records', options);
    try {
      return await store.importRecords(records, {
        sourceDescription,
        replaceSource: options.replaceSource === true,
        onProgress: (done) => progress.update(done),
        ...testSizes,
        ...(testPhases && { onPhase: testPhases.onPhase }),
      });
    } finally {
      progress.stop();
    }
  });
  const describe = (counts: ImportCounts) =>
    `${counts.added} added, ${counts.updated} updated, ${counts.unchanged} unchanged`;
  io.stdout.write(
    `imported into ${location}: entities ${describe(result.entities)}; links ${describe(result.links)} (import ${result.importId})\n`,
  );
  for (const line of absentLines(result.absent)) io.stdout.write(`${line}\n`);
  return EXIT.ok;
}

/**
 * The import report's account of stored records of the import's sources that it lacks (a record
 * deleted at the source, perhaps): kept, with the flag that would remove them, or removed.
 */
export function absentLines(absent: AbsentRecords): string[] {
  const count = absent.entities + absent.links;
  if (count === 0) return [];
  const sources = absent.sources.map((source) => JSON.stringify(source)).join(', ');
  const what = `${absent.entities} entit${absent.entities === 1 ? 'y' : 'ies'} and ${absent.links} link(s)`;
  const lines = [
    absent.removed
      ? `removed ${what} of source(s) ${sources} that were in the store but absent from this import (--replace-source; audited):`
      : `${what} of source(s) ${sources} are in the store but absent from this import; kept (--replace-source would remove them):`,
  ];
  for (const { record, id } of absent.ids) lines.push(`  ${record} ${id}`);
  if (count > absent.ids.length) lines.push(`  … and ${count - absent.ids.length} more`);
  return lines;
}

async function importIntoFile(inputs: string[], out: string, options: ImportOptions, io: CliIo): Promise<number> {
  const extension = extname(out).toLowerCase();
  const isGraphFile = out.endsWith('.ndjson') || out.endsWith('.jsonl');
  if (!isGraphFile && !(extension in RESEARCH_OUTPUTS)) {
    throw new UsageError(
      `--out ${out}: use a .ocgnet.ndjson graph file, or .graphml .gexf .net .dl .csv for a research network`,
    );
  }
  const { audiences, loaded } = await loadWithWarnings(inputs, options, io);

  if (loaded.model === 'records') {
    if (!isGraphFile) throw new UsageError('intelligence records are written as an ocgnet graph file (.ocgnet.ndjson)');
    const { records, rejects } = loaded;
    for (const line of disseminationLines(disseminationReport(records, audiences), audiences))
      io.stderr.write(`${line}\n`);
    if (rejects.length > 0) {
      const rejectsPath = options.rejects ?? `${out}.rejects.ndjson`;
      await writeFileAtomically(
        rejectsPath,
        (function* () {
          for (const reject of rejects) yield `${JSON.stringify(reject)}\n`;
        })(),
        options,
      );
      io.stderr.write(`ocgnet: ${rejects.length} invalid record(s) set aside in ${rejectsPath}\n`);
    }
    const header = graphFileHeader({ model: 'records', inputs: loaded.inputs, rejected: rejects.length });
    await writeFileAtomically(out, recordNdjsonLines(records, header), options);
    io.stdout.write(
      `imported ${records.entities.length} entities and ${records.links.length} links into ${out}${rejects.length ? ` (${rejects.length} rejected)` : ''}\n`,
    );
    return EXIT.ok;
  }

  const { graph } = loaded;
  if (isGraphFile) {
    const header = graphFileHeader({ model: 'research', inputs: loaded.inputs, source_format: loaded.format });
    await writeFileAtomically(out, researchGraphFileLines(graph, header), options);
  } else {
    await writeFileAtomically(out, [writeResearchGraph(graph, RESEARCH_OUTPUTS[extension]!)], options);
  }
  io.stdout.write(`imported ${graph.order} nodes and ${graph.size} edges into ${out}\n`);
  return EXIT.ok;
}

/** `ocgnet import <inputs...> --out <file> | --store <store>`. */
export function registerImport(program: Command, { io, action, progressOf }: CommandContext): void {
  addAudiencesFlag(
    program
      .command('import')
      .description('validate inputs and write one ocgnet graph file, or import them into a store (all or nothing)')
      .argument('<inputs...>', 'files or folders')
      .option(
        '-o, --out <file>',
        'graph file to write (.ocgnet.ndjson; research networks also .graphml .gexf .net .dl .csv)',
      )
      .option('--store <store>', 'import into a store instead: a file path (embedded SQLite) or neo4j://host:port')
      .option('--skip-invalid', 'keep the valid records and write the invalid ones to a rejects file')
      .option('--rejects <file>', 'where --skip-invalid writes rejected records (default: <out>.rejects.ndjson)')
      .option('--who <name>', 'who is importing (audited in the store; default $OCGNET_USER or the login name)')
      .option('--justification <text>', 'why (audited in the store)')
      .option('--reason <text>', 'your own reason, recorded in the store beside the justification')
      .option(
        '--replace-source',
        "with --store: the import is the whole truth for its records' sources; stored records of those sources that it lacks are removed (listed, audited)",
      ),
    'used to report release_to ids it does not hold',
  ).action(
    action(
      async (
        inputs: string[],
        options: {
          out?: string;
          store?: string;
          skipInvalid?: boolean;
          rejects?: string;
          audiences?: string;
          replaceSource?: boolean;
        } & ActorFlags,
        command: Command,
      ) => {
        const audiences = options.audiences !== undefined ? await audiencesInForce(options.audiences) : undefined;
        return runImport(
          inputs,
          {
            ...givenFlags({ out: options.out, audiences: options.audiences, rejects: options.rejects }),
            ...(options.store !== undefined
              ? { store: options.store, actor: actorFromFlags(options, undefined, audiences?.sha256) }
              : {}),
            skipInvalid: Boolean(options.skipInvalid),
            replaceSource: Boolean(options.replaceSource),
            ...progressOf(command),
          },
          io,
        );
      },
    ),
  );
}

import { join } from 'node:path';
import { analyse, analysisGraphExport, type AnalyseOptions, type AnalysisReport } from '@ocgnet/analysis';
import { mappingFromNetwork } from '@ocgnet/analysis';
import { resolveProjectionOptions, type ProjectionOptionsInput } from '@ocgnet/graph';
import { EXIT, UsageError } from '../errors.js';
import { analyseInDatabase, isServerLocation, runsInDatabase } from '@ocgnet/store';
import { buildViewerBundle } from '@ocgnet/server/bundle';
import { audienceById, defaultAudiences } from '@ocgnet/profiles';
import { buildManifest, type Manifest } from '../manifest.js';
import { openAtomicFiles } from '../output.js';
import { startProgress, type ProgressOptions } from '../progress.js';
import { loadSubject } from '../subject.js';
import type { CliIo } from '../main.js';
import { formatAnalysisTable } from './analyseTable.js';
import { actorFromFlags, withStore } from '../storeAccess.js';
import { writeBackOf } from '../writeBack.js';
import type { StoreActor } from '@ocgnet/store';

/**
 * `--engine neo4j`: the projection and the algorithms run inside Neo4j with
 * GDS; only one row per person travels back. The records are never loaded
 * here, so the manifest names the store but cannot hash its content.
 */
async function runAnalyseInDatabase(options: AnalyseCommandOptions, actor: StoreActor, io: CliIo): Promise<number> {
  if (options.store === undefined || !isServerLocation(options.store)) throw new UsageError('--engine neo4j runs inside Neo4j: give --store neo4j://host:port');
  if (options.out !== undefined) throw new UsageError('--out writes the analysed graph, which --engine neo4j leaves in the database; use --json or --write-back');
  const location = options.store;
  const progress = startProgress('analyse in Neo4j', 1, 'steps', options);
  const { report, manifest } = await withStore(location, actor, async (store) => {
    if (!runsInDatabase(store)) throw new UsageError(`${location} is not a Neo4j store`);
    let report: AnalysisReport;
    try {
      report = await store.inDatabase((driver, database) =>
        analyseInDatabase(driver, {
          ...(database !== undefined ? { database } : {}),
          analysis: options.analysis,
          projection: options.projection,
          onProgress: (done, total, step) => {
            if (done === 0) progress.grow(total - 1);
            progress.update(done, step);
          },
        }),
      );
    } catch (error) {
      // An option GDS cannot honour is the user's to change, not an internal error.
      if (error instanceof Error && /GraphError|invalid_option/.test(`${error.name} ${(error as { code?: string }).code ?? ''}`)) throw new UsageError(error.message.replace(/^@ocgnet\/[a-z]+: /, ''));
      throw error;
    } finally {
      progress.stop();
    }
    const manifest: Manifest = buildManifest({
      command: ['ocgnet', ...options.argv],
      engine: 'neo4j',
      seed: report.parameters.seed,
      parameters: { analysis: report.parameters, projection: resolveProjectionOptions(options.projection), model: 'records' },
      inputs: [{ file: store.info.location, sha256: '', bytes: 0 }],
    });
    // The records never left the database, so the store's read audit did not run: record the analysis itself.
    await store.appendAudit({
      action: 'analyse',
      who: actor.who,
      at: manifest.created,
      audience: actor.audience,
      subject: '*',
      justification: actor.justification,
      recipients: [],
      detail: { engine: 'neo4j', persons: report.graph.nodes, associations: report.graph.edges },
    });
    if (options.writeBack) {
      const saved = await store.saveAnalysis(writeBackOf(report, manifest));
      io.stderr.write(`ocgnet: metrics and communities of ${saved.entitiesWritten} entities written back to ${location}\n`);
    }
    return { report, manifest };
  });
  for (const warning of report.warnings) io.stderr.write(`warning: ${warning}\n`);
  if (options.json) io.stdout.write(`${toJson({ ...report, manifest })}\n`);
  else io.stdout.write(formatAnalysisTable(report, options.top));
  return EXIT.ok;
}

export const ENGINES = ['ocgnet', 'neo4j'] as const;

export interface AnalyseCommandOptions extends ProgressOptions {
  json: boolean;
  out?: string;
  engine: string;
  top: number;
  analysis: Partial<AnalyseOptions>;
  projection: ProjectionOptionsInput;
  argv: readonly string[];
  /** Read the records from this store (and with writeBack, save the results there). */
  store?: string;
  actor?: StoreActor;
  writeBack?: boolean;
}

/** JSON cannot carry NaN or Infinity (isolates have no constraint); they travel as null. */
function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, field) => (typeof field === 'number' && !Number.isFinite(field) ? null : field), 2);
}

/**
 * `ocgnet analyse`: key nominals, communities against the mapped OCGs,
 * brokers and cut points, with a manifest that makes the numbers reproducible.
 */
export async function runAnalyse(inputs: string[], options: AnalyseCommandOptions, io: CliIo): Promise<number> {
  if (!(ENGINES as readonly string[]).includes(options.engine)) {
    throw new UsageError(`--engine ${options.engine} is not available (engines: ${ENGINES.join(', ')})`);
  }
  if (options.writeBack && options.store === undefined) throw new UsageError('--write-back saves results into a store: give --store');
  const actor = options.actor ?? actorFromFlags({});
  if (options.engine === 'neo4j') return runAnalyseInDatabase(options, actor, io);
  const subject = await loadSubject(
    inputs,
    options.projection,
    { quiet: options.quiet, stream: options.stream, skipInvalid: false, ...(options.store !== undefined ? { store: { location: options.store, actor } } : {}) },
    io,
  );
  const graph = subject.model === 'records' ? subject.persons : subject.graph;
  const mapping = subject.model === 'records' ? mappingFromNetwork(subject.network) : undefined;

  const progress = startProgress('analyse', 1, 'steps', options);
  let report: AnalysisReport;
  try {
    report = analyse(graph, options.analysis, {
      ...(mapping ? { mapping } : {}),
      onProgress: (done, total, step) => {
        if (done === 0) progress.grow(total - 1);
        progress.update(done, step);
      },
    });
  } finally {
    progress.stop();
  }

  const manifest: Manifest = buildManifest({
    command: ['ocgnet', ...options.argv],
    engine: options.engine,
    seed: report.parameters.seed,
    parameters: {
      analysis: report.parameters,
      ...(subject.model === 'records' ? { projection: resolveProjectionOptions(options.projection) } : {}),
      model: subject.model,
    },
    inputs: subject.loaded.inputs,
  });
  const document = { ...report, manifest };

  if (options.out !== undefined) {
    const names = ['analysis.json', 'graph.json', 'manifest.json', ...(subject.model === 'records' ? ['bundle.json'] : [])];
    const files = await openAtomicFiles(options.out, names);
    try {
      await files.write('analysis.json', `${toJson(document)}\n`);
      await files.write('graph.json', `${toJson(analysisGraphExport(graph, report))}\n`);
      await files.write('manifest.json', `${toJson(manifest)}\n`);
      if (subject.model === 'records') {
        // What the viewer opens (drop it on the viewer, or `ocgnet view`): the analyst's own full view.
        const bundle = buildViewerBundle(subject.loaded.records, {
          audience: audienceById(defaultAudiences(), 'police-analyst'),
          manifest,
          computed: { network: subject.network, persons: subject.persons, analysis: report },
        });
        await files.write('bundle.json', `${toJson(bundle)}\n`);
      }
      await files.commit();
    } catch (error) {
      await files.abort();
      throw error;
    }
  }
  if (options.writeBack) {
    const saved = await withStore(options.store!, actor, (store) => store.saveAnalysis(writeBackOf(report, manifest)));
    io.stderr.write(`ocgnet: metrics and communities of ${saved.entitiesWritten} entities written back to ${options.store}\n`);
  }
  if (options.json) io.stdout.write(`${toJson(document)}\n`);
  else io.stdout.write(formatAnalysisTable(report, options.top));
  if (options.out !== undefined && !options.json) io.stdout.write(`analysis bundle written to ${join(options.out, 'analysis.json')}\n`);
  return EXIT.ok;
}

import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import {
  analyse,
  analyseLarge,
  analysisGraphExport,
  csrFromEdgeArrays,
  COMMUNITY_ALGORITHMS,
  CONVERGENCE_RULES,
  type AnalyseOptions,
  type CommunityAlgorithm,
  type ConvergenceRule,
  type AnalysisReport,
  type CsrGraph,
  type LargeAnalysis,
  type LargeAnalysisOptions,
  type RankedNode,
} from '@ocgnet/analysis';
import { parallelEdgesMerged as mergedWarning, researchCsvCell, type EdgeArrays, type InputDigest } from '@ocgnet/io';
import { DEFAULT_CLASSIFICATION, SAFEGUARDING_MARK, formatIssue, type InputIssue, type Marking } from '@ocgnet/schema';
import { resolveProjectionOptions, type ProjectionOptionsInput } from '@ocgnet/graph';
import { EXIT, UsageError } from '../errors.js';
import { isServerLocation, runsInDatabase } from '@ocgnet/store';
import { analyseInDatabase } from '@ocgnet/gds';
import { describePlanFailure, type ViewerBundle } from '@ocgnet/bundle';
import { buildViewerBundle } from '@ocgnet/bundle/build';
import {
  LARGE_BUNDLE_PERSONS,
  buildLargeViewerBundle,
  largeRecordsAnalysis,
  type LargeRecordsAnalysis,
} from '@ocgnet/bundle/large';
import { layoutBundle } from '@ocgnet/bundle/layout';
import { audienceById, defaultAudiences } from '@ocgnet/profiles';
import { buildManifest, type Manifest } from '../manifest.js';
import { prepareOutputFolder, writeAll, type OutputFolder } from '../output.js';
import { startProgress, stepsOnto, type ProgressOptions } from '../progress.js';
import { loadSubject, type AnalysisSubject } from '../subject.js';
import { LARGE_PATH_EDGES, largePathInput, loadEdgeArrays, researchInputFromEdgeArrays } from '../load.js';
import type { CliIo } from '../io.js';
import { formatAnalysisTable, formatMarkingLine, withSafeguardingFields } from './analyseTable.js';
import { GEPHI_FILES, gephiFiles } from '../gephiGraph.js';
import { actorFromFlags, withStore, type ActorFlags } from '../storeAccess.js';
import { Option, type Command } from 'commander';
import { givenFlags, integerFlag, type CommandContext } from '../command.js';
import { addProjectionFlags, projectionOptionsFromFlags, type ProjectionFlags } from '../projectionFlags.js';
import { writeBackOf } from '../writeBack.js';
import type { StoreActor } from '@ocgnet/store';

/**
 * `--engine neo4j`: the projection and the algorithms run inside Neo4j with
 * GDS; only one row per person travels back. The records are never loaded
 * here, so the manifest names the store but cannot hash its content.
 */
async function runAnalyseInDatabase(options: AnalyseCommandOptions, actor: StoreActor, io: CliIo): Promise<number> {
  if (options.store === undefined || !isServerLocation(options.store))
    throw new UsageError('--engine neo4j runs inside Neo4j: give --store neo4j://host:port');
  if (options.out !== undefined)
    throw new UsageError(
      '--out writes the analysed graph, which --engine neo4j leaves in the database; use --json or --write-back',
    );
  const location = options.store;
  const progress = startProgress('analyse in Neo4j', 1, 'steps', options);
  const { report, manifest } = await withStore(location, actor, async (store) => {
    if (!runsInDatabase(store)) throw new UsageError(`${location} is not a Neo4j store`);
    let report: AnalysisReport;
    try {
      // A projection option GDS cannot honour is a GraphError INVALID_OPTION: reportError makes it a usage error.
      report = await store.inDatabase((driver, database) =>
        analyseInDatabase(driver, {
          ...(database !== undefined ? { database } : {}),
          analysis: options.analysis,
          projection: options.projection,
          onProgress: stepsOnto(progress),
        }),
      );
    } finally {
      progress.stop();
    }
    const manifest: Manifest = buildManifest({
      command: ['ocgnet', ...options.argv],
      engine: 'neo4j',
      seed: report.parameters.seed,
      parameters: {
        analysis: report.parameters,
        projection: resolveProjectionOptions(options.projection),
        model: 'records',
      },
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
      io.stderr.write(
        `ocgnet: metrics and communities of ${saved.entitiesWritten} entities written back to ${location}\n`,
      );
    }
    return { report, manifest };
  });
  for (const warning of report.warnings) io.stderr.write(`warning: ${warning}\n`);
  if (options.json) io.stdout.write(`${toJson({ ...withSafeguardingFields(report), manifest })}\n`);
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
  /** Take the large-graph path (typed arrays only) whatever the edge count. */
  large?: boolean;
}

/** JSON cannot carry NaN or Infinity (isolates have no constraint); they travel as null. */
function toJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, field) => (typeof field === 'number' && !Number.isFinite(field) ? null : field),
    2,
  );
}

/**
 * `ocgnet analyse`: key nominals, communities against the mapped OCGs,
 * brokers and cut points, with a manifest that makes the numbers reproducible.
 */
export async function runAnalyse(inputs: string[], options: AnalyseCommandOptions, io: CliIo): Promise<number> {
  if (!(ENGINES as readonly string[]).includes(options.engine)) {
    throw new UsageError(`--engine ${options.engine} is not available (engines: ${ENGINES.join(', ')})`);
  }
  if (options.writeBack && options.store === undefined)
    throw new UsageError('--write-back saves results into a store: give --store');
  const actor = options.actor ?? actorFromFlags({});
  if (options.large && options.engine === 'neo4j')
    throw new UsageError('--large runs in this process: it takes no --engine neo4j');
  if (options.engine === 'neo4j') return runAnalyseInDatabase(options, actor, io);
  // The output folder is made and checked before the work, so an unwritable --out fails at once.
  const output = options.out !== undefined ? await prepareOutputFolder(options.out, options) : undefined;
  try {
    return await runAnalyseInProcess(inputs, options, actor, output, io);
  } catch (error) {
    await output?.discard();
    throw error;
  }
}

/** The analysis in this process, of files or of a store's records; `output` is the --out folder, made ready. */
async function runAnalyseInProcess(
  inputs: string[],
  options: AnalyseCommandOptions,
  actor: StoreActor,
  output: OutputFolder | undefined,
  io: CliIo,
): Promise<number> {
  let subject: AnalysisSubject | undefined;
  const decision = options.store === undefined ? await largePathInput(inputs, options.large === true) : undefined;
  const largeInput = decision?.path;
  if (largeInput !== undefined) {
    const started = performance.now();
    const loaded = await loadEdgeArrays(largeInput, options);
    const warn = (warnings: readonly InputIssue[]) => {
      for (const warning of warnings) io.stderr.write(`warning: ${formatIssue(warning)}\n`);
    };
    if (options.large || loaded.edges.source.length > LARGE_PATH_EDGES) {
      warn(loaded.warnings);
      return runAnalyseLarge(loaded, (performance.now() - started) / 1000, options, output, io);
    }
    // The graph's warnings add the repeated-edge merge count to the reader's.
    const research = researchInputFromEdgeArrays(loaded, largeInput);
    warn(research.warnings);
    subject = { model: 'research', loaded: research, graph: research.graph };
  }
  subject ??= await loadSubject(
    inputs,
    options.projection,
    {
      quiet: options.quiet,
      stream: options.stream,
      skipInvalid: false,
      classified: decision?.classified ?? [],
      ...(options.store !== undefined ? { store: { location: options.store, actor } } : {}),
    },
    io,
  );
  // Records of a force or a region: only what scales (issue 20), however they were read.
  if (subject.model === 'records' && (options.large || subject.persons.order > LARGE_BUNDLE_PERSONS))
    return runAnalyseRecordsLarge(subject, options, output, io);
  if (options.large) throw new UsageError('--large reads records or one edge-list file');
  const graph = subject.model === 'records' ? subject.persons : subject.graph;
  const mapping = subject.model === 'records' ? subject.mapping : undefined;

  const progress = startProgress('analyse', 1, 'steps', options);
  let report: AnalysisReport;
  try {
    report = analyse(graph, options.analysis, {
      ...(mapping ? { mapping } : {}),
      onProgress: stepsOnto(progress),
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
  const marked = withSafeguardingFields(report);
  const document = { ...marked, manifest };

  if (output !== undefined) {
    const names = [
      'analysis.json',
      'graph.json',
      GEPHI_FILES.graphml,
      GEPHI_FILES.gexf,
      'manifest.json',
      ...(subject.model === 'records' ? ['bundle.json'] : []),
    ];
    await writeAll(output, names, async (files) => {
      await files.write('analysis.json', `${toJson(document)}\n`);
      await files.write('graph.json', `${toJson(analysisGraphExport(graph, report))}\n`);
      for (const [name, text] of gephiFiles(graph, report, mapping)) await files.write(name, text);
      await files.write('manifest.json', `${toJson(manifest)}\n`);
      if (subject.model === 'records') {
        // What the viewer opens (drop it on the viewer, or `ocgnet view`): the analyst's own full view.
        const bundle = buildViewerBundle(subject.loaded.records, {
          audience: audienceById(defaultAudiences(), 'police-analyst'),
          manifest,
          computed: { network: subject.network, persons: subject.persons, mapping: subject.mapping, report: marked },
        });
        await writeLaidOutBundle(bundle, files, options, io);
      }
    });
  }
  if (options.writeBack) {
    const saved = await withStore(options.store!, actor, (store) => store.saveAnalysis(writeBackOf(report, manifest)));
    io.stderr.write(
      `ocgnet: metrics and communities of ${saved.entitiesWritten} entities written back to ${options.store}\n`,
    );
  }
  if (options.json) io.stdout.write(`${toJson(document)}\n`);
  else io.stdout.write(formatAnalysisTable(report, options.top));
  if (options.out !== undefined && !options.json)
    io.stdout.write(`analysis bundle written to ${join(options.out, 'analysis.json')}\n`);
  return EXIT.ok;
}

/** One stage of the large path: how long it took and the peak resident memory once it ended. */
interface StageTiming {
  step: string;
  seconds: number;
  peakRssMB: number;
}

/**
 * The large-graph path: a plain edge list straight into typed arrays, the
 * snapshot built from them, then `analyseLarge`. No graphology graph, no Map
 * of edges. Writes top nodes per metric, community and component summaries
 * and a manifest; `--out` adds nodes.csv with every node's values.
 */
async function runAnalyseLarge(
  loaded: { edges: EdgeArrays; input: InputDigest; warnings: InputIssue[] },
  readSeconds: number,
  options: AnalyseCommandOptions,
  output: OutputFolder | undefined,
  io: CliIo,
): Promise<number> {
  const peakRssMB = () => Math.round(process.resourceUsage().maxRSS / 1024);
  const timings: StageTiming[] = [{ step: 'read', seconds: readSeconds, peakRssMB: peakRssMB() }];
  let stage = 'snapshot';
  let started = performance.now();
  const finishStage = (next: string) => {
    timings.push({ step: stage, seconds: (performance.now() - started) / 1000, peakRssMB: peakRssMB() });
    stage = next;
    started = performance.now();
  };
  const edgesRead = loaded.edges.source.length;
  const hasWeights = loaded.edges.weight !== null;
  const csr = takeSnapshot(loaded);
  const weighted = options.analysis.weighted === true && hasWeights;
  const progress = startProgress('analyse', 5, 'steps', options);
  let result: LargeAnalysis;
  try {
    result = await analyseLarge(csr, largeOptionsOf(options, csr.n, weighted), (done, _total, step) => {
      progress.update(done, step);
      finishStage(step);
    });
  } finally {
    progress.stop();
  }
  const parallelEdgesMerged = edgesRead - csr.selfLoops - csr.m;
  const warnings = [...result.warnings];
  if (parallelEdgesMerged > 0) warnings.push(mergedWarning(parallelEdgesMerged));
  if (options.analysis.weighted && !hasWeights)
    warnings.push('--weighted: the file has no weights, so every tie counts 1');
  const { workers: _workers, ...parameters } = result.parameters;

  const manifest: Manifest = buildManifest({
    command: ['ocgnet', ...options.argv],
    engine: options.engine,
    seed: parameters.seed,
    parameters: { analysis: parameters, model: 'research', path: 'large', largePathEdges: LARGE_PATH_EDGES },
    inputs: [loaded.input],
  });
  const document = {
    model: 'research',
    path: 'large',
    graph: { ...result.graph, edgesRead, parallelEdgesMerged },
    parameters,
    top: result.top,
    communities: {
      count: result.communitySizes.length,
      modularity: result.modularity,
      levels: result.levels,
      sizes: result.communitySizes.slice(0, 100),
    },
    components: { count: result.componentSizes.length, sizes: result.componentSizes.slice(0, 100) },
    warnings,
    timings,
    manifest,
  };

  if (output !== undefined) {
    await writeAll(output, ['analysis.json', 'nodes.csv', 'manifest.json'], async (files) => {
      await files.write('analysis.json', `${toJson(document)}\n`);
      await files.write('manifest.json', `${toJson(manifest)}\n`);
      await writeNodeRows(result, (text) => files.write('nodes.csv', text));
    });
  }
  for (const warning of warnings) io.stderr.write(`warning: ${warning}\n`);
  if (options.json) io.stdout.write(`${toJson(document)}\n`);
  else io.stdout.write(formatLargeTable(document));
  if (options.out !== undefined && !options.json)
    io.stdout.write(
      `analysis written to ${join(options.out, 'analysis.json')} and ${join(options.out, 'nodes.csv')}\n`,
    );
  return EXIT.ok;
}

/**
 * Lays the bundle out, once, here (so the viewer opens on a finished picture,
 * issue 20), with a progress bar, writes it as bundle.json and warns of each
 * group whose plan failed.
 */
async function writeLaidOutBundle(
  bundle: ViewerBundle,
  files: { write(name: string, text: string): Promise<void> },
  options: AnalyseCommandOptions,
  io: CliIo,
): Promise<void> {
  const layoutProgress = startProgress('layout', 2, 'steps', options);
  try {
    bundle.layout = layoutBundle(bundle, {}, (done, _total, step) => layoutProgress.update(done, step));
  } finally {
    layoutProgress.stop();
  }
  await files.write('bundle.json', `${toJson(bundle)}\n`);
  for (const failure of bundle.planFailures ?? [])
    io.stderr.write(`warning: bundle.json: ${describePlanFailure(failure)}\n`);
}

/** `analyseLarge` options from the command's flags: what the edge-list and the records large paths share. */
function largeOptionsOf(
  options: AnalyseCommandOptions,
  nodes: number,
  weighted: boolean,
): Partial<LargeAnalysisOptions> {
  return {
    weighted,
    communityAlgorithm: options.analysis.communityAlgorithm ?? 'leiden',
    convergence: options.analysis.convergence ?? 'converged',
    resolution: options.analysis.resolution ?? 1,
    seed: options.analysis.seed ?? 1,
    // Every node a pivot is the exact computation.
    ...(options.analysis.betweenness === 'exact' ? { pivots: Math.max(2, nodes) } : {}),
    top: options.top,
    workers: Math.max(1, Math.min(availableParallelism(), 8)),
  };
}

/**
 * Records with more than LARGE_BUNDLE_PERSONS persons: `analyseLarge` of the
 * projection (degree, strength, PageRank, sampled betweenness, components,
 * communities, cut points), the top nodes per metric with safeguarding
 * subjects marked, and with --out the large-path viewer bundle, laid out.
 */
async function runAnalyseRecordsLarge(
  subject: Extract<AnalysisSubject, { model: 'records' }>,
  options: AnalyseCommandOptions,
  output: OutputFolder | undefined,
  io: CliIo,
): Promise<number> {
  const progress = startProgress('analyse', 5, 'steps', options);
  let computed: LargeRecordsAnalysis;
  try {
    computed = await largeRecordsAnalysis(subject, {
      analysis: largeOptionsOf(options, subject.persons.order, options.analysis.weighted === true),
      onProgress: (done, _total, step) => progress.update(done, step),
    });
  } finally {
    progress.stop();
  }
  const { large } = computed;
  const { workers: _workers, ...parameters } = large.parameters;
  const manifest: Manifest = buildManifest({
    command: ['ocgnet', ...options.argv],
    engine: options.engine,
    seed: parameters.seed,
    parameters: {
      analysis: parameters,
      projection: resolveProjectionOptions(options.projection),
      model: 'records',
      path: 'large',
      largeBundlePersons: LARGE_BUNDLE_PERSONS,
    },
    inputs: subject.loaded.inputs,
  });
  const bundle = await buildLargeViewerBundle(subject.loaded.records, {
    audience: audienceById(defaultAudiences(), 'police-analyst'),
    manifest,
    computed,
  });
  const subjects = new Set(
    bundle.graph.nodes.filter((node) => node.attributes?.safeguarding === true).map((node) => node.key),
  );
  const marked = (nodes: RankedNode[]) => nodes.map((node) => ({ ...node, safeguarding: subjects.has(node.id) }));
  const warnings = [
    `${subject.persons.order} persons: the large path (more than ${LARGE_BUNDLE_PERSONS})`,
    ...large.warnings,
  ];
  const document = {
    classification: bundle.classification,
    marking: bundle.marking,
    model: 'records',
    path: 'large',
    graph: large.graph,
    parameters,
    top: {
      degree: marked(large.top.degree),
      strength: marked(large.top.strength),
      pagerank: marked(large.top.pagerank),
      betweenness: marked(large.top.betweenness),
    },
    communities: {
      count: large.communitySizes.length,
      modularity: large.modularity,
      levels: large.levels,
      sizes: large.communitySizes.slice(0, 100),
    },
    components: { count: large.componentSizes.length, sizes: large.componentSizes.slice(0, 100) },
    cutPoints: large.articulation.reduce((count, cut) => count + cut, 0),
    warnings,
    manifest,
  };
  if (output !== undefined) {
    await writeAll(output, ['analysis.json', 'bundle.json', 'manifest.json'], async (files) => {
      await files.write('analysis.json', `${toJson(document)}\n`);
      await files.write('manifest.json', `${toJson(manifest)}\n`);
      await writeLaidOutBundle(bundle, files, options, io);
    });
  }
  for (const warning of warnings) io.stderr.write(`warning: ${warning}\n`);
  if (options.json) io.stdout.write(`${toJson(document)}\n`);
  else io.stdout.write(formatLargeTable(document));
  if (options.out !== undefined && !options.json)
    io.stdout.write(`analysis bundle written to ${join(options.out, 'analysis.json')}\n`);
  return EXIT.ok;
}

/** The snapshot of the loaded edges. Drops the edge arrays, which the snapshot makes redundant (40 MB at 5M edges). */
function takeSnapshot(loaded: { edges: EdgeArrays | undefined }): CsrGraph {
  const { ids, source, target, weight } = loaded.edges!;
  loaded.edges = undefined;
  return csrFromEdgeArrays(ids, source, target, weight);
}

/** Every node's values as CSV, written in blocks so a million rows never form one string. */
async function writeNodeRows(result: LargeAnalysis, write: (text: string) => Promise<void>): Promise<void> {
  await write('id,degree,strength,pagerank,betweenness,component,community\n');
  const block = 10_000;
  for (let start = 0; start < result.ids.length; start += block) {
    const rows: string[] = [];
    for (let v = start; v < Math.min(start + block, result.ids.length); v++) {
      rows.push(
        `${researchCsvCell(result.ids[v]!)},${result.degree[v]},${result.strength[v]},${result.pagerank[v]},${result.betweenness[v]},${result.component[v]},${result.community[v]}\n`,
      );
    }
    await write(rows.join(''));
  }
}

/** The large path's summary as text: with records, the marking first and safeguarding subjects marked. */
function formatLargeTable(document: {
  graph: LargeAnalysis['graph'];
  top: Record<'degree' | 'pagerank' | 'betweenness', (RankedNode & { safeguarding?: boolean })[]>;
  communities: { count: number; modularity: number; sizes: number[] };
  timings?: StageTiming[];
  classification?: string;
  marking?: Marking;
}): string {
  const { graph, top, communities } = document;
  const lines = [
    ...(document.marking !== undefined
      ? [formatMarkingLine(document.classification ?? DEFAULT_CLASSIFICATION, document.marking)]
      : []),
    `nodes ${graph.nodes}, edges ${graph.edges}, components ${graph.components} (largest ${graph.largestComponent}), isolates ${graph.isolates}`,
    `communities ${communities.count}, modularity ${communities.modularity.toFixed(4)}, largest ${communities.sizes.slice(0, 5).join(', ')}`,
    '',
  ];
  for (const metric of ['degree', 'pagerank', 'betweenness'] as const) {
    lines.push(`top ${metric}:`);
    for (const { id, value, safeguarding } of top[metric])
      lines.push(
        `  ${id.padEnd(16)} ${Number.isInteger(value) ? value : value.toPrecision(6)}${safeguarding ? `  ${SAFEGUARDING_MARK}` : ''}`,
      );
  }
  if (document.timings !== undefined)
    lines.push('', `time: ${document.timings.map((t) => `${t.step} ${t.seconds.toFixed(1)} s`).join(', ')}`);
  return `${lines.join('\n')}\n`;
}

interface AnalyseFlags extends ProjectionFlags, ActorFlags {
  json?: boolean;
  out?: string;
  weighted?: boolean;
  distance: 'inverse' | 'weight';
  communityAlgorithm: CommunityAlgorithm;
  convergence: ConvergenceRule;
  resolution: string;
  seed: string;
  top: string;
  engine: string;
  store?: string;
  writeBack?: boolean;
  large?: boolean;
  exactBetweenness?: boolean;
}

/** `ocgnet analyse [inputs...] | --store <store>`. */
export function registerAnalyse(program: Command, { io, argv, action, progressOf }: CommandContext): void {
  addProjectionFlags(
    program
      .command('analyse')
      .alias('analyze')
      .description('key nominals, communities against mapped OCGs, roles, brokers, cut points and bridges')
      .argument('[inputs...]', 'files or folders (or --store)')
      .option('--json', 'print one JSON document (graph, nodes, communities, bridges, manifest)')
      .option(
        '-o, --out <dir>',
        'also write an analysis bundle (analysis.json, graph.json, manifest.json; graph.graphml and graph.gexf for Gephi and Cytoscape; bundle.json for records); with --large, analysis.json, nodes.csv and manifest.json',
      )
      .option('--weighted', 'weighted variants of every metric and of the communities')
      .addOption(
        new Option(
          '--distance <mode>',
          "weighted path length: 'inverse' (1/weight, strong ties are short) or 'weight' (networkx)",
        )
          .choices(['inverse', 'weight'])
          .default('inverse'),
      )
      .addOption(
        new Option('--community-algorithm <name>', 'community search: Leiden (connected communities) or Louvain')
          .choices([...COMMUNITY_ALGORITHMS])
          .default('leiden'),
      )
      .addOption(
        new Option(
          '--convergence <rule>',
          "where PageRank and eigenvector stop: within 1e-10 of their converged values, or where networkx's defaults stop (to reproduce networkx)",
        )
          .choices([...CONVERGENCE_RULES])
          .default('converged'),
      )
      .option('--resolution <r>', 'community resolution', '1')
      .option('--seed <n>', 'community seed', '1')
      .option('--top <n>', 'key nominals to list in the table', '20')
      .option(
        '--exact-betweenness',
        'betweenness from every source even above 20,000 nodes, where it is otherwise estimated from 256 seeded pivots',
      )
      .option(
        '--large',
        'the large-graph path (typed arrays only: degree, PageRank, components, cut points, communities, sampled betweenness; for records with --out a viewer bundle without the multimodal network); taken anyway for a headerless edge list of more than 200,000 edges and for records of more than 20,000 persons',
      )
      .addOption(
        new Option(
          '--engine <name>',
          'where the computation runs: in process, or inside Neo4j with GDS (needs --store neo4j://…)',
        )
          .choices([...ENGINES])
          .default('ocgnet'),
      )
      .option('--store <store>', 'analyse the records in a store: a file path (embedded) or neo4j://host:port')
      .option('--write-back', 'save metrics and communities onto the entities in the store')
      .option('--who <name>', 'who is analysing (audited in the store)')
      .option('--justification <text>', 'why (audited in the store)'),
  ).action(
    action(async (inputs: string[], options: AnalyseFlags, command: Command) => {
      const resolution = Number(options.resolution);
      if (!Number.isFinite(resolution) || resolution <= 0)
        throw new UsageError(`--resolution must be a positive number, not ${JSON.stringify(options.resolution)}`);
      const seed = integerFlag(options.seed, '--seed', 0);
      const top = integerFlag(options.top, '--top', 1);
      return runAnalyse(
        inputs,
        {
          json: Boolean(options.json),
          ...givenFlags({ out: options.out }),
          engine: options.engine,
          ...(options.store !== undefined ? { store: options.store, actor: actorFromFlags(options) } : {}),
          writeBack: Boolean(options.writeBack),
          large: Boolean(options.large),
          top,
          analysis: {
            weighted: Boolean(options.weighted),
            distance: options.distance,
            communityAlgorithm: options.communityAlgorithm,
            convergence: options.convergence,
            resolution,
            seed,
            betweenness: options.exactBetweenness ? 'exact' : 'auto',
          },
          projection: projectionOptionsFromFlags(options),
          argv,
          ...progressOf(command),
        },
        io,
      );
    }),
  );
}

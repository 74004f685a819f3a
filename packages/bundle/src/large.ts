/**
 * @ocgnet/bundle/large: the viewer bundle of a record set too large for
 * `analyse()` (a force's or a region's network: ~100,000 nominals, a million
 * links). Closeness and the other all-pairs metrics cost hours there, and the
 * multimodal network is too large to draw, so this bundle carries:
 *
 * - the person projection, attribute by attribute as in a full bundle, with
 *   the metrics that scale (`analyseLarge`: degree, strength, PageRank,
 *   sampled betweenness, components, cut points, communities) and NaN for
 *   every other metric;
 * - no multimodal network (`network` is empty; `scale.networkOmitted` says
 *   how large it was), though its markings count towards the bundle's marking;
 * - plans for every mapped group, as a full bundle has;
 * - `scale`, which says all this, so the viewer can say it too.
 *
 * The same rule as `buildViewerBundle`: the records given are those the
 * audience may see, and everything is computed from them alone.
 */
import {
  analyse,
  analyseLarge,
  csrOf,
  recordsGraphs,
  strengthOnCsr,
  topNodes,
  type LargeAnalysisOptions,
  type LargeAnalysisProgress,
  type LargeAnalysis,
  type NodeMetrics,
  type RecordsGraphs,
} from '@ocgnet/analysis';
import { isSafeguardingNode, strictestMarking, type Marking, type RecordSet } from '@ocgnet/schema';
import {
  aliasesOf,
  buildViewerBundle,
  finishRecordsBundle,
  serializePersons,
  type BuildViewerBundleOptions,
} from './build.js';
import type { SerializedGraph, ViewerBundle } from './contract.js';

/** Persons above which `ocgnet` takes the large path for records unless told otherwise. */
export const LARGE_BUNDLE_PERSONS = 20_000;

/** The metrics a large bundle carries (the rest of NODE_METRIC_FIELDS is NaN). */
export const LARGE_BUNDLE_METRICS = [
  'degree',
  'strength',
  'betweenness',
  'pagerank',
  'community',
  'component',
] as const;

export interface BuildLargeViewerBundleOptions extends Pick<
  BuildViewerBundleOptions,
  'audience' | 'projection' | 'manifest' | 'layout' | 'plans'
> {
  analysis?: Partial<LargeAnalysisOptions>;
  onProgress?: LargeAnalysisProgress;
  /**
   * `largeRecordsAnalysis` of these same records, when the caller already has
   * it (`ocgnet analyse`, which prints its top nodes), so it is not computed twice.
   */
  computed?: LargeRecordsAnalysis;
}

/** The graphs of a record set and `analyseLarge` of its person projection. */
export interface LargeRecordsAnalysis {
  graphs: RecordsGraphs;
  large: LargeAnalysis;
}

/** `analyseLarge` of the person projection of `graphs`. */
export async function largeRecordsAnalysis(
  graphs: RecordsGraphs,
  options: Pick<BuildLargeViewerBundleOptions, 'analysis' | 'onProgress'> = {},
): Promise<LargeRecordsAnalysis> {
  const csr = csrOf(graphs.persons, { weightAttribute: 'weight' });
  const large = await analyseLarge(csr, options.analysis ?? {}, options.onProgress);
  // A person's strength is the sum of their ties' weights whatever the analysis weighs, as analyse() reports it.
  if (!large.parameters.weighted) {
    large.strength = strengthOnCsr(csr);
    large.top.strength = topNodes(large.ids, large.strength, large.parameters.top);
  }
  return { graphs, large };
}

/**
 * Builds the large-path viewer bundle of `records`, which must already be
 * reduced with `recordsForAudience(records, options.audience)`.
 */
export async function buildLargeViewerBundle(
  records: RecordSet,
  options: BuildLargeViewerBundleOptions,
): Promise<ViewerBundle> {
  const { graphs, large } =
    options.computed ?? (await largeRecordsAnalysis(recordsGraphs(records, options.projection ?? {}), options));
  const { persons, network, mapping } = graphs;

  const metricsById = new Map<string, NodeMetrics>();
  large.ids.forEach((id, i) => {
    const attributes = persons.getNodeAttributes(id);
    const metrics: NodeMetrics = {
      id,
      label: attributes.label,
      degree: large.degree[i]!,
      strength: large.strength[i]!,
      betweenness: large.betweenness[i]!,
      closeness: Number.NaN,
      harmonic: Number.NaN,
      eigenvector: Number.NaN,
      pagerank: large.pagerank[i]!,
      coreness: Number.NaN,
      clustering: Number.NaN,
      constraint: Number.NaN,
      effectiveSize: Number.NaN,
      community: large.community[i]!,
      component: large.component[i]!,
      articulation: large.articulation[i] === 1,
      safeguarding: isSafeguardingNode(attributes),
      marking: attributes.marking,
    };
    const group = mapping.groupOf[id];
    if (group !== undefined) {
      metrics.mappedGroup = group;
      const role = mapping.roleOf[id];
      if (role !== undefined) metrics.mappedRole = role;
    }
    metricsById.set(id, metrics);
  });

  // The projection's own marking: the strictest of what was analysed, as analyse() reports it.
  const analysed: Marking[] = [];
  persons.forEachNode((_key, attributes) => analysed.push(attributes.marking));
  persons.forEachEdge((_key, attributes) => analysed.push(attributes.marking));
  const markings: Marking[] = [];
  const graph = serializePersons(graphs, metricsById, aliasesOf(records), strictestMarking(analysed), markings);
  // Left out, but what it holds still marks the bundle.
  network.forEachNode((_key, attributes) => markings.push(attributes.marking));
  network.forEachEdge((_key, attributes) => markings.push(attributes.marking));
  const omitted: SerializedGraph = {
    attributes: { kind: 'network', omitted: true },
    options: { type: 'mixed', multi: true, allowSelfLoops: false },
    nodes: [],
    edges: [],
  };
  const bundle = finishRecordsBundle(graphs, { graph, network: omitted }, markings, options);
  bundle.scale = {
    path: 'large',
    computed: [...LARGE_BUNDLE_METRICS, 'articulation'],
    warnings: large.warnings,
    modularity: large.modularity,
    networkOmitted: { entities: network.order, links: network.size },
  };
  return bundle;
}

export interface BuildViewerBundleAtScaleOptions extends BuildViewerBundleOptions {
  /** Persons above which the large path is taken; default {@link LARGE_BUNDLE_PERSONS}. */
  largeAbove?: number;
  /** Options of the large path, when it is taken. */
  large?: Partial<LargeAnalysisOptions>;
}

/**
 * The bundle of `records` at whatever scale they come: the full bundle
 * (`buildViewerBundle`) up to `largeAbove` persons, the large-path bundle
 * above it, the projection built once either way. What `ocgnet serve` builds
 * for each audience, whose visible records may be a town's or a region's.
 */
export async function buildViewerBundleAtScale(
  records: RecordSet,
  options: BuildViewerBundleAtScaleOptions,
): Promise<ViewerBundle> {
  const graphs = recordsGraphs(records, options.projection ?? {});
  if (graphs.persons.order > (options.largeAbove ?? LARGE_BUNDLE_PERSONS))
    return buildLargeViewerBundle(records, {
      ...options,
      computed: await largeRecordsAnalysis(graphs, { ...(options.large ? { analysis: options.large } : {}) }),
    });
  const report = analyse(graphs.persons, options.analysis ?? {}, { mapping: graphs.mapping });
  return buildViewerBundle(records, { ...options, computed: { ...graphs, report } });
}

/**
 * @ocgnet/bundle/build: the one viewer bundle builder. The server, the CLI
 * (`analyse --out`, `view`) and the viewer's make-bundle script all build
 * bundles here. The graphs are rebuilt attribute by attribute from an
 * allow-list, never copied, so no `record` or `evidence` ever reaches a bundle.
 *
 * Redaction is the caller's job and comes first: `buildViewerBundle` is given
 * the records the audience may see (`recordsForAudience`), and everything here
 * (projection, metrics, communities, plans) is computed from those alone.
 */
import type { AbstractGraph, SerializedGraph } from 'graphology-types';
import {
  analyse,
  analyseRecords,
  communities,
  degree,
  NODE_METRIC_FIELDS,
  type AnalyseOptions,
  type AnalysisReport,
  type NodeMetricField,
  type NodeMetrics,
  type RecordsAnalysis,
  type RecordsGraphs,
} from '@ocgnet/analysis';
import { planDisruption, type DisruptionPlan } from '@ocgnet/disruption';
import type { NetworkGraph, ProjectionOptionsInput } from '@ocgnet/graph';
import type { Audience } from '@ocgnet/profiles';
import {
  compareIds,
  DEFAULT_CLASSIFICATION,
  PUBLIC_MARKING,
  SAFEGUARDING_FLAGS,
  copyMarking,
  safeguardingFlagsOf,
  formatGrading,
  linkInterval,
  strictestMarking,
  type LinkType,
  type Marking,
  type RecordSet,
  type SafeguardingFlag,
} from '@ocgnet/schema';
import {
  MarkingSchema,
  VIEWER_BUNDLE_FORMAT,
  VIEWER_BUNDLE_VERSION,
  type BundleAssociationAttributes,
  type BundleEntityAttributes,
  type BundleLinkAttributes,
  type BundlePersonAttributes,
  type PlanFailure,
  type ViewerBundle,
  type ViewerLayout,
} from './contract.js';

export interface BuildViewerBundleOptions {
  /** The audience the records were reduced for (`recordsForAudience` must already have been applied). */
  audience: Audience;
  analysis?: Partial<AnalyseOptions>;
  projection?: ProjectionOptionsInput;
  manifest?: unknown;
  layout?: ViewerLayout;
  /**
   * `analyseRecords` of these same records with these same options, when
   * the caller already has it (`ocgnet analyse --out`), so it is not computed twice.
   */
  computed?: RecordsAnalysis;
  /** Default true. False leaves plans out (`plans: []`), e.g. for frame-time soaks where they add nothing. */
  plans?: boolean;
}

function markingOrPublic(marking: Marking | undefined): Marking {
  return copyMarking(marking ?? PUBLIC_MARKING);
}

type MetricAttributes = Pick<BundlePersonAttributes, NodeMetricField | 'articulation' | 'safeguarding'>;

/** Every metric of `NODE_METRIC_FIELDS` (NaN when not computed), plus articulation and safeguarding. */
function metricsOf(metrics: NodeMetrics | undefined): MetricAttributes {
  const out: Record<string, number | boolean> = {};
  for (const key of NODE_METRIC_FIELDS) out[key] = metrics ? metrics[key] : Number.NaN;
  out.articulation = metrics?.articulation ?? false;
  out.safeguarding = metrics?.safeguarding ?? false;
  return out as MetricAttributes;
}

/** Each of `SAFEGUARDING_FLAGS` as a boolean: true only when the record or attribute object sets it to true. */
function flagsOf(fields: object | undefined): Record<SafeguardingFlag, boolean> {
  const set = new Set(safeguardingFlagsOf(fields));
  return Object.fromEntries(SAFEGUARDING_FLAGS.map((flag) => [flag, set.has(flag)])) as Record<
    SafeguardingFlag,
    boolean
  >;
}

function failureOf(group: string, error: unknown): PlanFailure {
  const code = (error as { code?: unknown } | null)?.code;
  return {
    group,
    code: typeof code === 'string' ? code : error instanceof Error ? error.name : 'Error',
    message: error instanceof Error ? error.message : String(error),
  };
}

/**
 * `planDisruption` for every mapped OCG/USG with visible members, in id order.
 * A group whose planning throws is reported in `failures` with its code and
 * message; it never removes the other groups' plans.
 */
function planEveryGroup(computed: RecordsGraphs): { plans: DisruptionPlan[]; failures: PlanFailure[] } {
  const { network, persons, mapping } = computed;
  const plans: DisruptionPlan[] = [];
  const failures: PlanFailure[] = [];
  for (const group of Object.keys(mapping.membersOf).sort(compareIds)) {
    const kind = network.hasNode(group) ? network.getNodeAttribute(group, 'kind') : undefined;
    if (kind !== 'ocg' && kind !== 'usg') continue;
    try {
      plans.push(planDisruption(network, persons, { ocg: group, mapping }));
    } catch (error) {
      failures.push(failureOf(group, error));
    }
  }
  return { plans, failures };
}

/**
 * Each person's aliases, for the viewer's search. Disclosure: an alias is a field of the
 * person's own record, under that record's grading, so it may go wherever the record's
 * label goes. It is read here from `records`, the audience-reduced set this builder is
 * given (never from a precomputed `computed` network, which a caller could have built from
 * more), so a partner's bundle holds aliases only from records released to that partner.
 */
export function aliasesOf(records: RecordSet): Map<string, string[]> {
  const aliases = new Map<string, string[]>();
  for (const entity of records.entities)
    if (entity.kind === 'person' && entity.aliases !== undefined && entity.aliases.length > 0)
      aliases.set(entity.id, [...entity.aliases]);
  return aliases;
}

/**
 * The person projection, attribute by attribute: each node's metrics from `metricsById` (NaN
 * where it has none) and its aliases from `aliasesById` (see {@link aliasesOf}).
 */
export function serializePersons(
  graphs: RecordsGraphs,
  metricsById: ReadonlyMap<string, NodeMetrics>,
  aliasesById: ReadonlyMap<string, string[]>,
  marking: Marking,
  markings: Marking[],
): SerializedGraph {
  const { network, persons } = graphs;
  const graph: SerializedGraph = {
    attributes: {
      kind: 'person-projection',
      classification: DEFAULT_CLASSIFICATION,
      marking: markingOrPublic(marking),
    },
    options: { type: 'undirected', multi: false, allowSelfLoops: false },
    nodes: [],
    edges: [],
  };
  persons.forEachNode((key, attributes) => {
    const metrics = metricsById.get(key);
    const node: BundlePersonAttributes = {
      label: attributes.label,
      kind: 'person',
      marking: markingOrPublic(attributes.marking),
      ...flagsOf(attributes),
      ...metricsOf(metrics),
    };
    if (metrics?.mappedGroup !== undefined) node.mappedGroup = metrics.mappedGroup;
    if (metrics?.mappedRole !== undefined) node.mappedRole = metrics.mappedRole;
    if (metrics?.likelyRole !== undefined) node.likelyRole = metrics.likelyRole;
    const aliases = aliasesById.get(key);
    if (aliases !== undefined) node.aliases = aliases;
    markings.push(attributes.marking);
    graph.nodes.push({ key, attributes: node });
  });
  persons.forEachEdge((key, attributes, source, target) => {
    const types = new Set<LinkType>();
    const gradings = new Set<string>();
    for (const evidence of attributes.evidence) {
      for (const link of evidence.links) {
        if (!network.hasEdge(link)) continue;
        types.add(network.getEdgeAttribute(link, 'type'));
        gradings.add(formatGrading(network.getEdgeAttribute(link, 'record').grading));
      }
    }
    const edge: BundleAssociationAttributes = {
      weight: attributes.weight,
      channels: [...attributes.channels],
      count: attributes.count,
      marking: markingOrPublic(attributes.marking),
      linkTypes: [...types].sort(),
      gradings: [...gradings].sort(),
      handling: attributes.marking.handling,
    };
    if (attributes.firstSeen !== undefined) edge.firstSeen = attributes.firstSeen;
    if (attributes.lastSeen !== undefined) edge.lastSeen = attributes.lastSeen;
    markings.push(attributes.marking);
    graph.edges.push({ key, source, target, attributes: edge });
  });
  return graph;
}

/** The multimodal network, attribute by attribute. */
function serializeNetwork(network: NetworkGraph, markings: Marking[]): SerializedGraph {
  const serializedNetwork: SerializedGraph = {
    attributes: { kind: 'network' },
    options: { type: 'mixed', multi: true, allowSelfLoops: false },
    nodes: [],
    edges: [],
  };
  network.forEachNode((key, attributes) => {
    const node: BundleEntityAttributes = {
      kind: attributes.kind,
      label: attributes.label,
      marking: markingOrPublic(attributes.marking),
    };
    const flags = flagsOf(attributes.record);
    if (attributes.kind === 'person') Object.assign(node, flags);
    else if (attributes.kind === 'location' && flags.cuckooed) node.cuckooed = true;
    markings.push(attributes.marking);
    serializedNetwork.nodes.push({ key, attributes: node });
  });
  network.forEachEdge((key, attributes, source, target, _sa, _ta, undirected) => {
    const interval = linkInterval(attributes.record);
    const edge: BundleLinkAttributes = {
      type: attributes.type,
      grading: formatGrading(attributes.record.grading),
      handling: attributes.marking.handling,
      marking: markingOrPublic(attributes.marking),
      weight: attributes.weight,
    };
    if (interval.start !== undefined) edge.start = interval.start;
    if (interval.end !== undefined) edge.end = interval.end;
    markings.push(attributes.marking);
    const entry: SerializedGraph['edges'][number] = { key, source, target, attributes: edge };
    if (undirected) entry.undirected = true;
    serializedNetwork.edges.push(entry);
  });
  return serializedNetwork;
}

/** Plans (unless `plans` is false), their markings, layout and manifest: what every records bundle ends with. */
export function finishRecordsBundle(
  graphs: RecordsGraphs,
  parts: Pick<ViewerBundle, 'graph' | 'network'> & { analysis?: AnalysisReport },
  markings: Marking[],
  options: Pick<BuildViewerBundleOptions, 'audience' | 'plans' | 'layout' | 'manifest'>,
): ViewerBundle {
  const { plans, failures } = options.plans === false ? { plans: [], failures: [] } : planEveryGroup(graphs);
  for (const plan of plans) markings.push(plan.marking);
  const bundle: ViewerBundle = {
    format: VIEWER_BUNDLE_FORMAT,
    version: VIEWER_BUNDLE_VERSION,
    classification: DEFAULT_CLASSIFICATION,
    marking: strictestMarking(markings),
    audience: options.audience.id,
    ...(parts.analysis !== undefined ? { analysis: parts.analysis } : {}),
    graph: parts.graph,
    network: parts.network,
    plans,
    planFailures: failures,
  };
  if (options.layout !== undefined) bundle.layout = options.layout;
  if (options.manifest !== undefined) bundle.manifest = options.manifest;
  return bundle;
}

/**
 * Builds the viewer bundle of a record set, as one audience may see it.
 * `records` must already be reduced with `recordsForAudience(records, options.audience)`.
 */
export function buildViewerBundle(records: RecordSet, options: BuildViewerBundleOptions): ViewerBundle {
  const computed =
    options.computed ??
    analyseRecords(records, {
      ...(options.projection !== undefined ? { projection: options.projection } : {}),
      ...(options.analysis !== undefined ? { analysis: options.analysis } : {}),
    });
  const analysis = computed.report;
  const metricsById = new Map(analysis.nodes.map((node) => [node.id, node]));
  const markings: Marking[] = [analysis.marking];
  const graph = serializePersons(computed, metricsById, aliasesOf(records), analysis.marking, markings);
  const network = serializeNetwork(computed.network, markings);
  return finishRecordsBundle(computed, { analysis, graph, network }, markings, options);
}

interface BuildResearchBundleOptions {
  analysis?: Partial<AnalyseOptions>;
  /**
   * `analyse()` of this same graph, when the caller already has it (an
   * `ocgnet analyse --out` folder's analysis.json), so it is not computed again.
   */
  computed?: AnalysisReport;
  manifest?: unknown;
  layout?: ViewerLayout;
  /** Default 'researcher'. */
  audience?: string;
  /**
   * Networks with more nodes than this get no `analyse()` (no `analysis` in the
   * bundle): only degree and community per node. Default: no limit.
   */
  fullAnalysisLimit?: number;
}

/** A `marking` attribute when it is a well-formed marking, else P: research formats carry none. */
function markingAttribute(value: unknown): Marking {
  const parsed = MarkingSchema.safeParse(value);
  return parsed.success ? markingOrPublic(parsed.data as Marking) : markingOrPublic(PUBLIC_MARKING);
}

const isDay = (value: unknown): value is string => typeof value === 'string' && value !== '';

/**
 * The allow-listed facts of one edge of a research graph or an analysed person projection: its
 * weight (default 1), and where well formed its count, channels, first and last dates and marking.
 */
function associationFacts(attributes: Record<string, unknown>): BundleAssociationAttributes {
  const weight = typeof attributes.weight === 'number' && Number.isFinite(attributes.weight) ? attributes.weight : 1;
  const count =
    typeof attributes.count === 'number' && Number.isInteger(attributes.count) && attributes.count > 0
      ? attributes.count
      : 1;
  const channels = Array.isArray(attributes.channels)
    ? attributes.channels.filter((channel) => typeof channel === 'string')
    : [];
  const marking = markingAttribute(attributes.marking);
  const edge: BundleAssociationAttributes = {
    weight,
    channels: [...new Set(channels)].sort(),
    count,
    marking,
    linkTypes: [],
    gradings: [],
    handling: marking.handling,
  };
  if (isDay(attributes.firstSeen)) edge.firstSeen = attributes.firstSeen;
  if (isDay(attributes.lastSeen)) edge.lastSeen = attributes.lastSeen;
  return edge;
}

/** One association per pair (the analysis reads the graph the same way): weights and counts summed, dates widened. */
function mergeAssociation(into: BundleAssociationAttributes, edge: BundleAssociationAttributes): void {
  into.weight += edge.weight;
  into.count += edge.count;
  into.channels = [...new Set([...into.channels, ...edge.channels])].sort();
  if (edge.firstSeen !== undefined && (into.firstSeen === undefined || edge.firstSeen < into.firstSeen))
    into.firstSeen = edge.firstSeen;
  if (edge.lastSeen !== undefined && (into.lastSeen === undefined || edge.lastSeen > into.lastSeen))
    into.lastSeen = edge.lastSeen;
}

/**
 * A viewer bundle of a research network (GEXF, GraphML, edge list…) or of the
 * graph.json of an `ocgnet analyse --out` folder: no records, so `network` is
 * left empty and there are no plans. Node labels come from a `label`
 * attribute, else the key. Markings and safeguarding flags are kept where the
 * graph carries them (an analysed person projection does), else every item is P.
 * Above `fullAnalysisLimit` nodes the bundle has no `analysis`, and each node
 * only its degree and community (the other metrics are NaN).
 */
export function buildResearchViewerBundle(
  source: AbstractGraph,
  options: BuildResearchBundleOptions = {},
): ViewerBundle {
  const full = options.computed !== undefined || source.order <= (options.fullAnalysisLimit ?? Infinity);
  const analysis = options.computed ?? (full ? analyse(source, options.analysis ?? {}) : undefined);
  const metricsById = new Map<string, NodeMetrics>(analysis ? analysis.nodes.map((node) => [node.id, node]) : []);
  let partial: ((key: string) => Partial<BundlePersonAttributes>) | undefined;
  if (!full) {
    const degrees = degree(source);
    const found = communities(source);
    partial = (key) => ({ degree: degrees[key] ?? 0, community: found.communityOf[key] ?? 0 });
  }
  const markings: Marking[] = analysis ? [analysis.marking] : [];
  const graph: SerializedGraph = {
    attributes: { kind: 'research', classification: DEFAULT_CLASSIFICATION, marking: markingOrPublic(PUBLIC_MARKING) },
    options: { type: 'undirected', multi: false, allowSelfLoops: false },
    nodes: [],
    edges: [],
  };
  source.forEachNode((key, attributes) => {
    const label = typeof attributes.label === 'string' && attributes.label !== '' ? attributes.label : key;
    const metrics = metricsById.get(key);
    const node: BundlePersonAttributes = {
      label,
      kind: 'person',
      marking: markingAttribute(attributes.marking),
      ...flagsOf(attributes),
      ...metricsOf(metrics),
      ...partial?.(key),
    };
    if (metrics?.mappedGroup !== undefined) node.mappedGroup = metrics.mappedGroup;
    if (metrics?.mappedRole !== undefined) node.mappedRole = metrics.mappedRole;
    if (metrics?.likelyRole !== undefined) node.likelyRole = metrics.likelyRole;
    markings.push(node.marking);
    graph.nodes.push({ key, attributes: node });
  });
  const pairs = new Map<
    string,
    { source: string; target: string; edge: BundleAssociationAttributes; markings: Marking[] }
  >();
  source.forEachEdge((_key, attributes, from, to) => {
    if (from === to) return;
    const [a, b] = compareIds(from, to) < 0 ? [from, to] : [to, from];
    const pairKey = JSON.stringify([a, b]);
    const read = associationFacts(attributes);
    const entry = pairs.get(pairKey);
    if (entry) {
      mergeAssociation(entry.edge, read);
      entry.markings.push(read.marking);
    } else pairs.set(pairKey, { source: a, target: b, edge: read, markings: [read.marking] });
  });
  for (const [key, pair] of pairs) {
    const marking = strictestMarking(pair.markings);
    const edge: BundleAssociationAttributes = { ...pair.edge, marking, handling: marking.handling };
    markings.push(marking);
    graph.edges.push({ key, source: pair.source, target: pair.target, attributes: edge });
  }
  const marking = strictestMarking(markings);
  graph.attributes = { ...graph.attributes, marking: copyMarking(marking) };
  const bundle: ViewerBundle = {
    format: VIEWER_BUNDLE_FORMAT,
    version: VIEWER_BUNDLE_VERSION,
    classification: DEFAULT_CLASSIFICATION,
    marking,
    audience: options.audience ?? 'researcher',
    graph,
    network: {
      attributes: { kind: 'network' },
      options: { type: 'mixed', multi: true, allowSelfLoops: false },
      nodes: [],
      edges: [],
    },
    plans: [],
    planFailures: [],
  };
  if (analysis !== undefined) bundle.analysis = analysis;
  if (options.layout !== undefined) bundle.layout = options.layout;
  if (options.manifest !== undefined) bundle.manifest = options.manifest;
  return bundle;
}

/**
 * The viewer bundle: everything the Sigma.js viewer draws, in one JSON
 * document. This file is the data contract between the server (which builds
 * bundles) and the viewer (which reads them, from `GET /api/bundle` or from a
 * file the user drops). It imports no node built-in, so the browser can load it.
 *
 * What a bundle must never hold is record content beyond what the viewer
 * shows: no `record` and no `evidence` arrays on any node or edge. The graphs
 * are rebuilt attribute by attribute from an allow-list, never copied.
 *
 * Redaction is the caller's job and comes first: `buildViewerBundle` is given
 * the records the audience may see (`recordsForAudience`), and everything here
 * (projection, metrics, communities, plans) is computed from those alone.
 */
import type { AbstractGraph, SerializedGraph } from 'graphology-types';
import { z } from 'zod';
import { analyse, analyseRecords, communities, degree, type AnalyseOptions, type AnalysisReport, type NodeMetrics, type RecordsAnalysis } from '@ocgnet/analysis';
import { planDisruption, type DisruptionPlan } from '@ocgnet/disruption';
import type { ProjectionOptionsInput } from '@ocgnet/graph';
import {
  DEFAULT_CLASSIFICATION,
  PUBLIC_MARKING,
  SAFEGUARDING_FLAGS,
  copyMarking,
  formatGrading,
  linkInterval,
  strictestMarking,
  type HandlingMarking,
  type LinkType,
  type Marking,
  type RecordSet,
} from '@ocgnet/schema';
import type { Audience } from '@ocgnet/profiles';

export type { Marking, SerializedGraph };

export const VIEWER_BUNDLE_FORMAT = 'ocgnet-viewer-bundle';
export const VIEWER_BUNDLE_VERSION = 1;

/** Node positions computed ahead of time, keyed by `graph` node key. */
export interface ViewerLayout {
  algorithm: 'forceatlas2';
  iterations: number;
  positions: Record<string, [number, number]>;
}

export interface ViewerBundle {
  format: 'ocgnet-viewer-bundle';
  version: 1;
  /** 'OFFICIAL-SENSITIVE'. */
  classification: string;
  /** Strictest marking of everything in the bundle. */
  marking: Marking;
  /** Audience id the bundle was made for. */
  audience: string;
  /**
   * `analyse()` of the person projection of the (audience-visible) records, with
   * `mapping = mappingFromNetwork(network)`. Always present in a served bundle
   * (`buildViewerBundle`); absent only in a research-network bundle too large to
   * analyse at once (`buildResearchViewerBundle` with `fullAnalysisLimit`), whose
   * nodes then carry degree and community only.
   */
  analysis?: AnalysisReport;
  /**
   * The person projection. Node attributes: label, kind 'person', marking, vulnerable, under_18,
   * exploited, cuckooed, mappedGroup?, mappedRole?, likelyRole?, every numeric metric of NodeMetrics,
   * articulation, safeguarding. Edge attributes: weight, channels, count, firstSeen?, lastSeen?,
   * marking, linkTypes (sorted unique types of the evidence links), gradings (sorted unique grading
   * strings of the evidence links, as `formatGrading` writes them), handling. No record, no evidence.
   */
  graph: SerializedGraph;
  /**
   * The multimodal network. Node attributes: kind, label, marking, and for persons (and cuckooed
   * locations) the safeguarding flags. Edge attributes: type, start?, end?, grading, handling,
   * marking, weight. No record.
   */
  network: SerializedGraph;
  /** `planDisruption` for each mapped OCG/USG with visible members; [] if none or if planning fails. */
  plans: DisruptionPlan[];
  layout?: ViewerLayout;
  manifest?: unknown;
}

/** Attributes of a `graph` node. */
export interface BundlePersonAttributes {
  label: string;
  kind: 'person';
  marking: Marking;
  vulnerable: boolean;
  under_18: boolean;
  exploited: boolean;
  cuckooed: boolean;
  mappedGroup?: string;
  mappedRole?: string;
  likelyRole?: string;
  degree: number;
  strength: number;
  betweenness: number;
  closeness: number;
  harmonic: number;
  eigenvector: number;
  pagerank: number;
  coreness: number;
  clustering: number;
  constraint: number;
  effectiveSize: number;
  community: number;
  component: number;
  articulation: boolean;
  safeguarding: boolean;
}

/** Attributes of a `graph` edge. */
export interface BundleAssociationAttributes {
  weight: number;
  channels: string[];
  count: number;
  firstSeen?: string;
  lastSeen?: string;
  marking: Marking;
  linkTypes: LinkType[];
  /** Sorted unique `formatGrading` strings of the evidence links (e.g. "2B P"; legacy "5x5x5:…"); [] for research networks. */
  gradings: string[];
  handling: HandlingMarking;
}

/** Attributes of a `network` node. */
export interface BundleEntityAttributes {
  kind: string;
  label: string;
  marking: Marking;
  vulnerable?: boolean;
  under_18?: boolean;
  exploited?: boolean;
  cuckooed?: boolean;
}

/** Attributes of a `network` edge. */
export interface BundleLinkAttributes {
  type: LinkType;
  start?: string;
  end?: string;
  grading: string;
  handling: HandlingMarking;
  marking: Marking;
  weight: number;
}

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
}

const METRIC_KEYS = [
  'degree',
  'strength',
  'betweenness',
  'closeness',
  'harmonic',
  'eigenvector',
  'pagerank',
  'coreness',
  'clustering',
  'constraint',
  'effectiveSize',
  'community',
  'component',
] as const satisfies readonly (keyof NodeMetrics)[];

const FLAGS = SAFEGUARDING_FLAGS;

function markingOrPublic(marking: Marking | undefined): Marking {
  return copyMarking(marking ?? PUBLIC_MARKING);
}

function metricsOf(metrics: NodeMetrics | undefined): Pick<BundlePersonAttributes, (typeof METRIC_KEYS)[number] | 'articulation' | 'safeguarding'> {
  const out: Record<string, number | boolean> = {};
  for (const key of METRIC_KEYS) out[key] = metrics ? metrics[key] : Number.NaN;
  out.articulation = metrics?.articulation ?? false;
  out.safeguarding = metrics?.safeguarding ?? false;
  return out as Pick<BundlePersonAttributes, (typeof METRIC_KEYS)[number] | 'articulation' | 'safeguarding'>;
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
  const { network, persons, mapping, report: analysis } = computed;
  const metricsById = new Map(analysis.nodes.map((node) => [node.id, node]));
  const markings: Marking[] = [analysis.marking];

  // -- the person projection, attribute by attribute
  const graph: SerializedGraph = {
    attributes: { kind: 'person-projection', classification: DEFAULT_CLASSIFICATION, marking: markingOrPublic(analysis.marking) },
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
      vulnerable: attributes.vulnerable === true,
      under_18: attributes.under_18 === true,
      exploited: attributes.exploited === true,
      cuckooed: attributes.cuckooed === true,
      ...metricsOf(metrics),
    };
    if (metrics?.mappedGroup !== undefined) node.mappedGroup = metrics.mappedGroup;
    if (metrics?.mappedRole !== undefined) node.mappedRole = metrics.mappedRole;
    if (metrics?.likelyRole !== undefined) node.likelyRole = metrics.likelyRole;
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

  // -- the multimodal network, attribute by attribute
  const serializedNetwork: SerializedGraph = {
    attributes: { kind: 'network' },
    options: { type: 'mixed', multi: true, allowSelfLoops: false },
    nodes: [],
    edges: [],
  };
  network.forEachNode((key, attributes) => {
    const node: BundleEntityAttributes = { kind: attributes.kind, label: attributes.label, marking: markingOrPublic(attributes.marking) };
    const record = attributes.record as unknown as Record<string, unknown>;
    if (attributes.kind === 'person') {
      for (const flag of FLAGS) node[flag] = record[flag] === true;
    } else if (attributes.kind === 'location' && record.cuckooed === true) {
      node.cuckooed = true;
    }
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

  // -- plans against every mapped group with visible members
  const plans: DisruptionPlan[] = [];
  try {
    for (const group of Object.keys(mapping.membersOf).sort()) {
      const kind = network.hasNode(group) ? network.getNodeAttribute(group, 'kind') : undefined;
      if (kind !== 'ocg' && kind !== 'usg') continue;
      const plan = planDisruption(network, persons, { ocg: group, mapping });
      markings.push(plan.marking);
      plans.push(plan);
    }
  } catch {
    plans.length = 0;
  }

  const bundle: ViewerBundle = {
    format: VIEWER_BUNDLE_FORMAT,
    version: VIEWER_BUNDLE_VERSION,
    classification: DEFAULT_CLASSIFICATION,
    marking: strictestMarking(markings),
    audience: options.audience.id,
    analysis,
    graph,
    network: serializedNetwork,
    plans,
  };
  if (options.layout !== undefined) bundle.layout = options.layout;
  if (options.manifest !== undefined) bundle.manifest = options.manifest;
  return bundle;
}

export interface BuildResearchBundleOptions {
  analysis?: Partial<AnalyseOptions>;
  manifest?: unknown;
  layout?: ViewerLayout;
  /** Default 'researcher'. */
  audience?: string;
  /**
   * Networks with more nodes than this get no `analyse()` (no `analysis` in the
   * bundle): only degree and Louvain community per node. Default: no limit.
   */
  fullAnalysisLimit?: number;
}

/**
 * A viewer bundle of a research network (GEXF, GraphML, edge list…): no
 * records, no gradings, so every item is P; `network` is left empty and there
 * are no plans. Node labels come from a `label` attribute, else the key.
 * Above `fullAnalysisLimit` nodes the bundle has no `analysis`, and each node
 * only its degree and Louvain community (the other metrics are NaN).
 */
export function buildResearchViewerBundle(source: AbstractGraph, options: BuildResearchBundleOptions = {}): ViewerBundle {
  const full = source.order <= (options.fullAnalysisLimit ?? Infinity);
  const analysis = full ? analyse(source, options.analysis ?? {}) : undefined;
  const metricsById = new Map<string, NodeMetrics>(analysis ? analysis.nodes.map((node) => [node.id, node]) : []);
  let partial: ((key: string) => Partial<BundlePersonAttributes>) | undefined;
  if (!full) {
    const degrees = degree(source);
    const found = communities(source);
    partial = (key) => ({ degree: degrees[key] ?? 0, community: found.communityOf[key] ?? 0 });
  }
  const graph: SerializedGraph = {
    attributes: { kind: 'research', classification: DEFAULT_CLASSIFICATION, marking: markingOrPublic(PUBLIC_MARKING) },
    options: { type: 'undirected', multi: false, allowSelfLoops: false },
    nodes: [],
    edges: [],
  };
  source.forEachNode((key, attributes) => {
    const label = typeof attributes.label === 'string' && attributes.label !== '' ? attributes.label : key;
    const node: BundlePersonAttributes = {
      label,
      kind: 'person',
      marking: markingOrPublic(PUBLIC_MARKING),
      vulnerable: false,
      under_18: false,
      exploited: false,
      cuckooed: false,
      ...metricsOf(metricsById.get(key)),
      ...partial?.(key),
    };
    graph.nodes.push({ key, attributes: node });
  });
  // One undirected edge per pair, weights summed (the analysis reads the graph the same way).
  const pairs = new Map<string, { source: string; target: string; weight: number; count: number }>();
  source.forEachEdge((_key, attributes, from, to) => {
    if (from === to) return;
    const [a, b] = from < to ? [from, to] : [to, from];
    const pairKey = JSON.stringify([a, b]);
    const weight = typeof attributes.weight === 'number' && Number.isFinite(attributes.weight) ? attributes.weight : 1;
    const entry = pairs.get(pairKey);
    if (entry) {
      entry.weight += weight;
      entry.count += 1;
    } else pairs.set(pairKey, { source: a, target: b, weight, count: 1 });
  });
  for (const [key, pair] of pairs) {
    const edge: BundleAssociationAttributes = { weight: pair.weight, channels: [], count: pair.count, marking: markingOrPublic(PUBLIC_MARKING), linkTypes: [], gradings: [], handling: 'P' };
    graph.edges.push({ key, source: pair.source, target: pair.target, attributes: edge });
  }
  const bundle: ViewerBundle = {
    format: VIEWER_BUNDLE_FORMAT,
    version: VIEWER_BUNDLE_VERSION,
    classification: DEFAULT_CLASSIFICATION,
    marking: markingOrPublic(PUBLIC_MARKING),
    audience: options.audience ?? 'researcher',
    graph,
    network: { attributes: { kind: 'network' }, options: { type: 'mixed', multi: true, allowSelfLoops: false }, nodes: [], edges: [] },
    plans: [],
  };
  if (analysis !== undefined) bundle.analysis = analysis;
  if (options.layout !== undefined) bundle.layout = options.layout;
  if (options.manifest !== undefined) bundle.manifest = options.manifest;
  return bundle;
}

// ---- parsing ---------------------------------------------------------------

const MarkingSchema = z.strictObject({
  handling: z.enum(['P', 'C', 'R']),
  conditions: z.array(z.string()),
  releasableTo: z.array(z.string()).optional(),
});

const SerializedGraphSchema = z.looseObject({
  attributes: z.record(z.string(), z.unknown()).optional(),
  options: z.looseObject({}).optional(),
  nodes: z.array(z.looseObject({ key: z.string(), attributes: z.record(z.string(), z.unknown()).optional() })),
  edges: z.array(
    z.looseObject({
      key: z.string().optional(),
      source: z.string(),
      target: z.string(),
      attributes: z.record(z.string(), z.unknown()).optional(),
      undirected: z.boolean().optional(),
    }),
  ),
});

const LayoutSchema = z.strictObject({
  algorithm: z.literal('forceatlas2'),
  iterations: z.number().int().min(0),
  positions: z.record(z.string(), z.tuple([z.number(), z.number()])),
});

export const ViewerBundleSchema = z.looseObject({
  format: z.literal(VIEWER_BUNDLE_FORMAT, { error: `format must be "${VIEWER_BUNDLE_FORMAT}"` }),
  version: z.literal(VIEWER_BUNDLE_VERSION, { error: `version must be ${VIEWER_BUNDLE_VERSION} (this viewer reads version ${VIEWER_BUNDLE_VERSION} bundles)` }),
  classification: z.string().min(1),
  marking: MarkingSchema,
  audience: z.string().min(1),
  // Optional: a research network too large to analyse on open has none.
  analysis: z
    .looseObject({
      classification: z.string(),
      marking: MarkingSchema,
      nodes: z.array(z.looseObject({ id: z.string() })),
    })
    .optional(),
  graph: SerializedGraphSchema,
  network: SerializedGraphSchema,
  plans: z.array(z.looseObject({ group: z.looseObject({ id: z.string() }) })),
  layout: LayoutSchema.optional(),
  manifest: z.unknown().optional(),
});

/** Thrown by {@link parseViewerBundle}: the message lists every problem as `path: reason`. */
export class ViewerBundleError extends Error {
  readonly issues: string[];
  constructor(issues: string[]) {
    super(`not an ocgnet viewer bundle: ${issues.slice(0, 10).join('; ')}${issues.length > 10 ? ` (and ${issues.length - 10} more)` : ''}`);
    this.name = 'ViewerBundleError';
    this.issues = issues;
  }
}

/**
 * Checks that a parsed JSON value is a viewer bundle (format, version and
 * every required key, with the shapes the viewer relies on) and returns it.
 * Throws a {@link ViewerBundleError} otherwise.
 */
export function parseViewerBundle(json: unknown): ViewerBundle {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new ViewerBundleError(['(bundle): expected a JSON object']);
  const format = (json as Record<string, unknown>).format;
  if (format !== VIEWER_BUNDLE_FORMAT) {
    throw new ViewerBundleError([`format: expected "${VIEWER_BUNDLE_FORMAT}", got ${format === undefined ? 'nothing' : JSON.stringify(format)?.slice(0, 60)}`]);
  }
  const parsed = ViewerBundleSchema.safeParse(json);
  if (!parsed.success) {
    throw new ViewerBundleError(parsed.error.issues.map((issue) => `${issue.path.join('.') || '(bundle)'}: ${issue.message}`));
  }
  return parsed.data as unknown as ViewerBundle;
}

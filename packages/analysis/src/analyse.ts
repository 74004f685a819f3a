/**
 * One analysis of a network: every per-node metric, the communities, how the
 * communities line up with the groups police have mapped, roles inside each
 * group, brokers and cut points between groups, and bridges.
 *
 * This is what `ocgnet analyse` prints and what the viewer loads. Each number
 * comes from the module that owns its algorithm; this file only sequences
 * them over one shared snapshot and carries the handling marking through:
 * every figure here is derived from the whole graph, so the report carries
 * the strictest marking of everything in it.
 */
import type { AbstractGraph } from 'graphology-types';
import { DEFAULT_CLASSIFICATION, isSafeguardingNode, strictestMarking, type Marking } from '@ocgnet/schema';
import { csrOf, type CsrGraph } from './csr.js';
import { degreeOnCsr, strengthOnCsr } from './metrics/degree.js';
import { BETWEENNESS_SAMPLING_DEFAULT, betweennessOnCsr, defaultBetweennessSample } from './metrics/betweenness.js';
import { closenessAndHarmonicOnCsr } from './metrics/closeness.js';
import { EIGENVECTOR_CONVERGENCE, eigenvectorOnCsr } from './metrics/eigenvector.js';
import { pagerankOnCsr } from './metrics/pagerank.js';
import { corenessOnCsr } from './metrics/coreness.js';
import { clusteringOnCsr } from './metrics/clustering.js';
import { articulationPointsOnCsr, bridgesOnCsr, connectedComponentsOnCsr } from './metrics/components.js';
import { constraintOnCsr, effectiveSizeOnCsr } from './metrics/structuralHoles.js';
import { ConvergenceError, type ConvergenceRule, type DistanceMode } from './metrics/paths.js';
import { communities, type CommunityAlgorithm } from './groups/louvain.js';
import { compareWithMapping, type GroupMapping, type MappingComparison } from './groups/compare.js';
import { groupRoles, type GroupRoles } from './groups/roles.js';
import { brokers, cutPointsBetweenGroups, type Broker, type GroupCutPoint } from './groups/brokerage.js';

export interface AnalyseOptions {
  /** Weighted variants of every metric and of the communities. */
  weighted: boolean;
  /** For weighted path metrics: 'inverse' (a strong tie is short, d = 1/w) or 'weight' (networkx's convention, d = w). */
  distance: DistanceMode;
  /** Community search: Leiden (connected communities) or Louvain. */
  communityAlgorithm: CommunityAlgorithm;
  /** Community resolution. */
  resolution: number;
  /** Community seed: the same seed gives the same communities. */
  seed: number;
  /**
   * `'auto'`: exact betweenness up to {@link BETWEENNESS_SAMPLING_DEFAULT}'s
   * node count, Brandes–Pich pivot sampling above it (said in `warnings`);
   * `'exact'`: always exact, however long it takes.
   */
  betweenness: 'auto' | 'exact';
  /**
   * Where PageRank and eigenvector centrality stop: `'converged'` within 1e-10
   * of their fixed points (igraph's and numpy's values), `'networkx'` where
   * networkx's defaults stop (to reproduce its output).
   */
  convergence: ConvergenceRule;
}

export const DEFAULT_ANALYSE_OPTIONS: AnalyseOptions = {
  weighted: false,
  distance: 'inverse',
  communityAlgorithm: 'leiden',
  resolution: 1,
  seed: 1,
  betweenness: 'auto',
  convergence: 'converged',
};

export interface NodeMetrics {
  id: string;
  label: string;
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
  /** Vulnerable, under 18, exploited or cuckooed: a person to protect, never a target. */
  safeguarding: boolean;
  marking: Marking;
  /** For records: the OCG or USG police have mapped the nominal to, and the role. */
  mappedGroup?: string;
  mappedRole?: string;
  /** From the group roles: likely principal, likely lieutenant, core or periphery. */
  likelyRole?: string;
}

/** The numeric fields of {@link NodeMetrics}, in the order outputs list them. */
export const NODE_METRIC_FIELDS = [
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
export type NodeMetricField = (typeof NODE_METRIC_FIELDS)[number];

export interface AnalysisReport {
  classification: string;
  /** Strictest marking of every node and edge analysed. */
  marking: Marking;
  graph: {
    nodes: number;
    edges: number;
    density: number;
    components: number;
    largestComponent: number;
    isolates: number;
    weighted: boolean;
    /** The input had directed edges; it was analysed as undirected. */
    directedInput: boolean;
    selfLoopsIgnored: number;
  };
  nodes: NodeMetrics[];
  communities: {
    count: number;
    modularity: number;
    algorithm: CommunityAlgorithm;
    resolution: number;
    seed: number;
    members: string[][];
  };
  bridges: [string, string][];
  articulationPoints: string[];
  /** What groups the roles, brokers and cut points refer to: the police mapping when there is one, else the communities. */
  groupsBy: 'mapping' | 'community';
  /** Communities compared with the mapped OCGs (records only). */
  comparison?: MappingComparison;
  roles: GroupRoles[];
  brokers: Broker[];
  cutPoints: GroupCutPoint[];
  parameters: AnalyseOptions;
  warnings: string[];
}

export interface AnalyseContext {
  /** The groups police have mapped, e.g. `mappingFromNetwork(network)`. */
  mapping?: GroupMapping;
  /** Called as each step starts: done steps, total steps, the step's name. */
  onProgress?: (done: number, total: number, step: string) => void;
}

const STEPS = [
  'snapshot',
  'degree',
  'betweenness',
  'closeness',
  'eigenvector',
  'pagerank',
  'coreness and clustering',
  'components',
  'structural holes',
  'communities',
  'groups',
] as const;

const PUBLIC: Marking = { handling: 'P', conditions: [] };

function markingOf(attributes: Record<string, unknown>): Marking {
  const marking = attributes.marking as Marking | undefined;
  return marking && typeof marking.handling === 'string' ? marking : PUBLIC;
}

/**
 * Eigenvector centrality under `convergence`. On disconnected graphs the
 * power iteration can need far more than networkx's 100 iterations, and
 * networkx gives up; under its rule we say so and retry with the converged
 * rule's budget rather than leave an analyst without the measure. NaN only
 * if the budget runs out.
 */
function eigenvectorWithFallback(
  csr: CsrGraph,
  weighted: boolean,
  convergence: ConvergenceRule,
  warnings: string[],
): Float64Array {
  const { maxIterations } = EIGENVECTOR_CONVERGENCE.converged;
  if (convergence === 'networkx') {
    try {
      return eigenvectorOnCsr(csr, { weighted, convergence });
    } catch (error) {
      if (!(error instanceof ConvergenceError)) throw error;
    }
  }
  try {
    const values = eigenvectorOnCsr(csr, { weighted, convergence, maxIterations });
    if (convergence === 'networkx')
      warnings.push(
        `eigenvector centrality needed more than networkx's 100 iterations; computed with up to ${maxIterations} (same tolerance)`,
      );
    return values;
  } catch (error) {
    if (!(error instanceof ConvergenceError)) throw error;
    warnings.push(`eigenvector centrality did not converge in ${maxIterations} iterations: ${error.message}`);
    return new Float64Array(csr.n).fill(Number.NaN);
  }
}

/** Runs every analysis step on `graph` and returns the report. */
export function analyse(
  graph: AbstractGraph,
  options: Partial<AnalyseOptions> = {},
  context: AnalyseContext = {},
): AnalysisReport {
  const parameters: AnalyseOptions = { ...DEFAULT_ANALYSE_OPTIONS, ...options };
  const { weighted, distance, convergence } = parameters;
  const warnings: string[] = [];
  let step = 0;
  const next = (name: (typeof STEPS)[number]) => context.onProgress?.(step++, STEPS.length, name);

  next('snapshot');
  const csr: CsrGraph = csrOf(graph, { weightAttribute: 'weight' });
  if (csr.sourceDirected) warnings.push('directed edges were analysed as undirected');
  if (csr.selfLoops > 0) warnings.push(`${csr.selfLoops} self-loop(s) ignored`);

  next('degree');
  const degree = degreeOnCsr(csr);
  const strength = strengthOnCsr(csr);
  next('betweenness');
  const sample = parameters.betweenness === 'exact' ? undefined : defaultBetweennessSample(csr.n);
  if (sample) {
    warnings.push(
      `betweenness is estimated from ${sample.pivots} sampled sources (Brandes–Pich, seed ${sample.seed}) because the graph has more than ` +
        `${BETWEENNESS_SAMPLING_DEFAULT.aboveNodes} nodes; ask for exact betweenness to compute it from every source`,
    );
  }
  const betweenness = betweennessOnCsr(csr, { weighted, distance, normalized: true, ...(sample ? { sample } : {}) });
  next('closeness');
  // One search per source gives both.
  const { closeness, harmonic } = closenessAndHarmonicOnCsr(csr, { weighted, distance });
  next('eigenvector');
  const eigenvector = eigenvectorWithFallback(csr, weighted, convergence, warnings);
  next('pagerank');
  const pagerank = pagerankOnCsr(csr, { weighted, convergence });
  next('coreness and clustering');
  const coreness = corenessOnCsr(csr);
  const clustering = clusteringOnCsr(csr, { weighted });
  next('components');
  const components = connectedComponentsOnCsr(csr);
  const articulation = articulationPointsOnCsr(csr);
  const bridgeEdges = bridgesOnCsr(csr);
  next('structural holes');
  const constraint = constraintOnCsr(csr, { weighted });
  const effectiveSize = effectiveSizeOnCsr(csr, { weighted });
  next('communities');
  const found = communities(graph, {
    algorithm: parameters.communityAlgorithm,
    resolution: parameters.resolution,
    seed: parameters.seed,
    weighted,
  });

  next('groups');
  const mapping = context.mapping;
  const groupOf: Record<string, string | number> = mapping ? mapping.groupOf : found.communityOf;
  const comparison = mapping
    ? compareWithMapping({ communityOf: found.communityOf, mapping: mapping.groupOf, graph })
    : undefined;
  const roles = groupRoles(graph, groupOf);
  const likelyRole = new Map<string, string>();
  for (const group of roles) {
    for (const node of group.periphery) likelyRole.set(node, 'periphery');
    for (const node of group.core) likelyRole.set(node, 'core');
    for (const node of group.likelyLieutenants) likelyRole.set(node, 'likely lieutenant');
    if (group.likelyPrincipal !== null) likelyRole.set(group.likelyPrincipal, 'likely principal');
  }

  const isArticulation = new Uint8Array(csr.n);
  for (const index of articulation) isArticulation[index] = 1;
  const nodes: NodeMetrics[] = [];
  const markings: Marking[] = [];
  for (let i = 0; i < csr.n; i++) {
    const id = csr.ids[i]!;
    const attributes = graph.getNodeAttributes(id) as Record<string, unknown>;
    const marking = markingOf(attributes);
    markings.push(marking);
    const node: NodeMetrics = {
      id,
      label: typeof attributes.label === 'string' ? attributes.label : id,
      degree: degree[i]!,
      strength: strength[i]!,
      betweenness: betweenness[i]!,
      closeness: closeness[i]!,
      harmonic: harmonic[i]!,
      eigenvector: eigenvector[i]!,
      pagerank: pagerank[i]!,
      coreness: coreness[i]!,
      clustering: clustering[i]!,
      constraint: constraint[i]!,
      effectiveSize: effectiveSize[i]!,
      community: found.communityOf[id]!,
      component: components.componentOf[i]!,
      articulation: isArticulation[i] === 1,
      safeguarding: isSafeguardingNode(attributes),
      marking,
    };
    if (mapping?.groupOf[id] !== undefined) {
      node.mappedGroup = mapping.groupOf[id];
      const mappedRole = mapping.roleOf[id];
      if (mappedRole !== undefined) node.mappedRole = mappedRole;
    }
    const role = likelyRole.get(id);
    if (role !== undefined) node.likelyRole = role;
    nodes.push(node);
  }
  graph.forEachEdge((_edge, attributes) => markings.push(markingOf(attributes)));

  const n = csr.n;
  return {
    classification: DEFAULT_CLASSIFICATION,
    marking: strictestMarking(markings),
    graph: {
      nodes: n,
      edges: csr.m,
      density: n < 2 ? 0 : (2 * csr.m) / (n * (n - 1)),
      components: components.count,
      largestComponent: components.sizes[0] ?? 0,
      isolates: degree.reduce((count, d) => count + (d === 0 ? 1 : 0), 0),
      weighted,
      directedInput: csr.sourceDirected,
      selfLoopsIgnored: csr.selfLoops,
    },
    nodes,
    communities: {
      count: found.count,
      modularity: found.modularity,
      algorithm: parameters.communityAlgorithm,
      resolution: parameters.resolution,
      seed: parameters.seed,
      members: found.members,
    },
    bridges: [...bridgeEdges].map((edge) => [csr.ids[csr.edgeSource[edge]!]!, csr.ids[csr.edgeTarget[edge]!]!]),
    articulationPoints: [...articulation].map((index) => csr.ids[index]!),
    groupsBy: mapping ? 'mapping' : 'community',
    ...(comparison ? { comparison } : {}),
    roles,
    brokers: brokers(graph, groupOf),
    cutPoints: cutPointsBetweenGroups(graph, groupOf),
    parameters,
    warnings,
  };
}

/**
 * The analysed graph as graphology's JSON export, with each node's metrics
 * written onto its attributes: the form the viewer loads from a bundle.
 */
export function analysisGraphExport(graph: AbstractGraph, report: AnalysisReport): ReturnType<AbstractGraph['export']> {
  const exported = graph.export();
  const byId = new Map(report.nodes.map((node) => [node.id, node]));
  for (const node of exported.nodes) {
    const metrics = byId.get(node.key);
    if (metrics) node.attributes = { ...node.attributes, ...metrics, label: metrics.label };
  }
  exported.attributes = { ...exported.attributes, classification: report.classification, marking: report.marking };
  return exported;
}

/**
 * The analysis results a manifest records, so that a paper's figures can be
 * checked against the export alone: per-node degree, betweenness, PageRank and
 * community (keyed by pseudonym), the component count, and the modularity and
 * number of communities for a stated algorithm and seed. All computed by
 * @ocgnet/analysis, whose functions are checked against networkx and igraph.
 */
import type { AbstractGraph } from 'graphology-types';
import {
  betweenness,
  communities,
  connectedComponents,
  degree,
  pagerank,
  type CommunityAlgorithm,
  type ConvergenceRule,
} from '@ocgnet/analysis';

export interface AnalysisSettings {
  /** Use edge weights in betweenness (1/weight as length), PageRank and the communities. */
  weighted: boolean;
  /** Community search: Leiden (the default) or Louvain. */
  communityAlgorithm: CommunityAlgorithm;
  /** Community seed. */
  seed: number;
  /** Community resolution. */
  resolution: number;
  /** Community runs (seed, seed + 1, …), best modularity kept. */
  runs: number;
  /** Where PageRank stops: at its fixed point, or where networkx's default does. */
  convergence: ConvergenceRule;
}

export const DEFAULT_ANALYSIS_SETTINGS: AnalysisSettings = {
  weighted: false,
  communityAlgorithm: 'leiden',
  seed: 1,
  resolution: 1,
  runs: 5,
  convergence: 'converged',
};

/**
 * What a manifest written before these settings were recorded was made with:
 * Louvain and networkx's PageRank stopping rule. Louvain has since put nodes
 * in id order first, so such a manifest's communities may not reproduce.
 */
export const LEGACY_ANALYSIS_SETTINGS: Pick<AnalysisSettings, 'communityAlgorithm' | 'convergence'> = {
  communityAlgorithm: 'louvain',
  convergence: 'networkx',
};

export interface NodeResult {
  degree: number;
  betweenness: number;
  pagerank: number;
  community: number;
}

export interface RecordedResults {
  nodes: Record<string, NodeResult>;
  edges: number;
  components: number;
  largestComponent: number;
  communities: number;
  /** null when the graph has no edges. */
  modularity: number | null;
}

/** Runs the recorded analysis on a graph. */
export function computeResults(graph: AbstractGraph, settings: Partial<AnalysisSettings> = {}): RecordedResults {
  const { weighted, communityAlgorithm, seed, resolution, runs, convergence } = {
    ...DEFAULT_ANALYSIS_SETTINGS,
    ...settings,
  };
  const degrees = degree(graph);
  const between = betweenness(graph, { weighted, distance: 'inverse' });
  const rank = pagerank(graph, { weighted, convergence });
  const groups = communities(graph, { algorithm: communityAlgorithm, seed, resolution, runs, weighted });
  const components = connectedComponents(graph);
  const nodes: Record<string, NodeResult> = {};
  graph.forEachNode((node) => {
    nodes[node] = {
      degree: degrees[node]!,
      betweenness: between[node]!,
      pagerank: rank[node]!,
      community: groups.communityOf[node]!,
    };
  });
  return {
    nodes,
    edges: graph.size,
    components: components.count,
    largestComponent: components.sizes[0] ?? 0,
    communities: groups.count,
    modularity: Number.isFinite(groups.modularity) ? groups.modularity : null,
  };
}

/** A mismatch between recorded and recomputed results. */
export interface Mismatch {
  /** Where: `nodes.P-3fa9….betweenness`, `modularity`, `files.graph.graphml.sha256` … */
  path: string;
  expected: unknown;
  actual: unknown;
}

/** Floats agree within this relative tolerance; integers and strings must be equal. */
export const RELATIVE_TOLERANCE = 1e-9;

function numbersAgree(expected: number, actual: number, integer: boolean): boolean {
  if (integer) return expected === actual;
  if (expected === actual) return true;
  return Math.abs(expected - actual) <= RELATIVE_TOLERANCE * Math.max(Math.abs(expected), Math.abs(actual));
}

const INTEGER_FIELDS = new Set(['edges', 'degree', 'community', 'components', 'largestComponent', 'communities']);

/** Every difference between two result sets: exact for integers, 1e-9 relative for floats. */
export function compareResults(expected: RecordedResults, actual: RecordedResults): Mismatch[] {
  const mismatches: Mismatch[] = [];
  const check = (path: string, field: string, a: number | null | undefined, b: number | null | undefined) => {
    if (a === b) return;
    if (typeof a !== 'number' || typeof b !== 'number' || !numbersAgree(a, b, INTEGER_FIELDS.has(field)))
      mismatches.push({ path, expected: a ?? null, actual: b ?? null });
  };
  for (const field of ['edges', 'components', 'largestComponent', 'communities', 'modularity'] as const)
    check(field, field, expected[field], actual[field]);
  for (const node of Object.keys(expected.nodes)) {
    const recorded = expected.nodes[node]!;
    const recomputed = actual.nodes[node];
    if (recomputed === undefined) {
      mismatches.push({ path: `nodes.${node}`, expected: 'present', actual: 'missing' });
      continue;
    }
    for (const field of ['degree', 'betweenness', 'pagerank', 'community'] as const)
      check(`nodes.${node}.${field}`, field, recorded[field], recomputed[field]);
  }
  for (const node of Object.keys(actual.nodes))
    if (!(node in expected.nodes)) mismatches.push({ path: `nodes.${node}`, expected: 'absent', actual: 'present' });
  return mismatches;
}

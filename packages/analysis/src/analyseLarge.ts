/**
 * The analysis of a graph too large for graphology (a million nodes, five
 * million edges): only what scales, on the snapshot alone, in typed arrays.
 *
 * - degree (and strength when weighted);
 * - PageRank (as `pagerankOnCsr`, to 1e-10 of its fixed point by default);
 * - connected components, and cut points (articulation points: linear, so they scale too);
 * - communities, Leiden by default (`leidenOnCsr`, or `louvainOnCsr`; one run,
 *   on the nodes in id order, so the partition does not depend on the file's order);
 * - betweenness estimated from `pivots` sampled sources (Brandes & Pich 2007),
 *   scaled as networkx's `betweenness_centrality(k=pivots)`, optionally on
 *   worker threads.
 *
 * What `analyse` also computes (closeness, harmonic, eigenvector, coreness,
 * clustering, constraint, effective size, roles, brokerage, cut points and
 * bridges) is left out, and the result's `warnings` say so. The result holds
 * every node's values by index, plus the top nodes of each metric.
 */
import type { CsrGraph } from './csr.js';
import { degreeOnCsr, strengthOnCsr } from './metrics/degree.js';
import { pagerankOnCsr } from './metrics/pagerank.js';
import type { ConvergenceRule } from './metrics/paths.js';
import { articulationPointsOnCsr, connectedComponentsOnCsr } from './metrics/components.js';
import { betweennessOnCsr } from './metrics/betweenness.js';
import { betweennessOnCsrParallel } from './parallel/centrality.js';
import { communitySearch, type CommunityAlgorithm } from './groups/louvain.js';
import { compareIds } from '@ocgnet/schema';

export interface LargeAnalysisOptions {
  /** PageRank and Louvain read the snapshot's weights (betweenness stays unweighted: hops). */
  weighted: boolean;
  /** Community search: Leiden (connected communities) or Louvain. */
  communityAlgorithm: CommunityAlgorithm;
  /** Community resolution γ. */
  resolution: number;
  /** Seed of the community search's visit order and of the betweenness pivots. */
  seed: number;
  /** Betweenness sources sampled; at or above the node count betweenness is exact. */
  pivots: number;
  /** Nodes listed per metric in `top`. */
  top: number;
  /** Worker threads for betweenness (1: this thread). */
  workers: number;
  /** Where PageRank stops: within 1e-10 of its fixed point, or where networkx's defaults stop. */
  convergence: ConvergenceRule;
}

export const DEFAULT_LARGE_ANALYSIS_OPTIONS: LargeAnalysisOptions = {
  weighted: false,
  communityAlgorithm: 'leiden',
  resolution: 1,
  seed: 1,
  pivots: 256,
  top: 20,
  workers: 1,
  convergence: 'converged',
};

/** Progress: `done` of `total` stages finished, `step` the stage starting now. */
export type LargeAnalysisProgress = (done: number, total: number, step: string) => void;

/** One node in a top list. */
export interface RankedNode {
  id: string;
  value: number;
}

export interface LargeAnalysis {
  parameters: LargeAnalysisOptions;
  graph: {
    nodes: number;
    /** Undirected edges after merging parallels. */
    edges: number;
    selfLoops: number;
    weighted: boolean;
    density: number;
    isolates: number;
    components: number;
    largestComponent: number;
  };
  /** Per node index (`ids[i]` is node i). */
  ids: readonly string[];
  degree: Float64Array;
  /** Equal to degree when unweighted. */
  strength: Float64Array;
  pagerank: Float64Array;
  /** Normalised as networkx; an estimate unless `betweennessExact`. */
  betweenness: Float64Array;
  betweennessExact: boolean;
  /** Component per node, 0 the largest. */
  component: Int32Array;
  /** 1 for a cut point (articulation point: removing it splits its component), else 0. */
  articulation: Uint8Array;
  componentSizes: number[];
  /** Community per node, 0 the largest; `communitySizes[c]` its size. */
  community: Int32Array;
  communitySizes: number[];
  modularity: number;
  levels: number;
  /** The `top` nodes of each metric, highest first (ties: smaller index first). */
  top: { degree: RankedNode[]; strength: RankedNode[]; pagerank: RankedNode[]; betweenness: RankedNode[] };
  warnings: string[];
}

/** What `analyse` computes and this leaves out. */
export const LARGE_ANALYSIS_SKIPPED = [
  'closeness',
  'harmonic',
  'eigenvector',
  'coreness',
  'clustering',
  'constraint',
  'effective size',
  'roles',
  'brokerage',
  'bridges',
] as const;

const STAGES = ['degree', 'pagerank', 'components', 'communities', 'betweenness'] as const;

/**
 * Analyses a snapshot at scale. Async only because betweenness may run on
 * worker threads.
 *
 * @example
 * const csr = csrFromEdgeArrays(list.ids, list.source, list.target, list.weight);
 * const result = await analyseLarge(csr, { seed: 7, workers: 2 }, (done, total, step) => bar.update(done, step));
 */
export async function analyseLarge(
  csr: CsrGraph,
  options: Partial<LargeAnalysisOptions> = {},
  onProgress?: LargeAnalysisProgress,
): Promise<LargeAnalysis> {
  const parameters = { ...DEFAULT_LARGE_ANALYSIS_OPTIONS, ...options };
  const { weighted, communityAlgorithm, resolution, seed, pivots, top, workers, convergence } = parameters;
  if (!(Number.isInteger(pivots) && pivots >= 2))
    throw new RangeError(`@ocgnet/analysis/analyseLarge: pivots must be an integer ≥ 2, not ${pivots}`);
  if (!(Number.isInteger(top) && top >= 0))
    throw new RangeError(`@ocgnet/analysis/analyseLarge: top must be a non-negative integer, not ${top}`);
  // Unweighted means every merged tie counts 1, even where parallels were summed.
  const view: CsrGraph = weighted || csr.weights.every((w) => w === 1) ? csr : withUnitWeights(csr);
  let done = 0;
  const next = (step: (typeof STAGES)[number]) => onProgress?.(done++, STAGES.length, step);

  next('degree');
  const degree = degreeOnCsr(view);
  const strength = weighted ? strengthOnCsr(view) : degree;
  next('pagerank');
  const pagerank = pagerankOnCsr(view, { weighted, convergence });
  next('components');
  const components = connectedComponentsOnCsr(view);
  const articulation = new Uint8Array(csr.n);
  for (const v of articulationPointsOnCsr(view)) articulation[v] = 1;
  next('communities');
  // Leiden runs 2 iterations above EXHAUSTIVE_TIES ties, as everywhere (leidenCsr.ts).
  const found = communitySearch(communityAlgorithm)(view, { seed, resolution });
  const { community, sizes: communitySizes } = bySize(found.membership, csr.ids);
  next('betweenness');
  const betweennessOptions = { normalized: true, sample: { pivots, seed } };
  const betweenness =
    workers > 1
      ? await betweennessOnCsrParallel(view, betweennessOptions, { workers })
      : betweennessOnCsr(view, betweennessOptions);
  onProgress?.(done, STAGES.length, 'done');

  const betweennessExact = pivots >= csr.n;
  const warnings = [
    `large graph path: ${LARGE_ANALYSIS_SKIPPED.join(', ')} are not computed at this size`,
    betweennessExact
      ? 'betweenness is exact (the pivot count is at least the node count)'
      : `betweenness is estimated from ${pivots} pivots drawn with seed ${seed} (Brandes & Pich 2007), scaled as networkx betweenness_centrality(k=${pivots})`,
    `${communityAlgorithm === 'leiden' ? 'Leiden' : 'Louvain'} ran once (no restarts on the large path)`,
  ];
  if (csr.selfLoops > 0) warnings.push(`${csr.selfLoops} self-loop(s) left out`);

  const isolates = degree.reduce((count, d) => count + (d === 0 ? 1 : 0), 0);
  return {
    parameters,
    graph: {
      nodes: csr.n,
      edges: csr.m,
      selfLoops: csr.selfLoops,
      weighted,
      density: csr.n > 1 ? (2 * csr.m) / (csr.n * (csr.n - 1)) : 0,
      isolates,
      components: components.count,
      largestComponent: components.sizes[0] ?? 0,
    },
    ids: csr.ids,
    degree,
    strength,
    pagerank,
    betweenness,
    betweennessExact,
    component: components.componentOf,
    articulation,
    componentSizes: components.sizes,
    community,
    communitySizes,
    modularity: found.modularity,
    levels: found.levels,
    top: {
      degree: topNodes(csr.ids, degree, top),
      strength: topNodes(csr.ids, strength, top),
      pagerank: topNodes(csr.ids, pagerank, top),
      betweenness: topNodes(csr.ids, betweenness, top),
    },
    warnings,
  };
}

/**
 * Renumbers communities by size, largest first; equal sizes by their smallest
 * member id, as `communities` does, so the numbers do not depend on node order either.
 */
function bySize(membership: Int32Array, ids: readonly string[]): { community: Int32Array; sizes: number[] } {
  let count = 0;
  for (const c of membership) if (c + 1 > count) count = c + 1;
  const size = new Int32Array(count);
  const smallest = new Int32Array(count).fill(-1);
  for (let v = 0; v < membership.length; v++) {
    const c = membership[v]!;
    size[c]!++;
    if (smallest[c] === -1 || compareIds(ids[v]!, ids[smallest[c]!]!) < 0) smallest[c] = v;
  }
  const order = Array.from({ length: count }, (_x, c) => c).sort(
    (a, b) => size[b]! - size[a]! || compareIds(ids[smallest[a]!]!, ids[smallest[b]!]!),
  );
  const rename = new Int32Array(count);
  order.forEach((c, rank) => (rename[c] = rank));
  const community = new Int32Array(membership.length);
  for (let v = 0; v < membership.length; v++) community[v] = rename[membership[v]!]!;
  return { community, sizes: order.map((c) => size[c]!) };
}

/** The `k` highest values, highest first, ties by index; O(n log k). */
export function topNodes(ids: readonly string[], values: ArrayLike<number>, k: number): RankedNode[] {
  if (k === 0) return [];
  // A small sorted buffer is enough: k is tens, n millions.
  const best: number[] = [];
  const before = (a: number, b: number) => values[a]! > values[b]! || (values[a] === values[b] && a < b);
  for (let v = 0; v < values.length; v++) {
    if (best.length === k && !before(v, best[k - 1]!)) continue;
    let at = best.length === k ? k - 1 : best.length;
    while (at > 0 && before(v, best[at - 1]!)) {
      best[at] = best[at - 1]!;
      at--;
    }
    best[at] = v;
  }
  return best.map((v) => ({ id: ids[v]!, value: values[v]! }));
}

/**
 * `csr` with every weight 1. Field by field, not a spread: csrFromEdgeArrays
 * builds the per-edge arrays on first use, behind getters a spread would
 * either miss or call.
 */
function withUnitWeights(csr: CsrGraph): CsrGraph {
  const { n, m, ids, index, offsets, targets, sourceDirected, selfLoops } = csr;
  return {
    n,
    m,
    ids,
    index,
    offsets,
    targets,
    weights: new Float64Array(csr.weights.length).fill(1),
    get edgeOf() {
      return csr.edgeOf;
    },
    get edgeSource() {
      return csr.edgeSource;
    },
    get edgeTarget() {
      return csr.edgeTarget;
    },
    get edgeWeight() {
      return csr.edgeWeight;
    },
    weighted: false,
    sourceDirected,
    selfLoops,
  };
}

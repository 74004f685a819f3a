/**
 * Betweenness centrality
 * ======================
 *
 * The share of shortest paths between other pairs of nodes that pass
 * through a node: who brokers between otherwise distant nominals.
 *
 * [Reference]:
 * Brandes, Ulrik. "A faster algorithm for betweenness centrality."
 * Journal of Mathematical Sociology 25(2), 2001, 163–177.
 * Brandes, Ulrik. "On variants of shortest-path betweenness centrality and
 * their generic computation." Social Networks 30(2), 2008, 136–145
 * (weighted lengths, endpoints and normalisation).
 *
 * Exact: one BFS (unweighted) or Dijkstra (weighted) per source, then the
 * dependency accumulation deepest first; O(nm) unweighted, O(nm + n² log n)
 * weighted. The unweighted search is direction-optimising and accumulates
 * level by level (bfsKernels.ts). Sampled: the same from k seeded pivots
 * (Brandes & Pich 2007), O(km). Parallel over sources: parallel/pool.ts. Values and scaling are those of networkx's
 * `betweenness_centrality` (endpoints excluded, undirected).
 */
import type { AbstractGraph } from 'graphology-types';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { byNode, inducedWithout, valuesOnParent, type CsrGraph } from '../csr.js';
import { brandesBfsKernel } from './bfsKernels.js';
import { brandesBatchKernel, useBatchKernel } from './brandesBatch.js';
import {
  CentralityError,
  DEFAULT_PATH_OPTIONS,
  assertGraph,
  checkPathOptions,
  snapshotFor,
  sourceSearch,
  type PathOptions,
} from './paths.js';

const MODULE = 'metrics/betweenness';

export interface BetweennessOptions extends PathOptions {
  /**
   * Divide by the number of pairs not involving the node, (n − 1)(n − 2), so
   * values lie in [0, 1]. Otherwise each unordered pair is counted once.
   */
  normalized: boolean;
  /**
   * Relative tolerance under which two weighted path lengths count as equal
   * (|a − b| ≤ tieTolerance × b). Floating-point sums of inverse weights can
   * split true ties (1/5 + 1/5 + 1/5 ≠ 3/5 in binary), which would hand a
   * broker's share wholly to one of two equally short routes. networkx
   * compares exactly: set 0 to reproduce it. Ignored when unweighted.
   */
  tieTolerance: number;
}

export const DEFAULT_BETWEENNESS_OPTIONS: BetweennessOptions = {
  ...DEFAULT_PATH_OPTIONS,
  normalized: true,
  tieTolerance: 1e-10,
};

/** The options with defaults filled in, checked (typed error on nonsense). */
export function resolveBetweennessOptions(options: Partial<BetweennessOptions>): BetweennessOptions {
  const resolved = { ...DEFAULT_BETWEENNESS_OPTIONS, ...options };
  checkPathOptions(MODULE, resolved);
  if (!(resolved.tieTolerance >= 0 && resolved.tieTolerance < 1e-3)) {
    throw new CentralityError(
      MODULE,
      'INVALID_OPTION',
      `tieTolerance must be in [0, 1e-3), got ${resolved.tieTolerance}.`,
    );
  }
  return resolved;
}

/** Brandes–Pich pivot sampling: how many sources, drawn by which seed. */
export interface BetweennessSample {
  /** Number of distinct sources (at least 2); at or above the node count the run is exact. */
  pivots: number;
  /** Seed of the draw (an integer); the same seed and graph give the same pivots. */
  seed: number;
}

export interface BetweennessRunOptions extends BetweennessOptions {
  /**
   * Estimate from `pivots` sources drawn uniformly without replacement
   * (Brandes & Pich, "Centrality estimation in large networks", Int. J.
   * Bifurcation and Chaos 17(7), 2007) instead of all n. Scaled exactly as
   * networkx 3.6's `betweenness_centrality(k=pivots)`: a non-pivot's sum is
   * multiplied by (n − 1) / pivots relative to the exact scaling, a pivot's
   * by (n − 1) / (pivots − 1), since a pivot cannot be an inner node of its
   * own paths.
   */
  sample?: BetweennessSample | undefined;
  /**
   * Nodes to leave out (`removed[v] = 1`): the result is the betweenness of
   * the subgraph induced by the others (n counts only them), indexed as
   * `csr`, with 0 for removed nodes. Saves building that subgraph, e.g. at
   * every step of a sequential removal.
   */
  removed?: Uint8Array;
}

/**
 * When whole-graph analysis should sample rather than run exact betweenness:
 * above `aboveNodes` nodes, `pivots` seeded pivots. Exact Brandes is O(nm):
 * at 20,000 nodes and 100,000 edges that is already about 2 × 10^9 edge
 * visits (tens of seconds), while 256 pivots cost O(256 m) at any size and
 * rank the top brokers nearly as exact does (Brandes & Pich 2007). Exact
 * stays available by passing no `sample`.
 */
export const BETWEENNESS_SAMPLING_DEFAULT = { aboveNodes: 20_000, pivots: 256, seed: 1 } as const;

/** The `sample` option the default policy gives for a graph of n nodes: none (exact) up to the threshold. */
export function defaultBetweennessSample(n: number): BetweennessSample | undefined {
  const { aboveNodes, pivots, seed } = BETWEENNESS_SAMPLING_DEFAULT;
  return n > aboveNodes ? { pivots, seed } : undefined;
}

/**
 * `pivots` distinct node indices in [0, n), ascending, drawn uniformly by a
 * seeded xoroshiro128+ (pure-rand) with Floyd's algorithm (Bentley & Floyd,
 * "A sample of brilliance", CACM 30(9), 1987): O(pivots) time and memory.
 * All n nodes when pivots ≥ n. This is the draw `betweennessOnCsr` uses for
 * `sample`, exported so benchmarks and peers can use the very same sources.
 */
export function samplePivots(n: number, pivots: number, seed: number): Int32Array {
  if (!(Number.isInteger(n) && n >= 0))
    throw new CentralityError(MODULE, 'INVALID_OPTION', `n must be a non-negative integer, got ${n}.`);
  if (!(Number.isInteger(pivots) && pivots >= 1))
    throw new CentralityError(MODULE, 'INVALID_OPTION', `pivots must be a positive integer, got ${pivots}.`);
  if (!Number.isSafeInteger(seed))
    throw new CentralityError(MODULE, 'INVALID_OPTION', `seed must be a safe integer, got ${seed}.`);
  if (pivots >= n) return Int32Array.from({ length: n }, (_, v) => v);
  // Fold the high bits in, so 1 and 2^32 + 1 draw differently.
  const generator = xoroshiro128plus((seed ^ Math.floor(seed / 0x1_0000_0000)) | 0);
  const chosen = new Set<number>();
  for (let j = n - pivots; j < n; j++) {
    const t = uniformInt(generator, 0, j);
    chosen.add(chosen.has(t) ? j : t);
  }
  return Int32Array.from(chosen).sort();
}

function checkRunOptions(options: Partial<BetweennessRunOptions>, n: number): void {
  const { sample, removed } = options;
  if (sample !== undefined) {
    if (!(Number.isInteger(sample.pivots) && sample.pivots >= 2)) {
      throw new CentralityError(
        MODULE,
        'INVALID_OPTION',
        `sample.pivots must be an integer ≥ 2, got ${sample.pivots}.`,
      );
    }
    if (!Number.isSafeInteger(sample.seed))
      throw new CentralityError(MODULE, 'INVALID_OPTION', `sample.seed must be a safe integer, got ${sample.seed}.`);
  }
  if (removed !== undefined && !(removed instanceof Uint8Array && removed.length === n)) {
    throw new CentralityError(MODULE, 'INVALID_OPTION', `removed must be a Uint8Array of length n = ${n}.`);
  }
}

/** The sources of a run and how to scale its sums, shared by the sequential and parallel entry points. */
export interface BetweennessPlan {
  /** Sources, ascending. */
  readonly sources: Int32Array;
  /** Nodes not removed. */
  readonly active: number;
  /** Whether the sources are a sample of the active nodes. */
  readonly sampled: boolean;
  readonly removed: Uint8Array | null;
}

/** Which sources a run takes: every active node, or a seeded sample of them. */
export function planBetweenness(csr: Pick<CsrGraph, 'n'>, options: Partial<BetweennessRunOptions>): BetweennessPlan {
  checkRunOptions(options, csr.n);
  const removed = options.removed ?? null;
  let activeNodes: Int32Array;
  if (removed === null) {
    activeNodes = Int32Array.from({ length: csr.n }, (_, v) => v);
  } else {
    activeNodes = new Int32Array(csr.n);
    let count = 0;
    for (let v = 0; v < csr.n; v++) if (removed[v] !== 1) activeNodes[count++] = v;
    activeNodes = activeNodes.slice(0, count);
  }
  const active = activeNodes.length;
  const sample = options.sample;
  if (sample === undefined || sample.pivots >= active) return { sources: activeNodes, active, sampled: false, removed };
  const positions = samplePivots(active, sample.pivots, sample.seed);
  return { sources: positions.map((k) => activeNodes[k]!), active, sampled: true, removed };
}

/**
 * Scales raw sums (each ordered pair counted once) in place: networkx 3.6's
 * `_rescale` with endpoints excluded, over the active nodes; 0 for removed.
 */
export function rescaleBetweenness(raw: Float64Array, plan: BetweennessPlan, normalized: boolean): Float64Array {
  const { active, sampled, sources, removed } = plan;
  const pairs = active - 1; // networkx's N: targets per source
  if (removed !== null) for (let v = 0; v < raw.length; v++) if (removed[v] === 1) raw[v] = 0;
  if (pairs < 2) return raw;
  if (!sampled) {
    const scale = normalized ? 1 / (pairs * (pairs - 1)) : 0.5;
    for (let v = 0; v < raw.length; v++) raw[v]! *= scale;
    return raw;
  }
  const k = sources.length;
  const scaleSource = normalized ? 1 / ((k - 1) * (pairs - 1)) : pairs / ((k - 1) * 2);
  const scaleOther = normalized ? 1 / (k * (pairs - 1)) : pairs / (k * 2);
  const isSource = new Uint8Array(raw.length);
  for (const s of sources) isSource[s] = 1;
  for (let v = 0; v < raw.length; v++) raw[v]! *= isSource[v] === 1 ? scaleSource : scaleOther;
  return raw;
}

/** Raw Brandes sums from the given sources by Dijkstra (weighted), as networkx. */
function weightedSums(csr: CsrGraph, sources: Int32Array, options: BetweennessOptions): Float64Array {
  const { n } = csr;
  const centrality = new Float64Array(n);
  const delta = new Float64Array(n);
  const search = sourceSearch(csr, options, true, options.tieTolerance);
  const { sigma, order, arcFrom, arcTo } = search.ws;
  for (const s of sources) {
    const reached = search.from(s);
    // Dependencies flow back along the shortest-path DAG (Brandes 2001,
    // Theorem 6): walking the arcs backwards, delta[w] is complete before
    // any arc into w is taken.
    for (let arc = search.ws.arcs - 1; arc >= 0; arc--) {
      const v = arcFrom[arc]!;
      const w = arcTo[arc]!;
      delta[v]! += sigma[v]! * ((1 + delta[w]!) / sigma[w]!);
    }
    delta[s] = 0;
    for (let i = 1; i < reached; i++) {
      const w = order[i]!;
      centrality[w]! += delta[w]!;
      delta[w] = 0;
    }
  }
  return centrality;
}

/**
 * Raw sums for a plan in this thread. Unweighted runs use the batch kernel
 * (brandesBatch.ts) when the sources cover most of the graph, else the
 * direction-optimising one (bfsKernels.ts); weighted runs use Dijkstra, on
 * the induced subgraph when nodes are removed.
 */
export function betweennessSums(csr: CsrGraph, plan: BetweennessPlan, options: BetweennessOptions): Float64Array {
  const { n } = csr;
  if (!options.weighted) {
    const raw = new Float64Array(n);
    const kernel = useBatchKernel(n, plan.sources.length) ? brandesBatchKernel : brandesBfsKernel;
    kernel(n, csr.offsets, csr.targets, plan.removed, plan.sources, 0, 1, raw);
    return raw;
  }
  if (plan.removed === null) return weightedSums(csr, plan.sources, options);
  const { induced, members } = inducedWithout(csr, plan.removed);
  const local = new Int32Array(n).fill(-1);
  members.forEach((parent, k) => (local[parent] = k));
  return valuesOnParent(
    csr,
    members,
    weightedSums(
      induced,
      plan.sources.map((v) => local[v]!),
      options,
    ),
  );
}

/**
 * Betweenness centrality per node index on a snapshot. `weighted` reads
 * `csr.weights` (1 on an unweighted snapshot); `weightAttribute` is not used.
 * `sample` estimates from seeded pivots; `removed` leaves nodes out (see
 * {@link BetweennessRunOptions}).
 */
export function betweennessOnCsr(csr: CsrGraph, options: Partial<BetweennessRunOptions> = {}): Float64Array {
  const resolved = resolveBetweennessOptions(options);
  const plan = planBetweenness(csr, options);
  return rescaleBetweenness(betweennessSums(csr, plan, resolved), plan, resolved.normalized);
}

/**
 * Betweenness centrality of every node, keyed by node.
 *
 * @example
 * betweenness(graph); // hop counts, normalised to [0, 1]
 * betweenness(graph, { weighted: true }); // strong ties are short (length 1/weight)
 * betweenness(graph, { weighted: true, distance: 'weight', tieTolerance: 0 }); // = networkx weight='weight'
 */
export function betweenness(
  graph: AbstractGraph,
  options: Partial<Omit<BetweennessRunOptions, 'removed'>> = {},
): Record<string, number> {
  assertGraph(MODULE, graph);
  const resolved = resolveBetweennessOptions(options);
  const csr = snapshotFor(graph, resolved);
  return byNode(csr, betweennessOnCsr(csr, { ...resolved, sample: options.sample }));
}

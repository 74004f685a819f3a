/**
 * Single-source shortest-path kernels shared by the path-based centralities
 * (betweenness, closeness, harmonic), plus the plumbing every centrality
 * module uses: the graph guard, the edge-length view of a weight, and the
 * typed error.
 *
 * - Unweighted graphs are searched breadth first (Moore 1959): distances are
 *   small integers and every comparison is exact.
 * - Weighted graphs use Dijkstra (1959) with an indexed binary heap on typed
 *   arrays. A node's distance is the floating-point minimum over its settled
 *   neighbours u of `dist[u] + length(u, v)`, the same sum in the same order
 *   as networkx's Dijkstra, so distances agree with networkx bit for bit.
 * - Shortest-path counts (sigma) follow Brandes 2001, "A faster algorithm
 *   for betweenness centrality", J. Math. Sociol. 25(2), and are stored as
 *   Float64 because they can exceed 2^31 on meshes of ties. The
 *   predecessor arcs are recorded in a flat list during the search, so the
 *   backward accumulation walks only the shortest-path DAG instead of
 *   re-testing every adjacency slot.
 *
 * A workspace allocates its arrays once; each search resets only the nodes
 * the previous search reached, so many sources on a large, fragmented graph
 * cost no allocation and no O(n) clearing.
 */
import type { AbstractGraph } from 'graphology-types';
import { OcgnetError } from '@ocgnet/schema';
import { csrOf, type CsrGraph } from '../csr.js';

/** What went wrong, for code that reacts to centrality errors. */
export type CentralityErrorCode = 'NOT_A_GRAPH' | 'INVALID_OPTION' | 'NOT_CONVERGED';

/**
 * Thrown by the centrality modules on misuse or failure. The message starts
 * with the module of origin, e.g. "@ocgnet/analysis/metrics/pagerank: ".
 */
export class CentralityError extends OcgnetError<CentralityErrorCode> {
  override readonly name: string = 'CentralityError';
  constructor(
    /** Module of origin, e.g. "metrics/betweenness". */
    readonly module: string,
    code: CentralityErrorCode,
    message: string,
  ) {
    super(code, message, { origin: `@ocgnet/analysis/${module}` });
  }
}

/**
 * A power iteration (eigenvector, PageRank) that did not settle within its
 * iteration budget, as networkx's `PowerIterationFailedConvergence`.
 */
export class ConvergenceError extends CentralityError {
  override readonly name: string = 'ConvergenceError';
  constructor(
    module: string,
    /** Iterations run. */
    readonly iterations: number,
    /** L1 change at the last iteration, against the threshold n × tolerance. */
    readonly change: number,
    readonly threshold: number,
  ) {
    super(
      module,
      'NOT_CONVERGED',
      `power iteration failed to converge within ${iterations} iterations (last L1 change ${change}, needed < ${threshold}).`,
    );
  }
}

/**
 * Where a power iteration (PageRank, eigenvector) stops: 'converged' within a
 * set distance of its fixed point (the default), or 'networkx' where
 * networkx's default stops (L1 change < n × tol), to reproduce its output.
 */
export const CONVERGENCE_RULES = ['converged', 'networkx'] as const;
export type ConvergenceRule = (typeof CONVERGENCE_RULES)[number];

/** A power iteration's budget and its tolerance under its rule. */
export interface IterationBudget {
  maxIterations: number;
  tolerance: number;
}

/** The options PageRank and eigenvector centrality share. */
export interface PowerIterationOptions {
  /** Use edge weights (ties followed, or A filled, in proportion to them). */
  weighted: boolean;
  /** Edge attribute holding the weight, read when `weighted`. */
  weightAttribute: string;
  /** The stopping rule; `tolerance` and `maxIterations` default per rule. */
  convergence: ConvergenceRule;
  /** Iteration budget (networkx `max_iter`); the rule's default when undefined. */
  maxIterations: number | undefined;
  /**
   * 'converged': the L1 distance to the fixed point to reach (bounded for
   * PageRank, estimated for eigenvector). 'networkx': the per-node tolerance,
   * stop when the L1 change < n × tolerance (networkx `tol`). The rule's
   * default when undefined.
   */
  tolerance: number | undefined;
}

export const DEFAULT_POWER_ITERATION_OPTIONS: PowerIterationOptions = {
  weighted: false,
  weightAttribute: 'weight',
  convergence: 'converged',
  maxIterations: undefined,
  tolerance: undefined,
};

/**
 * A power iteration's rule with its budget and tolerance: those given, else
 * the rule's preset; checked (typed error on nonsense).
 */
export function resolveIteration(
  module: string,
  options: { convergence: ConvergenceRule; maxIterations: number | undefined; tolerance: number | undefined },
  presets: Record<ConvergenceRule, IterationBudget>,
): { convergence: ConvergenceRule } & IterationBudget {
  const preset = Object.hasOwn(presets, options.convergence) ? presets[options.convergence] : undefined;
  if (preset === undefined) {
    throw new CentralityError(
      module,
      'INVALID_OPTION',
      `convergence must be 'converged' or 'networkx', got ${String(options.convergence)}.`,
    );
  }
  const resolved = {
    convergence: options.convergence,
    maxIterations: options.maxIterations ?? preset.maxIterations,
    tolerance: options.tolerance ?? preset.tolerance,
  };
  checkIterationOptions(module, resolved);
  return resolved;
}

/** Checks the options of a power iteration. */
export function checkIterationOptions(module: string, options: { maxIterations: number; tolerance: number }): void {
  if (!(Number.isInteger(options.maxIterations) && options.maxIterations > 0)) {
    throw new CentralityError(
      module,
      'INVALID_OPTION',
      `maxIterations must be a positive integer, got ${options.maxIterations}.`,
    );
  }
  if (!(options.tolerance > 0 && Number.isFinite(options.tolerance))) {
    throw new CentralityError(
      module,
      'INVALID_OPTION',
      `tolerance must be positive and finite, got ${options.tolerance}.`,
    );
  }
}

/** Duck-typed like graphology-utils' `isGraph`, without the dependency. */
export function assertGraph(module: string, value: unknown): asserts value is AbstractGraph {
  const graph = value as Partial<AbstractGraph> | null;
  if (
    graph === null ||
    typeof graph !== 'object' ||
    typeof graph.addUndirectedEdgeWithKey !== 'function' ||
    typeof graph.dropNode !== 'function' ||
    typeof graph.multi !== 'boolean'
  ) {
    throw new CentralityError(module, 'NOT_A_GRAPH', 'the given graph is not a valid graphology instance.');
  }
}

/**
 * How an association weight becomes a path length.
 * - `'inverse'`: length = 1 / weight. Weights are strengths (more contact,
 *   more co-offending), so a strong tie is a short hop. ocgnet's default.
 * - `'weight'`: length = weight, which is what networkx does when given
 *   `weight='weight'`; use it to reproduce networkx, or when the attribute
 *   really is a cost (distance, time, risk).
 */
export type DistanceMode = 'inverse' | 'weight';

/** Options shared by the path-based centralities. */
export interface PathOptions {
  /** Use edge weights as lengths (Dijkstra) instead of hop counts (BFS). */
  weighted: boolean;
  /** Edge attribute holding the weight, read when `weighted`. */
  weightAttribute: string;
  /** How a weight becomes a length when `weighted`; see {@link DistanceMode}. */
  distance: DistanceMode;
}

export const DEFAULT_PATH_OPTIONS: PathOptions = { weighted: false, weightAttribute: 'weight', distance: 'inverse' };

/** Checks the path options, throwing a typed error on nonsense. */
export function checkPathOptions(module: string, options: PathOptions): void {
  if (options.distance !== 'inverse' && options.distance !== 'weight') {
    throw new CentralityError(
      module,
      'INVALID_OPTION',
      `distance must be 'inverse' or 'weight', got ${JSON.stringify(options.distance)}.`,
    );
  }
}

/** The snapshot a graph-level call needs: weighted only when asked, so bad weights never fail an unweighted run. */
export function snapshotFor(
  graph: AbstractGraph,
  options: Pick<PathOptions, 'weighted' | 'weightAttribute'>,
): CsrGraph {
  return csrOf(graph, { weightAttribute: options.weighted ? options.weightAttribute : null });
}

/** Length per adjacency slot (parallel to `csr.targets`) for the given distance mode. */
export function edgeLengths(csr: CsrGraph, distance: DistanceMode): Float64Array {
  if (distance === 'weight') return csr.weights;
  const lengths = new Float64Array(csr.weights.length);
  for (let slot = 0; slot < lengths.length; slot++) lengths[slot] = 1 / csr.weights[slot]!;
  return lengths;
}

/** Arrays reused across single-source searches on one snapshot. */
export interface PathWorkspace {
  readonly n: number;
  /** Distance from the last source; -1 where not reached. */
  readonly dist: Float64Array;
  /** Number of shortest paths from the last source (when counted); 0 where not reached. */
  readonly sigma: Float64Array;
  /** Reached nodes in the order they were settled (non-decreasing distance). */
  readonly order: Int32Array;
  /** How many entries of `order` the last search filled. */
  reached: number;
  /**
   * Shortest-path DAG of the last search (when paths are counted): arc i runs
   * from predecessor `arcFrom[i]` to `arcTo[i]`. Arcs are recorded in an
   * order where every arc into a node precedes every arc out of it, so
   * walking them backwards visits a node's out-arcs before its in-arcs,
   * which is what Brandes' dependency accumulation needs. An undirected edge
   * is an arc at most once per search, so m slots suffice.
   */
  readonly arcFrom: Int32Array;
  readonly arcTo: Int32Array;
  /** How many arcs the last search recorded. */
  arcs: number;
  /** Position of each node in `order`; -1 where not settled. Dijkstra only. */
  readonly rank: Int32Array;
  readonly heap: Int32Array;
  readonly heapKey: Float64Array;
  readonly heapPos: Int32Array;
}

/** Allocates a workspace for a snapshot. */
export function createPathWorkspace(csr: Pick<CsrGraph, 'n' | 'm'>): PathWorkspace {
  const { n, m } = csr;
  return {
    n,
    dist: new Float64Array(n).fill(-1),
    sigma: new Float64Array(n),
    order: new Int32Array(n),
    reached: 0,
    arcFrom: new Int32Array(m),
    arcTo: new Int32Array(m),
    arcs: 0,
    rank: new Int32Array(n).fill(-1),
    heap: new Int32Array(n),
    heapKey: new Float64Array(n),
    heapPos: new Int32Array(n).fill(-1),
  };
}

function reset(ws: PathWorkspace): void {
  const { dist, sigma, order, rank } = ws;
  for (let i = 0; i < ws.reached; i++) {
    const v = order[i]!;
    dist[v] = -1;
    sigma[v] = 0;
    rank[v] = -1;
  }
  ws.reached = 0;
  ws.arcs = 0;
}

/**
 * Breadth-first search from `source`: fills `dist` and `order`, and, when
 * `countPaths`, `sigma` and the arcs. Returns the number of nodes reached
 * (source included).
 */
export function bfsFrom(csr: CsrGraph, ws: PathWorkspace, source: number, countPaths: boolean): number {
  reset(ws);
  const { offsets, targets } = csr;
  const { dist, sigma, order, arcFrom, arcTo } = ws;
  let arcs = 0;
  dist[source] = 0;
  sigma[source] = 1;
  order[0] = source;
  let head = 0;
  let tail = 1;
  // `order` doubles as the FIFO queue: BFS settles nodes in dequeue order.
  // Arcs out of v are recorded when v is dequeued, after all arcs into v
  // (recorded when the previous level was dequeued).
  while (head < tail) {
    const v = order[head++]!;
    const next = dist[v]! + 1;
    const sv = sigma[v]!;
    const end = offsets[v + 1]!;
    for (let slot = offsets[v]!; slot < end; slot++) {
      const u = targets[slot]!;
      let du = dist[u]!;
      if (du < 0) {
        dist[u] = du = next;
        order[tail++] = u;
      }
      if (countPaths && du === next) {
        sigma[u]! += sv;
        arcFrom[arcs] = v;
        arcTo[arcs++] = u;
      }
    }
  }
  ws.reached = tail;
  ws.arcs = arcs;
  return tail;
}

/**
 * Dijkstra from `source` over per-slot `lengths`: fills `dist`, `order` and
 * `rank`, and, when `countPaths`, `sigma` and the arcs. Returns the number
 * of nodes reached.
 *
 * When v is settled, each settled neighbour u with `dist[u] + length` equal
 * to `dist[v]` within a relative `tieTolerance` is a predecessor: it adds its
 * paths to v's and an arc u → v. With 0 this is networkx's exact comparison,
 * under which rounding can split a true tie (1/2 + 1/12 is not 1/3 + 1/4 in
 * binary floating point); a small positive tolerance restores it. Distances
 * themselves are always the exact floating-point minima, as networkx's.
 * Lengths shorter than tieTolerance × a path's length are out of scope: such
 * an edge can join two nodes that are tied in distance.
 */
export function dijkstraFrom(
  csr: CsrGraph,
  lengths: Float64Array,
  ws: PathWorkspace,
  source: number,
  countPaths: boolean,
  tieTolerance: number,
): number {
  reset(ws);
  const { offsets, targets } = csr;
  const { dist, sigma, order, rank, heap, heapKey, heapPos, arcFrom, arcTo } = ws;
  let arcs = 0;
  let reached = 0;
  let size = 1;
  dist[source] = 0;
  heap[0] = source;
  heapKey[0] = 0;
  heapPos[source] = 0;
  while (size > 0) {
    const v: number = heap[0];
    heapPos[v] = -1;
    if (--size > 0) siftDown(heap, heapKey, heapPos, size, heap[size]!, heapKey[size]!);
    rank[v] = reached;
    order[reached++] = v;
    const dv = dist[v]!;
    const slack = tieTolerance * dv;
    let sv = v === source ? 1 : 0;
    const end = offsets[v + 1]!;
    for (let slot: number = offsets[v]!; slot < end; slot++) {
      const u = targets[slot]!;
      const du = dist[u]!;
      const length = lengths[slot]!;
      const candidate = dv + length;
      if (du < 0) {
        dist[u] = candidate;
        siftUp(heap, heapKey, heapPos, size++, u, candidate);
      } else if (candidate < du) {
        // Not settled: a settled u has du <= dv <= candidate.
        dist[u] = candidate;
        siftUp(heap, heapKey, heapPos, heapPos[u]!, u, candidate);
      } else if (countPaths && rank[u]! >= 0 && Math.abs(du + length - dv) <= slack) {
        // Settled earlier and on a shortest path to v.
        sv += sigma[u]!;
        arcFrom[arcs] = u;
        arcTo[arcs++] = v;
      }
    }
    if (countPaths) sigma[v] = sv;
  }
  ws.reached = reached;
  ws.arcs = arcs;
  return reached;
}

// Binary min-heap of node ids with their keys alongside, so comparisons
// read one contiguous array rather than chasing dist[heap[i]].
function siftUp(
  heap: Int32Array,
  heapKey: Float64Array,
  heapPos: Int32Array,
  position: number,
  node: number,
  key: number,
): void {
  while (position > 0) {
    const parentPosition = (position - 1) >> 1;
    const parentKey = heapKey[parentPosition]!;
    if (parentKey <= key) break;
    const parent = heap[parentPosition]!;
    heap[position] = parent;
    heapKey[position] = parentKey;
    heapPos[parent] = position;
    position = parentPosition;
  }
  heap[position] = node;
  heapKey[position] = key;
  heapPos[node] = position;
}

/**
 * Re-seats `node` (moved from the end) after the root is taken. Floyd's
 * bottom-up variant: walk the hole down to a leaf along smaller children
 * (one comparison a level), then sift `node` up from there; the last
 * element nearly always belongs near the bottom, so this halves comparisons.
 */
function siftDown(
  heap: Int32Array,
  heapKey: Float64Array,
  heapPos: Int32Array,
  size: number,
  node: number,
  key: number,
): void {
  let position = 0;
  let child = 1;
  while (child < size) {
    let childKey = heapKey[child]!;
    const right = child + 1;
    if (right < size) {
      const rightKey = heapKey[right]!;
      if (rightKey < childKey) {
        child = right;
        childKey = rightKey;
      }
    }
    const c = heap[child]!;
    heap[position] = c;
    heapKey[position] = childKey;
    heapPos[c] = position;
    position = child;
    child = 2 * position + 1;
  }
  siftUp(heap, heapKey, heapPos, position, node, key);
}

/** Single-source search with the options' choice of BFS or Dijkstra. */
export interface SourceSearch {
  readonly ws: PathWorkspace;
  /** Length per adjacency slot when weighted; empty for BFS. */
  readonly lengths: Float64Array;
  /** Runs from `source`; returns the number of nodes reached. */
  from(source: number): number;
}

/** Builds the BFS or Dijkstra search the options ask for, with its workspace. */
export function sourceSearch(
  csr: CsrGraph,
  options: Pick<PathOptions, 'weighted' | 'distance'>,
  countPaths: boolean,
  tieTolerance = 0,
): SourceSearch {
  const ws = createPathWorkspace(csr);
  if (!options.weighted)
    return { ws, lengths: new Float64Array(0), from: (source) => bfsFrom(csr, ws, source, countPaths) };
  const lengths = edgeLengths(csr, options.distance);
  return { ws, lengths, from: (source) => dijkstraFrom(csr, lengths, ws, source, countPaths, tieTolerance) };
}

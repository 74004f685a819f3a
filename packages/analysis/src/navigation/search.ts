/**
 * The searches behind "how is A connected to B?", on the CSR snapshot:
 * - {@link shortestPathDag}: breadth-first search (unit costs) or Dijkstra
 *   (Dijkstra 1959) with a binary heap, then the DAG of every shortest path
 *   from source to target, counted and enumerated in node-key order;
 * - {@link SpurSearch}: Dijkstra under the total order (distance, hops, node
 *   keys), with nodes and edges masked out, for Yen's spur paths.
 *
 * Costs: unweighted searches count hops. Weighted searches read association
 * weights w (strengths, from `weightAttribute`) and walk either d = 1/w
 * (`distance: 'inverse'`, the default: a strong association is a short step)
 * or d = w (`distance: 'weight'`, what networkx does with `weight='weight'`).
 *
 * Ties: two distances are equal when they differ by at most `tolerance` of
 * the larger. Summing 1/w in floating point gives paths of equal length sums
 * that differ in the last bits (1/3 + 1/6 + 1/2 is not 1/2 + 1/3 + 1/6);
 * exact comparison, as networkx makes, would drop one of them. The default,
 * 1e-12, is far above rounding error (about 1e-16 per hop) and far below any
 * difference two distinct paths of integer-valued weights can have in
 * practice. `tolerance: 0` gives networkx's exact comparison.
 */
import type { AbstractGraph } from 'graphology-types';
import { compareIds } from '@ocgnet/schema';
import { csrOf, type CsrGraph } from '../csr.js';
import { invalidOption } from './errors.js';
import { NodeHeap } from './heap.js';

/** How an association weight w becomes a distance: 1/w (`inverse`) or w (`weight`). */
export type PathDistance = 'inverse' | 'weight';

/** Options every path search shares. */
export interface PathSearchOptions {
  /** Walk weighted distances rather than hop counts. */
  weighted: boolean;
  /** How a weight becomes a distance when `weighted`: 1/w (`inverse`) or w (`weight`). */
  distance: PathDistance;
  /** Edge attribute holding the association weight (1 where absent). */
  weightAttribute: string;
  /** Relative tolerance under which two path distances tie. */
  tolerance: number;
}

/**
 * Defaults of the path searches: unweighted (hop counts); when weighted,
 * distance 1/w from attribute `weight`; ties within a relative 1e-12.
 */
export const DEFAULT_PATH_SEARCH_OPTIONS: Readonly<PathSearchOptions> = Object.freeze({
  weighted: false,
  distance: 'inverse',
  weightAttribute: 'weight',
  tolerance: 1e-12,
});

/** Checks the shared options, merged over {@link DEFAULT_PATH_SEARCH_OPTIONS}. */
export function resolvePathSearchOptions(options: Partial<PathSearchOptions>): PathSearchOptions {
  const resolved = { ...DEFAULT_PATH_SEARCH_OPTIONS, ...stripUndefined(options) };
  if (typeof resolved.weighted !== 'boolean')
    throw invalidOption(`weighted must be true or false, not ${String(resolved.weighted)}`);
  if (resolved.distance !== 'inverse' && resolved.distance !== 'weight') {
    throw invalidOption(`distance must be 'inverse' or 'weight', not ${JSON.stringify(resolved.distance)}`);
  }
  if (typeof resolved.weightAttribute !== 'string' || resolved.weightAttribute === '') {
    throw invalidOption('weightAttribute must be a non-empty attribute name');
  }
  if (typeof resolved.tolerance !== 'number' || !(resolved.tolerance >= 0 && resolved.tolerance < 1e-3)) {
    throw invalidOption(`tolerance must be a number in [0, 0.001), not ${String(resolved.tolerance)}`);
  }
  return resolved;
}

export function stripUndefined<T extends object>(options: T): Partial<T> {
  const result: Partial<T> = {};
  for (const [key, value] of Object.entries(options))
    if (value !== undefined) (result as Record<string, unknown>)[key] = value;
  return result;
}

/** The snapshot a search runs on, with per-edge costs and node-key ranks. */
export interface SearchSpace {
  csr: CsrGraph;
  /** Cost of each undirected edge of the snapshot; null when every edge costs 1. */
  cost: Float64Array | null;
  tolerance: number;
  /** Rank of each node's key in code-unit order, for lexicographic tie-breaks. */
  rank: Int32Array;
}

const inverseCosts = new WeakMap<CsrGraph, Float64Array>();
const ranks = new WeakMap<CsrGraph, Int32Array>();

/** The snapshot and costs for `options` (cached with the snapshot). */
export function searchSpaceOf(graph: AbstractGraph, options: PathSearchOptions): SearchSpace {
  const csr = csrOf(graph, { weightAttribute: options.weighted ? options.weightAttribute : null });
  let cost: Float64Array | null = null;
  if (options.weighted) {
    if (options.distance === 'weight') cost = csr.edgeWeight;
    else {
      cost = inverseCosts.get(csr) ?? null;
      if (cost === null) {
        cost = csr.edgeWeight.map((w) => 1 / w);
        inverseCosts.set(csr, cost);
      }
    }
  }
  let rank = ranks.get(csr);
  if (rank === undefined) {
    rank = new Int32Array(csr.n);
    const order = Array.from({ length: csr.n }, (_, i) => i).sort((a, b) => compareIds(csr.ids[a]!, csr.ids[b]!));
    order.forEach((node, r) => (rank![node] = r));
    ranks.set(csr, rank);
  }
  return { csr, cost, tolerance: options.tolerance, rank };
}

/** -1, 0 or 1: `a` shorter than, tied with, or longer than `b` under the tolerance. */
export function compareDistances(a: number, b: number, tolerance: number): number {
  if (Math.abs(a - b) <= tolerance * Math.max(Math.abs(a), Math.abs(b))) return 0;
  return a < b ? -1 : 1;
}

/** Sum of the costs of `edges`, in path order. */
export function pathDistance(space: SearchSpace, edges: readonly number[]): number {
  if (space.cost === null) return edges.length;
  let total = 0;
  for (const e of edges) total += space.cost[e]!;
  return total;
}

/** Every shortest path from a source to a target, as a DAG. */
export interface ShortestPathDag {
  /** Shortest distance (hops when unweighted). */
  distance: number;
  /** Number of shortest paths (a float: it can exceed 2^53 on dense graphs). */
  count: number;
  /** Up to `max` shortest paths as node indices, in lexicographic order of node keys. */
  enumerate(max: number): number[][];
}

/** The shortest-path DAG from `source` to `target`, or null when `target` cannot be reached. */
export function shortestPathDag(space: SearchSpace, source: number, target: number): ShortestPathDag | null {
  const { csr, cost, tolerance, rank } = space;
  const { n, offsets, targets, edgeOf } = csr;
  if (source === target) return { distance: 0, count: 1, enumerate: (max) => (max >= 1 ? [[source]] : []) };

  const dist = new Float64Array(n).fill(Infinity);
  // Order in which nodes were settled (-1: never). A predecessor is always settled first.
  const order = new Int32Array(n).fill(-1);
  let settled = 0;
  dist[source] = 0;
  if (cost === null) {
    const queue = new Int32Array(n);
    let head = 0;
    let tail = 0;
    queue[tail++] = source;
    order[source] = settled++;
    // Every node one level closer than the target is discovered before it, so stop there.
    search: while (head < tail) {
      const u = queue[head++]!;
      for (let slot = offsets[u]!; slot < offsets[u + 1]!; slot++) {
        const v = targets[slot]!;
        if (order[v] !== -1) continue;
        order[v] = settled++;
        dist[v] = dist[u]! + 1;
        if (v === target) break search;
        queue[tail++] = v;
      }
    }
  } else {
    const heap = new NodeHeap();
    heap.push(source, 0, 0);
    while (heap.size > 0) {
      const d = heap.topDistance;
      const u = heap.pop();
      if (order[u] !== -1 || d > dist[u]!) continue;
      order[u] = settled++;
      if (u === target) break;
      for (let slot = offsets[u]!; slot < offsets[u + 1]!; slot++) {
        const v = targets[slot]!;
        if (order[v] !== -1) continue;
        const candidate = d + cost[edgeOf[slot]!]!;
        if (candidate < dist[v]!) {
          dist[v] = candidate;
          heap.push(v, candidate, 0);
        }
      }
    }
  }
  if (order[target] === -1) return null;

  // Walk back from the target: v precedes u when d(v) + c(v, u) ties d(u).
  const preds = new Map<number, number[]>();
  preds.set(target, []);
  const stack = [target];
  while (stack.length > 0) {
    const u = stack.pop()!;
    if (u === source) continue;
    const list = preds.get(u)!;
    const du = dist[u]!;
    for (let slot = offsets[u]!; slot < offsets[u + 1]!; slot++) {
      const v = targets[slot]!;
      if (order[v] === -1 || order[v]! >= order[u]!) continue;
      const through = dist[v]! + (cost === null ? 1 : cost[edgeOf[slot]!]!);
      if (compareDistances(through, du, tolerance) !== 0) continue;
      list.push(v);
      if (!preds.has(v)) {
        preds.set(v, []);
        stack.push(v);
      }
    }
  }

  const onPath = [...preds.keys()].sort((a, b) => order[a]! - order[b]!);
  const count = new Map<number, number>();
  const successors = new Map<number, number[]>();
  for (const u of onPath) {
    successors.set(u, []);
    let total = u === source ? 1 : 0;
    for (const v of preds.get(u)!) total += count.get(v)!;
    count.set(u, total);
  }
  for (const u of onPath) for (const v of preds.get(u)!) successors.get(v)!.push(u);
  for (const list of successors.values()) list.sort((a, b) => rank[a]! - rank[b]!);

  return {
    distance: dist[target]!,
    count: count.get(target)!,
    enumerate(max: number): number[][] {
      // Depth-first over successors in key order gives paths in lexicographic order;
      // every node of the DAG leads to the target, so no branch is a dead end.
      const paths: number[][] = [];
      if (max < 1) return paths;
      const path = [source];
      const next = [0];
      while (path.length > 0) {
        const u = path[path.length - 1]!;
        if (u === target) {
          paths.push([...path]);
          if (paths.length >= max) break;
          path.pop();
          next.pop();
          continue;
        }
        const list = successors.get(u)!;
        const i = next[next.length - 1]!++;
        if (i < list.length) {
          path.push(list[i]!);
          next.push(0);
        } else {
          path.pop();
          next.pop();
        }
      }
      return paths;
    },
  };
}

/** A path found on the snapshot: node indices and the undirected edges between them. */
export interface IndexPath {
  nodes: number[];
  edges: number[];
}

/**
 * Dijkstra under the total order (distance, hop count, node keys): of the
 * paths from source to target that avoid the blocked nodes and edges, it
 * returns the one with the least distance; among ties, the fewest hops; among
 * those, the lexicographically least sequence of node keys. Yen's algorithm
 * needs its spur paths to be least under the same order that ranks its
 * candidates, so that its output is the first k paths in that order.
 *
 * Labels are (distance, hops) pairs with a predecessor; the key order is
 * decided by walking two predecessor chains of equal length back to where
 * they meet. Arrays are reused across searches, stamped with a run number.
 */
export class SpurSearch {
  /** Set to 1 to keep a node out of the search. */
  readonly blockedNode: Uint8Array;
  /** Set to 1 to keep an undirected edge out of the search. */
  readonly blockedEdge: Uint8Array;
  private readonly dist: Float64Array;
  private readonly hops: Int32Array;
  private readonly pred: Int32Array;
  private readonly predEdge: Int32Array;
  private readonly labelled: Int32Array;
  private readonly settled: Int32Array;
  private readonly heap = new NodeHeap();
  private run = 0;

  constructor(private readonly space: SearchSpace) {
    const { n, m } = space.csr;
    this.blockedNode = new Uint8Array(n);
    this.blockedEdge = new Uint8Array(m);
    this.dist = new Float64Array(n);
    this.hops = new Int32Array(n);
    this.pred = new Int32Array(n);
    this.predEdge = new Int32Array(n);
    this.labelled = new Int32Array(n);
    this.settled = new Int32Array(n);
  }

  /** The least path from `source` to `target`, or null when none avoids the blocks. */
  search(source: number, target: number): IndexPath | null {
    const { csr, cost, tolerance } = this.space;
    const { offsets, targets, edgeOf } = csr;
    const { dist, hops, pred, predEdge, labelled, settled, heap, blockedNode, blockedEdge } = this;
    const run = ++this.run;
    heap.clear();
    dist[source] = 0;
    hops[source] = 0;
    pred[source] = -1;
    predEdge[source] = -1;
    labelled[source] = run;
    heap.push(source, 0, 0);
    let found = false;
    while (heap.size > 0) {
      const u = heap.pop();
      if (settled[u] === run) continue;
      settled[u] = run;
      if (u === target) {
        found = true;
        break;
      }
      const du = dist[u]!;
      const hu = hops[u]! + 1;
      for (let slot = offsets[u]!; slot < offsets[u + 1]!; slot++) {
        const v = targets[slot]!;
        const e = edgeOf[slot]!;
        if (settled[v] === run || blockedNode[v] === 1 || blockedEdge[e] === 1) continue;
        const dv = du + (cost === null ? 1 : cost[e]!);
        let better = labelled[v] !== run;
        if (!better) {
          const order = compareDistances(dv, dist[v]!, tolerance);
          better = order < 0 || (order === 0 && (hu < hops[v]! || (hu === hops[v]! && this.keyOrder(u, pred[v]!) < 0)));
        }
        if (!better) continue;
        // A tie that only changes the key order keeps the heap entry already queued.
        const requeue = labelled[v] !== run || dv !== dist[v] || hu !== hops[v];
        labelled[v] = run;
        dist[v] = dv;
        hops[v] = hu;
        pred[v] = u;
        predEdge[v] = e;
        if (requeue) heap.push(v, dv, hu);
      }
    }
    if (!found) return null;
    const nodes: number[] = [];
    const edges: number[] = [];
    for (let v = target; v !== -1; v = pred[v]!) {
      nodes.push(v);
      if (predEdge[v] !== -1) edges.push(predEdge[v]!);
    }
    return { nodes: nodes.reverse(), edges: edges.reverse() };
  }

  /** Key order of the labelled paths to `a` and to `b`, which have equal hop counts. */
  private keyOrder(a: number, b: number): number {
    const { rank } = this.space;
    const pred = this.pred;
    let order = 0;
    // The first difference from the source decides; walking back, that is the last one seen.
    while (a !== b) {
      const difference = rank[a]! - rank[b]!;
      if (difference !== 0) order = difference;
      a = pred[a]!;
      b = pred[b]!;
    }
    return order;
  }
}

/** The snapshot's edge between each pair of consecutive nodes. */
export function edgesAlong(
  csr: { offsets: Int32Array; targets: Int32Array; edgeOf: Int32Array },
  nodes: readonly number[],
): number[] {
  const edges: number[] = [];
  for (let h = 0; h + 1 < nodes.length; h++) {
    const u = nodes[h]!;
    const v = nodes[h + 1]!;
    // Neighbours are sorted ascending: binary search.
    let lo = csr.offsets[u]!;
    let hi = csr.offsets[u + 1]! - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const w = csr.targets[mid]!;
      if (w === v) {
        edges.push(csr.edgeOf[mid]!);
        break;
      }
      if (w < v) lo = mid + 1;
      else hi = mid - 1;
    }
  }
  return edges;
}

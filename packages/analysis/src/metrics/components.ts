/**
 * Connected components, articulation points (cut vertices) and bridges
 * (cut edges) of the undirected simple view of a graph (see csr.ts).
 *
 * - Components: breadth-first search, O(n + m).
 * - Articulation points and bridges: one depth-first search with discovery
 *   times and low points, Hopcroft & Tarjan, "Algorithm 447: efficient
 *   algorithms for graph manipulation", CACM 16(6), 1973; Tarjan, "Depth-first
 *   search and linear graph algorithms", SIAM J. Comput. 1(2), 1972. O(n + m).
 *
 * Every search is iterative with explicit stacks, never recursive: graphs
 * reach a million nodes and a path that long would overflow the call stack.
 *
 * Equal to networkx `connected_components` (as sizes), `articulation_points`
 * and `bridges`, compared as sets.
 */
import type { AbstractGraph } from 'graphology-types';
import { csrOf, type CsrGraph } from '../csr.js';

const ORIGIN = '@ocgnet/analysis/components';

/** Connected components of a graph, keyed by node. */
export interface ConnectedComponents {
  /** Number of components (isolated nodes are components of size 1). */
  count: number;
  /**
   * Component id of each node. Ids run 0 … count − 1 by size, largest first;
   * components of equal size are ordered by their first node in graph order.
   */
  componentOf: Record<string, number>;
  /** Size of each component, indexed by id (so largest first). */
  sizes: number[];
  /** Nodes of component 0, the largest, in graph order; empty for an empty graph. */
  largest: string[];
}

/** Connected components of a snapshot, by node index. */
export interface CsrComponents {
  count: number;
  /** Component id per node index, numbered as in `ConnectedComponents`. */
  componentOf: Int32Array;
  sizes: number[];
}

/**
 * Connected components of `graph` (edge direction ignored).
 *
 * @throws TypeError when `graph` is not a graphology graph.
 */
export function connectedComponents(graph: AbstractGraph): ConnectedComponents {
  const csr = structureOf(graph);
  const { count, componentOf, sizes } = connectedComponentsOnCsr(csr);
  const byKey: Record<string, number> = Object.create(null);
  const largest: string[] = [];
  for (let v = 0; v < csr.n; v++) {
    byKey[csr.ids[v]!] = componentOf[v]!;
    if (componentOf[v] === 0) largest.push(csr.ids[v]!);
  }
  return { count, componentOf: byKey, sizes, largest };
}

/**
 * Connected components of a snapshot: one breadth-first search over typed
 * arrays that writes provisional ids (in order of each component's smallest
 * node) straight into the result, then a counting sort of the ids by size.
 * Three typed arrays of n entries, and nothing allocated per node.
 */
export function connectedComponentsOnCsr(csr: CsrGraph): CsrComponents {
  const { n, offsets, targets } = csr;
  const componentOf = new Int32Array(n).fill(-1);
  // The BFS queue, reused as the renaming table once the search is done.
  const queue = new Int32Array(n);
  const provisionalSizes = new Int32Array(n);
  let count = 0;
  let largest = 0;
  for (let root = 0; root < n; root++) {
    if (componentOf[root] !== -1) continue;
    const id = count++;
    componentOf[root] = id;
    let head = 0;
    let tail = 0;
    queue[tail++] = root;
    while (head < tail) {
      const v = queue[head++]!;
      for (let s = offsets[v]!, end = offsets[v + 1]!; s < end; s++) {
        const w = targets[s]!;
        if (componentOf[w] === -1) {
          componentOf[w] = id;
          queue[tail++] = w;
        }
      }
    }
    provisionalSizes[id] = tail;
    if (tail > largest) largest = tail;
  }

  // Renumber by size, largest first; ties keep the smallest-node order of the
  // first pass (a stable counting sort by size, descending).
  const sizes = new Array<number>(count);
  if (count === 1) {
    sizes[0] = n;
    return { count, componentOf, sizes };
  }
  const startOfSize = new Int32Array(largest + 2);
  for (let id = 0; id < count; id++) startOfSize[largest - provisionalSizes[id]! + 1]!++;
  for (let k = 0; k <= largest; k++) startOfSize[k + 1]! += startOfSize[k]!;
  const rename = queue;
  for (let id = 0; id < count; id++) {
    const rank = startOfSize[largest - provisionalSizes[id]!]!++;
    rename[id] = rank;
    sizes[rank] = provisionalSizes[id]!;
  }
  for (let v = 0; v < n; v++) componentOf[v] = rename[componentOf[v]!]!;
  return { count, componentOf, sizes };
}

/**
 * Articulation points of `graph`: nodes whose removal increases the number
 * of connected components. In graph order.
 *
 * @throws TypeError when `graph` is not a graphology graph.
 */
export function articulationPoints(graph: AbstractGraph): string[] {
  const csr = structureOf(graph);
  return Array.from(articulationPointsOnCsr(csr), (v) => csr.ids[v]!);
}

/** Articulation points of a snapshot, as ascending node indices. */
export function articulationPointsOnCsr(csr: CsrGraph): Int32Array {
  const { isCut } = cutStructure(csr);
  const points: number[] = [];
  for (let v = 0; v < csr.n; v++) if (isCut[v]) points.push(v);
  return Int32Array.from(points);
}

/**
 * Bridges of `graph`: edges whose removal increases the number of connected
 * components, as `[u, v]` node pairs (u before v in graph order), ordered by
 * u then v. Parallel edges between a pair are one edge here, so a doubled
 * link is reported as a bridge when networkx's MultiGraph view would not.
 *
 * @throws TypeError when `graph` is not a graphology graph.
 */
export function bridges(graph: AbstractGraph): [string, string][] {
  const csr = structureOf(graph);
  return Array.from(bridgesOnCsr(csr), (e): [string, string] => [csr.ids[csr.edgeSource[e]!]!, csr.ids[csr.edgeTarget[e]!]!]);
}

/** Bridges of a snapshot, as ascending undirected edge numbers. */
export function bridgesOnCsr(csr: CsrGraph): Int32Array {
  const { isBridge } = cutStructure(csr);
  const found: number[] = [];
  for (let e = 0; e < csr.m; e++) if (isBridge[e]) found.push(e);
  return Int32Array.from(found);
}

/**
 * One iterative depth-first search marking cut vertices and cut edges.
 * low[v] is the earliest discovery time reachable from v's DFS subtree using
 * at most one back edge. A tree edge p–v is a bridge when low[v] > disc[p];
 * a non-root p is a cut vertex when some child v has low[v] ≥ disc[p]; a
 * root is a cut vertex when it has two or more DFS children.
 */
function cutStructure(csr: CsrGraph): { isCut: Uint8Array; isBridge: Uint8Array } {
  const { n, offsets, targets, edgeOf } = csr;
  const disc = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const parentEdge = new Int32Array(n);
  // Next adjacency slot to examine per node: the DFS resumes where it left off.
  const cursor = offsets.slice(0, n);
  const stack = new Int32Array(n);
  const isCut = new Uint8Array(n);
  const isBridge = new Uint8Array(csr.m);
  let time = 0;

  for (let root = 0; root < n; root++) {
    if (disc[root] !== -1) continue;
    disc[root] = low[root] = time++;
    parentEdge[root] = -1;
    let top = 0;
    stack[0] = root;
    let rootChildren = 0;
    while (top >= 0) {
      const v = stack[top]!;
      if (cursor[v]! < offsets[v + 1]!) {
        const slot = cursor[v]!++;
        const e = edgeOf[slot]!;
        // The snapshot is simple, so skipping the tree edge by number is exact.
        if (e === parentEdge[v]) continue;
        const w = targets[slot]!;
        if (disc[w] === -1) {
          disc[w] = low[w] = time++;
          parentEdge[w] = e;
          stack[++top] = w;
          if (v === root) rootChildren++;
        } else if (disc[w]! < low[v]!) {
          low[v] = disc[w]!;
        }
      } else {
        top--;
        if (top < 0) break;
        const p = stack[top]!;
        if (low[v]! < low[p]!) low[p] = low[v]!;
        if (low[v]! > disc[p]!) isBridge[parentEdge[v]!] = 1;
        if (p !== root && low[v]! >= disc[p]!) isCut[p] = 1;
      }
    }
    if (rootChildren >= 2) isCut[root] = 1;
  }
  return { isCut, isBridge };
}

/** The unweighted snapshot of `graph`, after checking it is a graph. */
function structureOf(graph: AbstractGraph): CsrGraph {
  if (typeof graph !== 'object' || graph === null || typeof graph.forEachEdge !== 'function' || typeof graph.order !== 'number') {
    throw new TypeError(`${ORIGIN}: expected a graphology graph`);
  }
  // Structure only: an unweighted snapshot, so bad weights cannot stop it.
  return csrOf(graph, { weightAttribute: null });
}

/**
 * Connected components, articulation points (cut vertices) and bridges
 * (cut edges) of the undirected simple view of a graph (see csr.ts).
 *
 * - Components: direction-optimising search (top-down, then bottom-up
 *   sweeps; Beamer et al., SC 2012), O(n + m); see connectedComponentsOnCsr.
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
import { csrOf, isGraphologyGraph, type CsrGraph } from '../csr.js';

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
  /** Component id per node index, numbered as in `ConnectedComponents`; -1 for a removed node. */
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

/** Slots a component's top-down search scans before it first tries a bottom-up sweep (doubled after each sweep that stops). */
const SWEEP_AFTER = 4096;
/** A sweep's reads that place no node may total at most this many times the top-down work since the last sweep. */
const SWEEP_FACTOR = 8;
/** Nodes a sweep looks at per call of `sweepBlock`; it stops after the first block unless at least half the unplaced nodes there joined. */
const SWEEP_BLOCK = 4096;

/**
 * Connected components of a snapshot, without the nodes where
 * `removed[v] = 1` when a mask is given (the components of the subgraph the
 * others induce, indexed as `csr`): a search per component that writes
 * provisional ids (in order of each component's smallest node) straight into
 * the result, then a counting sort of the ids by size. Two typed arrays of
 * n entries, and nothing allocated per node.
 *
 * The search is direction-optimising (Beamer, Asanović & Patterson,
 * "Direction-optimizing breadth-first search", SC 2012): top-down from the
 * root, then bottom-up sweeps in which every node not yet placed looks
 * through its neighbours for the first one in the component. A component
 * needs no levels, so a node joined earlier in the same sweep counts, and on
 * a small-world graph one sweep places nearly every node after reading one
 * or two neighbours each, where the top-down search reads every slot at
 * random. After a sweep only the nodes it added can have neighbours outside
 * the component, so the search goes on from them; it stops as soon as every
 * node is placed.
 *
 * A sweep that does not pay (a long path, a grid: few nodes can join) stops
 * early, and the top-down search goes on from everything placed and not yet
 * expanded, so stopping loses nothing. O(n + m) whatever the graph: what a
 * sweep reads for a node it places (the node, its slots up to the first hit)
 * is paid once per node, and the rest it reads (nodes already placed, nodes
 * that cannot join) is at most SWEEP_FACTOR + 1 times the top-down work
 * since the last sweep (at least SWEEP_AFTER, which covers a block of nodes
 * already placed).
 */
export function connectedComponentsOnCsr(csr: CsrGraph, removed: Uint8Array | null = null): CsrComponents {
  const { n, offsets, targets } = csr;
  const componentOf = new Int32Array(n).fill(-1);
  // Removed nodes are placed up front, in no component: never joined, never searched from.
  const removedCount = removed === null ? 0 : markRemoved(removed, componentOf);
  // The search queue, reused as the renaming table once the search is done.
  const queue = new Int32Array(n);
  const provisional = searchComponents(n, offsets, targets, componentOf, queue, removedCount);
  const sizes = provisional.length > 1 ? renumberBySize(componentOf, provisional, queue) : provisional;
  if (removedCount > 0) for (let v = 0; v < n; v++) if (componentOf[v] === REMOVED) componentOf[v] = -1;
  return { count: sizes.length, componentOf, sizes };
}

/** Provisional label of a removed node during the search: not -1 (unplaced), and below every component id. */
const REMOVED = -2;

function markRemoved(removed: Uint8Array, componentOf: Int32Array): number {
  let count = 0;
  for (let v = 0; v < componentOf.length; v++) {
    if (removed[v] === 1) {
      componentOf[v] = REMOVED;
      count++;
    }
  }
  return count;
}

/**
 * Labels every node with a provisional component id, in order of each
 * component's smallest node. Returns the sizes by provisional id.
 *
 * The loops that run long are functions of their own (`expand`,
 * `sweepBlock`), each small: V8 compiles them quickly, and this one, which
 * loops once per component, is not worth compiling when there are few.
 */
function searchComponents(
  n: number,
  offsets: Int32Array,
  targets: Int32Array,
  componentOf: Int32Array,
  queue: Int32Array,
  removedCount: number,
): number[] {
  const sizes: number[] = [];
  const search: SearchState = { head: 0, tail: 0, work: 0 };
  // Nodes in finished components, and removed nodes (placed in none).
  let placed = removedCount;
  for (let root = 0; root < n && placed < n; root++) {
    if (componentOf[root] !== -1) continue;
    const id = sizes.length;
    componentOf[root] = id;
    queue[0] = root;
    search.head = 0;
    search.tail = 1;
    search.work = 0;
    let sweepAfter = SWEEP_AFTER;
    while (search.head < search.tail && placed + search.tail < n) {
      expand(id, offsets, targets, componentOf, queue, search, sweepAfter, n - placed);
      if (search.work >= sweepAfter && search.head < search.tail && placed + search.tail < n) {
        const swept = sweep(
          n,
          root + 1,
          id,
          offsets,
          targets,
          componentOf,
          queue,
          search.tail,
          SWEEP_FACTOR * search.work,
        );
        if (swept >= 0) {
          // Finished: only the nodes it added can have neighbours outside.
          search.head = search.tail;
          search.tail = swept;
        } else {
          // Stopped: expand everything placed, and wait longer before the next try.
          search.tail = ~swept;
          sweepAfter *= 2;
        }
        search.work = 0;
      }
    }
    placed += search.tail;
    sizes.push(search.tail);
  }
  return sizes;
}

/** A component's search: queue[head … tail) placed and not yet expanded; slots scanned top-down since the last sweep. */
interface SearchState {
  head: number;
  tail: number;
  work: number;
}

/**
 * Top-down: expands queued nodes of component `id`, placing their unplaced
 * neighbours, until the queue is empty, `work` reaches `until`, or the queue
 * holds `remaining` nodes (every node placed).
 */
function expand(
  id: number,
  offsets: Int32Array,
  targets: Int32Array,
  componentOf: Int32Array,
  queue: Int32Array,
  search: SearchState,
  until: number,
  remaining: number,
): void {
  let { head, tail, work } = search;
  while (head < tail && tail < remaining && work < until) {
    const v = queue[head++]!;
    const start = offsets[v]!;
    const end = offsets[v + 1]!;
    for (let s = start; s < end; s++) {
      const w = targets[s]!;
      if (componentOf[w] === -1) {
        componentOf[w] = id;
        queue[tail++] = w;
      }
    }
    work += end - start;
  }
  search.head = head;
  search.tail = tail;
  search.work = work;
}

/** A bottom-up sweep in progress: the queue length, and reads so far that placed no node. */
interface SweepState {
  tail: number;
  wasted: number;
}

/**
 * One bottom-up sweep for component `id` over nodes `from` … n − 1 (every
 * node before `from` is placed): each node not yet placed joins when some
 * neighbour is in the component (joined earlier in this sweep included) and
 * is appended to the queue. Stops when fewer than half of the unplaced nodes
 * in the first block join, or when reads that place no node (a node already
 * placed: 1; one that cannot join: 1 + its degree) pass `allowance`. Returns
 * the new queue length, or its bitwise complement if stopped.
 *
 * In blocks of SWEEP_BLOCK nodes, so that V8 has optimised `sweepBlock` as a
 * whole function by the second call of connectedComponentsOnCsr: a function
 * whose one long call was optimised on the stack starts its next call
 * unoptimised.
 */
function sweep(
  n: number,
  from: number,
  id: number,
  offsets: Int32Array,
  targets: Int32Array,
  componentOf: Int32Array,
  queue: Int32Array,
  tail: number,
  allowance: number,
): number {
  const state: SweepState = { tail, wasted: 0 };
  for (let start = from; start < n; start += SWEEP_BLOCK) {
    const before = state.tail;
    const unplaced = sweepBlock(
      start,
      Math.min(n, start + SWEEP_BLOCK),
      id,
      offsets,
      targets,
      componentOf,
      queue,
      state,
      allowance,
    );
    if (unplaced < 0 || (start === from && 2 * (state.tail - before) < unplaced)) return ~state.tail;
  }
  return state.tail;
}

/** Sweeps nodes `from` … `to` − 1; returns how many were unplaced when met, or −1 once past the allowance. */
function sweepBlock(
  from: number,
  to: number,
  id: number,
  offsets: Int32Array,
  targets: Int32Array,
  componentOf: Int32Array,
  queue: Int32Array,
  state: SweepState,
  allowance: number,
): number {
  let tail = state.tail;
  let wasted = state.wasted;
  let unplaced = 0;
  for (let v = from; v < to; v++) {
    if (componentOf[v] !== -1) {
      wasted++;
      continue;
    }
    unplaced++;
    const start = offsets[v]!;
    const end = offsets[v + 1]!;
    let s = start;
    while (s < end && componentOf[targets[s]!] !== id) s++;
    if (s < end) {
      componentOf[v] = id;
      queue[tail++] = v;
    } else {
      wasted += 1 + end - start;
      if (wasted > allowance) {
        unplaced = -1;
        break;
      }
    }
  }
  state.tail = tail;
  state.wasted = wasted;
  return unplaced;
}

/**
 * Renumbers components by size, largest first; ties keep the smallest-node
 * order of the search (a stable counting sort by size, descending). Returns
 * the sizes by final id.
 */
function renumberBySize(componentOf: Int32Array, provisionalSizes: readonly number[], rename: Int32Array): number[] {
  const count = provisionalSizes.length;
  let largest = 0;
  for (const size of provisionalSizes) if (size > largest) largest = size;
  const sizes = new Array<number>(count);
  const startOfSize = new Int32Array(largest + 2);
  for (let id = 0; id < count; id++) startOfSize[largest - provisionalSizes[id]! + 1]!++;
  for (let k = 0; k <= largest; k++) startOfSize[k + 1]! += startOfSize[k]!;
  for (let id = 0; id < count; id++) {
    const rank = startOfSize[largest - provisionalSizes[id]!]!++;
    rename[id] = rank;
    sizes[rank] = provisionalSizes[id]!;
  }
  for (let v = 0; v < componentOf.length; v++) {
    const id = componentOf[v]!;
    if (id >= 0) componentOf[v] = rename[id]!;
  }
  return sizes;
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
  return Array.from(bridgesOnCsr(csr), (e): [string, string] => [
    csr.ids[csr.edgeSource[e]!]!,
    csr.ids[csr.edgeTarget[e]!]!,
  ]);
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
  if (!isGraphologyGraph(graph)) throw new TypeError(`${ORIGIN}: expected a graphology graph`);
  // Structure only: an unweighted snapshot, so bad weights cannot stop it.
  return csrOf(graph, { weightAttribute: null });
}

/**
 * A compact snapshot of a graph for the heavy algorithms: integer node ids
 * and compressed sparse row (CSR) adjacency in typed arrays.
 *
 * graphology stays the model users see; algorithms walk this snapshot, which
 * is built once per graph version and shared (see `csrOf`). Walking typed
 * arrays avoids graphology's per-call neighbour lookups through Maps.
 *
 * The snapshot is the undirected simple view of the graph:
 * - parallel edges between the same pair are merged, their weights summed;
 * - self-loops are left out (no centrality here uses them; `selfLoops` counts them);
 * - edge direction is ignored (directed research graphs are analysed as undirected, and the manifest says so).
 */
import type { AbstractGraph } from 'graphology-types';

export interface CsrGraph {
  /** Number of nodes. */
  readonly n: number;
  /** Number of undirected edges after merging parallels. */
  readonly m: number;
  /** Node index → graphology node key, in the graph's node order. */
  readonly ids: readonly string[];
  /** Node key → index. */
  readonly index: ReadonlyMap<string, number>;
  /** Neighbours of node i are targets[offsets[i] .. offsets[i+1]). Length n + 1. */
  readonly offsets: Int32Array;
  /** Neighbour indices, length 2m, sorted ascending within each node. */
  readonly targets: Int32Array;
  /** Edge weight per adjacency slot (1 when unweighted), length 2m. */
  readonly weights: Float64Array;
  /** Undirected edge number per adjacency slot, length 2m. */
  readonly edgeOf: Int32Array;
  /** Endpoints and weight of each undirected edge; edgeSource < edgeTarget. */
  readonly edgeSource: Int32Array;
  readonly edgeTarget: Int32Array;
  readonly edgeWeight: Float64Array;
  /** Whether weights came from an attribute. */
  readonly weighted: boolean;
  /** Whether the source graph had directed edges (ignored here). */
  readonly sourceDirected: boolean;
  /** Self-loops left out. */
  readonly selfLoops: number;
}

export interface CsrOptions {
  /** Edge attribute holding the weight, or null for unweighted (every edge 1). */
  weightAttribute: string | null;
}

export const DEFAULT_CSR_OPTIONS: CsrOptions = { weightAttribute: 'weight' };

/** Builds a snapshot. Weights must be finite and positive; others throw. */
export function toCsr(graph: AbstractGraph, options: Partial<CsrOptions> = {}): CsrGraph {
  const { weightAttribute } = { ...DEFAULT_CSR_OPTIONS, ...options };
  const ids = graph.nodes();
  const n = ids.length;
  const index = new Map<string, number>();
  ids.forEach((id, i) => index.set(id, i));

  // Merge parallel edges on the unordered pair, keyed by a single number.
  const pairWeight = new Map<number, number>();
  let selfLoops = 0;
  graph.forEachEdge((edge, attributes, source, target) => {
    const a = index.get(source)!;
    const b = index.get(target)!;
    if (a === b) {
      selfLoops++;
      return;
    }
    let weight = 1;
    if (weightAttribute !== null) {
      const value = attributes[weightAttribute];
      weight = value === undefined ? 1 : Number(value);
      if (!Number.isFinite(weight) || weight <= 0) {
        throw new RangeError(
          `@ocgnet/analysis: edge ${edge} has weight ${String(value)}; weights must be finite and positive`,
        );
      }
    }
    const key = a < b ? a * n + b : b * n + a;
    pairWeight.set(key, (pairWeight.get(key) ?? 0) + weight);
  });

  const m = pairWeight.size;
  const edgeSource = new Int32Array(m);
  const edgeTarget = new Int32Array(m);
  const edgeWeight = new Float64Array(m);
  const degree = new Int32Array(n);
  const keys = [...pairWeight.keys()].sort((x, y) => x - y);
  keys.forEach((key, e) => {
    const a = Math.floor(key / n);
    const b = key - a * n;
    edgeSource[e] = a;
    edgeTarget[e] = b;
    edgeWeight[e] = pairWeight.get(key)!;
    degree[a]!++;
    degree[b]!++;
  });

  const offsets = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i]! + degree[i]!;
  const fill = offsets.slice(0, n);
  const targets = new Int32Array(2 * m);
  const weights = new Float64Array(2 * m);
  const edgeOf = new Int32Array(2 * m);
  // Edges are sorted by (source, target), so each node's neighbours come out ascending.
  for (let pass = 0; pass < 2; pass++) {
    for (let e = 0; e < m; e++) {
      const [from, to] = pass === 0 ? [edgeTarget[e]!, edgeSource[e]!] : [edgeSource[e]!, edgeTarget[e]!];
      const slot = fill[from]!++;
      targets[slot] = to;
      weights[slot] = edgeWeight[e]!;
      edgeOf[slot] = e;
    }
  }
  return {
    n,
    m,
    ids,
    index,
    offsets,
    targets,
    weights,
    edgeOf,
    edgeSource,
    edgeTarget,
    edgeWeight,
    weighted: weightAttribute !== null,
    sourceDirected: graph.type !== 'undirected',
    selfLoops,
  };
}

const cache = new WeakMap<AbstractGraph, Map<string, CsrGraph>>();
const watched = new WeakSet<AbstractGraph>();

/**
 * Whether `value` can be read as a graphology graph (duck-typed, as
 * graphology-utils' `isGraph`): what every function taking a graph checks
 * first, each then throwing its own package's error.
 */
export function isGraphologyGraph(value: unknown): value is AbstractGraph {
  const graph = value as Partial<AbstractGraph> | null;
  return (
    typeof graph === 'object' &&
    graph !== null &&
    typeof graph.forEachEdge === 'function' &&
    typeof graph.order === 'number'
  );
}

/**
 * The snapshot of `graph`, built on first use and reused until the graph
 * changes (any structural or edge-attribute event drops it).
 */
export function csrOf(graph: AbstractGraph, options: Partial<CsrOptions> = {}): CsrGraph {
  const { weightAttribute } = { ...DEFAULT_CSR_OPTIONS, ...options };
  let byWeight = cache.get(graph);
  if (byWeight === undefined) {
    byWeight = new Map();
    cache.set(graph, byWeight);
  }
  if (!watched.has(graph)) {
    watched.add(graph);
    const drop = () => cache.delete(graph);
    for (const event of [
      'nodeAdded',
      'edgeAdded',
      'nodeDropped',
      'edgeDropped',
      'cleared',
      'edgesCleared',
      'edgeAttributesUpdated',
    ] as const) {
      graph.on(event, drop);
    }
  }
  const key = weightAttribute ?? '\u0000unweighted';
  let csr = byWeight.get(key);
  if (csr === undefined) {
    csr = toCsr(graph, { weightAttribute });
    byWeight.set(key, csr);
  }
  return csr;
}

/** Maps a per-index array back to node keys. */
export function byNode<T>(csr: CsrGraph, values: ArrayLike<T>): Record<string, T> {
  const result: Record<string, T> = Object.create(null);
  for (let i = 0; i < csr.n; i++) result[csr.ids[i]!] = values[i]!;
  return result;
}

/**
 * The snapshot of the subgraph induced by `members` (parent node indices):
 * node k of the result is parent node members[k]. Lets every algorithm run
 * unchanged on one group at a time.
 */
export function inducedCsr(csr: CsrGraph, members: readonly number[]): CsrGraph {
  const local = new Int32Array(csr.n).fill(-1);
  members.forEach((parent, k) => (local[parent] = k));
  const n = members.length;
  const offsets = new Int32Array(n + 1);
  const slots: number[] = [];
  for (let k = 0; k < n; k++) {
    const parent = members[k]!;
    for (let slot = csr.offsets[parent]!; slot < csr.offsets[parent + 1]!; slot++)
      if (local[csr.targets[slot]!]! >= 0) slots.push(slot);
    offsets[k + 1] = slots.length;
  }
  const targets = new Int32Array(slots.length);
  const weights = new Float64Array(slots.length);
  const edgeOf = new Int32Array(slots.length);
  const edgeNumber = new Map<number, number>();
  const edgeSource: number[] = [];
  const edgeTarget: number[] = [];
  const edgeWeight: number[] = [];
  slots.forEach((slot, index) => {
    targets[index] = local[csr.targets[slot]!]!;
    weights[index] = csr.weights[slot]!;
    const parentEdge = csr.edgeOf[slot]!;
    let e = edgeNumber.get(parentEdge);
    if (e === undefined) {
      e = edgeSource.length;
      edgeNumber.set(parentEdge, e);
      const [a, b] = [local[csr.edgeSource[parentEdge]!]!, local[csr.edgeTarget[parentEdge]!]!];
      edgeSource.push(Math.min(a, b));
      edgeTarget.push(Math.max(a, b));
      edgeWeight.push(csr.edgeWeight[parentEdge]!);
    }
    edgeOf[index] = e;
  });
  const ids = members.map((parent) => csr.ids[parent]!);
  // Members in ascending parent order keep each node's neighbours sorted, as the algorithms expect.
  const sorted = members.every((parent, k) => k === 0 || members[k - 1]! < parent);
  if (!sorted) throw new RangeError('@ocgnet/analysis/csr: inducedCsr needs members in ascending order');
  return {
    n,
    m: edgeSource.length,
    ids,
    index: new Map(ids.map((id, k) => [id, k])),
    offsets,
    targets,
    weights,
    edgeOf,
    edgeSource: Int32Array.from(edgeSource),
    edgeTarget: Int32Array.from(edgeTarget),
    edgeWeight: Float64Array.from(edgeWeight),
    weighted: csr.weighted,
    sourceDirected: csr.sourceDirected,
    selfLoops: 0,
  };
}

/**
 * The snapshot without the nodes where `removed[v] = 1`: the subgraph the
 * others induce, and its node k's index in `csr` (`members[k]`). For the
 * algorithms that take no removal mask of their own.
 */
export function inducedWithout(csr: CsrGraph, removed: Uint8Array): { induced: CsrGraph; members: number[] } {
  const members: number[] = [];
  for (let v = 0; v < csr.n; v++) if (removed[v] !== 1) members.push(v);
  return { induced: members.length === csr.n ? csr : inducedCsr(csr, members), members };
}

/** Values of `inducedWithout`'s nodes (`values[k]` for members[k]) indexed as `csr`, 0 for removed nodes. */
export function valuesOnParent(
  csr: Pick<CsrGraph, 'n'>,
  members: readonly number[],
  values: ArrayLike<number>,
): Float64Array {
  const result = new Float64Array(csr.n);
  members.forEach((parent, k) => (result[parent] = values[k]!));
  return result;
}

/**
 * `metric` run on the snapshot without the removed nodes (`removed[v] = 1`),
 * its values indexed as `csr`, 0 for removed nodes.
 */
export function valuesWithout(
  csr: CsrGraph,
  removed: Uint8Array,
  metric: (remaining: CsrGraph) => ArrayLike<number>,
): Float64Array {
  const { induced, members } = inducedWithout(csr, removed);
  return valuesOnParent(csr, members, metric(induced));
}

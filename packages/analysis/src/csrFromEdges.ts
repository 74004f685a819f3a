/**
 * The analysis snapshot (csr.ts) straight from edge arrays, for graphs too
 * large for graphology: no graph object, no Map of edges, only typed arrays.
 *
 * The result is the one `toCsr` gives for a graph with nodes `ids` (in that
 * order) and these edges (in this order): parallel edges merged with their
 * weights summed in edge order, self-loops left out and counted, direction
 * ignored, neighbours ascending, edges numbered by (smaller end, larger end).
 *
 * How, in O(n + m) with no comparison sort: bucket each edge under both ends
 * (list A), then walk A node by node in ascending order and append the node
 * to each neighbour's list (list B). B is the same adjacency with every list
 * already ascending, and copies of a parallel edge sit next to each other in
 * edge order, so merging is one scan.
 */
import type { CsrGraph } from './csr.js';

/**
 * Builds a snapshot from `source[k]`–`target[k]` edges over node indices
 * 0 … ids.length − 1, weighted by `weight[k]` (finite and positive), or
 * unweighted (every edge 1) when `weight` is null.
 *
 * @throws RangeError for an endpoint out of range or a weight that is not finite and positive
 */
export function csrFromEdgeArrays(ids: readonly string[], source: Int32Array, target: Int32Array, weight: Float64Array | null): CsrGraph {
  const n = ids.length;
  const count = source.length;
  if (target.length !== count || (weight !== null && weight.length !== count)) {
    throw new RangeError('@ocgnet/analysis/csrFromEdges: source, target and weight must have the same length');
  }
  // Pass 1: degree with multiplicity, self-loops left out.
  const offsets = new Int32Array(n + 1);
  let selfLoops = 0;
  for (let k = 0; k < count; k++) {
    const u = source[k]!;
    const v = target[k]!;
    if (!(u >= 0 && u < n && v >= 0 && v < n)) throw new RangeError(`@ocgnet/analysis/csrFromEdges: edge ${k} joins ${u} and ${v}, outside 0 … ${n - 1}`);
    if (weight !== null) {
      const w = weight[k]!;
      if (!Number.isFinite(w) || w <= 0) throw new RangeError(`@ocgnet/analysis/csrFromEdges: edge ${k} has weight ${w}; weights must be finite and positive`);
    }
    if (u === v) {
      selfLoops++;
      continue;
    }
    offsets[u + 1]!++;
    offsets[v + 1]!++;
  }
  for (let i = 0; i < n; i++) offsets[i + 1]! += offsets[i]!;
  const slots = offsets[n]!;

  // Pass 2: list A, each edge under both ends: the other end, and (weighted
  // only) the edge number to read its weight through.
  const targetsA = new Int32Array(slots);
  const edgeA = weight === null ? null : new Int32Array(slots);
  const fill = offsets.slice(0, n);
  for (let k = 0; k < count; k++) {
    const u = source[k]!;
    const v = target[k]!;
    if (u === v) continue;
    const atU = fill[u]!++;
    const atV = fill[v]!++;
    targetsA[atU] = v;
    targetsA[atV] = u;
    if (edgeA !== null) {
      edgeA[atU] = k;
      edgeA[atV] = k;
    }
  }

  // Pass 3: list B, sorted by neighbour; equal neighbours keep edge order.
  const targetsB = new Int32Array(slots);
  const edgeB = edgeA === null ? null : new Int32Array(slots);
  fill.set(offsets.subarray(0, n));
  for (let u = 0; u < n; u++) {
    for (let slot = offsets[u]!, end = offsets[u + 1]!; slot < end; slot++) {
      const at = fill[targetsA[slot]!]!++;
      targetsB[at] = u;
      if (edgeB !== null) edgeB[at] = edgeA![slot]!;
    }
  }

  // Pass 4: merge runs of equal neighbours in place, summing weights in edge order.
  const merged = new Int32Array(n + 1);
  const weights = new Float64Array(slots);
  let size = 0;
  for (let v = 0; v < n; v++) {
    const end = offsets[v + 1]!;
    for (let slot = offsets[v]!; slot < end; ) {
      const w = targetsB[slot]!;
      let total = 0;
      if (edgeB === null) for (; slot < end && targetsB[slot] === w; slot++) total += 1;
      else for (; slot < end && targetsB[slot] === w; slot++) total += weight![edgeB[slot]!]!;
      targetsB[size] = w;
      weights[size++] = total;
    }
    merged[v + 1] = size;
  }
  // Without parallel edges nothing merged: keep the arrays rather than copy them (120 MB at 5M edges).
  const targets = size === slots ? targetsB : targetsB.slice(0, size);
  const mergedWeights = size === slots ? weights : weights.slice(0, size);
  const m = size / 2;

  // Edge numbers by (smaller end, larger end). Each node's smaller neighbours
  // come first in its list, in the order the smaller ends are visited, so a
  // cursor per node finds the reverse slot.
  const edgeOf = new Int32Array(size);
  const edgeSource = new Int32Array(m);
  const edgeTarget = new Int32Array(m);
  const edgeWeight = new Float64Array(m);
  const reverse = merged.slice(0, n);
  let e = 0;
  for (let a = 0; a < n; a++) {
    for (let slot = merged[a]!; slot < merged[a + 1]!; slot++) {
      const b = targets[slot]!;
      if (b < a) continue;
      edgeSource[e] = a;
      edgeTarget[e] = b;
      edgeWeight[e] = mergedWeights[slot]!;
      edgeOf[slot] = e;
      edgeOf[reverse[b]!++] = e;
      e++;
    }
  }

  return {
    n,
    m,
    ids,
    index: new LazyIndex(ids),
    offsets: merged,
    targets,
    weights: mergedWeights,
    edgeOf,
    edgeSource,
    edgeTarget,
    edgeWeight,
    weighted: weight !== null,
    sourceDirected: false,
    selfLoops,
  };
}

/**
 * Node key → index, built on first use: the large path never looks a node up
 * by key, and a Map of a million strings costs a few hundred milliseconds and
 * about 60 MB.
 */
class LazyIndex implements ReadonlyMap<string, number> {
  private map: Map<string, number> | undefined;
  constructor(private readonly ids: readonly string[]) {}

  private built(): Map<string, number> {
    if (this.map === undefined) {
      this.map = new Map();
      for (let i = 0; i < this.ids.length; i++) this.map.set(this.ids[i]!, i);
    }
    return this.map;
  }

  get size(): number {
    return this.built().size;
  }
  get(key: string): number | undefined {
    return this.built().get(key);
  }
  has(key: string): boolean {
    return this.built().has(key);
  }
  forEach(callback: (value: number, key: string, map: ReadonlyMap<string, number>) => void, thisArg?: unknown): void {
    this.built().forEach((value, key) => callback.call(thisArg, value, key, this));
  }
  entries(): MapIterator<[string, number]> {
    return this.built().entries();
  }
  keys(): MapIterator<string> {
    return this.built().keys();
  }
  values(): MapIterator<number> {
    return this.built().values();
  }
  [Symbol.iterator](): MapIterator<[string, number]> {
    return this.built()[Symbol.iterator]();
  }
}

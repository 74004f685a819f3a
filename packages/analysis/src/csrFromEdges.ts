/**
 * The analysis snapshot (csr.ts) straight from edge arrays, for graphs too
 * large for graphology: no graph object, no Map of edges, only typed arrays.
 *
 * The edges are read by the edge-list rule for a repeated edge, the one the
 * CSV reader and `ocgnet stats` follow (written in @ocgnet/io,
 * research/repeatedEdges.ts): the same pair again, in either orientation, is
 * one tie whose weight is the repeats' sum in edge order, or 1 when
 * unweighted; a repeated self-loop is one self-loop. So the result is the one
 * `toCsr` gives for the simple graph that rule reads, nodes `ids` in that
 * order: self-loops left out and counted (each looped node once), direction
 * ignored, neighbours ascending, edges numbered by (smaller end, larger end).
 * The lines merged are `source.length − selfLoops − m`.
 *
 * How, in O(n + m) with no comparison sort: bucket each edge under both ends
 * (list A), then walk A node by node in ascending order and append the node
 * to each neighbour's list (list B). B is the same adjacency with every list
 * already ascending, and copies of a parallel edge sit next to each other in
 * edge order, so finding and merging them is one scan.
 */
import type { CsrGraph } from './csr.js';

/**
 * Builds a snapshot from `source[k]`–`target[k]` edges over node indices
 * 0 … ids.length − 1, weighted by `weight[k]` (finite and positive), or
 * unweighted (every tie 1, repeated or not) when `weight` is null.
 *
 * Each pass is a function of its own with one loop: in a fresh process V8
 * compiles a hot loop while it runs, and a small function compiles quickly
 * and carries no code that has not run yet (which would cost a deopt and a
 * recompile). The per-edge arrays (edgeOf, edgeSource, edgeTarget,
 * edgeWeight) are built on first use: the large path's analyses never read
 * them, and they are a third of the work. So are all-1 weights.
 *
 * @throws RangeError for an endpoint out of range or a weight that is not finite and positive
 */
export function csrFromEdgeArrays(
  ids: readonly string[],
  source: Int32Array,
  target: Int32Array,
  weight: Float64Array | null,
): CsrGraph {
  const n = ids.length;
  const count = source.length;
  if (target.length !== count || (weight !== null && weight.length !== count)) {
    throw new RangeError('@ocgnet/analysis/csrFromEdges: source, target and weight must have the same length');
  }
  if (weight !== null) checkWeights(weight);
  const offsets = new Int32Array(n + 1);
  const loopLines = countDegrees(n, source, target, offsets);
  // A repeated self-loop is one self-loop: count looped nodes (a pass only when there are loops).
  const selfLoops = loopLines === 0 ? 0 : loopedNodes(n, source, target);
  prefixSums(offsets, n);
  const slots = offsets[n]!;

  const fill = offsets.slice(0, n);
  const targetsA = new Int32Array(slots);
  const edgeA = weight === null ? null : new Int32Array(slots);
  bucketEdges(source, target, fill, targetsA, edgeA);

  const targetsB = new Int32Array(slots);
  const edgeB = edgeA === null ? null : new Int32Array(slots);
  fill.set(offsets.subarray(0, n));
  transpose(n, offsets, fill, targetsA, edgeA, targetsB, edgeB);

  if (!hasRepeats(n, offsets, targetsB)) {
    // No parallel edges (the usual case): B is the adjacency as it stands.
    return new EdgeArraySnapshot(
      ids,
      offsets,
      targetsB,
      weight === null ? null : gatherWeights(weight, edgeB!),
      weight !== null,
      selfLoops,
    );
  }
  const merged = new Int32Array(n + 1);
  const weights = weight === null ? null : new Float64Array(slots);
  const size = mergeRepeats(n, offsets, targetsB, edgeB, weight, merged, weights);
  return new EdgeArraySnapshot(
    ids,
    merged,
    targetsB.slice(0, size),
    weights === null ? null : weights.slice(0, size),
    weight !== null,
    selfLoops,
  );
}

function checkWeights(weight: Float64Array): void {
  for (let k = 0; k < weight.length; k++) {
    const w = weight[k]!;
    if (!Number.isFinite(w) || w <= 0)
      throw new RangeError(
        `@ocgnet/analysis/csrFromEdges: edge ${k} has weight ${w}; weights must be finite and positive`,
      );
  }
}

/** Pass 1: degree with multiplicity into offsets[v + 1], self-loops left out (and counted). */
function countDegrees(n: number, source: Int32Array, target: Int32Array, offsets: Int32Array): number {
  let selfLoops = 0;
  for (let k = 0; k < source.length; k++) {
    const u = source[k]!;
    const v = target[k]!;
    if (!(u >= 0 && u < n && v >= 0 && v < n))
      throw new RangeError(`@ocgnet/analysis/csrFromEdges: edge ${k} joins ${u} and ${v}, outside 0 … ${n - 1}`);
    if (u === v) selfLoops++;
    else {
      offsets[u + 1]!++;
      offsets[v + 1]!++;
    }
  }
  return selfLoops;
}

/** Nodes with at least one self-loop. */
function loopedNodes(n: number, source: Int32Array, target: Int32Array): number {
  const looped = new Uint8Array(n);
  let count = 0;
  for (let k = 0; k < source.length; k++) {
    const u = source[k]!;
    if (u === target[k]! && looped[u] === 0) {
      looped[u] = 1;
      count++;
    }
  }
  return count;
}

function prefixSums(offsets: Int32Array, n: number): void {
  for (let i = 0; i < n; i++) offsets[i + 1]! += offsets[i]!;
}

/**
 * Pass 2: list A, each edge under both ends: the other end, and (weighted
 * only) the edge number to read its weight through.
 */
function bucketEdges(
  source: Int32Array,
  target: Int32Array,
  fill: Int32Array,
  targetsA: Int32Array,
  edgeA: Int32Array | null,
): void {
  for (let k = 0; k < source.length; k++) {
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
}

/** Pass 3: list B, sorted by neighbour; equal neighbours keep edge order. */
function transpose(
  n: number,
  offsets: Int32Array,
  fill: Int32Array,
  targetsA: Int32Array,
  edgeA: Int32Array | null,
  targetsB: Int32Array,
  edgeB: Int32Array | null,
): void {
  for (let u = 0; u < n; u++) {
    for (let slot = offsets[u]!, end = offsets[u + 1]!; slot < end; slot++) {
      const at = fill[targetsA[slot]!]!++;
      targetsB[at] = u;
      if (edgeB !== null) edgeB[at] = edgeA![slot]!;
    }
  }
}

/**
 * Whether some list of B holds a neighbour twice (a parallel edge); lists are
 * sorted, so repeats are adjacent. A pass of its own: checking while B is
 * written reads a random slot per edge, and doubles that pass.
 */
function hasRepeats(n: number, offsets: Int32Array, targets: Int32Array): boolean {
  for (let v = 0; v < n; v++) {
    for (let slot = offsets[v]! + 1, end = offsets[v + 1]!; slot < end; slot++)
      if (targets[slot] === targets[slot - 1]) return true;
  }
  return false;
}

function gatherWeights(weight: Float64Array, edgeB: Int32Array): Float64Array {
  const weights = new Float64Array(edgeB.length);
  for (let slot = 0; slot < edgeB.length; slot++) weights[slot] = weight[edgeB[slot]!]!;
  return weights;
}

/**
 * Pass 4, with parallel edges only: merges runs of equal neighbours in place,
 * summing weights in edge order (unweighted, `weights` null: a run is one
 * tie of weight 1, filled in on first use). Returns the slots kept.
 */
function mergeRepeats(
  n: number,
  offsets: Int32Array,
  targetsB: Int32Array,
  edgeB: Int32Array | null,
  weight: Float64Array | null,
  merged: Int32Array,
  weights: Float64Array | null,
): number {
  let size = 0;
  for (let v = 0; v < n; v++) {
    const end = offsets[v + 1]!;
    for (let slot = offsets[v]!; slot < end;) {
      const w = targetsB[slot]!;
      if (weights === null) for (; slot < end && targetsB[slot] === w; slot++);
      else {
        let total = 0;
        for (; slot < end && targetsB[slot] === w; slot++) total += weight![edgeB![slot]!]!;
        weights[size] = total;
      }
      targetsB[size++] = w;
    }
    merged[v + 1] = size;
  }
  return size;
}

/** The per-edge arrays of a snapshot (see CsrGraph). */
interface EdgeNumbering {
  edgeOf: Int32Array;
  edgeSource: Int32Array;
  edgeTarget: Int32Array;
  edgeWeight: Float64Array;
}

/**
 * Edge numbers by (smaller end, larger end). Each node's smaller neighbours
 * come first in its list, in the order the smaller ends are visited, so a
 * cursor per node finds the reverse slot.
 */
function numberEdges(n: number, offsets: Int32Array, targets: Int32Array, weights: Float64Array): EdgeNumbering {
  const m = targets.length / 2;
  const edgeOf = new Int32Array(targets.length);
  const edgeSource = new Int32Array(m);
  const edgeTarget = new Int32Array(m);
  const edgeWeight = new Float64Array(m);
  const reverse = offsets.slice(0, n);
  let e = 0;
  for (let a = 0; a < n; a++) {
    for (let slot = offsets[a]!, end = offsets[a + 1]!; slot < end; slot++) {
      const b = targets[slot]!;
      if (b < a) continue;
      edgeSource[e] = a;
      edgeTarget[e] = b;
      edgeWeight[e] = weights[slot]!;
      edgeOf[slot] = e;
      edgeOf[reverse[b]!++] = e;
      e++;
    }
  }
  return { edgeOf, edgeSource, edgeTarget, edgeWeight };
}

/**
 * The snapshot csrFromEdgeArrays returns: plain fields, and the per-edge
 * arrays as getters that build all four together on first use (and, when
 * unweighted, the weights). The getters
 * live on the prototype, so a spread (`{ ...csr }`) does not carry them:
 * copy the fields by name instead.
 */
class EdgeArraySnapshot implements CsrGraph {
  readonly n: number;
  readonly m: number;
  readonly index: ReadonlyMap<string, number>;
  readonly sourceDirected = false;
  #weights: Float64Array | null;
  #numbering: EdgeNumbering | undefined;

  /** `weights` null: every edge 1, filled in on first use (8 bytes a slot the large path's unweighted runs may never read). */
  constructor(
    readonly ids: readonly string[],
    readonly offsets: Int32Array,
    readonly targets: Int32Array,
    weights: Float64Array | null,
    readonly weighted: boolean,
    readonly selfLoops: number,
  ) {
    this.n = ids.length;
    this.m = targets.length / 2;
    this.index = new LazyIndex(ids);
    this.#weights = weights;
  }

  get weights(): Float64Array {
    return (this.#weights ??= new Float64Array(this.targets.length).fill(1));
  }

  #numbered(): EdgeNumbering {
    return (this.#numbering ??= numberEdges(this.n, this.offsets, this.targets, this.weights));
  }
  get edgeOf(): Int32Array {
    return this.#numbered().edgeOf;
  }
  get edgeSource(): Int32Array {
    return this.#numbered().edgeSource;
  }
  get edgeTarget(): Int32Array {
    return this.#numbered().edgeTarget;
  }
  get edgeWeight(): Float64Array {
    return this.#numbered().edgeWeight;
  }
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

/**
 * How many released nodes each original nominal could be, under one measure.
 *
 * Attacker model: the attacker holds the original network (real ids, and the
 * attributes generalised as the manifest says the export was) and the
 * release. A measure is a compatibility test: could original node v have
 * become released node u? A nominal is **singled out** when exactly one
 * released node is consistent with them, or one released node is consistent
 * with them alone.
 *
 * - A release that was not perturbed is the original renamed: compatibility
 *   is equality of what the measure sees, and the candidates of a nominal are
 *   their equivalence class (`classes`).
 * - A perturbed release may have gained ties (never lost any). The attacker
 *   then reasons two ways, and the measure keeps the worse case for each nominal:
 *   - soundly: v is consistent with u when v's original view can grow into
 *     u's released one by additions. Knowing the renaming is one-to-one, v's
 *     candidates are the released nodes v is matched to in *some* complete
 *     consistent assignment: the edges of some perfect matching of the
 *     compatibility graph. With the true assignment as the perfect matching
 *     M, an edge (v, u = M(w)) lies on some perfect matching exactly when v
 *     and w are in one strongly connected component of the digraph v → w
 *     (alternating cycles; Dulmage & Mendelsohn 1958);
 *   - by betting that v was not touched: v's candidates are the released
 *     nodes equal to v's original view; and a released node equal to one
 *     original node only names that nominal (unless several released nodes
 *     name the same nominal, which leaves the attacker with several). Such a
 *     bet can be wrong, but it is how the untouched majority of a lightly
 *     perturbed release is re-identified.
 */
import type { AbstractGraph } from 'graphology-types';
import { graphView, type GraphView } from './view.js';

export type MeasureName =
  | 'attributes'
  | 'degree'
  | 'neighbour-degrees'
  | 'edge-attributes'
  | 'neighbourhood'
  | 'combined'
  | 'propagated'
  | 'intersection';

/** How the release relates to the original. */
export interface MeasureOptions {
  /** The release may have gained ties (it was perturbed). */
  additions: boolean;
  /** A released weight of 1 stands for a suppressed weight. */
  weightWildcard: boolean;
  /** Steps allowed to one neighbourhood comparison; undecided comparisons count as "tells them apart". */
  budget: number;
  /**
   * Classes of released nodes known to be alike under any measure (the orbits
   * of a verified automorphism group, `verifiedOrbits`): compared once per
   * class, and a nominal is consistent with every node of its own node's class.
   */
  orbits?: readonly (readonly string[])[];
}

export const DEFAULT_MEASURE_OPTIONS: MeasureOptions = { additions: false, weightWildcard: false, budget: 20_000 };

/** A measure's compatibility test. */
export interface Compatibility {
  /**
   * A key such that exactly compatible nodes have equal keys (computed on
   * either view; used only when the release is the original itself).
   */
  key(view: GraphView, x: number): string;
  /** Equal keys imply exact compatibility. */
  keyDecides: boolean;
  /** Could original node v be released node u? `exact`: nothing was added around them. */
  compatible(original: GraphView, v: number, release: GraphView, u: number, exact: boolean): boolean;
}

/** Who could be whom: equivalence classes (a release that is the original), or candidate lists. */
export type Candidates =
  | { kind: 'classes'; classOf: Int32Array }
  | {
      kind: 'pairs';
      /** Per original node: released nodes equal to it (the bet that it was not touched). */
      exact: Int32Array[];
      /** Per original node: released nodes it could have become (always including its own). */
      sound: Int32Array[];
    };

/** The result of one measure. */
export interface MeasureResult {
  measure: MeasureName;
  /** Per original node (in the original's node order): the size of the attacker's smallest candidate set. */
  candidates: Int32Array;
  /** Nominals singled out (candidate set of one). */
  singledOut: number;
  /** The smallest candidate set (k-anonymity under this measure); 0 for an empty graph. */
  k: number;
}

/** The released node of each original node (same pseudonym), or -1. */
export function releasedIndex(original: GraphView, release: GraphView): Int32Array {
  return Int32Array.from(original.ids, (id) => release.index.get(id) ?? -1);
}

/** Partitions nodes of one graph into exact-compatibility classes. */
function classesOf(view: GraphView, test: Compatibility): Int32Array {
  const classOf = new Int32Array(view.n).fill(-1);
  const buckets = new Map<string, number[]>();
  for (let x = 0; x < view.n; x++) {
    const key = test.key(view, x);
    let bucket = buckets.get(key);
    if (bucket === undefined) buckets.set(key, (bucket = []));
    bucket.push(x);
  }
  let next = 0;
  for (const bucket of buckets.values()) {
    if (test.keyDecides) {
      for (const x of bucket) classOf[x] = next;
      next++;
      continue;
    }
    // Compatibility is an equivalence (isomorphism): compare with one representative per class.
    const representatives: number[] = [];
    for (const x of bucket) {
      const found = representatives.find((rep) => test.compatible(view, rep, view, x, true));
      if (found !== undefined) classOf[x] = classOf[found]!;
      else {
        representatives.push(x);
        classOf[x] = next++;
      }
    }
  }
  return classOf;
}

/**
 * Candidate lists, pair by pair (a perturbed release, or a release that is not
 * this original). `within`: lists of measures this one implies, so that only
 * the pairs every one of them keeps are compared.
 */
export function candidatePairs(
  original: GraphView,
  release: GraphView,
  test: Compatibility,
  additions: boolean,
  within: readonly Candidates[] = [],
  orbits?: readonly (readonly string[])[],
): Candidates {
  const own = releasedIndex(original, release);
  const exact: Int32Array[] = [];
  const sound: Int32Array[] = [];
  const lists = within.filter(
    (candidates): candidates is Extract<Candidates, { kind: 'pairs' }> => candidates.kind === 'pairs',
  );
  const mark = new Int32Array(release.n).fill(-1);
  const counts = new Int32Array(release.n);
  // Released nodes that are exactly alike (an orbit of a k-automorphic release, say) answer alike: each class is compared once per v.
  const classOf =
    original === release ? null : orbits !== undefined ? orbitClasses(release, orbits) : classesOf(release, test);
  let classes = 0;
  if (classOf !== null) for (const c of classOf) classes = Math.max(classes, c + 1);
  const equalOf = new Int8Array(classes);
  const grownOf = new Int8Array(classes);
  for (let v = 0; v < original.n; v++) {
    equalOf.fill(-1);
    grownOf.fill(-1);
    // Released nodes alike with v's own node: v could have become any of them, as surely as its own.
    if (classOf !== null && own[v]! >= 0) grownOf[classOf[own[v]!]!] = 1;
    // The released nodes that every implied measure keeps (exact ones separately).
    let pool: ArrayLike<number>;
    let exactPool: Uint8Array | null = null;
    if (lists.length === 0) pool = Array.from({ length: release.n }, (_, u) => u);
    else {
      for (const list of lists) {
        for (const u of list.sound[v]!) {
          if (mark[u] !== v) {
            mark[u] = v;
            counts[u] = 0;
          }
          counts[u]!++;
        }
      }
      const kept: number[] = [];
      for (const u of lists[0]!.sound[v]!) if (mark[u] === v && counts[u] === lists.length) kept.push(u);
      pool = kept;
      exactPool = new Uint8Array(release.n);
      const exactCounts = new Int32Array(release.n);
      for (const list of lists) for (const u of list.exact[v]!) exactCounts[u]!++;
      for (let u = 0; u < release.n; u++) if (exactCounts[u] === lists.length) exactPool[u] = 1;
    }
    const equal: number[] = [];
    const grown: number[] = [];
    for (let index = 0; index < pool.length; index++) {
      const u = pool[index]!;
      const c = classOf === null ? -1 : classOf[u]!;
      let isEqual: boolean;
      if (exactPool !== null && exactPool[u] !== 1) isEqual = false;
      else if (c >= 0 && equalOf[c] !== -1) isEqual = equalOf[c] === 1;
      else {
        isEqual = test.compatible(original, v, release, u, true);
        if (c >= 0) equalOf[c] = isEqual ? 1 : 0;
      }
      if (isEqual) equal.push(u);
      let isGrown = isEqual;
      if (!isGrown && additions) {
        if (c >= 0 && grownOf[c] !== -1) isGrown = grownOf[c] === 1;
        else {
          isGrown = test.compatible(original, v, release, u, false);
          if (c >= 0) grownOf[c] = isGrown ? 1 : 0;
        }
      }
      if (u === own[v] || isGrown) grown.push(u);
    }
    if (own[v]! >= 0 && !grown.includes(own[v]!)) grown.push(own[v]!);
    exact.push(Int32Array.from(equal));
    sound.push(Int32Array.from(grown));
  }
  return { kind: 'pairs', exact, sound };
}

/** Classes of released nodes from orbits (nodes in no orbit alone). */
function orbitClasses(release: GraphView, orbits: readonly (readonly string[])[]): Int32Array {
  const classOf = new Int32Array(release.n).fill(-1);
  let next = 0;
  for (const orbit of orbits) {
    for (const id of orbit) {
      const x = release.index.get(id);
      if (x !== undefined) classOf[x] = next;
    }
    next++;
  }
  for (let x = 0; x < release.n; x++) if (classOf[x] === -1) classOf[x] = next++;
  return classOf;
}

/** Who could be whom under one measure (`within`: candidates of measures it implies, to compare fewer pairs). */
export function candidatesOf(
  original: GraphView,
  release: GraphView,
  test: Compatibility,
  options: MeasureOptions,
  within: readonly Candidates[] = [],
): Candidates {
  if (!options.additions && original === release) return { kind: 'classes', classOf: classesOf(original, test) };
  return candidatePairs(original, release, test, options.additions, within, options.orbits);
}

/** Strongly connected components of a digraph (iterative Tarjan); returns the component of each node. */
export function stronglyConnected(n: number, arcs: readonly ArrayLike<number>[]): Int32Array {
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const component = new Int32Array(n).fill(-1);
  const stack: number[] = [];
  let counter = 0;
  let components = 0;
  const frames: { node: number; next: number }[] = [];
  for (let start = 0; start < n; start++) {
    if (index[start] !== -1) continue;
    frames.push({ node: start, next: 0 });
    index[start] = low[start] = counter++;
    stack.push(start);
    onStack[start] = 1;
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      const out = arcs[frame.node]!;
      if (frame.next < out.length) {
        const w = out[frame.next++]!;
        if (w < 0) continue;
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          frames.push({ node: w, next: 0 });
        } else if (onStack[w]) low[frame.node] = Math.min(low[frame.node]!, index[w]!);
        continue;
      }
      frames.pop();
      if (frames.length > 0) {
        const parent = frames[frames.length - 1]!.node;
        low[parent] = Math.min(low[parent]!, low[frame.node]!);
      }
      if (low[frame.node] === index[frame.node]) {
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = 0;
          component[w] = components;
        } while (w !== frame.node);
        components++;
      }
    }
  }
  return component;
}

/** The attacker's smallest candidate set for each original node, and the summary. */
export function summarise(
  measure: MeasureName,
  original: GraphView,
  release: GraphView,
  candidates: Candidates,
): MeasureResult {
  const n = original.n;
  const result = new Int32Array(n);
  if (candidates.kind === 'classes') {
    const sizes = new Map<number, number>();
    for (const c of candidates.classOf) sizes.set(c, (sizes.get(c) ?? 0) + 1);
    for (let v = 0; v < n; v++) result[v] = sizes.get(candidates.classOf[v]!)!;
  } else {
    // Sound reasoning: partners in some perfect matching, the true assignment being one.
    const originalOf = new Int32Array(release.n).fill(-1);
    const own = releasedIndex(original, release);
    own.forEach((u, v) => {
      if (u >= 0) originalOf[u] = v;
    });
    const arcs = candidates.sound.map((list) => Int32Array.from(list, (u) => originalOf[u]!));
    const component = stronglyConnected(n, arcs);
    const exactCount = new Int32Array(release.n);
    for (const list of candidates.exact) for (const u of list) exactCount[u]!++;
    for (let v = 0; v < n; v++) {
      let feasible = 0;
      for (const w of arcs[v]!) if (w >= 0 && component[w] === component[v]) feasible++;
      let smallest = Math.max(1, feasible);
      // The bet that v was not touched: the released nodes equal to v.
      const equal = candidates.exact[v]!;
      if (equal.length > 0) smallest = Math.min(smallest, equal.length);
      // The bet that a released node was not touched: one released node equal to v alone names v (several cancel out).
      let pointers = 0;
      for (const u of equal) if (exactCount[u] === 1) pointers++;
      if (pointers === 1) smallest = 1;
      result[v] = smallest;
    }
  }
  let singledOut = 0;
  let k = n === 0 ? 0 : Infinity;
  for (const count of result) {
    if (count === 1) singledOut++;
    k = Math.min(k, count);
  }
  return { measure, candidates: result, singledOut, k };
}

/** A measure's compatibility test for given options. */
export type CompatibilityOf = (options: MeasureOptions) => Compatibility;

/** Resolves measure options. */
export function measureOptions(options: Partial<MeasureOptions> = {}): MeasureOptions {
  const settings = { ...DEFAULT_MEASURE_OPTIONS, ...options };
  if (!Number.isInteger(settings.budget) || settings.budget < 1)
    throw new RangeError(`@ocgnet/research: budget must be a positive integer, not ${settings.budget}`);
  return settings;
}

/** Runs one measure on an original graph and its release (the same graph object when it was not perturbed). */
export function runMeasure(
  measure: MeasureName,
  compatibility: CompatibilityOf,
  original: AbstractGraph,
  release: AbstractGraph,
  options: Partial<MeasureOptions> = {},
): MeasureResult {
  const { settings, o, r } = measureInputs(original, release, options);
  return summarise(measure, o, r, candidatesOf(o, r, compatibility(settings), settings));
}

/** What every measure starts from: its options, and views of the original and the release (one view when they are one graph). */
export function measureInputs(
  original: AbstractGraph,
  release: AbstractGraph,
  options: Partial<MeasureOptions>,
): { settings: MeasureOptions; o: GraphView; r: GraphView } {
  const settings = measureOptions(options);
  const o = graphView(original);
  return { settings, o, r: original === release ? o : graphView(release) };
}

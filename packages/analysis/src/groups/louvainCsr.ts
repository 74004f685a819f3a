/**
 * Louvain modularity optimisation on the typed-array snapshot.
 *
 * Blondel, Guillaume, Lambiotte & Lefebvre (2008), "Fast unfolding of
 * communities in large networks", J. Stat. Mech. P10008, with a resolution γ
 * (Reichardt & Bornholdt 2006):
 * Q = Σ_c [ L_c / m − γ (d_c / 2m)² ], L_c the weight inside c, d_c its total
 * strength, m the total weight.
 *
 * Each level:
 * 1. local moving: nodes are visited in a seeded random order, then from a
 *    queue of the neighbours of nodes that moved (see `moveNodes`); each
 *    moves to the neighbouring community with the largest gain
 *    k_{i,c} − γ k_i tot_c / 2m, if that beats staying, until the queue is
 *    empty. Community totals are kept
 *    incrementally; the neighbour-community accumulator resets only the
 *    entries a node touched, so a visit costs O(degree), not O(n).
 * 2. aggregation: each community becomes one node of a new CSR, its internal
 *    weight a self-loop, parallel ties summed.
 * Levels repeat until local moving moves nothing. Then single nodes are
 * moved once more on the finest graph (Rotta & Noack 2011, "Multilevel local
 * search algorithms for modularity clustering", JEA 16); if any moved, the
 * levels run again from that partition. Every step raises Q, so it ends.
 *
 * Everything lives in typed arrays: no Map, no graphology, so a graph of
 * millions of nodes fits and runs in seconds. The same snapshot and seed
 * give the same partition.
 */
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { mersenne } from 'pure-rand/generator/mersenne';
import type { CsrGraph } from '../csr.js';
import { canonicalGraph, snapshotMembership } from './canonicalOrder.js';

export interface LouvainCsrOptions {
  /** Seed of the Mersenne Twister that orders node visits. */
  seed: number;
  /** Resolution γ (> 0): above 1 gives more, smaller communities. */
  resolution: number;
}

/**
 * Smallest rise in Q from moving single nodes for the levels to be rebuilt.
 * On a Barabási–Albert graph of a million nodes each rebuild cost a full
 * sweep for gains near 1e-7; on the test graphs, rebuilds that mattered
 * gained over 1e-4.
 */
const REFINEMENT_MIN_GAIN = 1e-6;

export const DEFAULT_LOUVAIN_CSR_OPTIONS: LouvainCsrOptions = { seed: 1, resolution: 1 };

export interface LouvainCsrResult {
  /** Community per node index, numbered 0 … k − 1 in order of each community's first node. */
  membership: Int32Array;
  /** Modularity of `membership` on the snapshot at the given resolution; NaN without edges. */
  modularity: number;
  /** Aggregation levels built (0 when no node could improve by moving). */
  levels: number;
}

/**
 * One level's graph: CSR adjacency without self-loops, plus each node's
 * self-loop (internal) weight. Shared with Leiden (leidenCsr.ts).
 */
export interface LevelGraph {
  n: number;
  offsets: Int32Array;
  targets: Int32Array;
  weights: Float64Array;
  /** Every weight is 1 (an unweighted level 0): the weights need not be read. */
  unit: boolean;
  /** Σ_{j,k in node} A_jk of the original graph inside this node: each internal tie counted from both ends. */
  loops: Float64Array;
}

/** Checks γ, for Louvain and Leiden alike. */
export function checkResolution(resolution: number, module: string): void {
  if (!Number.isFinite(resolution) || resolution <= 0) {
    throw new RangeError(
      `@ocgnet/analysis/groups/${module}: resolution must be finite and positive, not ${resolution}`,
    );
  }
}

/**
 * A `() => number` in [0, 1) from a seeded Mersenne Twister (MT19937). Not
 * xoroshiro128+: pure-rand seeds it so that small seeds all start near 1, and
 * the first draw would then be the same for seeds 1, 2, 3 …
 */
export function seededRandom(seed: number): () => number {
  const generator = mersenne(seed);
  return () => uniformFloat64(generator);
}

/**
 * Louvain communities of a snapshot. Uses `csr.weights` (all 1 on an
 * unweighted snapshot). Runs on the snapshot in canonical order
 * (canonicalOrder.ts), so the partition depends on the graph and the seed,
 * not on the order the file listed the nodes in.
 *
 * @example
 * const { membership, modularity } = louvainOnCsr(csrOf(graph), { seed: 7 });
 */
export function louvainOnCsr(csr: CsrGraph, options: Partial<LouvainCsrOptions> = {}): LouvainCsrResult {
  const { seed, resolution } = { ...DEFAULT_LOUVAIN_CSR_OPTIONS, ...options };
  checkResolution(resolution, 'louvainCsr');
  const canonical = canonicalGraph(csr);
  const { graph: finest, total } = canonical;
  const labels = new Int32Array(finest.n);
  for (let v = 0; v < finest.n; v++) labels[v] = v;
  if (total === 0) return { membership: snapshotMembership(csr, canonical, labels), modularity: Number.NaN, levels: 0 };
  const random = seededRandom(seed);

  let graph = finest;
  let levels = 0;
  for (;;) {
    const community = new Int32Array(graph.n);
    for (let v = 0; v < graph.n; v++) community[v] = v;
    moveNodes(graph, community, total, resolution, random);
    const count = compact(community);
    if (count < graph.n) {
      levels++;
      for (let v = 0; v < finest.n; v++) labels[v] = community[labels[v]!]!;
      graph = aggregate(graph, community, count);
      continue;
    }
    // The hierarchy is done. Single nodes may still sit better elsewhere than
    // their community put them (Rotta & Noack 2011): move them on the finest
    // graph, and if that raised Q noticeably, build the hierarchy again from there.
    if (graph === finest || moveNodes(finest, labels, total, resolution, random) <= REFINEMENT_MIN_GAIN) break;
    graph = aggregate(finest, labels, compact(labels));
  }
  const membership = snapshotMembership(csr, canonical, labels);
  return { membership, modularity: modularityOnCsr(csr, membership, resolution), levels };
}

/**
 * Local moving from `community` (a level-graph node index per node), updated
 * in place. Returns the rise in modularity (0 when no node moved).
 *
 * A queue, not repeated passes (Traag, Waltman & van Eck 2019, "From Louvain
 * to Leiden", §"fast local move"): every node once in a seeded random order,
 * then only the neighbours of a node that moved, outside its new community.
 * Full passes over a Barabási–Albert graph of 100k nodes took 500 passes of a
 * few moves each; the queue does the same moves for a fraction of the work.
 * Besides its neighbours' communities a node may go alone, into an empty
 * community, as in Leiden: from a partition that aggregation inherited, a
 * node's own community can cost it more than it links. Labels stay below n.
 * Shared with Leiden (leidenCsr.ts).
 */
export function moveNodes(
  graph: LevelGraph,
  community: Int32Array,
  total: number,
  resolution: number,
  random: () => number,
): number {
  const { n, offsets, targets, weights, unit, loops } = graph;
  const strength = new Float64Array(n);
  const communityTotal = new Float64Array(n);
  const size = new Int32Array(n);
  for (let v = 0; v < n; v++) {
    let k = loops[v]!;
    for (let slot = offsets[v]!; slot < offsets[v + 1]!; slot++) k += weights[slot]!;
    strength[v] = k;
    communityTotal[community[v]!]! += k;
    size[community[v]!]!++;
  }
  // Unused labels, as a stack: where a node goes to be alone.
  const empty = new Int32Array(n);
  let emptyCount = 0;
  for (let c = n - 1; c >= 0; c--) if (size[c] === 0) empty[emptyCount++] = c;
  // The queue starts as a seeded permutation; it is circular, and holds each
  // node at most once (queued[v]), so n slots suffice.
  const queue = shuffledNodes(n, random);
  const queued = new Uint8Array(n).fill(1);
  let head = 0;
  let length = n;

  // Weight from the visited node to each neighbouring community; -1 marks untouched.
  const linkWeight = new Float64Array(n).fill(-1);
  const touched = new Int32Array(n);
  const scale = resolution / total;
  let gained = 0;
  while (length > 0) {
    const v = queue[head]!;
    head = head + 1 === n ? 0 : head + 1;
    length--;
    queued[v] = 0;
    const start = offsets[v]!;
    const end = offsets[v + 1]!;
    if (start === end) continue;
    const own = community[v]!;
    const kv = strength[v]!;
    let touchedCount = 0;
    linkWeight[own] = 0;
    touched[touchedCount++] = own;
    for (let slot = start; slot < end; slot++) {
      const c = community[targets[slot]!]!;
      if (linkWeight[c]! < 0) {
        linkWeight[c] = 0;
        touched[touchedCount++] = c;
      }
      linkWeight[c]! += unit ? 1 : weights[slot]!;
    }
    // Take v out of its community, then put it where the gain is largest.
    communityTotal[own]! -= kv;
    const kScaled = kv * scale;
    const stay = linkWeight[own] - communityTotal[own]! * kScaled;
    let best = own;
    let bestGain = stay;
    for (let t = 0; t < touchedCount; t++) {
      const c = touched[t]!;
      const gain = linkWeight[c]! - communityTotal[c]! * kScaled;
      if (gain > bestGain) {
        bestGain = gain;
        best = c;
      }
      linkWeight[c] = -1;
    }
    // Alone gains 0. Below 0 everywhere, v is not alone now (alone, staying gains 0), so a label is free.
    size[own]!--;
    if (bestGain < 0 && emptyCount > 0) {
      bestGain = 0;
      best = empty[emptyCount - 1]!;
    }
    // A margin against rounding: a move must gain more than float noise, or moves could cycle.
    if (best !== own && bestGain - stay > 1e-12 * kv) {
      if (size[best] === 0) emptyCount--;
      if (size[own] === 0) {
        empty[emptyCount++] = own;
        communityTotal[own] = 0; // no rounding residue left behind
      }
      community[v] = best;
      gained += bestGain - stay;
      for (let slot = start; slot < end; slot++) {
        const w = targets[slot]!;
        if (queued[w] === 0 && community[w] !== best) {
          queued[w] = 1;
          let tail = head + length;
          if (tail >= n) tail -= n;
          queue[tail] = w;
          length++;
        }
      }
    } else best = own;
    communityTotal[best]! += kv;
    size[best]!++;
  }
  // Moving v changes Q by (gain difference) / m, and m = total / 2.
  return (2 * gained) / total;
}

/** 0 … n − 1 in a seeded random order (Fisher–Yates). */
export function shuffledNodes(n: number, random: () => number): Int32Array {
  const order = new Int32Array(n);
  for (let v = 0; v < n; v++) order[v] = v;
  for (let v = n - 1; v > 0; v--) {
    const j = Math.floor(random() * (v + 1));
    const t = order[v]!;
    order[v] = order[j]!;
    order[j] = t;
  }
  return order;
}

/** Renumbers labels in place to 0 … k − 1 by first appearance; returns k. */
export function compact(labels: Int32Array): number {
  const rename = new Int32Array(labels.length).fill(-1);
  let count = 0;
  for (let v = 0; v < labels.length; v++) {
    const c = labels[v]!;
    if (rename[c] === -1) rename[c] = count++;
    labels[v] = rename[c]!;
  }
  return count;
}

/** The graph of communities: one node per community, ties between communities summed, inside ties as loops. */
export function aggregate(graph: LevelGraph, community: Int32Array, count: number): LevelGraph {
  const { n, offsets, targets, weights, loops } = graph;
  // Members of each community, contiguous (counting sort).
  const memberStart = new Int32Array(count + 1);
  for (let v = 0; v < n; v++) memberStart[community[v]! + 1]!++;
  for (let c = 0; c < count; c++) memberStart[c + 1]! += memberStart[c]!;
  const fill = memberStart.slice(0, count);
  const members = new Int32Array(n);
  for (let v = 0; v < n; v++) members[fill[community[v]!]!++] = v;

  const newLoops = new Float64Array(count);
  const newOffsets = new Int32Array(count + 1);
  // At most as many slots as the level graph has; trimmed at the end.
  let newTargets = new Int32Array(targets.length);
  let newWeights = new Float64Array(targets.length);
  const linkWeight = new Float64Array(count).fill(-1);
  const touched = new Int32Array(count);
  let size = 0;
  for (let c = 0; c < count; c++) {
    let touchedCount = 0;
    let inside = 0;
    for (let m = memberStart[c]!; m < memberStart[c + 1]!; m++) {
      const v = members[m]!;
      inside += loops[v]!;
      for (let slot = offsets[v]!; slot < offsets[v + 1]!; slot++) {
        const d = community[targets[slot]!]!;
        if (d === c) {
          inside += weights[slot]!;
          continue;
        }
        if (linkWeight[d]! < 0) {
          linkWeight[d] = 0;
          touched[touchedCount++] = d;
        }
        linkWeight[d]! += weights[slot]!;
      }
    }
    newLoops[c] = inside;
    // Sorted neighbours keep the level graph's layout like the snapshot's (and deterministic).
    touched.subarray(0, touchedCount).sort();
    for (let t = 0; t < touchedCount; t++) {
      const d = touched[t]!;
      newTargets[size] = d;
      newWeights[size++] = linkWeight[d]!;
      linkWeight[d] = -1;
    }
    newOffsets[c + 1] = size;
  }
  newTargets = newTargets.slice(0, size);
  newWeights = newWeights.slice(0, size);
  return { n: count, offsets: newOffsets, targets: newTargets, weights: newWeights, unit: false, loops: newLoops };
}

/**
 * Modularity of a partition of a snapshot at resolution γ, as networkx's
 * `modularity`: Σ_c [ L_c / m − γ (d_c / 2m)² ]. NaN without edges.
 */
export function modularityOnCsr(csr: CsrGraph, membership: ArrayLike<number>, resolution = 1): number {
  const { n, offsets, targets, weights } = csr;
  let count = 0;
  for (let v = 0; v < n; v++) if (membership[v]! + 1 > count) count = membership[v]! + 1;
  const inside = new Float64Array(count);
  const degree = new Float64Array(count);
  let total = 0;
  for (let v = 0; v < n; v++) {
    const c = membership[v]!;
    for (let slot = offsets[v]!; slot < offsets[v + 1]!; slot++) {
      const w = weights[slot]!;
      degree[c]! += w;
      total += w;
      if (membership[targets[slot]!] === c) inside[c]! += w;
    }
  }
  if (total === 0) return Number.NaN;
  let q = 0;
  for (let c = 0; c < count; c++) q += inside[c]! / total - resolution * (degree[c]! / total) ** 2;
  return q;
}

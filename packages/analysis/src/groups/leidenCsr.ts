/**
 * Leiden modularity optimisation on the typed-array snapshot.
 *
 * Traag, Waltman & van Eck (2019), "From Louvain to Leiden: guaranteeing
 * well-connected communities", Sci. Rep. 9:5233. Quality is modularity with a
 * resolution γ, as Louvain's (louvainCsr.ts):
 * Q = Σ_c [ L_c / m − γ (d_c / 2m)² ].
 *
 * One iteration, level after level:
 * 1. fast local moving from the current partition (`moveNodes`, shared with
 *    Louvain: a seeded queue; a node may also go alone);
 * 2. refinement (`refine`): inside each community, every node starts alone;
 *    nodes still alone and well connected to the rest of their community
 *    join a well-connected subcommunity at random, in proportion to
 *    exp(ΔQ / θ) over the joins that do not lower Q. Subcommunities are
 *    therefore connected;
 * 3. aggregation on the refined partition (one node per subcommunity), the
 *    unrefined partition the aggregate's starting one, so that local moving
 *    there can move a whole subcommunity to another community.
 * Levels stop when every community is one node. Iterations repeat from the
 * partition found until PATIENCE in a row move nothing, on graphs of up to
 * EXHAUSTIVE_TIES ties; above, 2 iterations. With restarts, a core-group
 * search follows (small graphs only). A last pass splits any community that
 * is not connected, so every community is.
 *
 * Like Louvain here, it runs on the snapshot in canonical order
 * (canonicalOrder.ts): the same graph and seed give the same partition,
 * whatever order the file listed its nodes in.
 */
import type { CsrGraph } from '../csr.js';
import { canonicalGraph, snapshotMembership } from './canonicalOrder.js';
import {
  aggregate,
  checkResolution,
  compact,
  modularityOnCsr,
  moveNodes,
  seededRandom,
  shuffledNodes,
  type LevelGraph,
  type LouvainCsrOptions,
  type LouvainCsrResult,
} from './louvainCsr.js';

export interface LeidenCsrOptions extends LouvainCsrOptions {
  /** Runs with seeds seed, seed + 1, …, then (small graphs) a search over their core groups; the best partition is kept. */
  runs: number;
  /**
   * Most iterations per search; Infinity iterates until stable. Default:
   * until stable up to EXHAUSTIVE_TIES ties, else 2 (see there).
   */
  iterations: number;
}

/**
 * Up to this many ties a search iterates until stable and restarts end with
 * the core-group step; above, each search runs 2 iterations (igraph's default
 * `n_iterations`) and there is no core-group step. On graphs without clear
 * communities every iteration still gains a little, so the exhaustive search
 * grows fast: on Barabási–Albert graphs (3 ties per node) 5 runs took 1.5 s at
 * 4,753 ties and 8.2 s at 14,946 (0.18 s with 2 iterations, modularity 0.410
 * against 0.424), and 205 s at 100,000. Every public network (at most 2,000
 * ties) is searched exhaustively.
 */
export const EXHAUSTIVE_TIES = 5_000;
export type LeidenCsrResult = LouvainCsrResult;

export const DEFAULT_LEIDEN_CSR_OPTIONS: Omit<LeidenCsrOptions, 'iterations'> = { seed: 1, resolution: 1, runs: 1 };

/**
 * Randomness of the refinement, θ in the paper, applied as there to ΔQ, the
 * change in modularity. igraph applies its `beta` (also 0.01) to the gain in
 * edge weight, which makes its refinement nearly greedy; tried that way here,
 * madrid, montreal-gangs and the small fixture (unweighted) fell short of
 * igraph's best of ten seeds. Some randomness lets later levels find merges
 * a greedy choice would block.
 */
const THETA = 0.01;

/**
 * Iterations in a row that move nothing before a search stops. One is
 * igraph's rule; on the public networks three reached igraph's best of ten
 * seeds where one did not (montagna-meetings unweighted, madrid, montreal-gangs).
 */
const PATIENCE = 3;

/**
 * Leiden communities of a snapshot. Uses `csr.weights` (all 1 on an
 * unweighted snapshot). Every community induces a connected subgraph.
 *
 * @example
 * const { membership, modularity } = leidenOnCsr(csrOf(graph), { seed: 7 });
 */
export function leidenOnCsr(csr: CsrGraph, options: Partial<LeidenCsrOptions> = {}): LeidenCsrResult {
  const exhaustive = csr.m <= EXHAUSTIVE_TIES;
  const { seed, resolution, runs, iterations } = {
    ...DEFAULT_LEIDEN_CSR_OPTIONS,
    iterations: exhaustive ? Infinity : 2,
    ...options,
  };
  checkResolution(resolution, 'leidenCsr');
  if (!(Number.isInteger(runs) && runs >= 1))
    throw new RangeError(`@ocgnet/analysis/groups/leidenCsr: runs must be a positive integer, not ${runs}`);
  if (!(iterations >= 1))
    throw new RangeError(`@ocgnet/analysis/groups/leidenCsr: iterations must be at least 1, not ${iterations}`);
  const canonical = canonicalGraph(csr);
  const { graph: finest, total } = canonical;
  const singletons = () => Int32Array.from({ length: finest.n }, (_x, v) => v);
  if (total === 0)
    return { membership: snapshotMembership(csr, canonical, singletons()), modularity: Number.NaN, levels: 0 };
  const quality = (labels: Int32Array) => levelModularity(finest, labels, total, resolution);
  const search = (graph: LevelGraph, labels: Int32Array, random: () => number) =>
    leidenFrom(graph, labels, total, resolution, random, iterations);

  const found: Int32Array[] = [];
  let best = singletons();
  let bestQuality = -Infinity;
  let levels = 0;
  for (let run = 0; run < runs; run++) {
    const labels = singletons();
    levels = Math.max(levels, search(finest, labels, seededRandom(seed + run)));
    found.push(labels);
    const q = quality(labels);
    if (q > bestQuality) [best, bestQuality] = [labels, q];
  }
  if (runs > 1 && exhaustive) {
    // Core groups (Ovelgönne & Geyer-Schulz 2012): nodes every run put together move as one, from the best partition.
    const cores = meetOf(found);
    const coreCount = compact(cores);
    const coreGraph = aggregate(finest, cores, coreCount);
    const fromBest = new Int32Array(coreCount);
    for (let v = 0; v < finest.n; v++) fromBest[cores[v]!] = best[v]!;
    const starts = [fromBest];
    for (let r = 0; r < runs; r++) starts.push(Int32Array.from({ length: coreCount }, (_x, v) => v));
    starts.forEach((start, r) => {
      const random = seededRandom(seed + runs + r);
      search(coreGraph, start, random);
      const labels = Int32Array.from(cores, (core) => start[core]!);
      search(finest, labels, random);
      const q = quality(labels);
      if (q > bestQuality) [best, bestQuality] = [labels, q];
    });
  }
  splitDisconnected(finest, best);
  const membership = snapshotMembership(csr, canonical, best);
  return { membership, modularity: modularityOnCsr(csr, membership, resolution), levels };
}

/**
 * Leiden iterations from `labels` (updated in place) until PATIENCE of them
 * in a row move nothing, or `iterations` have run; returns the most
 * aggregation levels one built.
 * One still iteration is no proof of a local optimum, unlike Louvain's: the
 * next one refines at random again, and may aggregate so that a move appears.
 */
function leidenFrom(
  graph: LevelGraph,
  labels: Int32Array,
  total: number,
  resolution: number,
  random: () => number,
  iterations: number,
): number {
  let levels = 0;
  for (let still = 0, done = 0; still < PATIENCE && done < iterations; done++) {
    const iteration = leidenIteration(graph, labels, total, resolution, random);
    levels = Math.max(levels, iteration.levels);
    still = iteration.moved ? 0 : still + 1;
  }
  return levels;
}

/**
 * Splits every community that is not connected into its connected parts, in
 * place, then numbers communities 0 … k − 1 by first node. Leiden's
 * refinement makes communities connected, but a community can still come
 * apart where refinement merged nothing at a level (aggregation then falls
 * back to the communities themselves, as igraph's does) or in the core-group
 * step; splitting never lowers Q (the parts share no tie, and the γ term
 * only falls), so the guarantee costs nothing.
 */
function splitDisconnected(graph: LevelGraph, labels: Int32Array): void {
  const { n, offsets, targets } = graph;
  const part = new Int32Array(n).fill(-1);
  const stack = new Int32Array(n);
  let parts = 0;
  for (let root = 0; root < n; root++) {
    if (part[root] !== -1) continue;
    part[root] = parts;
    let top = 0;
    stack[top++] = root;
    while (top > 0) {
      const v = stack[--top]!;
      for (let slot = offsets[v]!; slot < offsets[v + 1]!; slot++) {
        const u = targets[slot]!;
        if (part[u] === -1 && labels[u] === labels[v]) {
          part[u] = parts;
          stack[top++] = u;
        }
      }
    }
    parts++;
  }
  labels.set(part);
}

/** The partition whose blocks are the nodes every partition in `partitions` puts together (not compacted). */
function meetOf(partitions: Int32Array[]): Int32Array {
  const meet = Int32Array.from(partitions[0]!);
  const n = meet.length;
  for (const labels of partitions.slice(1)) {
    const pairs = new Map<number, number>();
    for (let v = 0; v < n; v++) {
      const key = meet[v]! * n + labels[v]!;
      let block = pairs.get(key);
      if (block === undefined) pairs.set(key, (block = pairs.size));
      meet[v] = block;
    }
  }
  return meet;
}

/** Modularity of `labels` on a level graph, loops counted as inside: for comparing runs. */
function levelModularity(graph: LevelGraph, labels: Int32Array, total: number, resolution: number): number {
  const { n, offsets, targets, weights, loops } = graph;
  const inside = new Float64Array(n);
  const degree = new Float64Array(n);
  for (let v = 0; v < n; v++) {
    const c = labels[v]!;
    inside[c]! += loops[v]!;
    degree[c]! += loops[v]!;
    for (let slot = offsets[v]!; slot < offsets[v + 1]!; slot++) {
      degree[c]! += weights[slot]!;
      if (labels[targets[slot]!] === c) inside[c]! += weights[slot]!;
    }
  }
  let q = 0;
  for (let c = 0; c < n; c++) q += inside[c]! / total - resolution * (degree[c]! / total) ** 2;
  return q;
}

/**
 * One Leiden iteration from `labels` (a community per finest-graph node,
 * updated in place). Says whether any node moved, and how many aggregation
 * levels it built.
 */
function leidenIteration(
  finest: LevelGraph,
  labels: Int32Array,
  total: number,
  resolution: number,
  random: () => number,
): { moved: boolean; levels: number } {
  let graph = finest;
  let community = Int32Array.from(labels);
  compact(community);
  // Which node of the current level graph each finest node is inside.
  const nodeOf = new Int32Array(finest.n);
  for (let v = 0; v < finest.n; v++) nodeOf[v] = v;
  let moved = false;
  let levels = 0;
  for (;;) {
    if (moveNodes(graph, community, total, resolution, random) > 0) moved = true;
    const count = compact(community);
    if (count === graph.n) break;
    let refined = refine(graph, community, total, resolution, random);
    let refinedCount = compact(refined);
    // Nothing merged in refinement: aggregate the communities themselves, as igraph does, so the levels still shrink.
    if (refinedCount === graph.n) {
      refined = community;
      refinedCount = count;
    }
    const next = new Int32Array(refinedCount);
    for (let v = 0; v < graph.n; v++) next[refined[v]!] = community[v]!;
    for (let v = 0; v < finest.n; v++) nodeOf[v] = refined[nodeOf[v]!]!;
    graph = aggregate(graph, refined, refinedCount);
    community = next;
    levels++;
  }
  for (let v = 0; v < finest.n; v++) labels[v] = community[nodeOf[v]!]!;
  return { moved, levels };
}

/**
 * The refined partition of `community`: a subcommunity label per node,
 * never spanning two communities. Traag et al.'s MergeNodesSubset, for every
 * community at once (a node only ever looks at neighbours in its own
 * community, so the communities do not interact).
 *
 * "Well connected" for a set T inside community S, with k the strengths:
 * E(T, S − T) ≥ γ k_T (k_S − k_T) / 2m.
 */
function refine(
  graph: LevelGraph,
  community: Int32Array,
  total: number,
  resolution: number,
  random: () => number,
): Int32Array {
  const { n, offsets, targets, weights, unit, loops } = graph;
  const scale = resolution / total;
  // A gain in link weight is a rise in Q of gain / m (m = total / 2); exponents are ΔQ / θ.
  const perGain = 2 / (total * THETA);
  const strength = new Float64Array(n);
  const communityStrength = new Float64Array(n);
  // Per subcommunity (labelled by a node index): its strength, and its ties to the rest of its community.
  const subStrength = new Float64Array(n);
  const subExternal = new Float64Array(n);
  for (let v = 0; v < n; v++) {
    let k = loops[v]!;
    let inside = 0;
    for (let slot = offsets[v]!; slot < offsets[v + 1]!; slot++) {
      const w = unit ? 1 : weights[slot]!;
      k += w;
      if (community[targets[slot]!] === community[v]) inside += w;
    }
    strength[v] = k;
    subStrength[v] = k;
    subExternal[v] = inside;
    communityStrength[community[v]!]! += k;
  }
  const refined = new Int32Array(n);
  for (let v = 0; v < n; v++) refined[v] = v;
  const merged = new Uint8Array(n);
  const wellConnected = (sub: number, c: number) =>
    subExternal[sub]! >= subStrength[sub]! * (communityStrength[c]! - subStrength[sub]!) * scale;

  const order = shuffledNodes(n, random);
  const linkWeight = new Float64Array(n).fill(-1);
  const touched = new Int32Array(n);
  const candidate = new Int32Array(n);
  const cumulative = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const v = order[k]!;
    const own = refined[v]!;
    const c = community[v]!;
    // Only a node still alone, and well connected within its community, moves.
    if (merged[own] === 1 || !wellConnected(own, c)) continue;
    subStrength[own] = 0;
    subExternal[own] = 0;
    let touchedCount = 0;
    for (let slot = offsets[v]!; slot < offsets[v + 1]!; slot++) {
      const u = targets[slot]!;
      if (community[u] !== c) continue;
      const sub = refined[u]!;
      if (linkWeight[sub]! < 0) {
        linkWeight[sub] = 0;
        touched[touchedCount++] = sub;
      }
      linkWeight[sub]! += unit ? 1 : weights[slot]!;
    }
    // Staying alone gains 0; a join that gains less is never taken.
    const kScaled = strength[v]! * scale;
    let candidates = 0;
    let bestGain = 0;
    for (let t = 0; t < touchedCount; t++) {
      const sub = touched[t]!;
      const gain = linkWeight[sub]! - subStrength[sub]! * kScaled;
      if (gain >= 0 && wellConnected(sub, c)) {
        candidate[candidates] = sub;
        cumulative[candidates++] = gain;
        if (gain > bestGain) bestGain = gain;
      }
    }
    // Draw in proportion to exp(ΔQ / θ), ΔQ = gain / m, shifted by the best so no term overflows.
    const alone = Math.exp(-bestGain * perGain);
    let sum = alone;
    for (let t = 0; t < candidates; t++) {
      sum += Math.exp((cumulative[t]! - bestGain) * perGain);
      cumulative[t] = sum;
    }
    const draw = random() * sum;
    let chosen = own;
    if (draw >= alone) {
      for (let t = 0; t < candidates; t++) {
        if (draw < cumulative[t]!) {
          chosen = candidate[t]!;
          break;
        }
      }
      // Rounding at the top of the sum: the last candidate.
      if (chosen === own && candidates > 0) chosen = candidate[candidates - 1]!;
    }
    subStrength[chosen]! += strength[v]!;
    for (let slot = offsets[v]!; slot < offsets[v + 1]!; slot++) {
      const u = targets[slot]!;
      if (community[u] !== c) continue;
      const w = unit ? 1 : weights[slot]!;
      subExternal[chosen]! += refined[u] === chosen ? -w : w;
    }
    for (let t = 0; t < touchedCount; t++) linkWeight[touched[t]!] = -1;
    refined[v] = chosen;
    if (chosen !== own) merged[chosen] = 1;
  }
  return refined;
}

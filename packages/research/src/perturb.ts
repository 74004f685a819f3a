/**
 * Seeded edge additions until the graph is k-degree anonymous.
 *
 * Liu & Terzi (2008), "Towards identity anonymization on graphs", SIGMOD:
 * 1. degree anonymisation: sort the degrees in decreasing order and split
 *    them into groups of at least k consecutive nodes with the greedy rule of
 *    §5.1 (merge the next node into the current group, or open a new group,
 *    whichever costs fewer added degrees); every node's target is its group's
 *    largest degree;
 * 2. graph construction by edge additions only (the "supergraph" variant,
 *    §6.2): join nodes that still lack degree to each other, largest need
 *    first, partners drawn in a seeded random order; a node left needing
 *    degree with no partner is joined to a random non-neighbour, and the two
 *    steps repeat on the new degrees until k is reached or the rounds run out.
 *
 * Why additions only: deleting a tie removes evidence an analyst recorded and
 * can split components, while the greedy targets only raise degrees, which
 * additions realise; the cost (added edges) is what Liu & Terzi minimise.
 * Added edges copy the attributes of a randomly drawn existing edge, so they
 * cannot be told apart by their attributes. The caller re-orders the graph
 * (anonymise.ts) so they cannot be told apart by position either.
 *
 * The result is always checked exactly; `reached` is false when the rounds
 * ran out (the caller then refuses the export).
 */
import Graph from 'graphology';
import { seededRandom } from '@ocgnet/analysis';
import { simpleDegrees, smallestGroup } from './risk.js';
import type { RecordedResults } from './results.js';

export interface PerturbOptions {
  /** The k to reach. */
  k: number;
  /** Seed of the partner draws. */
  seed: number;
  /** Rounds of (targets, additions) before giving up. */
  maxRounds: number;
}

export const DEFAULT_PERTURB_OPTIONS: PerturbOptions = { k: 5, seed: 1, maxRounds: 100 };

export interface Perturbation {
  graph: Graph;
  /** Edges added. */
  added: number;
  /** k-degree anonymity reached. */
  kDegree: number;
  reached: boolean;
  rounds: number;
}

/** Sum of d[first] − d[l] for l in first..last (a group's cost), on degrees sorted in decreasing order. */
function groupCost(sorted: readonly number[], first: number, last: number): number {
  let cost = 0;
  for (let l = first; l <= last && l < sorted.length; l++) cost += sorted[first]! - sorted[l]!;
  return cost;
}

/**
 * Liu & Terzi's greedy degree anonymisation: the target degree of each
 * position of a decreasingly sorted degree sequence, each group ≥ k long.
 */
export function greedyDegreeTargets(sorted: readonly number[], k: number): number[] {
  const n = sorted.length;
  const targets = new Array<number>(n);
  if (n === 0) return targets;
  let groupStart = 0;
  let position = Math.min(k, n);
  targets.fill(sorted[0]!, 0, position);
  while (position < n) {
    if (n - position < k) {
      targets.fill(sorted[groupStart]!, position);
      break;
    }
    const merge = sorted[groupStart]! - sorted[position]! + groupCost(sorted, position + 1, position + k);
    const open = groupCost(sorted, position, position + k - 1);
    if (merge > open) {
      groupStart = position;
      targets.fill(sorted[groupStart]!, position, position + k);
      position += k;
    } else {
      targets[position] = sorted[groupStart]!;
      position += 1;
    }
  }
  return targets;
}

/** Fisher–Yates, in place, with the perturbation's seeded random source. */
export function shuffled<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/**
 * Adds edges to a copy of `graph` until it is k-degree anonymous.
 *
 * @example
 * const { graph: safe, added, reached } = perturbToKDegree(anonymised, { k: 5, seed: 7 });
 */
export function perturbToKDegree(graph: Graph, options: Partial<PerturbOptions> = {}): Perturbation {
  const { k, seed, maxRounds } = { ...DEFAULT_PERTURB_OPTIONS, ...options };
  if (!Number.isInteger(k) || k < 1)
    throw new RangeError(`@ocgnet/research/perturb: k must be a positive integer, not ${k}`);
  if (!Number.isSafeInteger(seed))
    throw new RangeError(`@ocgnet/research/perturb: seed must be an integer, not ${seed}`);
  const copy = graph.copy();
  const random = seededRandom(seed);
  const templates = copy.mapEdges((_edge, attributes) => attributes);
  const nodes = copy.nodes();
  let added = 0;
  let rounds = 0;
  const join = (a: string, b: string) => {
    const attributes = templates.length > 0 ? { ...templates[Math.floor(random() * templates.length)]! } : {};
    // A directed network gets an arc of random direction; undirected and mixed ones an undirected tie.
    if (copy.type === 'directed') {
      if (random() < 0.5) copy.addDirectedEdge(a, b, attributes);
      else copy.addDirectedEdge(b, a, attributes);
    } else copy.addUndirectedEdge(a, b, attributes);
    added++;
  };
  const canJoin = (a: string, b: string) => a !== b && !copy.areNeighbors(a, b);

  for (; rounds < maxRounds; rounds++) {
    const degrees = simpleDegrees(copy);
    if (k > nodes.length || smallestGroup(degrees.values()) >= k) break;
    // Ties in degree are broken randomly, so which of two equal nodes gets raised depends on the seed only.
    const order = shuffled([...nodes], random).sort((a, b) => degrees.get(b)! - degrees.get(a)!);
    const targets = greedyDegreeTargets(
      order.map((node) => degrees.get(node)!),
      k,
    );
    const need = new Map<string, number>();
    order.forEach((node, i) => {
      if (targets[i]! > degrees.get(node)!) need.set(node, targets[i]! - degrees.get(node)!);
    });
    let progressed = false;
    for (const node of [...need.keys()].sort((a, b) => need.get(b)! - need.get(a)!)) {
      for (const partner of shuffled([...need.keys()], random)) {
        if (need.get(node)! <= 0) break;
        if (need.get(partner)! <= 0 || !canJoin(node, partner)) continue;
        join(node, partner);
        need.set(node, need.get(node)! - 1);
        need.set(partner, need.get(partner)! - 1);
        progressed = true;
      }
    }
    // Whoever still lacks degree takes a random non-neighbour; the next round regroups.
    for (const [node, missing] of need) {
      if (missing <= 0) continue;
      const candidates = shuffled(
        nodes.filter((other) => canJoin(node, other)),
        random,
      );
      for (const other of candidates.slice(0, missing)) {
        join(node, other);
        progressed = true;
      }
    }
    if (!progressed) break;
  }
  const kDegree = smallestGroup(simpleDegrees(copy).values());
  return { graph: copy, added, kDegree, reached: nodes.length > 0 && kDegree >= k, rounds };
}

/** How far the key metrics moved under perturbation. */
export interface PerturbationImpact {
  /** Spearman rank correlation, original vs perturbed, over the same nodes (1: same order). */
  spearman: { degree: number; betweenness: number; pagerank: number };
  /** Largest absolute change of one node's value. */
  maxChange: { degree: number; betweenness: number; pagerank: number };
  modularity: { before: number | null; after: number | null };
  communities: { before: number; after: number };
  components: { before: number; after: number };
}

/** Ranks with ties averaged (1-based). */
function averageRanks(values: number[]): number[] {
  const order = values.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value);
  const ranks = new Array<number>(values.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]!.value === order[i]!.value) j++;
    for (let t = i; t <= j; t++) ranks[order[t]!.index] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return ranks;
}

/** Spearman's ρ: Pearson correlation of average ranks; 1 when either side is constant and both are equal, else NaN → reported as 0. */
export function spearman(a: number[], b: number[]): number {
  const ra = averageRanks(a);
  const rb = averageRanks(b);
  const n = a.length;
  if (n === 0) return 1;
  const mean = (n + 1) / 2;
  let covariance = 0;
  let va = 0;
  let vb = 0;
  for (let i = 0; i < n; i++) {
    covariance += (ra[i]! - mean) * (rb[i]! - mean);
    va += (ra[i]! - mean) ** 2;
    vb += (rb[i]! - mean) ** 2;
  }
  if (va === 0 || vb === 0) return va === vb && a.every((value, i) => value === b[i]) ? 1 : 0;
  return covariance / Math.sqrt(va * vb);
}

/** Compares the recorded analysis of the graph before and after perturbation. */
export function perturbationImpact(before: RecordedResults, after: RecordedResults): PerturbationImpact {
  const nodes = Object.keys(before.nodes).sort();
  const series = (results: RecordedResults, field: 'degree' | 'betweenness' | 'pagerank') =>
    nodes.map((node) => results.nodes[node]![field]);
  const impact = { spearman: {}, maxChange: {} } as Pick<PerturbationImpact, 'spearman' | 'maxChange'>;
  for (const field of ['degree', 'betweenness', 'pagerank'] as const) {
    const a = series(before, field);
    const b = series(after, field);
    impact.spearman[field] = spearman(a, b);
    impact.maxChange[field] = a.reduce((max, value, i) => Math.max(max, Math.abs(value - b[i]!)), 0);
  }
  return {
    ...impact,
    modularity: { before: before.modularity, after: after.modularity },
    communities: { before: before.communities, after: after.communities },
    components: { before: before.components, after: after.components },
  };
}

/**
 * Robust key players
 * ==================
 *
 * Intelligence is never complete: some associations, and some nominals, are
 * missing from any picture police hold. How far can a top-k list be trusted?
 * Drop a random share of the edges (or nodes) many times, rank again each
 * time, and count how often each node stays in the top k. A node that
 * stays in 95 % of samples with 20 % of the ties missing is a safe target; one
 * that stays in 40 % is a guess.
 *
 * [Reference]:
 * Borgatti, Stephen P., Kathleen M. Carley and David Krackhardt. "On the
 * robustness of centrality measures under conditions of imperfect data."
 * Social Networks 28(2), 2006, 124–136 (the sampling design).
 * Wilson, Edwin B. "Probable inference, the law of succession, and
 * statistical inference." JASA 22(158), 1927, 209–212 (the intervals).
 *
 * Sampling. Sample j shuffles all edges (or nodes) once, with a Mersenne
 * Twister seeded by `seed`, and at fraction f drops the first round(f · total)
 * of that order: the samples at 10 % contain the drops of the samples at 5 %,
 * so frequencies across fractions are comparable and do not depend on which
 * other fractions were asked for. Edges are the graph's own edges, so
 * parallel edges between two nominals are dropped one by one.
 *
 * A node dropped in a sample (drop: 'nodes') counts as absent from that
 * sample's top k: the frequency is the share of *all* samples, so it mixes
 * "missing from the data" with "outranked". `present` gives the first share
 * alone.
 */
import type { AbstractGraph } from 'graphology-types';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { mersenne } from 'pure-rand/generator/mersenne';
import { compareIds } from '@ocgnet/schema';
import { KeyPlayerError, keyPlayersNegative, type KeyPlayersNegativeOptions } from './keyPlayers.js';

/** Ranks a graph's nodes, most important first (only the first k are read). */
export type NodeRanking = (graph: AbstractGraph) => readonly string[];

export interface RobustnessOptions {
  rank: NodeRanking;
  /** Length of the list whose stability is measured. */
  k: number;
  /** What goes missing: edges (unrecorded associations) or nodes (unknown nominals). */
  drop: 'edges' | 'nodes';
  /** Shares of edges or nodes dropped, each in [0, 1). */
  fractions: readonly number[];
  /** Samples per fraction. */
  samples: number;
  seed: number;
}

export const DEFAULT_ROBUSTNESS_OPTIONS: Omit<RobustnessOptions, 'rank' | 'k'> = {
  drop: 'edges',
  fractions: [0.05, 0.1, 0.2, 0.3],
  samples: 50,
  seed: 1,
};

export interface RobustKeyPlayer {
  id: string;
  /** Position (1-based) in the top k of the intact graph, or null when it enters only in samples. */
  baselineRank: number | null;
  /** Per fraction: share of samples with the node in the top k (dropped nodes count as absent). */
  frequency: number[];
  /** Per fraction: Wilson 95 % interval of that share, given the number of samples. */
  interval: [number, number][];
  /** Per fraction: share of samples in which the node was not dropped (always 1 when dropping edges). */
  present: number[];
}

export interface RobustKeyPlayers {
  k: number;
  drop: 'edges' | 'nodes';
  fractions: number[];
  samples: number;
  seed: number;
  /** The top k of the intact graph. */
  baseline: string[];
  /** Per fraction: how many edges or nodes each sample dropped. */
  dropped: number[];
  /** Every node in any top k: the baseline first in its order, then by mean frequency (descending) and id. */
  nodes: RobustKeyPlayer[];
}

const Z95 = 1.959963984540054;

/** Wilson score interval for `successes` out of `trials`, at 95 %. */
export function wilsonInterval(successes: number, trials: number): [number, number] {
  if (trials === 0) return [0, 1];
  const p = successes / trials;
  const z2 = Z95 * Z95;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const half = (Z95 * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / denominator;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

function fail(message: string): never {
  throw new KeyPlayerError('INVALID_OPTION', message, '@ocgnet/disruption/robustness');
}

/**
 * How often each node stays in the top k when part of the data is missing.
 *
 * @example
 * const byBetweenness = rankingByScore((g) => betweenness(g));
 * robustKeyPlayers(graph, { rank: byBetweenness, k: 5 });
 * // nodes[0]: { id: 'n17', baselineRank: 1, frequency: [1, 0.98, 0.9, 0.76], … }
 */
export function robustKeyPlayers(
  graph: AbstractGraph,
  options: Pick<RobustnessOptions, 'rank' | 'k'> & Partial<RobustnessOptions>,
): RobustKeyPlayers {
  const { rank, k, drop, fractions, samples, seed } = { ...DEFAULT_ROBUSTNESS_OPTIONS, ...options };
  if (typeof rank !== 'function') fail('rank must be a function from a graph to node ids, most important first.');
  if (!Number.isInteger(k) || k < 1) fail(`k must be a positive integer, got ${k}.`);
  if (drop !== 'edges' && drop !== 'nodes') fail(`drop must be 'edges' or 'nodes', got ${JSON.stringify(drop)}.`);
  for (const f of fractions) if (!(f >= 0 && f < 1)) fail(`fractions must lie in [0, 1), got ${f}.`);
  if (!Number.isInteger(samples) || samples < 1) fail(`samples must be a positive integer, got ${samples}.`);
  if (!Number.isSafeInteger(seed)) fail(`seed must be a safe integer, got ${seed}.`);

  const topOf = (g: AbstractGraph) => [...new Set(rank(g))].slice(0, k);
  const baseline = topOf(graph.copy());
  const items = drop === 'edges' ? graph.edges() : graph.nodes();
  const dropped = fractions.map((f) => Math.round(f * items.length));
  const inTop = new Map<string, number[]>();
  const tally = (id: string) => {
    let entry = inTop.get(id);
    if (entry === undefined) inTop.set(id, (entry = fractions.map(() => 0)));
    return entry;
  };
  for (const id of baseline) tally(id);
  // drop: 'nodes': samples per fraction in which each node survived.
  const nodeIndex = new Map(drop === 'nodes' ? items.map((id, i) => [id, i]) : []);
  const survived = new Int32Array(drop === 'nodes' ? items.length * fractions.length : 0);

  const random = mersenne(seed);
  const order = items.map((_, i) => i);
  for (let sample = 0; sample < samples; sample++) {
    // A fresh Fisher–Yates shuffle of every edge (or node) per sample.
    for (let i = order.length - 1; i > 0; i--) {
      const j = uniformInt(random, 0, i);
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }
    fractions.forEach((_, f) => {
      const copy = graph.copy();
      for (let i = 0; i < dropped[f]!; i++) {
        if (drop === 'edges') copy.dropEdge(items[order[i]!]!);
        else copy.dropNode(items[order[i]!]!);
      }
      if (drop === 'nodes')
        for (let i = dropped[f]!; i < order.length; i++) survived[order[i]! * fractions.length + f]!++;
      for (const id of topOf(copy)) tally(id)[f]!++;
    });
  }

  const nodes: RobustKeyPlayer[] = [...inTop].map(([id, counts]) => ({
    id,
    baselineRank: baseline.includes(id) ? baseline.indexOf(id) + 1 : null,
    frequency: counts.map((c) => c / samples),
    interval: counts.map((c) => wilsonInterval(c, samples)),
    present: fractions.map((_, f) => {
      const index = nodeIndex.get(id);
      // A ranking may name an id the graph lacks; it was never dropped.
      return drop === 'edges' || index === undefined ? 1 : survived[index * fractions.length + f]! / samples;
    }),
  }));
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  nodes.sort((a, b) => {
    if (a.baselineRank !== null || b.baselineRank !== null)
      return (a.baselineRank ?? Infinity) - (b.baselineRank ?? Infinity);
    return mean(b.frequency) - mean(a.frequency) || compareIds(a.id, b.id);
  });
  return { k, drop, fractions: [...fractions], samples, seed, baseline, dropped, nodes };
}

/**
 * A ranking from a per-node score (a centrality): highest first, ties to
 * the smaller id.
 *
 * @example
 * rankingByScore((g) => betweenness(g));
 */
export function rankingByScore(score: (graph: AbstractGraph) => Record<string, number>): NodeRanking {
  return (graph) => {
    const values = score(graph);
    return Object.keys(values).sort((a, b) => values[b]! - values[a]! || compareIds(a, b));
  };
}

/**
 * A ranking by KPP-Neg: the key-player set found on each sample, sorted by
 * id. Give robustKeyPlayers the same k, so the "top k" is the set itself.
 * Samples with too few nodes left for k players give an empty list.
 */
export function rankingByKeyPlayers(
  options: Pick<KeyPlayersNegativeOptions, 'k'> & Partial<KeyPlayersNegativeOptions>,
): NodeRanking {
  return (graph) => (graph.order > options.k ? keyPlayersNegative(graph, options).players : []);
}

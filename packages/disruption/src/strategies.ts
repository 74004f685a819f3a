/**
 * Removal strategies
 * ==================
 *
 * Who to remove next: the registry the removal simulation (simulate.ts), the
 * CLI and the viewer read, so every front end lists the same strategies from
 * the same data.
 *
 * A strategy either
 * - **scores** the nodes of the network that remains (`kind: 'score'`): the
 *   simulation removes the top-scoring node, and in sequential mode scores
 *   the remaining network again after every removal (Holme, Kim, Yoon & Han,
 *   "Attack vulnerability of complex networks", Phys. Rev. E 65, 2002: the
 *   "recalculated" attacks); or
 * - gives an **order** outright (`kind: 'order'`): a random order, the
 *   analyst's own target list, or (later) a key-player set, which is chosen
 *   as a whole (Borgatti 2006) and so is not re-ranked step by step.
 *
 * Scores come from the metric modules of `@ocgnet/analysis`, run on the
 * subgraph induced by the nodes not yet removed (betweenness reads the
 * removal mask directly; the others run on the induced snapshot):
 * - `degree`: number of associates (strength, the sum of tie weights, when weighted);
 * - `betweenness`: normalised shortest-path betweenness (Brandes 2001); when
 *   weighted, a tie of weight w is a path of length 1 / w;
 * - `pagerank`: PageRank with α = 0.85, following ties in proportion to
 *   their weight when weighted;
 * - `coreness`: k-core number (Batagelj & Zaversnik 2003), weights ignored.
 */
import {
  betweennessOnCsr,
  corenessOnCsr,
  degreeOnCsr,
  pagerankOnCsr,
  strengthOnCsr,
  valuesWithout,
  type CsrGraph,
} from '@ocgnet/analysis';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { keyPlayersNegativeOnCsr } from './keyPlayers.js';
import { connectivity, distanceConnectivity } from './fragmentation.js';
import { mersenne } from 'pure-rand/generator/mersenne';

/** What a strategy may read besides the network. */
export interface StrategyContext {
  /** Use tie weights (csr.weights) where the strategy can. */
  weighted: boolean;
  /** Seed of a randomised strategy's generator. */
  seed: number;
  /** The analyst's target list, as node indices, in removal order (for `targets`). */
  targets: readonly number[];
  /** Protected nodes (1 = never remove); the simulation also skips any an order strategy returns. */
  protect?: Uint8Array;
}

interface StrategyBase {
  /** Stable identifier, as typed on the command line. */
  id: string;
  /** One line for a menu or `--help`. */
  description: string;
  /** The order depends on `context.seed`; the simulation averages several runs. */
  randomized: boolean;
}

/** A strategy that scores nodes; the highest score is removed first. */
export interface ScoreStrategy extends StrategyBase {
  kind: 'score';
  /**
   * A score per node index of `csr`, computed on the network without the
   * nodes where `removed[i] = 1`. Entries of removed nodes are not read.
   */
  score(csr: CsrGraph, removed: Uint8Array, context: StrategyContext): Float64Array;
}

/** A strategy that gives the removal order itself. */
export interface OrderStrategy extends StrategyBase {
  kind: 'order';
  /** The first (at most) `k` node indices to remove, in order, without repeats. */
  order(csr: CsrGraph, k: number, context: StrategyContext): number[];
}

export type RemovalStrategy = ScoreStrategy | OrderStrategy;

/**
 * Runs `metric` on the network without the removed nodes and returns its
 * values by index of the full snapshot (0 for removed nodes).
 */
export function scoreRemaining(
  csr: CsrGraph,
  removed: Uint8Array,
  metric: (remaining: CsrGraph) => ArrayLike<number>,
): Float64Array {
  return valuesWithout(csr, removed, metric);
}

export const degreeStrategy: ScoreStrategy = {
  id: 'degree',
  description: 'Most associates first (most tie weight when weighted).',
  kind: 'score',
  randomized: false,
  score: (csr, removed, { weighted }) =>
    scoreRemaining(csr, removed, (g) => (weighted ? strengthOnCsr(g) : degreeOnCsr(g))),
};

export const betweennessStrategy: ScoreStrategy = {
  id: 'betweenness',
  description: 'Most shortest paths through the nominal first: the brokers.',
  kind: 'score',
  randomized: false,
  // The removal mask goes straight to the kernel: no induced snapshot per step.
  score: (csr, removed, { weighted }) => betweennessOnCsr(csr, { normalized: true, weighted, removed }),
};

export const pagerankStrategy: ScoreStrategy = {
  id: 'pagerank',
  description: 'Highest PageRank (alpha 0.85) first: ties to well-tied nominals count more.',
  kind: 'score',
  randomized: false,
  score: (csr, removed, { weighted }) => scoreRemaining(csr, removed, (g) => pagerankOnCsr(g, { weighted })),
};

export const corenessStrategy: ScoreStrategy = {
  id: 'coreness',
  description: 'Deepest k-core first: the densely knit centre of the network.',
  kind: 'score',
  randomized: false,
  score: (csr, removed) => scoreRemaining(csr, removed, corenessOnCsr),
};

export const randomStrategy: OrderStrategy = {
  id: 'random',
  description: 'A uniformly random order (seeded): the baseline every targeted strategy should beat.',
  kind: 'order',
  randomized: true,
  order(csr, k, { seed, protect }) {
    // The first k draws of a Fisher–Yates shuffle from a seeded Mersenne Twister, over the unprotected nodes.
    const generator = mersenne(seed);
    const pool = new Int32Array(csr.n);
    let size = 0;
    for (let v = 0; v < csr.n; v++) if (!protect?.[v]) pool[size++] = v;
    const count = Math.min(k, size);
    for (let i = 0; i < count; i++) {
      const j = uniformInt(generator, i, size - 1);
      const chosen = pool[j]!;
      pool[j] = pool[i]!;
      pool[i] = chosen;
    }
    return Array.from(pool.subarray(0, count));
  },
};

export const targetsStrategy: OrderStrategy = {
  id: 'targets',
  description: "The analyst's own target list, in the order given.",
  kind: 'order',
  randomized: false,
  order: (_csr, k, { targets }) => targets.slice(0, k),
};

/**
 * A key-player set (Borgatti 2006: greedy start plus local swaps, best of
 * seeded restarts) of size k, removed in the order that raises the objective
 * most at each step, so the curve shows the set taking effect.
 */
function keyPlayerOrder(
  csr: CsrGraph,
  k: number,
  objective: 'fragmentation' | 'distance',
  seed: number,
  protect?: Uint8Array,
): number[] {
  const exclude = protect === undefined ? [] : csr.ids.filter((_, v) => protect[v] === 1);
  const size = Math.min(k, csr.n - 1, csr.n - exclude.length);
  if (size < 1) return [];
  const players = keyPlayersNegativeOnCsr(csr, {
    k: size,
    objective,
    seed,
    ...(exclude.length > 0 ? { exclude } : {}),
  }).players.map((id) => csr.index.get(id)!);
  const removed = new Uint8Array(csr.n);
  const order: number[] = [];
  const score = (mask: Uint8Array) =>
    objective === 'fragmentation'
      ? connectivity(csr, mask).fragmentation
      : distanceConnectivity(csr, mask).distanceFragmentation;
  while (order.length < players.length) {
    let best = -1;
    let bestScore = -Infinity;
    // Players come sorted by id, so a tie keeps the smaller id.
    for (const player of players) {
      if (removed[player]) continue;
      removed[player] = 1;
      const value = score(removed);
      removed[player] = 0;
      if (value > bestScore + 1e-12) {
        bestScore = value;
        best = player;
      }
    }
    removed[best] = 1;
    order.push(best);
  }
  return order;
}

export const keyPlayerStrategy: OrderStrategy = {
  id: 'keyplayer',
  description: "Borgatti's KPP-Neg set for the number of steps: the set whose removal fragments the network most (F).",
  kind: 'order',
  randomized: false,
  order: (csr, k, { seed, protect }) => keyPlayerOrder(csr, k, 'fragmentation', seed, protect),
};

export const keyPlayerDistanceStrategy: OrderStrategy = {
  id: 'keyplayer-distance',
  description: "Borgatti's KPP-Neg set on distance-weighted fragmentation: it also lengthens the paths that remain.",
  kind: 'order',
  randomized: false,
  order: (csr, k, { seed, protect }) => keyPlayerOrder(csr, k, 'distance', seed, protect),
};

/** Every built-in strategy, in the order a menu lists them. */
export const REMOVAL_STRATEGIES: readonly RemovalStrategy[] = [
  degreeStrategy,
  betweennessStrategy,
  pagerankStrategy,
  corenessStrategy,
  keyPlayerStrategy,
  keyPlayerDistanceStrategy,
  randomStrategy,
  targetsStrategy,
];

/** Identifiers of the built-in strategies. */
export type RemovalStrategyId =
  'degree' | 'betweenness' | 'pagerank' | 'coreness' | 'keyplayer' | 'keyplayer-distance' | 'random' | 'targets';

/** The built-in strategy with this id, or undefined. */
export function findRemovalStrategy(id: string): RemovalStrategy | undefined {
  return REMOVAL_STRATEGIES.find((strategy) => strategy.id === id);
}

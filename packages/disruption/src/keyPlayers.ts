/**
 * Key players
 * ===========
 *
 * Which k nominals, acted on together, matter most?
 *
 * - **KPP-Neg** (Pursue): the set whose removal leaves the network most
 *   fragmented. Objectives are Borgatti's fragmentation F (eq. 4, the share
 *   of pairs that can no longer reach each other) or distance-weighted
 *   fragmentation dF (eq. 9, 1 − global efficiency), both measured on the
 *   nodes that remain (see fragmentation.ts).
 * - **KPP-Pos** (Prevent engagement, intelligence gathering): the set that
 *   reaches most of the others. Measures are m-reach (the share of
 *   non-players within `steps` hops of some player, Borgatti eq. 12) or
 *   distance-weighted reach (the mean over non-players of 1/d, d the hop
 *   distance to the nearest player, 0 when unreachable; eq. 14 without the
 *   players' own terms).
 *
 * [Reference]:
 * Borgatti, Stephen P. "Identifying sets of key players in a social
 * network." Computational and Mathematical Organization Theory 12(1), 2006,
 * 21–34.
 *
 * Search, as Borgatti's greedy optimisation: a start set, then rounds in
 * which every (player, non-player) swap is scored and the best one is made,
 * until no swap improves the objective (or `maxSwapRounds` is reached). The
 * first restart starts greedily (add the node that raises the objective
 * most, ties to the smaller node id); the others start from seeded random
 * sets. The best restart wins (ties to the earlier restart). The result is a
 * local optimum: `keyPlayersBruteForce` gives the exact one on tiny graphs.
 *
 * Speed. Every step scores "this set plus one node v" for all v at once:
 * - F: one depth-first search finds, for every node, the pieces its removal
 *   splits its component into (Hopcroft & Tarjan 1973 articulation points
 *   with subtree sizes): O(n + m) for all n candidates.
 * - dF: one breadth-first search per source s; removing v changes distances
 *   from s only to the nodes v dominates in the shortest-path DAG of s
 *   (every shortest path passes through v), and only those are searched
 *   again. The dominator tree of a DAG is built in topological order, each
 *   node's immediate dominator being the common dominator of its
 *   predecessors (Cooper, Harvey & Kennedy 2001).
 * - reach: a breadth-first search from each candidate, cut off where the
 *   current players are already at least as close.
 * A swap round repeats this once per player with that player put back.
 * Reported scores are recomputed with `connectivity` / `distanceConnectivity`.
 *
 * The graph is read as the snapshot's simple undirected view, unweighted:
 * distances are hop counts.
 */
import type { AbstractGraph } from 'graphology-types';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { mersenne } from 'pure-rand/generator/mersenne';
import { csrOf, inducedCsr, isGraphologyGraph, type CsrGraph } from '@ocgnet/analysis';
import { compareIds } from '@ocgnet/schema';
import { connectivity, distanceConnectivity } from './fragmentation.js';
import { OcgnetError } from '@ocgnet/schema';

const ORIGIN = '@ocgnet/disruption/keyPlayers';
const UNREACHED = 0x7fffffff;

/** What went wrong, for code that reacts to key-player errors. */
export type KeyPlayerErrorCode = 'NOT_A_GRAPH' | 'INVALID_OPTION' | 'UNKNOWN_NODE' | 'TOO_MANY_SUBSETS';

/** Thrown on misuse by the key-player modules. The message starts with the module of origin. */
export class KeyPlayerError extends OcgnetError<KeyPlayerErrorCode> {
  override readonly name: string = 'KeyPlayerError';
  constructor(
    code: KeyPlayerErrorCode,
    message: string,
    /** Module of origin, e.g. "@ocgnet/disruption/robustness". */
    origin: string = ORIGIN,
  ) {
    super(code, message, { origin });
  }
}

/** KPP-Neg objective: Borgatti's F, or distance-weighted dF. */
export type NegativeObjective = 'fragmentation' | 'distance';
/** KPP-Pos measure: share reached within `steps` hops, or mean 1/distance. */
export type PositiveMeasure = 'reach' | 'distance';

export interface KeyPlayerSearchOptions {
  /** Size of the set. 1 ≤ k ≤ n − 1, n the nodes searched (the group's, with `restrictTo`). */
  k: number;
  /**
   * One OCG's members. The search and the score both run on the subgraph
   * induced by them: ties to non-members are ignored, as if the group were
   * the whole network. Leave out to search the whole network.
   */
  restrictTo?: readonly string[];
  /** Seed of the random restarts. */
  seed: number;
  /** Number of starts: the greedy one, then restarts − 1 random ones. */
  restarts: number;
  /** Most swap rounds per start. */
  maxSwapRounds: number;
  /**
   * Node ids never chosen as players (safeguarding subjects: see
   * `safeguardingSubjects`). They stay in the network and count in the score;
   * ids not in the searched nodes are ignored. Default: none.
   */
  exclude?: readonly string[];
}

export interface KeyPlayersNegativeOptions extends KeyPlayerSearchOptions {
  objective: NegativeObjective;
}

export interface KeyPlayersPositiveOptions extends KeyPlayerSearchOptions {
  measure: PositiveMeasure;
  /** Hops for `measure: 'reach'` (m-reach); not used by `'distance'`. */
  steps: 1 | 2;
}

export const DEFAULT_KEY_PLAYERS_NEGATIVE_OPTIONS: Omit<KeyPlayersNegativeOptions, 'k'> = {
  objective: 'fragmentation',
  seed: 1,
  restarts: 20,
  maxSwapRounds: 100,
};

export const DEFAULT_KEY_PLAYERS_POSITIVE_OPTIONS: Omit<KeyPlayersPositiveOptions, 'k'> = {
  measure: 'reach',
  steps: 1,
  seed: 1,
  restarts: 20,
  maxSwapRounds: 100,
};

/** One swap made by the local search. */
export interface KeyPlayerSwap {
  out: string;
  in: string;
  /** Objective after the swap. */
  score: number;
}

/** One start of the search and where its local search ended. */
export interface KeyPlayerRun {
  /** 1-based; restart 1 is the greedy start. */
  restart: number;
  start: 'greedy' | 'random';
  /** The start set, in the order chosen (greedy: order of addition). */
  startPlayers: string[];
  startScore: number;
  swaps: KeyPlayerSwap[];
  /** The set the local search ended on, sorted by id. */
  players: string[];
  score: number;
  /** Swap rounds run, including the last one that found no improvement. */
  rounds: number;
  /** False when `maxSwapRounds` stopped the search while swaps still improved. */
  converged: boolean;
}

export interface KeyPlayerResult {
  kind: 'negative' | 'positive';
  /** KPP-Neg: 'fragmentation' | 'distance'; KPP-Pos: 'reach' | 'distance'. */
  objective: NegativeObjective | PositiveMeasure;
  /** KPP-Pos with 'reach': the hop limit. */
  steps?: number;
  /** The best set found, sorted by id. */
  players: string[];
  score: number;
  /**
   * KPP-Neg: the objective on the intact network (nothing removed).
   * KPP-Pos: the score of the k highest-degree nodes (ties to the smaller
   * id), the choice one would make without this search.
   */
  baseline: number;
  /** Nodes the score is measured over (the group's size with `restrictTo`). */
  nodes: number;
  /** Every start, in order. */
  history: KeyPlayerRun[];
}

/** A problem on a snapshot: how to score a set, and every set-plus-one. */
interface Problem {
  csr: CsrGraph;
  /** The reported score of a set (inSet[v] = 1 for members). */
  score(inSet: Uint8Array): number;
  /** out[v] = score of the set plus v, for every v not in the set. */
  additions(inSet: Uint8Array, size: number, out: Float64Array): void;
}

/**
 * out[v] = 1 − connected(v) / pairs for every node v not removed (NaN for
 * removed ones): the fragmentation once v is removed too, where connected(v)
 * is what the pairs left then contribute (reachable pairs for F, Σ 1/d for
 * dF) and pairs counts the ordered pairs of the remaining − 1 nodes.
 */
function fragmentationWithout(
  removed: Uint8Array,
  remaining: number,
  out: Float64Array,
  connected: (v: number) => number,
): void {
  const left = remaining - 1;
  const pairs = left * (left - 1);
  for (let v = 0; v < out.length; v++) out[v] = removed[v] ? Number.NaN : pairs === 0 ? 1 : 1 - connected(v) / pairs;
}

// ---------------------------------------------------------------------------
// KPP-Neg, fragmentation: articulation search with piece sizes.

function fragmentationAdditions(csr: CsrGraph): Problem['additions'] {
  const { n, offsets, targets } = csr;
  const disc = new Int32Array(n);
  const low = new Int32Array(n);
  const parent = new Int32Array(n);
  const cursor = new Int32Array(n);
  const sub = new Float64Array(n);
  const cutSize = new Float64Array(n);
  const cutPairs = new Float64Array(n);
  const componentSize = new Float64Array(n);
  const stack = new Int32Array(n);
  const finished = new Int32Array(n);
  return (removed, _size, out) => {
    disc.fill(-1);
    let time = 0;
    let remaining = 0;
    let connectedPairs = 0;
    for (let root = 0; root < n; root++) {
      if (removed[root] || disc[root]! >= 0) continue;
      let top = 0;
      let done = 0;
      stack[top++] = root;
      disc[root] = low[root] = time++;
      parent[root] = -1;
      cursor[root] = offsets[root]!;
      sub[root] = 1;
      cutSize[root] = cutPairs[root] = 0;
      while (top > 0) {
        const v = stack[top - 1]!;
        if (cursor[v]! < offsets[v + 1]!) {
          const w = targets[cursor[v]!++]!;
          if (removed[w]) continue;
          if (disc[w]! < 0) {
            disc[w] = low[w] = time++;
            parent[w] = v;
            cursor[w] = offsets[w]!;
            sub[w] = 1;
            cutSize[w] = cutPairs[w] = 0;
            stack[top++] = w;
          } else if (w !== parent[v] && disc[w]! < low[v]!) {
            low[v] = disc[w]!;
          }
          continue;
        }
        top--;
        finished[done++] = v;
        const p = parent[v]!;
        if (p < 0) continue;
        sub[p]! += sub[v]!;
        if (low[v]! < low[p]!) low[p] = low[v]!;
        // v's subtree has no back edge above p: removing p cuts it off.
        if (low[v]! >= disc[p]!) {
          cutSize[p]! += sub[v]!;
          cutPairs[p]! += sub[v]! * (sub[v]! - 1);
        }
      }
      const size = sub[root]!;
      for (let i = 0; i < done; i++) componentSize[finished[i]!] = size;
      remaining += size;
      connectedPairs += size * (size - 1);
    }
    fragmentationWithout(removed, remaining, out, (v) => {
      const size = componentSize[v]!;
      const rest = size - 1 - cutSize[v]!;
      return connectedPairs - size * (size - 1) + cutPairs[v]! + rest * (rest - 1);
    });
  };
}

// ---------------------------------------------------------------------------
// KPP-Neg, distance: one BFS per source, re-searching only dominated nodes.

function distanceAdditions(csr: CsrGraph): Problem['additions'] {
  const { n, offsets, targets } = csr;
  const dist = new Int32Array(n);
  const order = new Int32Array(n);
  const idom = new Int32Array(n);
  const domDepth = new Int32Array(n);
  const childStart = new Int32Array(n + 1);
  const childFill = new Int32Array(n);
  const children = new Int32Array(n);
  const preorder = new Int32Array(n);
  const tin = new Int32Array(n);
  const size = new Int32Array(n);
  const stack = new Int32Array(n);
  const base = new Float64Array(n);
  const loss = new Float64Array(n);
  // Re-search inside one dominated subtree.
  const label = new Int32Array(n);
  const seedKeys = new Float64Array(n);
  const queueNode = new Int32Array(n);
  const queueKey = new Int32Array(n);
  const settled = new Int32Array(n);
  let stamp = 0;
  return (removed, _size, out) => {
    let remaining = 0;
    let total = 0;
    loss.fill(0);
    base.fill(0);
    settled.fill(0);
    tin.fill(-1);
    stamp = 0;
    for (let s = 0; s < n; s++) {
      if (removed[s]) continue;
      remaining++;
      // Breadth-first search from s, and the dominator tree of its DAG.
      dist.fill(-1);
      dist[s] = 0;
      idom[s] = -1;
      domDepth[s] = 0;
      let head = 0;
      let tail = 0;
      order[tail++] = s;
      let inverse = 0;
      while (head < tail) {
        const v = order[head++]!;
        const next = dist[v]! + 1;
        for (let slot = offsets[v]!; slot < offsets[v + 1]!; slot++) {
          const w = targets[slot]!;
          if (removed[w] || dist[w] !== -1) continue;
          dist[w] = next;
          inverse += 1 / next;
          order[tail++] = w;
        }
      }
      base[s] = inverse;
      total += inverse;
      const reached = tail;
      for (let i = 1; i < reached; i++) {
        const t = order[i]!;
        const level = dist[t]! - 1;
        let dominator = -1;
        for (let slot = offsets[t]!; slot < offsets[t + 1]!; slot++) {
          const u = targets[slot]!;
          if (removed[u] || dist[u] !== level) continue;
          if (dominator < 0) {
            dominator = u;
            continue;
          }
          let a = dominator;
          let b = u;
          while (a !== b) {
            if (domDepth[a]! >= domDepth[b]!) a = idom[a]!;
            else b = idom[b]!;
          }
          dominator = a;
        }
        idom[t] = dominator;
        domDepth[t] = domDepth[dominator]! + 1;
      }
      // Dominator-tree children (counting sort), then a preorder with subtree sizes.
      for (let i = 0; i < reached; i++) tin[order[i]!] = i; // BFS position for now; preorder position once visited
      for (let i = 0; i <= reached; i++) childStart[i] = 0;
      for (let i = 1; i < reached; i++) childStart[tin[idom[order[i]!]!]! + 1]!++;
      for (let i = 0; i < reached; i++) childStart[i + 1]! += childStart[i]!;
      for (let i = 0; i < reached; i++) childFill[i] = childStart[i]!;
      for (let i = 1; i < reached; i++) {
        const t = order[i]!;
        children[childFill[tin[idom[t]!]!]!++] = t;
      }
      let top = 0;
      let position = 0;
      stack[top++] = s;
      while (top > 0) {
        const v = stack[--top]!;
        const local = tin[v]!;
        for (let c = childStart[local + 1]! - 1; c >= childStart[local]!; c--) stack[top++] = children[c]!;
        preorder[position] = v;
        tin[v] = position++;
      }
      for (let i = 0; i < reached; i++) size[order[i]!] = 1;
      for (let i = reached - 1; i >= 1; i--) {
        const t = order[i]!;
        size[idom[t]!]! += size[t]!;
      }
      // Each non-source v that dominates others: distances to them rise without v.
      for (let i = 1; i < reached; i++) {
        const v = order[i]!;
        if (size[v] === 1) continue;
        const own = tin[v]!;
        const last = own + size[v]!;
        let before = 0;
        let seedCount = 0;
        for (let p = own + 1; p < last; p++) {
          const t = preorder[p]!;
          before += 1 / dist[t]!;
          // Best entry into v's subtree from outside it: outside distances do not change.
          let best = UNREACHED;
          for (let slot = offsets[t]!; slot < offsets[t + 1]!; slot++) {
            const u = targets[slot]!;
            if (removed[u]) continue;
            const at = tin[u]!;
            if (at >= own && at < last) continue;
            if (dist[u]! + 1 < best) best = dist[u]! + 1;
          }
          label[t] = best;
          if (best !== UNREACHED) seedKeys[seedCount++] = best * (n + 1) + t;
        }
        // Settle in nondecreasing distance: sorted seeds merged with a FIFO of unit steps.
        seedKeys.subarray(0, seedCount).sort();
        if (++stamp === UNREACHED) {
          settled.fill(0);
          stamp = 1;
        }
        let after = 0;
        let qHead = 0;
        let qTail = 0;
        let next = 0;
        while (qHead < qTail || next < seedCount) {
          let t: number;
          let key: number;
          const seedKey = next < seedCount ? Math.floor(seedKeys[next]! / (n + 1)) : UNREACHED;
          if (qHead < qTail && queueKey[qHead]! <= seedKey) {
            t = queueNode[qHead]!;
            key = queueKey[qHead++]!;
          } else {
            t = seedKeys[next]! - seedKey * (n + 1);
            key = seedKey;
            next++;
          }
          if (settled[t] === stamp) continue;
          settled[t] = stamp;
          after += 1 / key;
          for (let slot = offsets[t]!; slot < offsets[t + 1]!; slot++) {
            const u = targets[slot]!;
            if (removed[u] || settled[u] === stamp) continue;
            const at = tin[u]!;
            if (at <= own || at >= last || key + 1 >= label[u]!) continue;
            label[u] = key + 1;
            queueNode[qTail] = u;
            queueKey[qTail++] = key + 1;
          }
        }
        loss[v]! += before - after;
      }
      for (let i = 0; i < reached; i++) tin[order[i]!] = -1;
    }
    // Pairs without v: every source's sum, less v's own row and column (equal, distances being symmetric), less what v's absence lengthens.
    fragmentationWithout(removed, remaining, out, (v) => total - 2 * base[v]! - loss[v]!);
  };
}

// ---------------------------------------------------------------------------
// KPP-Pos: what each non-player is worth at hop distance d from the set.

function positiveValue(measure: PositiveMeasure, steps: number): (d: number) => number {
  return measure === 'reach' ? (d) => (d <= steps ? 1 : 0) : (d) => (d === UNREACHED ? 0 : 1 / d);
}

/** Hop distance from the nearest member of the set to every node (UNREACHED when none). */
function distanceFromSet(csr: CsrGraph, inSet: Uint8Array, dist: Int32Array, queue: Int32Array): void {
  const { n, offsets, targets } = csr;
  dist.fill(UNREACHED);
  let head = 0;
  let tail = 0;
  for (let v = 0; v < n; v++) {
    if (inSet[v]) {
      dist[v] = 0;
      queue[tail++] = v;
    }
  }
  while (head < tail) {
    const v = queue[head++]!;
    const next = dist[v]! + 1;
    for (let slot = offsets[v]!; slot < offsets[v + 1]!; slot++) {
      const w = targets[slot]!;
      if (dist[w] === UNREACHED) {
        dist[w] = next;
        queue[tail++] = w;
      }
    }
  }
}

function positiveScore(csr: CsrGraph, measure: PositiveMeasure, steps: number): Problem['score'] {
  const value = positiveValue(measure, steps);
  const dist = new Int32Array(csr.n);
  const queue = new Int32Array(csr.n);
  return (inSet) => {
    distanceFromSet(csr, inSet, dist, queue);
    let total = 0;
    let others = 0;
    for (let v = 0; v < csr.n; v++) {
      if (inSet[v]) continue;
      others++;
      total += value(dist[v]!);
    }
    return others === 0 ? 1 : total / others;
  };
}

function positiveAdditions(csr: CsrGraph, measure: PositiveMeasure, steps: number): Problem['additions'] {
  const { n, offsets, targets } = csr;
  const value = positiveValue(measure, steps);
  const limit = measure === 'reach' ? steps : UNREACHED;
  const fromSet = new Int32Array(n);
  const fromV = new Int32Array(n);
  const queue = new Int32Array(n);
  const seen = new Int32Array(n);
  let stamp = 0;
  return (inSet, size, out) => {
    distanceFromSet(csr, inSet, fromSet, queue);
    let total = 0;
    for (let t = 0; t < n; t++) if (!inSet[t]) total += value(fromSet[t]!);
    const others = n - size - 1;
    seen.fill(0);
    stamp = 0;
    for (let v = 0; v < n; v++) {
      if (inSet[v]) {
        out[v] = Number.NaN;
        continue;
      }
      // v joins the set: it stops counting, and gets closer to whoever it is nearer than the set.
      let sum = total - value(fromSet[v]!);
      stamp++;
      seen[v] = stamp;
      fromV[v] = 0;
      let head = 0;
      let tail = 0;
      queue[tail++] = v;
      while (head < tail) {
        const x = queue[head++]!;
        const next = fromV[x]! + 1;
        if (next > limit) continue;
        for (let slot = offsets[x]!; slot < offsets[x + 1]!; slot++) {
          const w = targets[slot]!;
          if (seen[w] === stamp) continue;
          seen[w] = stamp;
          // The set is at least as close to w, so to everything beyond w on this path.
          if (next >= fromSet[w]!) continue;
          fromV[w] = next;
          sum += value(next) - value(fromSet[w]!);
          queue[tail++] = w;
        }
      }
      out[v] = others === 0 ? 1 : sum / others;
    }
  };
}

// ---------------------------------------------------------------------------
// Problems.

function negativeProblem(csr: CsrGraph, objective: NegativeObjective): Problem {
  return {
    csr,
    score:
      objective === 'fragmentation'
        ? (inSet) => connectivity(csr, inSet).fragmentation
        : (inSet) => distanceConnectivity(csr, inSet).distanceFragmentation,
    additions: objective === 'fragmentation' ? fragmentationAdditions(csr) : distanceAdditions(csr),
  };
}

function positiveProblem(csr: CsrGraph, measure: PositiveMeasure, steps: number): Problem {
  return { csr, score: positiveScore(csr, measure, steps), additions: positiveAdditions(csr, measure, steps) };
}

/**
 * Differences smaller than this are ties. The smallest real change of any
 * objective is about 1/(d(d + 1)) / (n(n − 1)) (one pair moved one hop at
 * distance d), far above rounding in sums of n² terms.
 */
function tieTolerance(n: number): number {
  return 1e-4 / Math.max(1, n * (n - 1));
}

/** Node indices in ascending id order: the order every tie is broken in. */
function idOrder(csr: CsrGraph): Int32Array {
  const indices = Array.from({ length: csr.n }, (_, i) => i);
  indices.sort((a, b) => compareIds(csr.ids[a]!, csr.ids[b]!));
  return Int32Array.from(indices);
}

function idsOf(csr: CsrGraph, members: Iterable<number>): string[] {
  return [...members].map((v) => csr.ids[v]!).sort(compareIds);
}

interface SearchSettings {
  k: number;
  seed: number;
  restarts: number;
  maxSwapRounds: number;
  exclude?: readonly string[] | undefined;
}

/** exclude as a mask over the snapshot (1 = never a player). */
function barredMask(csr: CsrGraph, exclude: readonly string[] | undefined): Uint8Array {
  const barred = new Uint8Array(csr.n);
  for (const id of exclude ?? []) {
    const v = csr.index.get(id);
    if (v !== undefined) barred[v] = 1;
  }
  return barred;
}

interface SearchOutcome {
  players: string[];
  score: number;
  history: KeyPlayerRun[];
}

function search(problem: Problem, settings: SearchSettings): SearchOutcome {
  const { csr } = problem;
  const { n } = csr;
  const { k } = settings;
  const tolerance = tieTolerance(n);
  const ordered = idOrder(csr);
  const barred = barredMask(csr, settings.exclude);
  const candidates = ordered.filter((v) => !barred[v]);
  const scores = new Float64Array(n);
  const random = mersenne(settings.seed);
  const history: KeyPlayerRun[] = [];
  let best: KeyPlayerRun | null = null;

  for (let restart = 1; restart <= settings.restarts; restart++) {
    const inSet = new Uint8Array(n);
    const chosen: number[] = [];
    if (restart === 1) {
      for (let step = 0; step < k; step++) {
        problem.additions(inSet, step, scores);
        let pick = -1;
        let pickScore = Number.NEGATIVE_INFINITY;
        for (const v of candidates) {
          if (!inSet[v] && scores[v]! > pickScore + tolerance) {
            pick = v;
            pickScore = scores[v]!;
          }
        }
        inSet[pick] = 1;
        chosen.push(pick);
      }
    } else {
      // Partial Fisher–Yates over the id order (of the nodes that may be players).
      const pool = Int32Array.from(candidates);
      for (let i = 0; i < k; i++) {
        const j = uniformInt(random, i, pool.length - 1);
        const t = pool[i]!;
        pool[i] = pool[j]!;
        pool[j] = t;
        inSet[pool[i]!] = 1;
        chosen.push(pool[i]!);
      }
    }
    const startScore = problem.score(inSet);
    let current = startScore;
    const swaps: KeyPlayerSwap[] = [];
    let rounds = 0;
    let converged = false;
    while (rounds < settings.maxSwapRounds) {
      rounds++;
      let out = -1;
      let into = -1;
      let bestScore = current;
      for (const u of ordered) {
        if (!inSet[u]) continue;
        inSet[u] = 0;
        problem.additions(inSet, k - 1, scores);
        for (const v of candidates) {
          if (inSet[v] || v === u) continue;
          if (scores[v]! > bestScore + tolerance) {
            out = u;
            into = v;
            bestScore = scores[v]!;
          }
        }
        inSet[u] = 1;
      }
      if (out < 0) {
        converged = true;
        break;
      }
      inSet[out] = 0;
      inSet[into] = 1;
      current = problem.score(inSet);
      swaps.push({ out: csr.ids[out]!, in: csr.ids[into]!, score: current });
    }
    const members: number[] = [];
    for (let v = 0; v < n; v++) if (inSet[v]) members.push(v);
    const run: KeyPlayerRun = {
      restart,
      start: restart === 1 ? 'greedy' : 'random',
      startPlayers: chosen.map((v) => csr.ids[v]!),
      startScore,
      swaps,
      players: idsOf(csr, members),
      score: current,
      rounds,
      converged,
    };
    history.push(run);
    if (best === null || run.score > best.score + tolerance) best = run;
  }
  return { players: best!.players, score: best!.score, history };
}

// ---------------------------------------------------------------------------
// Public API.

function assertGraph(value: unknown): asserts value is AbstractGraph {
  if (!isGraphologyGraph(value)) {
    throw new KeyPlayerError('NOT_A_GRAPH', 'the given graph is not a valid graphology instance.');
  }
}

/**
 * The unweighted snapshot the search runs on: the whole graph, or the
 * subgraph induced by `restrictTo`.
 */
function searchSnapshot(graph: AbstractGraph, restrictTo: readonly string[] | undefined): CsrGraph {
  assertGraph(graph);
  const csr = csrOf(graph, { weightAttribute: null });
  if (restrictTo === undefined) return csr;
  const members = new Set<number>();
  for (const id of restrictTo) {
    const index = csr.index.get(id);
    if (index === undefined)
      throw new KeyPlayerError('UNKNOWN_NODE', `restrictTo names ${JSON.stringify(id)}, which is not in the graph.`);
    members.add(index);
  }
  return inducedCsr(
    csr,
    [...members].sort((a, b) => a - b),
  );
}

function checkSearchOptions(n: number, options: SearchSettings, csr?: CsrGraph): void {
  const { k, seed, restarts, maxSwapRounds } = options;
  if (!Number.isInteger(k) || k < 1 || k > n - 1) {
    throw new KeyPlayerError(
      'INVALID_OPTION',
      `k must be an integer from 1 to ${n - 1} (one less than the ${n} nodes searched), got ${k}.`,
    );
  }
  if (csr !== undefined && options.exclude !== undefined) {
    const barred = barredMask(csr, options.exclude).reduce((total, bit) => total + bit, 0);
    if (k > n - barred) {
      throw new KeyPlayerError(
        'INVALID_OPTION',
        `k = ${k} is more than the ${n - barred} nodes that may be players (${barred} excluded as safeguarding subjects).`,
      );
    }
  }
  if (!Number.isSafeInteger(seed))
    throw new KeyPlayerError('INVALID_OPTION', `seed must be a safe integer, got ${seed}.`);
  if (!Number.isInteger(restarts) || restarts < 1)
    throw new KeyPlayerError('INVALID_OPTION', `restarts must be a positive integer, got ${restarts}.`);
  if (!Number.isInteger(maxSwapRounds) || maxSwapRounds < 0) {
    throw new KeyPlayerError('INVALID_OPTION', `maxSwapRounds must be a non-negative integer, got ${maxSwapRounds}.`);
  }
}

function checkObjective(objective: string, allowed: readonly string[], name: string): void {
  if (!allowed.includes(objective))
    throw new KeyPlayerError(
      'INVALID_OPTION',
      `${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(objective)}.`,
    );
}

/**
 * KPP-Neg: the k nominals whose removal fragments the network (or one OCG)
 * most.
 *
 * @example
 * keyPlayersNegative(graph, { k: 3 }); // { players: ['a', 'f', 'q'], score: 0.71, baseline: 0, … }
 * keyPlayersNegative(graph, { k: 2, objective: 'distance', restrictTo: ocgMembers });
 */
export function keyPlayersNegative(
  graph: AbstractGraph,
  options: Pick<KeyPlayersNegativeOptions, 'k'> & Partial<KeyPlayersNegativeOptions>,
): KeyPlayerResult {
  return keyPlayersNegativeOnCsr(searchSnapshot(graph, options.restrictTo), options);
}

/** KPP-Neg on a snapshot (`restrictTo` is not read: pass the group's induced snapshot instead). */
export function keyPlayersNegativeOnCsr(
  csr: CsrGraph,
  options: Pick<KeyPlayersNegativeOptions, 'k'> & Partial<KeyPlayersNegativeOptions>,
): KeyPlayerResult {
  const settings = { ...DEFAULT_KEY_PLAYERS_NEGATIVE_OPTIONS, ...options };
  checkObjective(settings.objective, ['fragmentation', 'distance'], 'objective');
  checkSearchOptions(csr.n, settings, csr);
  const problem = negativeProblem(csr, settings.objective);
  const outcome = search(problem, settings);
  return {
    kind: 'negative',
    objective: settings.objective,
    players: outcome.players,
    score: outcome.score,
    baseline: problem.score(new Uint8Array(csr.n)),
    nodes: csr.n,
    history: outcome.history,
  };
}

/**
 * KPP-Pos: the k nominals who together reach most of the others, for
 * Prevent engagement or intelligence gathering.
 *
 * @example
 * keyPlayersPositive(graph, { k: 2, steps: 2 }); // share of the rest within two hops of a player
 * keyPlayersPositive(graph, { k: 2, measure: 'distance' });
 */
export function keyPlayersPositive(
  graph: AbstractGraph,
  options: Pick<KeyPlayersPositiveOptions, 'k'> & Partial<KeyPlayersPositiveOptions>,
): KeyPlayerResult {
  const settings = { ...DEFAULT_KEY_PLAYERS_POSITIVE_OPTIONS, ...options };
  checkObjective(settings.measure, ['reach', 'distance'], 'measure');
  if (settings.steps !== 1 && settings.steps !== 2)
    throw new KeyPlayerError('INVALID_OPTION', `steps must be 1 or 2, got ${String(settings.steps)}.`);
  const csr = searchSnapshot(graph, settings.restrictTo);
  checkSearchOptions(csr.n, settings, csr);
  const problem = positiveProblem(csr, settings.measure, settings.steps);
  const outcome = search(problem, settings);
  return {
    kind: 'positive',
    objective: settings.measure,
    ...(settings.measure === 'reach' ? { steps: settings.steps } : {}),
    players: outcome.players,
    score: outcome.score,
    baseline: problem.score(topByDegree(csr, settings.k)),
    nodes: csr.n,
    history: outcome.history,
  };
}

/** The k highest-degree nodes, ties to the smaller id, as a membership mask. */
function topByDegree(csr: CsrGraph, k: number): Uint8Array {
  const ordered = [...idOrder(csr)];
  const degree = (v: number) => csr.offsets[v + 1]! - csr.offsets[v]!;
  ordered.sort((a, b) => degree(b) - degree(a)); // stable: equal degrees stay in id order
  const mask = new Uint8Array(csr.n);
  for (let i = 0; i < k; i++) mask[ordered[i]!] = 1;
  return mask;
}

/** A key-player problem to solve exactly. */
export type KeyPlayerProblem =
  { kind: 'negative'; objective: NegativeObjective } | { kind: 'positive'; measure: PositiveMeasure; steps: 1 | 2 };

export interface KeyPlayersBruteForceOptions {
  k: number;
  restrictTo?: readonly string[];
  /** Refuse (throw TOO_MANY_SUBSETS) when C(n, k) is larger than this. */
  maxSubsets: number;
}

export const DEFAULT_KEY_PLAYERS_BRUTE_FORCE_OPTIONS: Omit<KeyPlayersBruteForceOptions, 'k'> = {
  maxSubsets: 2_000_000,
};

export interface KeyPlayersExact {
  /** The optimal set first in id order (sets compared as id-sorted lists), sorted by id. */
  players: string[];
  score: number;
  /** How many k-subsets reach the optimum. */
  optimalSets: number;
  /** k-subsets scored: C(n, k). */
  subsets: number;
}

/** C(n, k), as a float (exact while below 2^53). */
function binomial(n: number, k: number): number {
  let result = 1;
  for (let i = 1; i <= k; i++) result = (result * (n - k + i)) / i;
  return Math.round(result);
}

/**
 * The exact optimum by scoring every k-subset with the reported score
 * (`connectivity`, `distanceConnectivity`, or reach from the set). For tests
 * and for tiny groups: C(n, k) subsets.
 *
 * @example
 * keyPlayersBruteForce(graph, { kind: 'negative', objective: 'fragmentation' }, { k: 2 });
 */
export function keyPlayersBruteForce(
  graph: AbstractGraph,
  problem: KeyPlayerProblem,
  options: Pick<KeyPlayersBruteForceOptions, 'k'> & Partial<KeyPlayersBruteForceOptions>,
): KeyPlayersExact {
  const { k, restrictTo, maxSubsets } = { ...DEFAULT_KEY_PLAYERS_BRUTE_FORCE_OPTIONS, ...options };
  const csr = searchSnapshot(graph, restrictTo);
  const { n } = csr;
  checkSearchOptions(n, { k, seed: 1, restarts: 1, maxSwapRounds: 0 });
  const subsets = binomial(n, k);
  if (subsets > maxSubsets)
    throw new KeyPlayerError(
      'TOO_MANY_SUBSETS',
      `C(${n}, ${k}) = ${subsets} subsets is more than maxSubsets = ${maxSubsets}.`,
    );
  const score =
    problem.kind === 'negative'
      ? negativeProblem(csr, problem.objective).score
      : positiveScore(csr, problem.measure, problem.steps);
  const ordered = idOrder(csr);
  const tolerance = tieTolerance(n);
  const inSet = new Uint8Array(n);
  const pick = Array.from({ length: k }, (_, i) => i); // positions in id order, ascending
  let bestScore = Number.NEGATIVE_INFINITY;
  let bestPick: number[] = [];
  let optimalSets = 0;
  for (;;) {
    for (const p of pick) inSet[ordered[p]!] = 1;
    const value = score(inSet);
    for (const p of pick) inSet[ordered[p]!] = 0;
    if (value > bestScore + tolerance) {
      bestScore = value;
      bestPick = [...pick];
      optimalSets = 1;
    } else if (value >= bestScore - tolerance) {
      optimalSets++;
    }
    let i = k - 1;
    while (i >= 0 && pick[i] === n - k + i) i--;
    if (i < 0) break;
    pick[i]!++;
    for (let j = i + 1; j < k; j++) pick[j] = pick[j - 1]! + 1;
  }
  return {
    players: idsOf(
      csr,
      bestPick.map((p) => ordered[p]!),
    ),
    score: bestScore,
    optimalSets,
    subsets,
  };
}

/** Scores every set-plus-one at once; exported for tests of the fast evaluators. */
export function keyPlayerAdditionScoresOnCsr(
  csr: CsrGraph,
  problem: KeyPlayerProblem,
  inSet: Uint8Array,
): Float64Array {
  const out = new Float64Array(csr.n);
  let size = 0;
  for (let v = 0; v < csr.n; v++) if (inSet[v]) size++;
  const additions =
    problem.kind === 'negative'
      ? negativeProblem(csr, problem.objective).additions
      : positiveAdditions(csr, problem.measure, problem.steps);
  additions(inSet, size, out);
  return out;
}

/**
 * Removal simulation
 * ==================
 *
 * What happens to the network if nominals are removed (arrested, relocated,
 * safeguarded) one after another: the removal curve of Albert, Jeong &
 * Barabási, "Error and attack tolerance of complex networks", Nature 406,
 * 2000, and Holme, Kim, Yoon & Han, "Attack vulnerability of complex
 * networks", Phys. Rev. E 65, 056109, 2002, with Borgatti's fragmentation
 * measures ("Identifying sets of key players in a social network", 2006)
 * after every step (see fragmentation.ts).
 *
 * Modes (for scoring strategies; an order strategy gives its order as is):
 * - `sequential`: score the remaining network again after every removal and
 *   remove the top node (Holme et al.'s "recalculated" attack: the network
 *   reorganises, the analyst re-targets);
 * - `simultaneous`: rank once on the intact network and remove in that order
 *   ("arrest day": everyone is lifted at once).
 *
 * Ranking is deterministic and is reproduced exactly by the networkx
 * reference (test/reference/disruption.py):
 * - the highest score goes first;
 * - scores are compared after rounding to 10 significant digits, half away
 *   from zero (`Number(x.toPrecision(10))`; Python:
 *   `Context(prec=10, rounding=ROUND_HALF_UP).create_decimal_from_float(x)`),
 *   so that betweenness or PageRank values which two implementations sum in
 *   a different order, and which differ in the last bits, still tie;
 * - ties go to the node id that sorts first in JavaScript string order
 *   (UTF-16 code units, as `Array.prototype.sort`; Python: compare
 *   `id.encode('utf-16-be')`), so "10" comes before "9".
 *
 * Per-group reporting (`mapping`, node → OCG id). Each group's **core** is
 * its member with the highest degree *within the group* (ties by the rule
 * above) in the intact network. After every step, for each group:
 * - `members`: its members still present;
 * - `connectedToCore`: while the core remains, the remaining members in the
 *   core's connected component of the remaining network (the core included);
 *   once the core is removed, the number of remaining members in the
 *   component that holds most of them (the group's largest surviving
 *   cluster). Paths may run through non-members: an associate outside the
 *   group still carries instructions and supply.
 * Mapping entries for nodes not in the network are ignored.
 *
 * Protected nodes (`protect`, by default none; the CLI passes the
 * safeguarding subjects, see {@link safeguardingSubjects}) are never removed:
 * scoring strategies skip them and take the next node, order strategies
 * (random, key player) leave them out, and they stay in the network, so
 * fragmentation is always measured with them present. A `targets` list that
 * names one is refused (PROTECTED_TARGETS).
 *
 * Cost per step: the strategy's score (O(nm) for betweenness, O(n + m) for
 * degree and coreness, O(m) per PageRank iteration) plus O(n + m) for the
 * components and O(n(n + m)) for distance fragmentation and efficiency, which
 * `distanceMeasures: false` leaves out (they are then NaN) on networks too
 * large for one breadth-first search per node and step.
 */
import type { AbstractGraph } from 'graphology-types';
import { connectedComponentsOnCsr, csrOf, isGraphologyGraph, type CsrGraph } from '@ocgnet/analysis';
import { compareIds, isSafeguardingNode } from '@ocgnet/schema';
import { connectivityOf, distanceConnectivity } from './fragmentation.js';
import {
  findRemovalStrategy,
  type RemovalStrategy,
  type RemovalStrategyId,
  type StrategyContext,
} from './strategies.js';
import { OcgnetError } from '@ocgnet/schema';

const ORIGIN = '@ocgnet/disruption/simulate';

export type RemovalMode = 'sequential' | 'simultaneous';

export interface RemovalOptions {
  /** A built-in strategy id (see REMOVAL_STRATEGIES) or a strategy object. */
  strategy: RemovalStrategyId | RemovalStrategy;
  /** Re-score after every removal, or rank once on the intact network. */
  mode: RemovalMode;
  /**
   * Removals to simulate; the curve stops early when the network (or the
   * strategy's order) runs out. Unset: the whole target list for `targets`,
   * else 20.
   */
  steps: number | undefined;
  /** Runs a randomised strategy averages over, with seeds seed … seed + seeds − 1. */
  seeds: number;
  /** Seed of the first run of a randomised strategy. */
  seed: number;
  /** Node ids to remove, in order, for the `targets` strategy. */
  targets: readonly string[];
  /** Let strategies use tie weights (degree → strength, weighted betweenness and PageRank). */
  weighted: boolean;
  /** Edge attribute holding the weight, read when `weighted`. */
  weightAttribute: string;
  /** Node id → group id (OCG membership), for per-group reporting. */
  mapping: Readonly<Record<string, string>> | undefined;
  /** Compute distance fragmentation and efficiency (one BFS per remaining node per step); false reports them as NaN (null in JSON). */
  distanceMeasures: boolean;
  /**
   * Node ids never to remove (safeguarding subjects: see
   * {@link safeguardingSubjects}). They stay in the network; strategies take
   * the next node instead, and `targets` naming one is refused. Ids not in
   * the network are ignored. Default: none.
   */
  protect: ReadonlySet<string>;
}

export const DEFAULT_REMOVAL_OPTIONS: Omit<RemovalOptions, 'strategy'> = {
  mode: 'sequential',
  steps: undefined,
  seeds: 10,
  seed: 1,
  targets: [],
  weighted: false,
  weightAttribute: 'weight',
  mapping: undefined,
  distanceMeasures: true,
  protect: new Set<string>(),
};

/**
 * The nodes of `graph` that are safeguarding subjects (vulnerable, under 18,
 * exploited or cuckooed), by the schema's one rule `isSafeguardingNode`,
 * read from the node's flags (the person projection copies them) or from its
 * `record`. Pass the result as `protect` to keep them from removal.
 */
export function safeguardingSubjects(graph: AbstractGraph): Set<string> {
  const found = new Set<string>();
  graph.forEachNode((id, attributes) => {
    if (isSafeguardingNode(attributes)) found.add(id);
  });
  return found;
}

/** Steps simulated when `steps` is unset and the strategy is not `targets`. */
export const DEFAULT_REMOVAL_STEPS = 20;

/** One group's state after a step; see the module header. */
export interface GroupState {
  /** Members still present. */
  members: number;
  /** Remaining members still connected to the group's core (or largest cluster once the core is gone). */
  connectedToCore: number;
}

/** The network after `step` removals (step 0: intact). Averaged over runs for a randomised strategy. */
export interface RemovalCurvePoint {
  step: number;
  /** Nodes removed so far. */
  removed: number;
  /** Largest connected component of what remains. */
  lcc: number;
  /** lcc / the intact network's node count. */
  lccFraction: number;
  components: number;
  /** Borgatti's F: share of remaining pairs that cannot reach each other. */
  fragmentation: number;
  /** Borgatti's distance-weighted fragmentation, 1 − efficiency; NaN when `distanceMeasures` is off. */
  distanceFragmentation: number;
  /** Global efficiency (Latora & Marchiori 2001); NaN when `distanceMeasures` is off. */
  efficiency: number;
  /** Per group id, when a mapping was given. */
  groups?: Record<string, GroupState>;
}

export interface RemovalResult {
  strategy: string;
  mode: RemovalMode;
  /** Removed node ids in removal order (of the first run for a randomised strategy). */
  removed: string[];
  /** Step 0 (intact) to the last removal. */
  curve: RemovalCurvePoint[];
  /** Runs averaged into `curve` (1 unless the strategy is randomised). */
  runs: number;
  /** Protected nodes present in the network (never removed), sorted by id. */
  protected: string[];
}

export type SimulationErrorCode =
  'NOT_A_GRAPH' | 'UNKNOWN_STRATEGY' | 'UNKNOWN_TARGETS' | 'PROTECTED_TARGETS' | 'INVALID_OPTION';

/** Misuse of the simulation. The message starts with "@ocgnet/disruption/simulate: ". */
export class SimulationError extends OcgnetError<SimulationErrorCode> {
  override readonly name: string = 'SimulationError';
  constructor(
    code: SimulationErrorCode,
    message: string,
    /** For UNKNOWN_TARGETS: the ids not found in the network; for PROTECTED_TARGETS: the protected ids named. */
    readonly unknown: readonly string[] = [],
  ) {
    super(code, message, { origin: ORIGIN });
  }
}

/**
 * Removes nodes one by one by `strategy` and reports how the network comes
 * apart after each removal.
 *
 * @example
 * simulateRemoval(graph, { strategy: 'betweenness', steps: 10 });
 * simulateRemoval(graph, { strategy: 'degree', mode: 'simultaneous', mapping: ocgOf });
 * simulateRemoval(graph, { strategy: 'random', seeds: 20 }); // mean of 20 seeded orders
 * simulateRemoval(graph, { strategy: 'targets', targets: ['n17', 'n4'] });
 * @throws {SimulationError} on unknown strategies or targets and invalid options.
 */
export function simulateRemoval(
  graph: AbstractGraph,
  options: Partial<RemovalOptions> & Pick<RemovalOptions, 'strategy'>,
): RemovalResult {
  if (!isGraphologyGraph(graph)) throw new SimulationError('NOT_A_GRAPH', 'expected a graphology graph.');
  const weighted = options.weighted ?? DEFAULT_REMOVAL_OPTIONS.weighted;
  const weightAttribute = options.weightAttribute ?? DEFAULT_REMOVAL_OPTIONS.weightAttribute;
  return simulateRemovalOnCsr(csrOf(graph, { weightAttribute: weighted ? weightAttribute : null }), options);
}

/** {@link simulateRemoval} on a snapshot (weights, when used, come from `csr.weights`). */
export function simulateRemovalOnCsr(
  csr: CsrGraph,
  options: Partial<RemovalOptions> & Pick<RemovalOptions, 'strategy'>,
): RemovalResult {
  const resolved: RemovalOptions = { ...DEFAULT_REMOVAL_OPTIONS, ...options };
  const strategy = resolveStrategy(resolved.strategy);
  checkOptions(resolved);
  const targets = targetIndices(csr, resolved.targets);
  const guarded = new Uint8Array(csr.n);
  let guardedCount = 0;
  for (const id of resolved.protect) {
    const v = csr.index.get(id);
    if (v !== undefined && !guarded[v]) {
      guarded[v] = 1;
      guardedCount++;
    }
  }
  if (strategy.id === 'targets') {
    const named = resolved.targets.filter((id) => guarded[csr.index.get(id)!]);
    if (named.length > 0) {
      throw new SimulationError(
        'PROTECTED_TARGETS',
        `${named.length} target(s) are safeguarding subjects, to be protected and not targeted: ${named.map((id) => JSON.stringify(id)).join(', ')} (include them only deliberately).`,
        named,
      );
    }
  }
  const requested = resolved.steps ?? (strategy.id === 'targets' ? targets.length : DEFAULT_REMOVAL_STEPS);
  const steps = Math.min(requested, csr.n - guardedCount);
  const idRank = idRanks(csr);
  const groups = resolved.mapping === undefined ? undefined : groupIndex(csr, resolved.mapping, idRank);
  const runs = strategy.randomized ? resolved.seeds : 1;

  const orders: number[][] = [];
  const curves: RemovalCurvePoint[][] = [];
  for (let run = 0; run < runs; run++) {
    const context: StrategyContext = { weighted: resolved.weighted, seed: resolved.seed + run, targets };
    const { order, curve } = runOnce(
      csr,
      strategy,
      resolved.mode,
      steps,
      context,
      idRank,
      groups,
      resolved.distanceMeasures,
      guarded,
    );
    orders.push(order);
    curves.push(curve);
  }
  return {
    strategy: strategy.id,
    mode: resolved.mode,
    removed: orders[0]!.map((v) => csr.ids[v]!),
    curve: runs === 1 ? curves[0]! : averageCurves(curves),
    runs,
    protected: csr.ids.filter((_, v) => guarded[v] === 1).sort(),
  };
}

/** Rounds a score for comparison: 10 significant digits, half away from zero. */
export function rankingKey(score: number): number {
  return Number.isFinite(score) ? Number(score.toPrecision(10)) : score;
}

/**
 * Node indices ordered for removal by `scores`: highest rounded score first,
 * ties by node id in JavaScript string order. Removed nodes are left out.
 */
export function rankByScore(
  csr: CsrGraph,
  scores: ArrayLike<number>,
  removed?: Uint8Array,
  idRank: Int32Array = idRanks(csr),
): number[] {
  const keys = new Float64Array(csr.n);
  const nodes: number[] = [];
  for (let v = 0; v < csr.n; v++) {
    if (removed?.[v]) continue;
    keys[v] = rankingKey(scores[v]!);
    nodes.push(v);
  }
  return nodes.sort((a, b) => keys[b]! - keys[a]! || idRank[a]! - idRank[b]!);
}

function resolveStrategy(strategy: RemovalStrategyId | RemovalStrategy): RemovalStrategy {
  if (typeof strategy === 'object' && strategy !== null && (strategy.kind === 'score' || strategy.kind === 'order'))
    return strategy;
  const found = typeof strategy === 'string' ? findRemovalStrategy(strategy) : undefined;
  if (found === undefined)
    throw new SimulationError('UNKNOWN_STRATEGY', `unknown strategy ${JSON.stringify(strategy)}.`);
  return found;
}

function checkOptions(options: RemovalOptions): void {
  if (options.mode !== 'sequential' && options.mode !== 'simultaneous') {
    throw new SimulationError(
      'INVALID_OPTION',
      `mode must be 'sequential' or 'simultaneous', got ${JSON.stringify(options.mode)}.`,
    );
  }
  if (options.steps !== undefined && !(Number.isInteger(options.steps) && options.steps >= 0)) {
    throw new SimulationError('INVALID_OPTION', `steps must be a non-negative integer, got ${options.steps}.`);
  }
  if (!(Number.isInteger(options.seeds) && options.seeds >= 1)) {
    throw new SimulationError('INVALID_OPTION', `seeds must be a positive integer, got ${options.seeds}.`);
  }
  if (!Number.isSafeInteger(options.seed))
    throw new SimulationError('INVALID_OPTION', `seed must be a safe integer, got ${options.seed}.`);
}

function targetIndices(csr: CsrGraph, targets: readonly string[]): number[] {
  const unknown = targets.filter((id) => !csr.index.has(id));
  if (unknown.length > 0) {
    throw new SimulationError(
      'UNKNOWN_TARGETS',
      `${unknown.length} target(s) not in the network: ${unknown.map((id) => JSON.stringify(id)).join(', ')}.`,
      unknown,
    );
  }
  const indices = targets.map((id) => csr.index.get(id)!);
  if (new Set(indices).size !== indices.length) {
    const repeated = targets.filter((id, k) => targets.indexOf(id) !== k);
    throw new SimulationError(
      'INVALID_OPTION',
      `targets repeat ${[...new Set(repeated)].map((id) => JSON.stringify(id)).join(', ')}.`,
    );
  }
  return indices;
}

/** Position of each node's id in JavaScript string order (UTF-16 code units). */
function idRanks(csr: CsrGraph): Int32Array {
  const sorted = Array.from({ length: csr.n }, (_, v) => v).sort((a, b) => compareIds(csr.ids[a]!, csr.ids[b]!));
  const rank = new Int32Array(csr.n);
  sorted.forEach((v, position) => (rank[v] = position));
  return rank;
}

interface GroupIndex {
  ids: string[];
  /** Members per group, as node indices. */
  members: number[][];
  /** The core member (node index) per group. */
  core: Int32Array;
}

function groupIndex(csr: CsrGraph, mapping: Readonly<Record<string, string>>, idRank: Int32Array): GroupIndex {
  const groupOf = new Int32Array(csr.n).fill(-1);
  const byId = new Map<string, number[]>();
  for (const [node, group] of Object.entries(mapping)) {
    const v = csr.index.get(node);
    if (v === undefined) continue;
    let members = byId.get(group);
    if (members === undefined) byId.set(group, (members = []));
    members.push(v);
  }
  const ids = [...byId.keys()].sort();
  const members = ids.map((id) => byId.get(id)!.sort((a, b) => a - b));
  members.forEach((list, g) => list.forEach((v) => (groupOf[v] = g)));
  const core = new Int32Array(ids.length);
  members.forEach((list, g) => {
    let best = -1;
    let bestDegree = -1;
    for (const v of list) {
      let within = 0;
      for (let slot = csr.offsets[v]!; slot < csr.offsets[v + 1]!; slot++)
        if (groupOf[csr.targets[slot]!] === g) within++;
      if (within > bestDegree || (within === bestDegree && idRank[v]! < idRank[best]!)) {
        best = v;
        bestDegree = within;
      }
    }
    core[g] = best;
  });
  return { ids, members, core };
}

function runOnce(
  csr: CsrGraph,
  strategy: RemovalStrategy,
  mode: RemovalMode,
  steps: number,
  context: StrategyContext,
  idRank: Int32Array,
  groups: GroupIndex | undefined,
  distanceMeasures: boolean,
  guarded: Uint8Array,
): { order: number[]; curve: RemovalCurvePoint[] } {
  const removed = new Uint8Array(csr.n);
  const tally = new Int32Array(csr.n);

  const measure = (step: number): RemovalCurvePoint => {
    // One labelling serves the curve and the groups.
    const labelled = connectedComponentsOnCsr(csr, removed);
    const { lcc, lccFraction, components, fragmentation } = connectivityOf(csr, labelled);
    const { distanceFragmentation, efficiency } = distanceMeasures
      ? distanceConnectivity(csr, removed)
      : { distanceFragmentation: NaN, efficiency: NaN };
    const point: RemovalCurvePoint = {
      step,
      removed: step,
      lcc,
      lccFraction,
      components,
      fragmentation,
      distanceFragmentation,
      efficiency,
    };
    if (groups !== undefined) point.groups = groupStates(removed, groups, labelled.componentOf, tally);
    return point;
  };

  const order: number[] = [];
  const curve: RemovalCurvePoint[] = [measure(0)];
  const remove = (v: number): void => {
    if (!(Number.isInteger(v) && v >= 0 && v < csr.n) || removed[v]) {
      throw new SimulationError(
        'INVALID_OPTION',
        `strategy ${strategy.id} chose node index ${v}, which is not a node still present.`,
      );
    }
    removed[v] = 1;
    order.push(v);
    curve.push(measure(order.length));
  };

  if (strategy.kind === 'order') {
    for (const v of strategy
      .order(csr, steps, { ...context, protect: guarded })
      .filter((v) => !guarded[v])
      .slice(0, steps))
      remove(v);
  } else if (mode === 'simultaneous') {
    if (steps > 0)
      for (const v of rankByScore(csr, strategy.score(csr, removed, context), removed, idRank)
        .filter((v) => !guarded[v])
        .slice(0, steps))
        remove(v);
  } else {
    while (order.length < steps) {
      const scores = strategy.score(csr, removed, context);
      let best = -1;
      let bestKey = -Infinity;
      for (let v = 0; v < csr.n; v++) {
        if (removed[v] || guarded[v]) continue;
        const key = rankingKey(scores[v]!);
        if (best === -1 || key > bestKey || (key === bestKey && idRank[v]! < idRank[best]!)) {
          best = v;
          bestKey = key;
        }
      }
      remove(best);
    }
  }
  return { order, curve };
}

/** Each group's state; `label` is the component of each remaining node. */
function groupStates(
  removed: Uint8Array,
  groups: GroupIndex,
  label: Int32Array,
  tally: Int32Array,
): Record<string, GroupState> {
  const states: Record<string, GroupState> = {};
  groups.ids.forEach((id, g) => {
    const core = groups.core[g]!;
    let members = 0;
    let connectedToCore = 0;
    if (!removed[core]) {
      for (const v of groups.members[g]!) {
        if (removed[v]) continue;
        members++;
        if (label[v] === label[core]) connectedToCore++;
      }
    } else {
      const touched: number[] = [];
      for (const v of groups.members[g]!) {
        if (removed[v]) continue;
        members++;
        const c = label[v]!;
        if (tally[c] === 0) touched.push(c);
        tally[c]!++;
        if (tally[c]! > connectedToCore) connectedToCore = tally[c]!;
      }
      for (const c of touched) tally[c] = 0;
    }
    states[id] = { members, connectedToCore };
  });
  return states;
}

/** The step-by-step mean of curves of equal length, summed in run order. */
function averageCurves(curves: RemovalCurvePoint[][]): RemovalCurvePoint[] {
  const runs = curves.length;
  const fields = ['lcc', 'lccFraction', 'components', 'fragmentation', 'distanceFragmentation', 'efficiency'] as const;
  return curves[0]!.map((first, step) => {
    const { groups: _groups, ...rest } = first;
    const point: RemovalCurvePoint = rest;
    for (const field of fields) {
      let total = 0;
      for (const curve of curves) total += curve[step]![field];
      point[field] = total / runs;
    }
    if (first.groups !== undefined) {
      const groups: Record<string, GroupState> = {};
      for (const id of Object.keys(first.groups)) {
        let members = 0;
        let connectedToCore = 0;
        for (const curve of curves) {
          members += curve[step]!.groups![id]!.members;
          connectedToCore += curve[step]!.groups![id]!.connectedToCore;
        }
        groups[id] = { members: members / runs, connectedToCore: connectedToCore / runs };
      }
      point.groups = groups;
    } else {
      delete point.groups;
    }
    return point;
  });
}

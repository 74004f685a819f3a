/**
 * Key players against brute force in Python (test/reference/keyplayers.py:
 * itertools.combinations, with networkx-checked fragmentation and
 * efficiency) on every public dataset of up to 70 nodes: KPP-Neg for k ≤ 3
 * (F and dF), KPP-Pos for k ≤ 2 (1-reach, 2-reach, distance-weighted reach).
 * The search returns a local optimum by design. With 5 restarts it misses
 * the global one in 7 of the 168 cases here (F on london-gang, a dense graph
 * with no cut point, whose optimal pairs and triples isolate nodes together;
 * dF with k = 3 on juanes and madrid), which is why the default is 20
 * restarts: these tests run the defaults and must hit every optimum. Restarts are drawn in sequence from
 * one seeded stream, so the first five runs of a 20-restart search are
 * exactly the default search: the statistics printed at the end cover the
 * greedy start alone, greedy plus swaps, the default 5 restarts and 20.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runReference } from '../../../test/reference/python.js';
import { edgeListOf, loadDatasets, type TestGraph } from '../../analysis/test/graphs.fixtures.js';
import {
  DEFAULT_KEY_PLAYERS_NEGATIVE_OPTIONS,
  DEFAULT_KEY_PLAYERS_POSITIVE_OPTIONS,
  keyPlayersBruteForce,
  keyPlayersNegative,
  keyPlayersPositive,
  type KeyPlayerResult,
} from '../src/keyPlayers.js';

const TOLERANCE = 1e-9;
const MAX_NODES = 70;
const RESTARTS = 20;

interface Optimum {
  k: number;
  score: number;
  count: number;
  /** Every optimal set (sorted ids), or null when there are more than 64. */
  sets: string[][] | null;
}

interface ReferenceGraph {
  name: string;
  n: number;
  negative: { fragmentation: Optimum[]; distance: Optimum[] };
  positive: { reach1: Optimum[]; reach2: Optimum[]; distance: Optimum[] };
}

let graphs: TestGraph[] = [];
let reference: Map<string, ReferenceGraph>;
/** Per case: which stage of the search first reached the optimum. */
const stages: { case: string; greedy: boolean; greedySwaps: boolean; defaultRestarts: boolean }[] = [];

beforeAll(async () => {
  graphs = (await loadDatasets()).filter(({ graph }) => graph.order <= MAX_NODES);
  const output = runReference<{ graphs: ReferenceGraph[] }>('keyplayers.py', {
    graphs: graphs.map(edgeListOf),
    negative_k: [1, 2, 3],
    positive_k: [1, 2],
  });
  reference = new Map(output.graphs.map((g) => [g.name, g]));
});

function check(label: string, result: KeyPlayerResult, optimum: Optimum): void {
  expect(Math.abs(result.score - optimum.score), `${label}: ${result.players.join(', ')}`).toBeLessThan(TOLERANCE);
  if (optimum.sets !== null) expect(optimum.sets, label).toContainEqual(result.players);
  const hits = (score: number) => Math.abs(score - optimum.score) < TOLERANCE;
  stages.push({
    case: label,
    greedy: hits(result.history[0]!.startScore),
    greedySwaps: hits(result.history[0]!.score),
    defaultRestarts: result.history.slice(0, 5).some((run) => hits(run.score)),
  });
}

describe('key players against Python brute force', () => {
  it('runs the default search, which is 20 restarts', () => {
    expect(DEFAULT_KEY_PLAYERS_NEGATIVE_OPTIONS.restarts).toBe(RESTARTS);
    expect(DEFAULT_KEY_PLAYERS_POSITIVE_OPTIONS.restarts).toBe(RESTARTS);
  });

  it('covers the small public datasets', () => {
    expect(graphs.length).toBeGreaterThanOrEqual(10);
    expect(reference.size).toBe(graphs.length);
  });

  it('KPP-Neg finds the optimum F and dF for k = 1, 2, 3', () => {
    for (const { name, graph } of graphs) {
      const expected = reference.get(name)!;
      for (const objective of ['fragmentation', 'distance'] as const) {
        for (const optimum of expected.negative[objective]) {
          check(`${name} ${objective} k=${optimum.k}`, keyPlayersNegative(graph, { k: optimum.k, objective }), optimum);
        }
      }
    }
  });

  it('KPP-Pos finds the optimum reach for k = 1, 2', () => {
    for (const { name, graph } of graphs) {
      const expected = reference.get(name)!;
      const cases = [
        ['reach1', 'reach', 1],
        ['reach2', 'reach', 2],
        ['distance', 'distance', 1],
      ] as const;
      for (const [key, measure, steps] of cases) {
        for (const optimum of expected.positive[key]) {
          check(`${name} ${key} k=${optimum.k}`, keyPlayersPositive(graph, { k: optimum.k, measure, steps }), optimum);
        }
      }
    }
  });

  it('the TypeScript brute force agrees for k ≤ 2', () => {
    for (const { name, graph } of graphs) {
      const expected = reference.get(name)!;
      for (const objective of ['fragmentation', 'distance'] as const) {
        for (const optimum of expected.negative[objective].filter((o) => o.k <= 2)) {
          const exact = keyPlayersBruteForce(graph, { kind: 'negative', objective }, { k: optimum.k });
          expect(Math.abs(exact.score - optimum.score), `${name} ${objective} k=${optimum.k}`).toBeLessThan(TOLERANCE);
          expect(exact.optimalSets).toBe(optimum.count);
        }
      }
    }
  });

  it('reports how often each stage of the search was already optimal', () => {
    const count = (key: 'greedy' | 'greedySwaps' | 'defaultRestarts') => stages.filter((entry) => entry[key]).length;
    const missed = stages.filter((entry) => !entry.defaultRestarts).map((entry) => entry.case);
    console.info(
      `key players, ${stages.length} cases: optimal after the greedy start ${count('greedy')}, after greedy + swaps ${count('greedySwaps')}, ` +
        `after 5 restarts ${count('defaultRestarts')}, after ${RESTARTS} restarts ${stages.length}. Missed by 5 restarts: ${missed.join('; ')}`,
    );
    expect(stages.length).toBe(graphs.length * (2 * 3 + 3 * 2));
  });
});

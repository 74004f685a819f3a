/**
 * Key players: the fast set-plus-one evaluators against the plain scores,
 * the search against brute force on random graphs, and hand cases.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { UndirectedGraph } from 'graphology';
import { csrOf } from '@ocgnet/analysis';
import { connectivity, distanceConnectivity } from '../src/fragmentation.js';
import {
  KeyPlayerError,
  keyPlayerAdditionScoresOnCsr,
  keyPlayersBruteForce,
  keyPlayersNegative,
  keyPlayersPositive,
  type KeyPlayerProblem,
} from '../src/keyPlayers.js';
import { DEFAULT_KEY_PLAYERS_NEGATIVE_OPTIONS } from '../src/keyPlayers.js';

const TOLERANCE = 1e-9;

/** A random simple graph on `n` nodes named n00, n01, … (inserted in a shuffled order). */
const randomGraph = (maxNodes: number) =>
  fc
    .integer({ min: 2, max: maxNodes })
    .chain((n) =>
      fc.record({
        n: fc.constant(n),
        edges: fc.array(fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 0, max: n - 1 })), {
          maxLength: 2 * n,
        }),
        order: fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }),
      }),
    )
    .map(({ n, edges, order }) => {
      const graph = new UndirectedGraph();
      for (const i of order) graph.addNode(name(i));
      for (const [a, b] of edges) if (a !== b && !graph.hasEdge(name(a), name(b))) graph.addEdge(name(a), name(b));
      return { graph, n };
    });

const name = (i: number) => `n${String(i).padStart(2, '0')}`;

function graphOf(edges: [string, string][], nodes: string[] = []): UndirectedGraph {
  const graph = new UndirectedGraph();
  for (const id of nodes) graph.addNode(id);
  for (const [a, b] of edges) graph.mergeEdge(a, b);
  return graph;
}

/** Reach from a set, written out plainly. */
function plainPositive(graph: UndirectedGraph, set: string[], measure: 'reach' | 'distance', steps: number): number {
  const dist = new Map<string, number>(set.map((id) => [id, 0]));
  const queue = [...set];
  while (queue.length > 0) {
    const v = queue.shift()!;
    for (const w of graph.neighbors(v)) if (!dist.has(w)) (dist.set(w, dist.get(v)! + 1), queue.push(w));
  }
  const others = graph.nodes().filter((id) => !set.includes(id));
  let total = 0;
  for (const id of others) {
    const d = dist.get(id);
    if (d !== undefined) total += measure === 'reach' ? (d <= steps ? 1 : 0) : 1 / d;
  }
  return total / others.length;
}

const PROBLEMS: KeyPlayerProblem[] = [
  { kind: 'negative', objective: 'fragmentation' },
  { kind: 'negative', objective: 'distance' },
  { kind: 'positive', measure: 'reach', steps: 1 },
  { kind: 'positive', measure: 'reach', steps: 2 },
  { kind: 'positive', measure: 'distance', steps: 1 },
];

describe('set-plus-one evaluators', () => {
  it('score every addition as the plain measures do', () => {
    fc.assert(
      fc.property(randomGraph(14), fc.array(fc.boolean(), { minLength: 14, maxLength: 14 }), ({ graph }, members) => {
        const csr = csrOf(graph, { weightAttribute: null });
        const inSet = Uint8Array.from({ length: csr.n }, (_, i) => (members[i] ? 1 : 0));
        for (const problem of PROBLEMS) {
          const scores = keyPlayerAdditionScoresOnCsr(csr, problem, inSet);
          for (let v = 0; v < csr.n; v++) {
            if (inSet[v]) {
              expect(scores[v]).toBeNaN();
              continue;
            }
            inSet[v] = 1;
            let expected: number;
            if (problem.kind === 'negative') {
              expected =
                problem.objective === 'fragmentation'
                  ? connectivity(csr, inSet).fragmentation
                  : distanceConnectivity(csr, inSet).distanceFragmentation;
            } else {
              const set = csr.ids.filter((_, i) => inSet[i]);
              expected = set.length === csr.n ? 1 : plainPositive(graph, set, problem.measure, problem.steps);
            }
            inSet[v] = 0;
            expect(Math.abs(scores[v]! - expected), `${JSON.stringify(problem)} v=${csr.ids[v]}`).toBeLessThan(
              TOLERANCE,
            );
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('handle long dominator chains (a path with a pendant tree)', () => {
    const graph = graphOf([
      ['a', 'b'],
      ['b', 'c'],
      ['c', 'd'],
      ['d', 'e'],
      ['e', 'f'],
      ['c', 'x'],
      ['x', 'y'],
      ['y', 'e'],
      ['f', 'g'],
      ['f', 'h'],
      ['h', 'i'],
    ]);
    const csr = csrOf(graph, { weightAttribute: null });
    const inSet = new Uint8Array(csr.n);
    const scores = keyPlayerAdditionScoresOnCsr(csr, { kind: 'negative', objective: 'distance' }, inSet);
    for (let v = 0; v < csr.n; v++) {
      inSet[v] = 1;
      expect(scores[v]).toBeCloseTo(distanceConnectivity(csr, inSet).distanceFragmentation, 12);
      inSet[v] = 0;
    }
  });
});

describe('keyPlayersNegative', () => {
  it('finds the brute-force optimum for k ≤ 3 on random graphs of ≤ 12 nodes', () => {
    fc.assert(
      fc.property(randomGraph(12), fc.integer({ min: 1, max: 3 }), ({ graph, n }, k) => {
        fc.pre(k <= n - 1);
        for (const objective of ['fragmentation', 'distance'] as const) {
          const found = keyPlayersNegative(graph, { k, objective });
          const exact = keyPlayersBruteForce(graph, { kind: 'negative', objective }, { k });
          expect(Math.abs(found.score - exact.score), objective).toBeLessThan(TOLERANCE);
          expect(found.players).toHaveLength(k);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('removes the broker between two cliques', () => {
    // Two triangles joined through z.
    const graph = graphOf([
      ['a', 'b'],
      ['b', 'c'],
      ['a', 'c'],
      ['c', 'z'],
      ['z', 'd'],
      ['d', 'e'],
      ['e', 'f'],
      ['d', 'f'],
    ]);
    const result = keyPlayersNegative(graph, { k: 1, objective: 'fragmentation' });
    expect(result.players).toEqual(['z']);
    expect(result.kind).toBe('negative');
    expect(result.objective).toBe('fragmentation');
    // By distance, removing c (a pair and a diamond) ties with removing z (two triangles): 12/30 either way; c has the smaller id.
    const distance = keyPlayersNegative(graph, { k: 1, objective: 'distance' });
    expect(distance.players).toEqual(['c']);
    expect(distance.score).toBeCloseTo(0.6, 12);
    const f = keyPlayersNegative(graph, { k: 1 });
    expect(f.baseline).toBe(0);
    expect(f.score).toBeCloseTo(1 - (6 + 6) / 30, 12); // two triangles among six remaining nodes
    expect(f.nodes).toBe(7);
  });

  it('breaks ties by node id and is deterministic for a seed', () => {
    // A 6-cycle: every single removal leaves a path, so the greedy start takes the smallest id.
    const graph = graphOf([
      ['f', 'a'],
      ['a', 'b'],
      ['b', 'c'],
      ['c', 'd'],
      ['d', 'e'],
      ['e', 'f'],
    ]);
    const result = keyPlayersNegative(graph, { k: 1, restarts: 1 });
    expect(result.history[0]!.startPlayers).toEqual(['a']);
    const again = keyPlayersNegative(graph, { k: 2, seed: 7 });
    expect(keyPlayersNegative(graph, { k: 2, seed: 7 })).toEqual(again);
    expect(again.history).toHaveLength(DEFAULT_KEY_PLAYERS_NEGATIVE_OPTIONS.restarts);
    expect(again.history.map((run) => run.start)).toEqual([
      'greedy',
      ...Array(DEFAULT_KEY_PLAYERS_NEGATIVE_OPTIONS.restarts - 1).fill('random'),
    ]);
    // Opposite nodes of the cycle split it into two pairs.
    expect(again.score).toBeCloseTo(1 - 4 / 12, 12);
  });

  it('with restrictTo, optimises and measures on the group’s induced subgraph', () => {
    // Group g1..g5 is a path; outside it, x ties g1 and g5 into a cycle.
    const graph = graphOf([
      ['g1', 'g2'],
      ['g2', 'g3'],
      ['g3', 'g4'],
      ['g4', 'g5'],
      ['g1', 'x'],
      ['x', 'g5'],
    ]);
    const group = ['g5', 'g4', 'g3', 'g2', 'g1'];
    const result = keyPlayersNegative(graph, { k: 1, restrictTo: group });
    expect(result.players).toEqual(['g3']);
    expect(result.nodes).toBe(5);
    expect(result.score).toBeCloseTo(1 - 4 / 12, 12);
    // On the whole network, the cycle has no single cut point.
    expect(keyPlayersNegative(graph, { k: 1 }).score).toBe(0);
  });

  it('reports the search: swaps improve the score, and the best restart is returned', () => {
    const graph = graphOf(
      Array.from({ length: 30 }, (_, i) => [`v${i}`, `v${(i * 7 + 3) % 30}`] as [string, string]).concat(
        Array.from({ length: 29 }, (_, i) => [`v${i}`, `v${i + 1}`] as [string, string]),
      ),
    );
    const result = keyPlayersNegative(graph, { k: 3, objective: 'distance', seed: 3 });
    for (const run of result.history) {
      let previous = run.startScore;
      for (const swap of run.swaps) {
        expect(swap.score).toBeGreaterThan(previous);
        previous = swap.score;
      }
      expect(run.score).toBe(previous);
      expect(run.converged).toBe(true);
      expect(run.score).toBeLessThanOrEqual(result.score);
    }
  });

  it('throws typed errors on misuse', () => {
    const graph = graphOf([
      ['a', 'b'],
      ['b', 'c'],
    ]);
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        expect(error).toBeInstanceOf(KeyPlayerError);
        expect((error as Error).message).toMatch(/^@ocgnet\/disruption\/keyPlayers: /);
        return (error as KeyPlayerError).code;
      }
      return 'no error';
    };
    expect(code(() => keyPlayersNegative(graph, { k: 3 }))).toBe('INVALID_OPTION');
    expect(code(() => keyPlayersNegative(graph, { k: 0 }))).toBe('INVALID_OPTION');
    expect(code(() => keyPlayersNegative(graph, { k: 1, restrictTo: ['a', 'nobody'] }))).toBe('UNKNOWN_NODE');
    expect(code(() => keyPlayersNegative(graph, { k: 1, objective: 'closeness' as never }))).toBe('INVALID_OPTION');
    expect(code(() => keyPlayersPositive(graph, { k: 1, steps: 3 as never }))).toBe('INVALID_OPTION');
    expect(code(() => keyPlayersNegative({} as never, { k: 1 }))).toBe('NOT_A_GRAPH');
    expect(
      code(() =>
        keyPlayersBruteForce(graph, { kind: 'negative', objective: 'fragmentation' }, { k: 1, maxSubsets: 2 }),
      ),
    ).toBe('TOO_MANY_SUBSETS');
  });
});

describe('keyPlayersPositive', () => {
  it('finds the brute-force optimum for k ≤ 2 on random graphs of ≤ 12 nodes', () => {
    fc.assert(
      fc.property(randomGraph(12), fc.integer({ min: 1, max: 2 }), ({ graph, n }, k) => {
        fc.pre(k <= n - 1);
        for (const [measure, steps] of [
          ['reach', 1],
          ['reach', 2],
          ['distance', 1],
        ] as const) {
          const found = keyPlayersPositive(graph, { k, measure, steps });
          const exact = keyPlayersBruteForce(graph, { kind: 'positive', measure, steps }, { k });
          expect(Math.abs(found.score - exact.score), `${measure} ${steps}`).toBeLessThan(TOLERANCE);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('picks a star’s centre as the 1-player', () => {
    const graph = graphOf(['p', 'q', 'r', 's', 't'].map((leaf) => ['hub', leaf] as [string, string]));
    for (const [measure, steps] of [
      ['reach', 1],
      ['reach', 2],
      ['distance', 1],
    ] as const) {
      const result = keyPlayersPositive(graph, { k: 1, measure, steps });
      expect(result.players).toEqual(['hub']);
      expect(result.score).toBe(1);
    }
    expect(keyPlayersNegative(graph, { k: 1 }).players).toEqual(['hub']);
  });

  it('compares with the top-degree choice as its baseline', () => {
    // The two highest-degree nodes cover the same cluster; the best pair covers both clusters.
    const graph = graphOf([
      ['h1', 'h2'],
      ['h1', 'a1'],
      ['h1', 'a2'],
      ['h1', 'a3'],
      ['h2', 'a1'],
      ['h2', 'a2'],
      ['h2', 'a3'],
      ['h2', 'b0'],
      ['b0', 'b1'],
      ['b0', 'b2'],
    ]);
    const result = keyPlayersPositive(graph, { k: 2, steps: 1 });
    // Greedy takes h2 (five ties), then b0; {b0, h1} ties and is not swapped in.
    expect(result.players).toEqual(['b0', 'h2']);
    expect(result.score).toBe(1);
    expect(result.baseline).toBeCloseTo(4 / 6, 12); // h2 and h1 reach a1..a3 and b0, not b1, b2
    expect(result.steps).toBe(1);
  });
});

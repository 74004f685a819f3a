/**
 * The removal simulation on small graphs worked out by hand, the random and
 * target strategies, per-group reporting, and the strategy registry.
 */
import Graph from 'graphology';
import { describe, expect, it } from 'vitest';
import { csrOf } from '@ocgnet/analysis';
import {
  DEFAULT_REMOVAL_STEPS,
  SimulationError,
  rankByScore,
  rankingKey,
  simulateRemoval,
  simulateRemovalOnCsr,
  type RemovalCurvePoint,
} from '../src/simulate.js';
import { REMOVAL_STRATEGIES, findRemovalStrategy, type OrderStrategy, type ScoreStrategy } from '../src/strategies.js';

function graphOf(edges: [string, string][], isolates: string[] = []): Graph {
  const graph = new Graph({ type: 'undirected' });
  for (const node of isolates) graph.addNode(node);
  for (const [u, v] of edges) {
    graph.mergeNode(u);
    graph.mergeNode(v);
    graph.addEdge(u, v);
  }
  return graph;
}

function clique(nodes: string[]): [string, string][] {
  return nodes.flatMap((u, i) => nodes.slice(i + 1).map((v): [string, string] => [u, v]));
}

/**
 * Two 4-cliques a1…a4 and b1…b4 joined by the path a4 – p1 – p2 – p3 – b4:
 * 11 nodes. p2 sits on every path between the five nodes on each side, 25 of
 * the 45 pairs; p1 on 4 × 6 = 24, a4 on 3 × 7 = 21.
 */
const barbell = graphOf([
  ...clique(['a1', 'a2', 'a3', 'a4']),
  ...clique(['b1', 'b2', 'b3', 'b4']),
  ['a4', 'p1'],
  ['p1', 'p2'],
  ['p2', 'p3'],
  ['p3', 'b4'],
]);

describe('barbell, by hand', () => {
  it('betweenness removes the middle of the path first and F jumps to 5/9', () => {
    const result = simulateRemoval(barbell, { strategy: 'betweenness', steps: 2 });
    expect(result.removed[0]).toBe('p2');
    const [intact, cut] = result.curve as [RemovalCurvePoint, RemovalCurvePoint];
    expect(intact).toMatchObject({ step: 0, removed: 0, lcc: 11, components: 1, fragmentation: 0 });
    expect(intact.lccFraction).toBe(1);
    // Two halves of 5: F = 1 − 2 · 5 · 4 / (10 · 9) = 5/9.
    expect(cut).toMatchObject({ step: 1, removed: 1, lcc: 5, components: 2 });
    expect(cut.lccFraction).toBeCloseTo(5 / 11, 15);
    expect(cut.fragmentation).toBeCloseTo(5 / 9, 15);
    // Per half: 6 clique pairs and a4–p1 at distance 1, p1 to a1…a3 at 2:
    // 7 + 3/2 = 8.5 per half, 17 unordered, 34 ordered over 90.
    expect(cut.efficiency).toBeCloseTo(34 / 90, 15);
    expect(cut.distanceFragmentation).toBeCloseTo(56 / 90, 15);
  });

  it('then a4 and b4 tie (3 pairs each out of 36) and the smaller id goes first', () => {
    const result = simulateRemoval(barbell, { strategy: 'betweenness', steps: 3 });
    expect(result.removed).toEqual(['p2', 'a4', 'b4']);
    // After a4: {a1,a2,a3}, {p1}, {p3,b1…b4}: F = 1 − (6 + 0 + 20) / 72 = 23/36.
    expect(result.curve[2]).toMatchObject({ lcc: 5, components: 3 });
    expect(result.curve[2]!.fragmentation).toBeCloseTo(23 / 36, 15);
    // After b4: {a1,a2,a3}, {p1}, {p3}, {b1,b2,b3}: F = 1 − 12 / 56 = 11/14.
    expect(result.curve[3]).toMatchObject({ lcc: 3, components: 4 });
    expect(result.curve[3]!.fragmentation).toBeCloseTo(11 / 14, 15);
  });

  it('simultaneous ranks once on the intact network: p2, p1, p3, then a4 and b4', () => {
    const result = simulateRemoval(barbell, { strategy: 'betweenness', mode: 'simultaneous', steps: 5 });
    // p1 and p3 tie at 24/45, a4 and b4 at 21/45.
    expect(result.removed).toEqual(['p2', 'p1', 'p3', 'a4', 'b4']);
    expect(result.mode).toBe('simultaneous');
    expect(result.runs).toBe(1);
  });

  it('degree takes the clique hubs a4 and b4 (degree 4) first', () => {
    expect(simulateRemoval(barbell, { strategy: 'degree', steps: 2 }).removed).toEqual(['a4', 'b4']);
  });
});

describe('the curve', () => {
  it('stops when nothing is left, with F 1 and E 0 on fewer than two nodes', () => {
    const result = simulateRemoval(graphOf([['x', 'y']]), { strategy: 'degree', steps: 10 });
    expect(result.removed).toEqual(['x', 'y']);
    expect(result.curve).toHaveLength(3);
    expect(result.curve[2]).toEqual({
      step: 2,
      removed: 2,
      lcc: 0,
      lccFraction: 0,
      components: 0,
      fragmentation: 1,
      distanceFragmentation: 1,
      efficiency: 0,
    });
  });

  it('has only step 0 on an empty graph or with steps 0', () => {
    expect(simulateRemoval(new Graph(), { strategy: 'betweenness' }).curve).toHaveLength(1);
    expect(simulateRemoval(barbell, { strategy: 'pagerank', steps: 0 })).toMatchObject({
      removed: [],
      curve: [{ step: 0 }],
    });
  });

  it(`defaults to ${DEFAULT_REMOVAL_STEPS} steps, sequential`, () => {
    const big = graphOf(Array.from({ length: 30 }, (_, i): [string, string] => [`n${i}`, `n${i + 1}`]));
    const result = simulateRemoval(big, { strategy: 'coreness' });
    expect(result.removed).toHaveLength(DEFAULT_REMOVAL_STEPS);
    expect(result.mode).toBe('sequential');
  });

  it('orders ties by id in JavaScript string order ("10" before "9")', () => {
    const star = graphOf([
      ['9', 'x'],
      ['10', 'y'],
      ['x', 'x2'],
      ['y', 'y2'],
    ]);
    // x and y tie at degree 2; with equal scores throughout, 10 < 9 < x < x2 < y < y2 as strings.
    expect(simulateRemoval(star, { strategy: 'degree', mode: 'simultaneous', steps: 2 }).removed).toEqual(['x', 'y']);
    const csr = csrOf(star, { weightAttribute: null });
    const order = rankByScore(csr, new Float64Array(csr.n).fill(1)).map((v) => csr.ids[v]);
    expect(order).toEqual(['10', '9', 'x', 'x2', 'y', 'y2']);
  });

  it('treats scores equal to 10 significant digits as a tie', () => {
    expect(rankingKey(0.1 + 0.2)).toBe(rankingKey(0.3));
    expect(rankingKey(1 / 3)).not.toBe(rankingKey(1 / 3 + 1e-9));
    // Exactly halfway in binary (2^-15 = 3.0517578125e-5): half away from zero.
    expect(rankingKey(2 ** -15)).toBe(3.051757813e-5);
    const csr = csrOf(graphOf([['b', 'a']]), { weightAttribute: null });
    const order = rankByScore(csr, Float64Array.from(csr.ids.map((id) => (id === 'a' ? 0.3 : 0.1 + 0.2))));
    expect(order.map((v) => csr.ids[v])).toEqual(['a', 'b']);
  });

  it('leaves out the distance measures when asked, and nothing else changes', () => {
    const full = simulateRemoval(barbell, { strategy: 'betweenness', steps: 3 });
    const quick = simulateRemoval(barbell, { strategy: 'betweenness', steps: 3, distanceMeasures: false });
    expect(quick.removed).toEqual(full.removed);
    for (const [step, point] of quick.curve.entries()) {
      expect(point.efficiency).toBeNaN();
      expect(point.distanceFragmentation).toBeNaN();
      expect({ ...point, efficiency: 0, distanceFragmentation: 0 }).toEqual({
        ...full.curve[step]!,
        efficiency: 0,
        distanceFragmentation: 0,
      });
    }
  });

  it('uses weights only when asked: strength instead of degree', () => {
    const graph = graphOf([
      ['hub', 'l1'],
      ['hub', 'l2'],
      ['l1', 'strong'],
    ]);
    graph.setEdgeAttribute(graph.edge('l1', 'strong')!, 'weight', 10);
    expect(simulateRemoval(graph, { strategy: 'degree', steps: 1 }).removed).toEqual(['hub']);
    expect(simulateRemoval(graph, { strategy: 'degree', steps: 1, weighted: true }).removed).toEqual(['l1']);
  });
});

describe('random', () => {
  const graph = graphOf([
    ...clique(['a1', 'a2', 'a3', 'a4', 'a5']),
    ['a5', 'b1'],
    ...clique(['b1', 'b2', 'b3', 'b4']),
    ['b4', 'c1'],
    ['c1', 'c2'],
  ]);

  it('the same seed gives the same order and curve', () => {
    const one = simulateRemoval(graph, { strategy: 'random', seeds: 1, seed: 7, steps: 8 });
    const two = simulateRemoval(graph, { strategy: 'random', seeds: 1, seed: 7, steps: 8 });
    expect(two).toEqual(one);
    expect(one.removed).toHaveLength(8);
    expect(new Set(one.removed).size).toBe(8);
  });

  it('different seeds give different orders', () => {
    const orders = new Set(
      [1, 2, 3, 4, 5].map((seed) =>
        simulateRemoval(graph, { strategy: 'random', seeds: 1, seed, steps: 8 }).removed.join(),
      ),
    );
    expect(orders.size).toBeGreaterThan(1);
  });

  it('averaging N runs is the mean of the single runs, and reports the first run and N', () => {
    const averaged = simulateRemoval(graph, { strategy: 'random', seeds: 4, seed: 3, steps: 6 });
    const singles = [3, 4, 5, 6].map((seed) =>
      simulateRemoval(graph, { strategy: 'random', seeds: 1, seed, steps: 6 }),
    );
    expect(averaged.runs).toBe(4);
    expect(averaged.removed).toEqual(singles[0]!.removed);
    const fields = [
      'lcc',
      'lccFraction',
      'components',
      'fragmentation',
      'distanceFragmentation',
      'efficiency',
    ] as const;
    for (const [step, point] of averaged.curve.entries()) {
      expect(point.step).toBe(step);
      for (const field of fields) {
        const mean = singles.reduce((total, single) => total + single.curve[step]![field], 0) / singles.length;
        expect(point[field], `step ${step} ${field}`).toBeCloseTo(mean, 14);
      }
    }
    // The runs really differ, so the mean is not one of them.
    expect(singles.some((single) => single.curve[3]!.fragmentation !== singles[0]!.curve[3]!.fragmentation)).toBe(true);
  });

  it('defaults to 10 runs from seed 1 and ignores the mode', () => {
    const result = simulateRemoval(graph, { strategy: 'random', steps: 3 });
    expect(result.runs).toBe(10);
    expect(simulateRemoval(graph, { strategy: 'random', steps: 3, mode: 'simultaneous' }).curve).toEqual(result.curve);
    expect(result.removed).toEqual(simulateRemoval(graph, { strategy: 'random', seeds: 1, seed: 1, steps: 3 }).removed);
  });

  it('draws every node with about equal chance first', () => {
    const csr = csrOf(graph, { weightAttribute: null });
    const strategy = findRemovalStrategy('random') as OrderStrategy;
    const counts = new Array<number>(csr.n).fill(0);
    for (let seed = 0; seed < 2200; seed++)
      counts[strategy.order(csr, 1, { seed, weighted: false, targets: [] })[0]!]!++;
    // 11 nodes, 200 expected each; ±60 is beyond 4 standard deviations.
    for (const count of counts) expect(Math.abs(count - 200)).toBeLessThan(60);
  });
});

describe('targets', () => {
  it('removes the given list in order, by default all of it', () => {
    const result = simulateRemoval(barbell, { strategy: 'targets', targets: ['b1', 'p2', 'a3'] });
    expect(result.removed).toEqual(['b1', 'p2', 'a3']);
    expect(result.curve.map((point) => point.lcc)).toEqual([11, 10, 5, 4]);
    expect(simulateRemoval(barbell, { strategy: 'targets', targets: ['b1', 'p2', 'a3'], steps: 2 }).removed).toEqual([
      'b1',
      'p2',
    ]);
  });

  it('names unknown ids in a typed error', () => {
    let caught: unknown;
    try {
      simulateRemoval(barbell, { strategy: 'targets', targets: ['a1', 'ghost', 'nobody'] });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SimulationError);
    const error = caught as SimulationError;
    expect(error.name).toBe('SimulationError');
    expect(error.code).toBe('UNKNOWN_TARGETS');
    expect(error.unknown).toEqual(['ghost', 'nobody']);
    expect(error.message).toMatch(/^@ocgnet\/disruption\/simulate: .*"ghost".*"nobody"/);
  });

  it('refuses a repeated target', () => {
    expect(() => simulateRemoval(barbell, { strategy: 'targets', targets: ['a1', 'a1'] })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
  });
});

describe('per-group reporting', () => {
  // Group A: the left clique and p1; its core is a4 (4 ties within A).
  // Group B: b1…b4 and p3; core b4. Group C: a1 and b1, with no tie between them.
  const mapping = {
    a1: 'A',
    a2: 'A',
    a3: 'A',
    a4: 'A',
    p1: 'A',
    b1: 'B',
    b2: 'B',
    b3: 'B',
    b4: 'B',
    p3: 'B',
    p2: 'C',
    ghost: 'A',
  };

  it('counts members left and those connected to the core, then to the largest cluster once the core is gone', () => {
    const result = simulateRemoval(barbell, { strategy: 'targets', targets: ['p2', 'a4', 'b2'], mapping });
    const groups = result.curve.map((point) => point.groups);
    expect(groups[0]).toEqual({
      A: { members: 5, connectedToCore: 5 },
      B: { members: 5, connectedToCore: 5 },
      C: { members: 1, connectedToCore: 1 },
    });
    expect(groups[1]).toEqual({
      A: { members: 5, connectedToCore: 5 },
      B: { members: 5, connectedToCore: 5 },
      C: { members: 0, connectedToCore: 0 },
    });
    // a4, A's core, goes: p1 is cut off, a1…a3 are the largest cluster.
    expect(groups[2]!.A).toEqual({ members: 4, connectedToCore: 3 });
    expect(groups[3]!.B).toEqual({ members: 4, connectedToCore: 4 });
  });

  it('keeps members connected through non-members, and the core rule ties by id', () => {
    const graph = graphOf([
      ['m1', 'x'],
      ['x', 'm2'],
      ['m2', 'm3'],
      ['m4', 'm5'],
    ]);
    // Within the group, m2 has 1 tie (m3), as has m3, m4 and m5: the core is m2 (ties by id after m1, which has 0).
    const result = simulateRemoval(graph, {
      strategy: 'targets',
      targets: ['x', 'm2'],
      mapping: { m1: 'G', m2: 'G', m3: 'G', m4: 'G', m5: 'G' },
    });
    expect(result.curve.map((point) => point.groups!.G)).toEqual([
      { members: 5, connectedToCore: 3 },
      { members: 5, connectedToCore: 2 },
      { members: 4, connectedToCore: 2 },
    ]);
  });

  it('averages group states over random runs', () => {
    const result = simulateRemoval(barbell, { strategy: 'random', seeds: 3, steps: 4, mapping });
    const singles = [1, 2, 3].map((seed) =>
      simulateRemoval(barbell, { strategy: 'random', seeds: 1, seed, steps: 4, mapping }),
    );
    const mean = singles.reduce((total, single) => total + single.curve[4]!.groups!.A!.connectedToCore, 0) / 3;
    expect(result.curve[4]!.groups!.A!.connectedToCore).toBeCloseTo(mean, 14);
  });

  it('is absent without a mapping', () => {
    expect(simulateRemoval(barbell, { strategy: 'degree', steps: 1 }).curve[1]).not.toHaveProperty('groups');
  });
});

describe('strategies', () => {
  it('lists the built-ins from data, each with an id and a description', () => {
    expect(REMOVAL_STRATEGIES.map((strategy) => strategy.id)).toEqual([
      'degree',
      'betweenness',
      'pagerank',
      'coreness',
      'keyplayer',
      'keyplayer-distance',
      'random',
      'targets',
    ]);
    for (const strategy of REMOVAL_STRATEGIES) expect(strategy.description.length).toBeGreaterThan(10);
  });

  it('scores the remaining network', () => {
    const csr = csrOf(barbell, { weightAttribute: null });
    const removed = new Uint8Array(csr.n);
    removed[csr.index.get('a1')!] = 1;
    const scores = (findRemovalStrategy('degree') as ScoreStrategy).score(csr, removed, {
      weighted: false,
      seed: 1,
      targets: [],
    });
    expect(scores[csr.index.get('a4')!]).toBe(3);
    expect(scores[csr.index.get('b4')!]).toBe(4);
  });

  it('accepts a strategy object, such as a key-player set, and runs its order', () => {
    const keyPlayers: OrderStrategy = {
      id: 'key-players',
      description: 'A fixed set for the test.',
      kind: 'order',
      randomized: false,
      order: (csr, k) => ['p1', 'p3'].slice(0, k).map((id) => csr.index.get(id)!),
    };
    const result = simulateRemoval(barbell, { strategy: keyPlayers, steps: 5 });
    expect(result).toMatchObject({ strategy: 'key-players', removed: ['p1', 'p3'] });
    expect(result.curve).toHaveLength(3);
  });

  it('the snapshot entry point gives the same result', () => {
    expect(
      simulateRemovalOnCsr(csrOf(barbell, { weightAttribute: null }), { strategy: 'betweenness', steps: 4 }),
    ).toEqual(simulateRemoval(barbell, { strategy: 'betweenness', steps: 4 }));
  });

  it('rejects unknown strategies and bad options with typed errors', () => {
    expect(() => simulateRemoval(barbell, { strategy: 'closeness' as 'degree' })).toThrow(
      expect.objectContaining({ name: 'SimulationError', code: 'UNKNOWN_STRATEGY' }),
    );
    expect(() => simulateRemoval(barbell, { strategy: 'degree', mode: 'later' as 'sequential' })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
    expect(() => simulateRemoval(barbell, { strategy: 'degree', steps: -1 })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
    expect(() => simulateRemoval(barbell, { strategy: 'random', seeds: 0 })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
    expect(() => simulateRemoval({} as Graph, { strategy: 'degree' })).toThrow(
      expect.objectContaining({ code: 'NOT_A_GRAPH' }),
    );
  });
});

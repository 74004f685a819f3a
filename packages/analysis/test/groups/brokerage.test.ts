/**
 * Gould & Fernandez brokerage and cut points between groups: hand-computed
 * cases, and cut points checked against a brute-force removal on real graphs.
 */
import { describe, expect, test } from 'vitest';
import Graph, { DirectedGraph, UndirectedGraph } from 'graphology';
import { loadAllTestGraphs } from '../graphs.fixtures.js';
import { brokerage, brokers, comparePieces, cutPointsBetweenGroups } from '../../src/groups/brokerage.js';
import { communities } from '../../src/groups/louvain.js';

const zero = { coordinator: 0, itinerant: 0, representative: 0, gatekeeper: 0, liaison: 0, total: 0 };

function undirected(edges: [string, string][]): UndirectedGraph {
  const graph = new UndirectedGraph();
  for (const [u, v] of edges) graph.mergeEdge(u, v);
  return graph;
}

function directed(edges: [string, string][]): DirectedGraph {
  const graph = new DirectedGraph();
  for (const [u, v] of edges) graph.mergeEdge(u, v);
  return graph;
}

describe('brokerage (Gould & Fernandez 1989)', () => {
  test('a three-group line a1 – b1 – c1: b1 is a liaison once', () => {
    // One open two-path, a1 – b1 – c1, groups A, B, C all different.
    const groupOf = { a1: 'A', b1: 'B', c1: 'C' };
    const line = [
      ['a1', 'b1'],
      ['b1', 'c1'],
    ] as [string, string][];
    for (const graph of [undirected(line), directed(line)]) {
      const counts = brokerage(graph, groupOf);
      expect(counts.b1).toEqual({ ...zero, liaison: 1, total: 1 });
      expect(counts.a1).toEqual(zero);
      expect(counts.c1).toEqual(zero);
    }
    // Reversed arcs (c1 → b1 → a1) are the same liaison path; a1 → b1 ← c1 is no path at all.
    expect(
      brokerage(
        directed([
          ['c1', 'b1'],
          ['b1', 'a1'],
        ]),
        groupOf,
      ).b1,
    ).toEqual({ ...zero, liaison: 1, total: 1 });
    expect(
      brokerage(
        directed([
          ['a1', 'b1'],
          ['c1', 'b1'],
        ]),
        groupOf,
      ).b1,
    ).toEqual(zero);
  });

  test('directed: every role around one broker', () => {
    // b in X. In: x1 (X), y1 (Y). Out: x2 (X), y2 (Y), z1 (Z).
    //   x1 → b → x2  X X X  coordinator
    //   x1 → b → y2  X X Y  representative
    //   x1 → b → z1  X X Z  representative
    //   y1 → b → x2  Y X X  gatekeeper
    //   y1 → b → y2  Y X Y  itinerant
    //   y1 → b → z1  Y X Z  liaison
    const arcs: [string, string][] = [
      ['x1', 'b'],
      ['y1', 'b'],
      ['b', 'x2'],
      ['b', 'y2'],
      ['b', 'z1'],
    ];
    const groupOf = { b: 'X', x1: 'X', x2: 'X', y1: 'Y', y2: 'Y', z1: 'Z' };
    expect(brokerage(directed(arcs), groupOf).b).toEqual({
      coordinator: 1,
      itinerant: 1,
      representative: 2,
      gatekeeper: 1,
      liaison: 1,
      total: 6,
    });
    // The arc x1 → x2 closes the coordinator path; x2 → x1 would not (G&F: a → c must be absent).
    expect(brokerage(directed([...arcs, ['x1', 'x2']]), groupOf).b).toMatchObject({ coordinator: 0, total: 5 });
    expect(brokerage(directed([...arcs, ['x2', 'x1']]), groupOf).b).toMatchObject({ coordinator: 1, total: 6 });
  });

  test('undirected: the same star, each unordered open two-path once', () => {
    // Centre b (X), leaves x1 x2 (X), y1 y2 (Y), z1 (Z): C(5, 2) = 10 open two-paths.
    //   {x1, x2}                                   coordinator 1
    //   {y1, y2}                                   itinerant 1
    //   {x1, y1} {x1, y2} {x1, z1} {x2, y1} {x2, y2} {x2, z1}
    //        b shares a group with one end: ½ gatekeeper + ½ representative each → 3 + 3
    //   {y1, z1} {y2, z1}                          liaison 2
    const edges: [string, string][] = [
      ['b', 'x1'],
      ['b', 'x2'],
      ['b', 'y1'],
      ['b', 'y2'],
      ['b', 'z1'],
    ];
    const groupOf = { b: 'X', x1: 'X', x2: 'X', y1: 'Y', y2: 'Y', z1: 'Z' };
    expect(brokerage(undirected(edges), groupOf).b).toEqual({
      coordinator: 1,
      itinerant: 1,
      representative: 3,
      gatekeeper: 3,
      liaison: 2,
      total: 10,
    });
    expect(brokerage(undirected([...edges, ['x1', 'x2']]), groupOf).b).toMatchObject({ coordinator: 0, total: 9 });
    // Forcing directed reading on an undirected graph counts both directions of every path.
    expect(brokerage(undirected(edges), groupOf, { directed: true }).b).toEqual({
      coordinator: 2,
      itinerant: 2,
      representative: 6,
      gatekeeper: 6,
      liaison: 4,
      total: 20,
    });
  });

  test('ungrouped nodes: singletons by default, or left out', () => {
    // u (no group) between OCG members a (A) and b (B): a liaison as a singleton; nothing when ignored.
    // a's path u – a – a2: u is a group of its own, a2 shares a's group: half gatekeeper, half representative.
    const graph = undirected([
      ['a', 'u'],
      ['u', 'b'],
      ['a', 'a2'],
    ]);
    const groupOf = { a: 'A', a2: 'A', b: 'B' };
    expect(brokerage(graph, groupOf).u).toEqual({ ...zero, liaison: 1, total: 1 });
    expect(brokerage(graph, groupOf).a).toEqual({ ...zero, gatekeeper: 0.5, representative: 0.5, total: 1 });
    expect(brokerage(graph, groupOf, { ungrouped: 'ignore' }).u).toEqual(zero);
    expect(brokerage(graph, groupOf, { ungrouped: 'ignore' }).a).toEqual(zero);
  });

  test('brokers: a star whose centre joins two groups ranks first', () => {
    // c (A) with leaves a1 a2 (A) and b1 b2 (B); b2 – d (B) hangs off b2.
    // c: {a1,a2} coordinator; {b1,b2} itinerant; 4 mixed pairs → gk 2, rep 2; score 4.
    // b2: {c, d}: c is A, d is B = b2's group: ½ + ½ → score 1.
    const graph = undirected([
      ['c', 'a1'],
      ['c', 'a2'],
      ['c', 'b1'],
      ['c', 'b2'],
      ['b2', 'd'],
    ]);
    const groupOf = { c: 'A', a1: 'A', a2: 'A', b1: 'B', b2: 'B', d: 'B' };
    const ranked = brokers(graph, groupOf);
    expect(ranked.map((b) => [b.node, b.group, b.score])).toEqual([
      ['c', 'A', 4],
      ['b2', 'B', 1],
    ]);
    expect(ranked[0]!.counts).toEqual({
      coordinator: 1,
      itinerant: 1,
      representative: 2,
      gatekeeper: 2,
      liaison: 0,
      total: 6,
    });
  });
});

describe('cutPointsBetweenGroups', () => {
  test('two triangles joined through an unmapped go-between', () => {
    // A: triangle a1 a2 a3, with a4 hanging off a1. B: triangle b1 b2 b3. a3 – x – b1, x unmapped.
    //   a1: {a4} | {a2 a3 x b1 b2 b3}        separated 1, splits A
    //   a3: {x b1 b2 b3} | {a1 a2 a4}        separated 3
    //   x:  {a1 a2 a3 a4} | {b1 b2 b3}       separated 3
    //   b1: {a1 a2 a3 a4 x} | {b2 b3}        separated 2, splits nothing (B is b2 b3 on one side)
    const graph = undirected([
      ['a1', 'a2'],
      ['a2', 'a3'],
      ['a1', 'a3'],
      ['a1', 'a4'],
      ['a3', 'x'],
      ['x', 'b1'],
      ['b1', 'b2'],
      ['b2', 'b3'],
      ['b1', 'b3'],
    ]);
    const groupOf = { a1: 'A', a2: 'A', a3: 'A', a4: 'A', b1: 'B', b2: 'B', b3: 'B' };
    expect(cutPointsBetweenGroups(graph, groupOf)).toEqual([
      {
        node: 'a3',
        group: 'A',
        separated: 3,
        splitsGroups: [],
        pieces: [
          { size: 4, grouped: 3, groups: ['B'] },
          { size: 3, grouped: 3, groups: ['A'] },
        ],
      },
      {
        node: 'x',
        group: null,
        separated: 3,
        splitsGroups: [],
        pieces: [
          { size: 4, grouped: 4, groups: ['A'] },
          { size: 3, grouped: 3, groups: ['B'] },
        ],
      },
      {
        node: 'b1',
        group: 'B',
        separated: 2,
        splitsGroups: [],
        pieces: [
          { size: 5, grouped: 4, groups: ['A'] },
          { size: 2, grouped: 2, groups: ['B'] },
        ],
      },
      {
        node: 'a1',
        group: 'A',
        separated: 1,
        splitsGroups: ['A'],
        pieces: [
          { size: 6, grouped: 5, groups: ['A', 'B'] },
          { size: 1, grouped: 1, groups: ['A'] },
        ],
      },
    ]);
  });

  test('a cut point inside one group only is not between groups; a star centre joining two groups is', () => {
    expect(
      cutPointsBetweenGroups(
        undirected([
          ['a1', 'a2'],
          ['a2', 'a3'],
        ]),
        { a1: 'A', a2: 'A', a3: 'A' },
      ),
    ).toEqual([]);
    const star = undirected([
      ['c', 'a1'],
      ['c', 'a2'],
      ['c', 'b1'],
      ['c', 'b2'],
    ]);
    const [cut] = cutPointsBetweenGroups(star, { c: 'A', a1: 'A', a2: 'A', b1: 'B', b2: 'B' });
    expect(cut).toMatchObject({ node: 'c', separated: 3, splitsGroups: ['A', 'B'] });
    expect(cut!.pieces).toHaveLength(4);
  });

  test('agrees with removing each node in turn, on every test graph with Louvain communities as groups', async () => {
    let total = 0;
    for (const { name, graph } of await loadAllTestGraphs()) {
      const { communityOf } = communities(graph, { runs: 1 });
      // Leave every third community unlabelled, so ungrouped nodes are exercised too.
      const groupOf: Record<string, number> = Object.fromEntries(
        Object.entries(communityOf).filter(([, c]) => c % 3 !== 2),
      );
      const expected = bruteForce(graph, groupOf);
      const found = cutPointsBetweenGroups(graph, groupOf);
      expect(new Map(found.map((cut) => [cut.node, cut.pieces])), name).toEqual(expected);
      total += found.length;
    }
    expect(total).toBeGreaterThan(20);
  });
});

/** Cut points between groups by removing each node and walking what is left. */
function bruteForce(
  graph: Graph,
  groupOf: Record<string, number>,
): Map<string, { size: number; grouped: number; groups: number[] }[]> {
  const result = new Map<string, { size: number; grouped: number; groups: number[] }[]>();
  for (const removed of graph.nodes()) {
    const seen = new Set<string>([removed]);
    const pieces: { size: number; grouped: number; groups: number[] }[] = [];
    for (const start of graph.neighbors(removed)) {
      if (seen.has(start)) continue;
      seen.add(start);
      const queue = [start];
      const groups = new Set<number>();
      let size = 0;
      let grouped = 0;
      while (queue.length > 0) {
        const v = queue.pop()!;
        size++;
        if (groupOf[v] !== undefined) {
          grouped++;
          groups.add(groupOf[v]);
        }
        for (const w of graph.neighbors(v)) if (!seen.has(w)) (seen.add(w), queue.push(w));
      }
      pieces.push({ size, grouped, groups: [...groups].sort((x, y) => x - y) });
    }
    const union = new Set(pieces.flatMap((p) => p.groups));
    if (pieces.filter((p) => p.grouped > 0).length < 2 || union.size < 2) continue;
    result.set(removed, pieces.sort(comparePieces));
  }
  return result;
}

/**
 * Robust key players: stability of a top-k list under missing data.
 */
import { describe, expect, it } from 'vitest';
import { UndirectedGraph } from 'graphology';
import { betweenness, degree } from '@ocgnet/analysis';
import { KeyPlayerError } from '../src/keyPlayers.js';
import { rankingByKeyPlayers, rankingByScore, robustKeyPlayers, wilsonInterval } from '../src/robustness.js';
import { loadSmallProjection } from '../../analysis/test/graphs.fixtures.js';

/** Two five-cliques joined by a path through b1 – b2; a pendant star on b2. */
function brokeredGraph(): UndirectedGraph {
  const graph = new UndirectedGraph();
  const clique = (prefix: string) => {
    for (let i = 0; i < 5; i++) for (let j = i + 1; j < 5; j++) graph.mergeEdge(`${prefix}${i}`, `${prefix}${j}`);
  };
  clique('a');
  clique('c');
  graph.mergeEdge('a0', 'b1');
  graph.mergeEdge('b1', 'b2');
  graph.mergeEdge('b2', 'c0');
  for (const leaf of ['l1', 'l2', 'l3']) graph.mergeEdge('b2', leaf);
  return graph;
}

const byBetweenness = rankingByScore((g) => betweenness(g));

describe('robustKeyPlayers', () => {
  it('keeps every top-k node at frequency 1 with nothing dropped', () => {
    const graph = brokeredGraph();
    for (const drop of ['edges', 'nodes'] as const) {
      const result = robustKeyPlayers(graph, { rank: byBetweenness, k: 3, drop, fractions: [0], samples: 5 });
      expect(result.baseline).toHaveLength(3);
      expect(result.dropped).toEqual([0]);
      expect(result.nodes.map((node) => node.id)).toEqual(result.baseline);
      for (const node of result.nodes) {
        expect(node.frequency).toEqual([1]);
        expect(node.present).toEqual([1]);
        expect(node.interval[0]![1]).toBe(1);
      }
    }
  });

  it('gives frequencies and intervals in [0, 1], the baseline first', () => {
    const graph = brokeredGraph();
    const result = robustKeyPlayers(graph, { rank: byBetweenness, k: 3, drop: 'nodes', samples: 20 });
    expect(new Set(result.baseline)).toEqual(new Set(['a0', 'b1', 'b2']));
    expect(result.nodes.slice(0, 3).map((node) => node.baselineRank)).toEqual([1, 2, 3]);
    expect(result.nodes.length).toBeGreaterThan(3);
    for (const node of result.nodes) {
      for (let f = 0; f < result.fractions.length; f++) {
        const [low, high] = node.interval[f]!;
        expect(node.frequency[f]).toBeGreaterThanOrEqual(0);
        expect(node.frequency[f]).toBeLessThanOrEqual(1);
        expect(low).toBeLessThanOrEqual(node.frequency[f]!);
        expect(high).toBeGreaterThanOrEqual(node.frequency[f]!);
        // A node out of the data cannot be in the top k.
        expect(node.frequency[f]).toBeLessThanOrEqual(node.present[f]!);
      }
    }
    expect(result.dropped).toEqual([1, 2, 3, 4].map((_, i) => Math.round([0.05, 0.1, 0.2, 0.3][i]! * graph.order)));
  });

  it('is identical for the same seed and differs for another', () => {
    const graph = brokeredGraph();
    const run = (seed: number) => robustKeyPlayers(graph, { rank: byBetweenness, k: 3, samples: 15, seed });
    expect(run(4)).toEqual(run(4));
    expect(JSON.stringify(run(4).nodes)).not.toBe(JSON.stringify(run(5).nodes));
  });

  it('counts exactly k nodes per sample, and unseats a leader that wins only on a tie', () => {
    // a0, c0 and b2 all have degree 5; a0 leads on id alone, so any missing tie of a0 unseats it.
    const graph = brokeredGraph();
    const result = robustKeyPlayers(graph, {
      rank: rankingByScore((g) => degree(g)),
      k: 2,
      fractions: [0.1, 0.3],
      samples: 40,
    });
    expect(result.baseline).toEqual(['a0', 'b2']);
    for (let f = 0; f < 2; f++)
      expect(result.nodes.reduce((sum, node) => sum + node.frequency[f]!, 0)).toBeCloseTo(2, 12);
    const a0 = result.nodes.find((node) => node.id === 'a0')!;
    expect(a0.frequency[1]).toBeLessThan(1);
  });

  it('accepts KPP-Neg as the ranking', async () => {
    const { graph } = await loadSmallProjection();
    const result = robustKeyPlayers(graph, {
      rank: rankingByKeyPlayers({ k: 3, restarts: 2 }),
      k: 3,
      fractions: [0, 0.1],
      samples: 4,
    });
    expect(result.baseline).toHaveLength(3);
    for (const id of result.baseline) expect(result.nodes.find((node) => node.id === id)!.frequency[0]).toBe(1);
  });

  it('checks its options', () => {
    const graph = brokeredGraph();
    expect(() => robustKeyPlayers(graph, { rank: byBetweenness, k: 2, fractions: [1] })).toThrow(KeyPlayerError);
    expect(() => robustKeyPlayers(graph, { rank: byBetweenness, k: 0 })).toThrow(
      /^@ocgnet\/disruption\/robustness: k must/,
    );
    expect(() => robustKeyPlayers(graph, { rank: byBetweenness, k: 2, samples: 0 })).toThrow(KeyPlayerError);
  });

  it('computes Wilson intervals', () => {
    expect(wilsonInterval(0, 0)).toEqual([0, 1]);
    const [low, high] = wilsonInterval(50, 50);
    expect(high).toBe(1);
    expect(low).toBeCloseTo(0.9287, 4);
    const [l2, h2] = wilsonInterval(25, 50);
    expect(l2 + h2).toBeCloseTo(1, 12);
  });
});

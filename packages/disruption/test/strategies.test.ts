/**
 * The key-player removal strategies: their removals are exactly the KPP-Neg
 * set, so the curve's final fragmentation is the set's score.
 */
import Graph from 'graphology';
import { describe, expect, it } from 'vitest';
import { keyPlayersNegative } from '../src/keyPlayers.js';
import { simulateRemoval } from '../src/simulate.js';
import { loadDatasets } from '../../analysis/test/graphs.fixtures.js';

describe('keyplayer strategies', () => {
  it('remove the KPP-Neg set, ending at its fragmentation score', async () => {
    const graphs = (await loadDatasets()).filter(({ graph }) => graph.order <= 70);
    expect(graphs.length).toBeGreaterThan(5);
    for (const { name, graph } of graphs) {
      for (const [strategy, objective, field] of [
        ['keyplayer', 'fragmentation', 'fragmentation'],
        ['keyplayer-distance', 'distance', 'distanceFragmentation'],
      ] as const) {
        const k = 3;
        const result = simulateRemoval(graph, { strategy, steps: k });
        const set = keyPlayersNegative(graph, { k, objective });
        expect([...result.removed].sort(), `${name} ${strategy}`).toEqual(set.players);
        expect(result.curve.at(-1)![field]).toBeCloseTo(set.score, 12);
      }
    }
  });

  it('removes, at each step, the player that raises fragmentation most', () => {
    // Two triangles joined through c–d; the bridge ends are the key players, c first by id on a tie.
    const graph = new Graph({ type: 'undirected' });
    for (const [u, v] of [
      ['a', 'b'],
      ['b', 'c'],
      ['a', 'c'],
      ['c', 'd'],
      ['d', 'e'],
      ['e', 'f'],
      ['d', 'f'],
    ])
      graph.mergeEdge(u!, v!);
    const result = simulateRemoval(graph, { strategy: 'keyplayer', steps: 1 });
    expect(result.removed).toEqual(['c']);
    expect(result.curve[1]!.components).toBe(2);
  });
});

/**
 * Safeguarding subjects (vulnerable, under 18, exploited, cuckooed) are never
 * removed by the simulation nor chosen as key players when protected, yet stay
 * in the network, so fragmentation is measured with them present.
 */
import Graph from 'graphology';
import { describe, expect, it } from 'vitest';
import { SimulationError, safeguardingSubjects, simulateRemoval } from '../src/simulate.js';
import { keyPlayersNegative, keyPlayersPositive } from '../src/keyPlayers.js';

/**
 * R (an exploited 16-year-old runner) is the hub: tied to a, b, c, d and to
 * the ring's boss X. V (a vulnerable adult, flagged on the record only) hangs
 * off X. X ties the two halves together.
 *
 *   a b c d
 *    \|/ /
 *     R ── X ── y ── z
 *          │
 *          V
 */
function exploitedHub(): Graph {
  const graph = new Graph({ type: 'undirected' });
  graph.addNode('R', { label: 'Runner', under_18: true, exploited: true });
  graph.addNode('V', { label: 'Vulnerable adult', record: { kind: 'person', vulnerable: true } });
  for (const id of ['a', 'b', 'c', 'd', 'X', 'y', 'z'])
    graph.addNode(id, { label: id, under_18: false, vulnerable: false });
  for (const [u, v] of [
    ['R', 'a'],
    ['R', 'b'],
    ['R', 'c'],
    ['R', 'd'],
    ['R', 'X'],
    ['X', 'y'],
    ['y', 'z'],
    ['X', 'V'],
  ] as const)
    graph.addEdge(u, v);
  return graph;
}

describe('safeguarding subjects in the removal simulation', () => {
  const graph = exploitedHub();
  const protect = safeguardingSubjects(graph);

  it('finds them by the schema flags, on the node or on its record', () => {
    expect([...protect].sort()).toEqual(['R', 'V']);
  });

  it('with inclusion (no protection) the top-degree runner is removed first', () => {
    expect(simulateRemoval(graph, { strategy: 'degree', steps: 1 }).removed).toEqual(['R']);
    expect(simulateRemoval(graph, { strategy: 'degree', steps: 1, protect: new Set() }).removed).toEqual(['R']);
  });

  it('protected, no strategy or mode ever removes them, and they stay in the network', () => {
    for (const strategy of [
      'degree',
      'betweenness',
      'pagerank',
      'coreness',
      'keyplayer',
      'keyplayer-distance',
      'random',
    ] as const) {
      for (const mode of ['sequential', 'simultaneous'] as const) {
        const result = simulateRemoval(graph, { strategy, mode, protect, steps: 20, seeds: 3 });
        expect(result.removed, `${strategy} ${mode}`).not.toContain('R');
        expect(result.removed, `${strategy} ${mode}`).not.toContain('V');
        // Everyone else can go: 9 nodes, 2 protected.
        expect(result.removed.length, `${strategy} ${mode}`).toBe(7);
        expect(result.protected).toEqual(['R', 'V']);
        // Both protected nodes remain to the end: fragmentation is measured with them present.
        expect(result.curve.at(-1)!.lcc, `${strategy} ${mode}`).toBeGreaterThanOrEqual(1);
        expect(result.curve.at(-1)!.components).toBe(2);
      }
    }
  });

  it('by degree, X goes first instead, and the curve counts R as still present', () => {
    const result = simulateRemoval(graph, { strategy: 'degree', protect, steps: 1 });
    expect(result.removed).toEqual(['X']);
    // Without X: {R, a, b, c, d} (5), {y, z}, {V}.
    expect(result.curve[1]).toMatchObject({ lcc: 5, components: 3 });
  });

  it('refuses a target list that names one, unless inclusion is asked for', () => {
    let caught: unknown;
    try {
      simulateRemoval(graph, { strategy: 'targets', targets: ['X', 'R'], protect });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SimulationError);
    expect((caught as SimulationError).code).toBe('PROTECTED_TARGETS');
    expect((caught as SimulationError).unknown).toEqual(['R']);
    expect((caught as Error).message).toMatch(/safeguarding/);
    expect(simulateRemoval(graph, { strategy: 'targets', targets: ['X', 'R'] }).removed).toEqual(['X', 'R']);
    expect(simulateRemoval(graph, { strategy: 'targets', targets: ['X', 'y'], protect }).removed).toEqual(['X', 'y']);
  });
});

describe('safeguarding subjects in the key-player search', () => {
  const graph = exploitedHub();
  const exclude = [...safeguardingSubjects(graph)];

  it('KPP-Neg picks the runner when allowed, never when excluded', () => {
    expect(keyPlayersNegative(graph, { k: 1 }).players).toEqual(['R']);
    for (const k of [1, 2, 3]) {
      const result = keyPlayersNegative(graph, { k, exclude, restarts: 5 });
      expect(result.players).not.toContain('R');
      expect(result.players).not.toContain('V');
      expect(result.players).toHaveLength(k);
      // Scored over every node, the excluded ones included.
      expect(result.nodes).toBe(9);
    }
  });

  it('KPP-Pos excludes them too', () => {
    expect(keyPlayersPositive(graph, { k: 1 }).players).toEqual(['R']);
    expect(
      keyPlayersPositive(graph, { k: 2, exclude, restarts: 5 }).players.filter((id) => exclude.includes(id)),
    ).toEqual([]);
  });
});

/**
 * Network recovery after removal (Duijn, Kashirin & Sloot 2014): hand cases
 * for each mechanism, determinism, and invariants on random graphs.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { UndirectedGraph } from 'graphology';
import { RecoveryError, simulateRecovery, type RecoveryMechanism } from '../src/recovery.js';
import { loadSmallProjection } from '../../analysis/test/graphs.fixtures.js';

function graphOf(edges: [string, string][], nodes: string[] = []): UndirectedGraph {
  const graph = new UndirectedGraph();
  for (const id of nodes) graph.addNode(id);
  for (const [a, b] of edges) graph.mergeEdge(a, b);
  return graph;
}

/** Two triangles; broker b ties a1 and a2 on one side to c1 on the other. */
const brokered = () =>
  graphOf([
    ['a1', 'a2'],
    ['a2', 'a3'],
    ['a1', 'a3'],
    ['c1', 'c2'],
    ['c2', 'c3'],
    ['c1', 'c3'],
    ['b', 'a1'],
    ['b', 'a2'],
    ['b', 'c1'],
  ]);

const ALL: RecoveryMechanism[] = [
  { type: 'replacement', probability: 0.5 },
  { type: 'triadic', probability: 0.3 },
  { type: 'preferential', probability: 0.5 },
];

describe('simulateRecovery', () => {
  it('replacement restores a removed broker’s bridge', () => {
    const result = simulateRecovery(brokered(), ['b'], { mechanisms: [{ type: 'replacement', probability: 1 }] });
    // a1 and a2 tie on Jaccard similarity (1/4 each) with b's contacts {a1, a2, c1}; a1 has the smaller id.
    expect(result.addedEdges).toEqual([['a1', 'c1', 'replacement']]);
    expect(result.removed).toEqual(['b']);
    expect(result.afterRemoval.lcc).toBe(3);
    expect(result.afterRecovery.lcc).toBe(6);
    expect(result.afterRecovery.lccFraction).toBeCloseTo(6 / 7, 12);
    expect(result.afterRecovery.efficiency).toBeGreaterThan(result.afterRemoval.efficiency);
    expect(result.before.lcc).toBe(7);
  });

  it('shows a backfire: triadic closure around a removed hub leaves a denser network', () => {
    // A star: removing the hub and closing every pair of its former contacts gives a clique.
    const star = graphOf(['p', 'q', 'r', 's'].map((leaf) => ['hub', leaf] as [string, string]));
    const result = simulateRecovery(star, ['hub'], { mechanisms: [{ type: 'triadic', probability: 1 }] });
    expect(result.addedEdges).toHaveLength(6);
    expect(result.addedEdges.every(([, , mechanism]) => mechanism === 'triadic')).toBe(true);
    expect(result.afterRemoval.efficiency).toBe(0);
    expect(result.afterRecovery.efficiency).toBe(1);
    expect(result.before.efficiency).toBeCloseTo((4 * 2 + 12 * 0.5) / 20, 12);
    expect(result.backfired).toBe(true);
  });

  it('preferential attachment re-attaches cut-off contacts to the largest component', () => {
    // x hangs off the group only through r; removing r strands x (and its partner y).
    const graph = graphOf([
      ['a', 'b'],
      ['b', 'c'],
      ['a', 'c'],
      ['c', 'd'],
      ['r', 'c'],
      ['r', 'x'],
      ['x', 'y'],
    ]);
    const result = simulateRecovery(graph, ['r'], { mechanisms: [{ type: 'preferential', probability: 1 }] });
    expect(result.addedEdges).toHaveLength(1);
    const [contact, target, mechanism] = result.addedEdges[0]!;
    expect([contact, mechanism]).toEqual(['x', 'preferential']);
    expect(['a', 'b', 'c', 'd']).toContain(target);
    expect(result.afterRecovery.lcc).toBe(6);
    // c, still in the largest component, does not re-attach.
    expect(result.addedEdges.some(([u]) => u === 'c')).toBe(false);
  });

  it('adds nothing with probability 0', () => {
    const mechanisms = ALL.map((m) => ({ ...m, probability: 0 }));
    const result = simulateRecovery(brokered(), ['b', 'a3'], { mechanisms, rounds: 3 });
    expect(result.addedEdges).toEqual([]);
    expect(result.afterRecovery).toEqual(result.afterRemoval);
  });

  it('is identical for the same seed', async () => {
    const { graph } = await loadSmallProjection();
    const targets = graph.nodes().slice(0, 8);
    const run = (seed: number) => simulateRecovery(graph, targets, { mechanisms: ALL, seed, rounds: 2 });
    const first = run(3);
    expect(first.addedEdges.length).toBeGreaterThan(0);
    expect(run(3)).toEqual(first);
    expect(run(4).addedEdges).not.toEqual(first.addedEdges);
  });

  it('only ever adds new ties between remaining nodes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 15 }).chain((n) =>
          fc.record({
            n: fc.constant(n),
            edges: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 3 * n }),
            removed: fc.uniqueArray(fc.nat(n - 1), { maxLength: 3 }),
            seed: fc.nat(1000),
            rounds: fc.integer({ min: 1, max: 3 }),
            probabilities: fc.tuple(
              fc.double({ min: 0, max: 1, noNaN: true }),
              fc.double({ min: 0, max: 1, noNaN: true }),
              fc.double({ min: 0, max: 1, noNaN: true }),
            ),
          }),
        ),
        ({ n, edges, removed, seed, rounds, probabilities }) => {
          const ids = Array.from({ length: n }, (_, i) => `v${i}`);
          const graph = graphOf(
            edges.filter(([a, b]) => a !== b).map(([a, b]) => [ids[a]!, ids[b]!]),
            ids,
          );
          const mechanisms = ALL.map((m, i) => ({ ...m, probability: probabilities[i]! }));
          const gone = removed.map((i) => ids[i]!);
          const result = simulateRecovery(graph, gone, { mechanisms, seed, rounds });
          const seen = new Set<string>();
          for (const [u, v] of result.addedEdges) {
            expect(u).not.toBe(v);
            expect(gone).not.toContain(u);
            expect(gone).not.toContain(v);
            expect(graph.hasEdge(u, v)).toBe(false);
            const key = [u, v].sort().join('|');
            expect(seen.has(key)).toBe(false);
            seen.add(key);
          }
          expect(result.afterRecovery.efficiency).toBeGreaterThanOrEqual(result.afterRemoval.efficiency - 1e-12);
          expect(result.afterRecovery.lcc).toBeGreaterThanOrEqual(result.afterRemoval.lcc);
          expect(simulateRecovery(graph, gone, { mechanisms, seed, rounds })).toEqual(result);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('throws typed errors on misuse', () => {
    const graph = brokered();
    expect(() => simulateRecovery(graph, ['nobody'], { mechanisms: [] })).toThrow(RecoveryError);
    expect(() => simulateRecovery(graph, ['b'], { mechanisms: [{ type: 'replacement', probability: 1.5 }] })).toThrow(
      /^@ocgnet\/disruption\/recovery: replacement probability/,
    );
    expect(() =>
      simulateRecovery(graph, ['b'], { mechanisms: [{ type: 'rewire' as never, probability: 0.5 }] }),
    ).toThrow(RecoveryError);
    expect(() => simulateRecovery(graph, ['b'], { mechanisms: [], rounds: 0 })).toThrow(RecoveryError);
  });
});

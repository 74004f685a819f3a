/**
 * The kernels with a removal mask (`removed[v] = 1`) against networkx on the
 * subgraph the other nodes induce (test/reference/masked.py): components,
 * global efficiency, closeness and harmonic centrality, on generated graphs
 * with seeded random masks and with their hubs removed; and components
 * against union-find on random small graphs and masks (fast-check).
 */
import { beforeAll, describe, expect, it, test } from 'vitest';
import fc from 'fast-check';
import { runReference } from '../../../../test/reference/python.js';
import { csrOf, type CsrGraph } from '../../src/csr.js';
import { csrFromEdgeArrays } from '../../src/csrFromEdges.js';
import { closenessAndHarmonicOnCsr } from '../../src/metrics/closeness.js';
import { connectedComponentsOnCsr } from '../../src/metrics/components.js';
import { globalEfficiencyOnCsr } from '../../src/metrics/efficiency.js';
import { edgeListOf } from '../graphs.fixtures.js';
import { barabasiAlbert, generatedGraphs } from './generated.fixtures.js';

interface Reference {
  networkx: string;
  graphs: {
    name: string;
    sizes: number[];
    components: string[][];
    efficiency: number;
    closeness: Record<string, number>;
    harmonic: Record<string, number>;
  }[];
}

interface Case {
  name: string;
  csr: CsrGraph;
  removed: Uint8Array;
}

/** A seeded mask of about `share` of the nodes (a linear congruential draw, so the cases are the same on every run). */
function randomMask(n: number, share: number, seed: number): Uint8Array {
  const removed = new Uint8Array(n);
  let state = seed >>> 0;
  for (let v = 0; v < n; v++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    if (state / 2 ** 32 < share) removed[v] = 1;
  }
  return removed;
}

/** The `count` highest-degree nodes removed: the attack the removal curves simulate. */
function hubMask(csr: CsrGraph, count: number): Uint8Array {
  const degree = (v: number) => csr.offsets[v + 1]! - csr.offsets[v]!;
  const byDegree = Array.from({ length: csr.n }, (_, v) => v).sort((a, b) => degree(b) - degree(a) || a - b);
  const removed = new Uint8Array(csr.n);
  for (const v of byDegree.slice(0, count)) removed[v] = 1;
  return removed;
}

const graphs = [...generatedGraphs(), { name: 'ba-1500-m3', graph: barabasiAlbert(1500, 3, 5) }];
const cases: Case[] = graphs.flatMap(({ name, graph }) => {
  const csr = csrOf(graph, { weightAttribute: null });
  const masked = [
    { name: `${name} without 10% at random`, csr, removed: randomMask(csr.n, 0.1, 1) },
    { name: `${name} without its 5 hubs`, csr, removed: hubMask(csr, 5) },
  ];
  // The largest graph (there for the bottom-up sweeps) only with these two: networkx takes seconds per case on it.
  if (csr.n > 1000) return masked;
  return [
    ...masked,
    { name: `${name} without 40% at random`, csr, removed: randomMask(csr.n, 0.4, 2) },
    { name: `${name} with nothing removed`, csr, removed: new Uint8Array(csr.n) },
  ];
});

function relativeError(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.max(1, Math.abs(expected));
}

describe('masked kernels against networkx on the induced subgraph', () => {
  let reference: Reference;

  beforeAll(() => {
    reference = runReference<Reference>('masked.py', {
      graphs: cases.map(({ name, csr, removed }) => ({
        ...edgeListOf({ name, graph: graphs.find((g) => name.startsWith(`${g.name} `))!.graph }),
        name,
        removed: csr.ids.filter((_, v) => removed[v] === 1),
      })),
    });
  }, 600_000);

  it('covers every case, each removing what it says', () => {
    expect(reference.networkx).toMatch(/^3\./);
    expect(reference.graphs.map((g) => g.name)).toEqual(cases.map((c) => c.name));
    // The masks are not trivial: the random ones and the hub ones remove nodes.
    for (const { name, removed } of cases)
      if (!name.endsWith('nothing removed'))
        expect(
          removed.some((bit) => bit === 1),
          name,
        ).toBe(true);
  });

  it('labels the same components, largest first, and no removed node', () => {
    cases.forEach(({ name, csr, removed }, k) => {
      const expected = reference.graphs[k]!;
      const found = connectedComponentsOnCsr(csr, removed);
      expect(found.sizes, name).toEqual(expected.sizes);
      expect(found.count, name).toBe(expected.sizes.length);
      const members = Array.from({ length: found.count }, () => [] as string[]);
      for (let v = 0; v < csr.n; v++) {
        if (removed[v] === 1) expect(found.componentOf[v], `${name}: removed ${csr.ids[v]}`).toBe(-1);
        else members[found.componentOf[v]!]!.push(csr.ids[v]!);
      }
      const asSets = (lists: string[][]) => lists.map((list) => [...list].sort().join(' ')).sort();
      expect(asSets(members), name).toEqual(asSets(expected.components));
    });
  });

  it('gives networkx global_efficiency', () => {
    cases.forEach(({ name, csr, removed }, k) => {
      const expected = reference.graphs[k]!.efficiency;
      const found = globalEfficiencyOnCsr(csr, removed);
      // networkx adds n(n − 1) terms one by one, so its own rounding reaches about 1e-12 here; ours sums exact pair counts per distance.
      expect(
        relativeError(found.efficiency, expected),
        `${name}: ${found.efficiency} vs ${expected}`,
      ).toBeLessThanOrEqual(1e-10);
      const remaining = removed.reduce((count, bit) => count + (bit === 1 ? 0 : 1), 0);
      expect(found.pairs, name).toBe(remaining * (remaining - 1));
    });
  });

  it('gives networkx closeness and harmonic centrality, 0 for removed nodes', () => {
    cases.forEach(({ name, csr, removed }, k) => {
      const expected = reference.graphs[k]!;
      const { closeness, harmonic } = closenessAndHarmonicOnCsr(csr, { removed });
      let worst = 0;
      for (let v = 0; v < csr.n; v++) {
        const id = csr.ids[v]!;
        if (removed[v] === 1) {
          expect([closeness[v], harmonic[v]], `${name}: removed ${id}`).toEqual([0, 0]);
          continue;
        }
        worst = Math.max(
          worst,
          relativeError(closeness[v]!, expected.closeness[id]!),
          relativeError(harmonic[v]!, expected.harmonic[id]!),
        );
      }
      expect(worst, name).toBeLessThanOrEqual(1e-12);
    });
  });

  it('gives the same closeness and harmonic centrality weighted, through the induced snapshot, when every weight is 1', () => {
    const { csr, removed } = cases.find((c) => c.name.startsWith('ba-300-m2 without 40%'))!;
    const hops = closenessAndHarmonicOnCsr(csr, { removed });
    const weighted = closenessAndHarmonicOnCsr(csr, { removed, weighted: true, distance: 'weight' });
    for (let v = 0; v < csr.n; v++) {
      expect(relativeError(weighted.closeness[v]!, hops.closeness[v]!)).toBeLessThanOrEqual(1e-12);
      expect(relativeError(weighted.harmonic[v]!, hops.harmonic[v]!)).toBeLessThanOrEqual(1e-12);
    }
  });
});

test('masked components equal union-find over the edges between remaining nodes', () => {
  fc.assert(
    fc.property(
      fc
        .integer({ min: 1, max: 40 })
        .chain((n) =>
          fc.tuple(
            fc.constant(n),
            fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 60 }),
            fc.array(fc.boolean(), { minLength: n, maxLength: n }),
          ),
        ),
      ([n, edges, mask]) => {
        const removed = Uint8Array.from(mask, (bit) => (bit ? 1 : 0));
        const parent = Array.from({ length: n }, (_, i) => i);
        const find = (x: number): number => (parent[x] === x ? x : (parent[x] = find(parent[x]!)));
        for (const [u, v] of edges) if (!removed[u] && !removed[v]) parent[find(u)] = find(v);
        const sizeOf = new Map<number, number>();
        for (let v = 0; v < n; v++) if (!removed[v]) sizeOf.set(find(v), (sizeOf.get(find(v)) ?? 0) + 1);
        const csr = csrFromEdgeArrays(
          Array.from({ length: n }, (_, i) => String(i)),
          Int32Array.from(edges, (e) => e[0]),
          Int32Array.from(edges, (e) => e[1]),
          null,
        );
        const found = connectedComponentsOnCsr(csr, removed);
        expect(found.sizes).toEqual([...sizeOf.values()].sort((a, b) => b - a));
        for (let u = 0; u < n; u++) {
          if (removed[u]) {
            expect(found.componentOf[u]).toBe(-1);
            continue;
          }
          // Same component in both exactly when the same union-find root.
          for (let v = u + 1; v < n; v++)
            if (!removed[v]) expect(found.componentOf[u] === found.componentOf[v]).toBe(find(u) === find(v));
        }
      },
    ),
    { numRuns: 500 },
  );
});

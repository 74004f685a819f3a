/**
 * k-automorphism by edge additions: on random graphs (directed ones too),
 * the release keeps every original tie, its permutation F maps ties to ties
 * with the same attributes and nodes to nodes with the same attributes, the
 * twins have the same neighbours and attributes, every orbit has at least k
 * nodes, and every measure then reaches k. The same seed and key give the
 * same release.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import Graph from 'graphology';
import { assessReidentification } from '../src/reidentification.js';
import { perturbToKAutomorphism } from '../src/automorphism.js';
import { releaseDigest } from '../src/researchExport.js';
import { caviar } from './research.fixtures.js';

const spec = fc.integer({ min: 1, max: 24 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    directed: fc.boolean(),
    pairs: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1), fc.constantFrom(1, 2, 3)), { maxLength: 3 * n }),
    bands: fc.array(fc.constantFrom('18-24', '25-34', '*'), { minLength: n, maxLength: n }),
    k: fc.integer({ min: 2, max: 6 }),
    seed: fc.nat(1000),
  }),
);

function build(value: { n: number; directed: boolean; pairs: [number, number, number][]; bands: string[] }): Graph {
  const graph = new Graph({ type: value.directed ? 'directed' : 'undirected', allowSelfLoops: true });
  for (let i = 0; i < value.n; i++) graph.addNode(`v${String(i).padStart(2, '0')}`, { age_band: value.bands[i] });
  for (const [a, b, w] of value.pairs) {
    const [s, t] = [`v${String(a).padStart(2, '0')}`, `v${String(b).padStart(2, '0')}`];
    if (!graph.hasEdge(s, t)) graph.addEdge(s, t, { weight: w, channels: w === 1 ? 'associate' : 'shared_phone' });
  }
  return graph;
}

const tieKey = (graph: Graph, s: string, t: string) => {
  const edge = graph.type === 'directed' ? graph.directedEdge(s, t) : graph.undirectedEdge(s, t);
  return edge === undefined ? undefined : JSON.stringify(graph.getEdgeAttributes(edge));
};

describe('perturbToKAutomorphism', () => {
  it('property: additions only, F an automorphism with attributes, twins alike, orbits of at least k, every measure at k', () => {
    fc.assert(
      fc.property(spec, (value) => {
        const graph = build(value);
        const result = perturbToKAutomorphism(graph, { k: value.k, seed: value.seed });
        if (value.n < value.k) {
          expect(result.reached).toBe(false);
          return;
        }
        const release = result.graph;
        expect(result.reached).toBe(true);
        expect(release.order).toBe(graph.order);
        expect(release.size).toBe(graph.size + result.added);
        graph.forEachEdge((_e, _a, s, t) => expect(tieKey(release, s, t), `${s} ${t} kept`).toBeDefined());
        const F = result.shift;
        release.forEachEdge((_e, attributes, s, t) =>
          expect(tieKey(release, F.get(s)!, F.get(t)!), `F(${s}) F(${t})`).toBe(JSON.stringify(attributes)),
        );
        release.forEachNode((node, attributes) => expect(release.getNodeAttributes(F.get(node)!)).toEqual(attributes));
        // Every node is in one orbit, of at least k nodes.
        for (const orbit of result.orbits) expect(orbit.length).toBeGreaterThanOrEqual(value.k);
        expect(result.orbits.flat().sort()).toEqual(graph.nodes().sort());
        const twins = result.orbits.find((orbit) => orbit.every((node) => F.get(node) === node)) ?? [];
        expect(twins.length).toBe(result.twins);
        for (const a of twins) {
          for (const b of twins) {
            expect(release.getNodeAttributes(a)).toEqual(release.getNodeAttributes(b));
            for (const other of release.nodes())
              if (other !== a && other !== b) expect(tieKey(release, a, other)).toBe(tieKey(release, b, other));
          }
        }
        const report = assessReidentification(graph, release, {
          additions: true,
          weightWildcard: result.weightWildcard,
          minK: value.k,
        });
        for (const measure of report.measures) expect(measure.k, measure.measure).toBeGreaterThanOrEqual(value.k);
      }),
      { numRuns: 120 },
    );
  });

  it('is reproducible by seed, and reaches k on caviar', async () => {
    const graph = await caviar();
    const first = perturbToKAutomorphism(graph, { k: 5, seed: 3 });
    const again = perturbToKAutomorphism(graph, { k: 5, seed: 3 });
    expect(releaseDigest(again.graph)).toBe(releaseDigest(first.graph));
    expect(first.orbits.every((orbit) => orbit.length >= 5)).toBe(true);
    expect(first.added).toBeGreaterThan(0);
  });
});

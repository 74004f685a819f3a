/**
 * csrFromEdgeArrays gives exactly the snapshot toCsr gives for the same graph
 * (same node order, same edge order): parallel edges merged with weights
 * summed, self-loops left out and counted, every array equal.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { MultiUndirectedGraph } from 'graphology';
import { csrFromEdgeArrays } from '../src/csrFromEdges.js';
import { toCsr } from '../src/csr.js';

const edgeLists = fc.integer({ min: 1, max: 30 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    edges: fc.array(fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 0, max: n - 1 }), fc.double({ min: 0.01, max: 100, noNaN: true })), { maxLength: 120 }),
    weighted: fc.boolean(),
  }),
);

const FIELDS = ['n', 'm', 'ids', 'offsets', 'targets', 'weights', 'edgeOf', 'edgeSource', 'edgeTarget', 'edgeWeight', 'weighted', 'selfLoops'] as const;

describe('csrFromEdgeArrays', () => {
  test('equals toCsr on random multigraphs with self-loops, weighted and not', () => {
    fc.assert(
      fc.property(edgeLists, ({ n, edges, weighted }) => {
        // Labels not in numeric order, so index order is not label order.
        const ids = Array.from({ length: n }, (_x, i) => `v${(i * 7) % n}-${i}`);
        const graph = new MultiUndirectedGraph();
        for (const id of ids) graph.addNode(id);
        for (const [u, v, w] of edges) graph.addEdge(ids[u]!, ids[v]!, { weight: w });
        const expected = toCsr(graph, { weightAttribute: weighted ? 'weight' : null });
        const found = csrFromEdgeArrays(
          ids,
          Int32Array.from(edges, (e) => e[0]),
          Int32Array.from(edges, (e) => e[1]),
          weighted ? Float64Array.from(edges, (e) => e[2]) : null,
        );
        // Field by field: the per-edge arrays (and all-1 weights) are getters, built on first use, which a spread would not see.
        for (const key of FIELDS) expect(found[key], key).toEqual(expected[key]);
        expect(found.sourceDirected).toBe(false);
        expect(new Map(found.index)).toEqual(expected.index);
        expect(found.index.get(ids[n - 1]!)).toBe(n - 1);
      }),
      { numRuns: 300 },
    );
  });

  test('the per-edge arrays, built on first use, are built once and match whichever is read first', () => {
    // A triangle 0–1–2 with the path 2–3–4 hanging off it, 0–1 twice, and a self-loop.
    const source = Int32Array.of(0, 1, 2, 3, 4, 1, 3);
    const target = Int32Array.of(1, 2, 0, 2, 3, 0, 3);
    for (const weight of [null, Float64Array.of(1, 2, 3, 4, 5, 6, 7)]) {
      for (const first of ['edgeOf', 'edgeSource', 'edgeTarget', 'edgeWeight', 'weights'] as const) {
        const csr = csrFromEdgeArrays(['a', 'b', 'c', 'd', 'e'], source, target, weight);
        const value = csr[first];
        expect(csr[first]).toBe(value);
        expect(Array.from(csr.edgeSource)).toEqual([0, 0, 1, 2, 3]);
        expect(Array.from(csr.edgeTarget)).toEqual([1, 2, 2, 3, 4]);
        expect(Array.from(csr.edgeWeight)).toEqual(weight === null ? [2, 1, 1, 1, 1] : [7, 3, 2, 4, 5]);
        expect(Array.from(csr.edgeOf)).toEqual([0, 1, 0, 2, 1, 2, 3, 3, 4, 4]);
        expect(csr.edgeOf).toBe(csr.edgeOf);
      }
    }
    // Without parallel edges, unweighted: weights are 1 everywhere, filled on first read.
    const simple = csrFromEdgeArrays(['a', 'b', 'c'], Int32Array.of(0, 1), Int32Array.of(1, 2), null);
    expect(Array.from(simple.weights)).toEqual([1, 1, 1, 1]);
    expect(simple.weights).toBe(simple.weights);
    expect(Array.from(simple.edgeWeight)).toEqual([1, 1]);
  });

  test('refuses an endpoint out of range, a bad weight, and arrays of different lengths', () => {
    const one = Int32Array.of(0);
    expect(() => csrFromEdgeArrays(['a'], one, Int32Array.of(1), null)).toThrow(/outside 0 … 0/);
    expect(() => csrFromEdgeArrays(['a', 'b'], one, Int32Array.of(1), Float64Array.of(0))).toThrow(/finite and positive/);
    expect(() => csrFromEdgeArrays(['a', 'b'], one, Int32Array.of(1, 0), null)).toThrow(/same length/);
  });

  test('an edgeless graph and isolates', () => {
    const csr = csrFromEdgeArrays(['a', 'b', 'c'], Int32Array.of(1), Int32Array.of(1), null);
    expect(csr).toMatchObject({ n: 3, m: 0, selfLoops: 1, weighted: false, sourceDirected: false });
    expect(Array.from(csr.offsets)).toEqual([0, 0, 0, 0]);
    expect(csr.index.get('c')).toBe(2);
  });
});

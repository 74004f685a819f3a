/**
 * csrFromEdgeArrays gives exactly the snapshot toCsr gives for the simple
 * graph the edge-list rule reads from the same edges (@ocgnet/io,
 * research/repeatedEdges.ts: a repeated edge in either orientation is one
 * tie, weights summed or 1 when unweighted; a repeated self-loop is one),
 * same node order, same edge order, every array equal; and the same snapshot
 * as the CSV reader's graph of the same file.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { UndirectedGraph } from 'graphology';
import { parallelEdgesMerged, parseEdgeListCsv, parseEdgeListFast } from '@ocgnet/io';
import { csrFromEdgeArrays } from '../src/csrFromEdges.js';
import { toCsr, type CsrGraph } from '../src/csr.js';

/** The edge-list rule on a graphology graph, written out plainly: the reference the typed-array passes must equal. */
function simpleGraph(ids: string[], edges: [number, number, number][], weighted: boolean): UndirectedGraph {
  const graph = new UndirectedGraph({ allowSelfLoops: true });
  for (const id of ids) graph.addNode(id);
  for (const [u, v, w] of edges) {
    const edge = graph.edge(ids[u]!, ids[v]!);
    if (edge === undefined) graph.addEdge(ids[u]!, ids[v]!, weighted ? { weight: w } : {});
    else if (weighted) graph.updateEdgeAttribute(edge, 'weight', (total: number) => total + w);
  }
  return graph;
}

const edgeLists = fc.integer({ min: 1, max: 30 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    edges: fc.array(
      fc.tuple(
        fc.integer({ min: 0, max: n - 1 }),
        fc.integer({ min: 0, max: n - 1 }),
        fc.double({ min: 0.01, max: 100, noNaN: true }),
      ),
      { maxLength: 120 },
    ),
    weighted: fc.boolean(),
  }),
);

const FIELDS = [
  'n',
  'm',
  'ids',
  'offsets',
  'targets',
  'weights',
  'edgeOf',
  'edgeSource',
  'edgeTarget',
  'edgeWeight',
  'weighted',
  'selfLoops',
] as const;

describe('csrFromEdgeArrays', () => {
  test('equals toCsr of the simple graph the edge-list rule reads, on random edge lists with repeats and self-loops, weighted and not', () => {
    fc.assert(
      fc.property(edgeLists, ({ n, edges, weighted }) => {
        // Labels not in numeric order, so index order is not label order.
        const ids = Array.from({ length: n }, (_x, i) => `v${(i * 7) % n}-${i}`);
        const expected = toCsr(simpleGraph(ids, edges, weighted), { weightAttribute: weighted ? 'weight' : null });
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
        // 0–1 twice: one tie, weight 1 + 6 when weighted, 1 when not.
        expect(Array.from(csr.edgeWeight)).toEqual(weight === null ? [1, 1, 1, 1, 1] : [7, 3, 2, 4, 5]);
        expect(csr.selfLoops).toBe(1);
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
    expect(() => csrFromEdgeArrays(['a', 'b'], one, Int32Array.of(1), Float64Array.of(0))).toThrow(
      /finite and positive/,
    );
    expect(() => csrFromEdgeArrays(['a', 'b'], one, Int32Array.of(1, 0), null)).toThrow(/same length/);
  });

  test('the edge-list rule: the plain-list reader and the CSV reader give one snapshot, and the same count of merged lines', async () => {
    // a–b three times (both orientations), d–d twice, e–c once; weights where the file has them.
    const rows = [
      ['a', 'b', 2],
      ['b', 'c', 1],
      ['b', 'a', 3],
      ['c', 'd', 1],
      ['a', 'b', 0.5],
      ['d', 'd', 4],
      ['d', 'd', 1],
      ['e', 'c', 2],
    ] as const;
    for (const weighted of [true, false]) {
      const cells = (row: (typeof rows)[number]) => (weighted ? row : row.slice(0, 2));
      const plain = await parseEdgeListFast(rows.map((row) => cells(row).join(' ')).join('\n'), 'g.txt');
      const csv = await parseEdgeListCsv(
        `source,target${weighted ? ',weight' : ''}\n${rows.map((row) => cells(row).join(',')).join('\n')}\n`,
        'g.csv',
      );
      if (!plain.ok || !csv.ok) throw new Error('both files are valid');
      const fromArrays = csrFromEdgeArrays(plain.ids, plain.source, plain.target, plain.weight);
      const fromGraph = toCsr(csv.graph, { weightAttribute: weighted ? 'weight' : null });
      for (const key of FIELDS) expect(fromArrays[key], `${key}, weighted ${weighted}`).toEqual(fromGraph[key]);
      const ties = (csr: CsrGraph) =>
        Array.from(csr.edgeSource, (u, e) => `${csr.ids[u]}–${csr.ids[csr.edgeTarget[e]!]} ${csr.edgeWeight[e]}`);
      expect(ties(fromArrays)).toEqual(
        weighted ? ['a–b 5.5', 'b–c 1', 'c–d 1', 'c–e 2'] : ['a–b 1', 'b–c 1', 'c–d 1', 'c–e 1'],
      );
      expect(fromArrays).toMatchObject({ n: 5, m: 4, selfLoops: 1 });
      // The lines merged, as `ocgnet analyse --large` reports them, and as the CSV reader warns.
      expect(plain.source.length - fromArrays.selfLoops - fromArrays.m).toBe(3);
      expect(csv.warnings).toEqual([{ file: 'g.csv', line: 4, field: 'target', reason: parallelEdgesMerged(3) }]);
      expect(csv.graph.getEdgeAttributes(csv.graph.edge('d', 'd')!)).toEqual(weighted ? { weight: 5 } : {});
    }
  });

  test('an edgeless graph and isolates', () => {
    const csr = csrFromEdgeArrays(['a', 'b', 'c'], Int32Array.of(1, 1, 2), Int32Array.of(1, 1, 2), null);
    // b–b twice and c–c: two looped nodes.
    expect(csr).toMatchObject({ n: 3, m: 0, selfLoops: 2, weighted: false, sourceDirected: false });
    expect(Array.from(csr.offsets)).toEqual([0, 0, 0, 0]);
    expect(csr.index.get('c')).toBe(2);
  });
});

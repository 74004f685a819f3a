/**
 * connectedComponentsOnCsr's numbering against a plain reference (union-find,
 * then a sort): largest first, equal sizes by their smallest node.
 */
import { expect, test } from 'vitest';
import fc from 'fast-check';
import { csrFromEdgeArrays } from '../src/csrFromEdges.js';
import { connectedComponentsOnCsr } from '../src/metrics/components.js';

function reference(n: number, edges: [number, number][]): { componentOf: number[]; sizes: number[] } {
  const parent = Array.from({ length: n }, (_x, i) => i);
  const find = (x: number): number => (parent[x] === x ? x : (parent[x] = find(parent[x]!)));
  for (const [u, v] of edges) parent[find(u)] = find(v);
  const groups = new Map<number, number[]>();
  for (let v = 0; v < n; v++) {
    const root = find(v);
    if (!groups.has(root)) groups.set(root, []);
    groups.get(root)!.push(v);
  }
  const ordered = [...groups.values()].sort((a, b) => b.length - a.length || a[0]! - b[0]!);
  const componentOf = new Array<number>(n);
  ordered.forEach((members, id) => members.forEach((v) => (componentOf[v] = id)));
  return { componentOf, sizes: ordered.map((members) => members.length) };
}

test('components are numbered largest first, equal sizes by smallest node', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 40 }).chain((n) => fc.tuple(fc.constant(n), fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 50 }))),
      ([n, edges]) => {
        const csr = csrFromEdgeArrays(
          Array.from({ length: n }, (_x, i) => String(i)),
          Int32Array.from(edges, (e) => e[0]),
          Int32Array.from(edges, (e) => e[1]),
          null,
        );
        const found = connectedComponentsOnCsr(csr);
        const expected = reference(n, edges);
        expect(Array.from(found.componentOf)).toEqual(expected.componentOf);
        expect(found.sizes).toEqual(expected.sizes);
        expect(found.count).toBe(expected.sizes.length);
      },
    ),
    { numRuns: 500 },
  );
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NavigationError, allShortestPaths, kShortestPaths } from '../../src/navigation/index.js';
import { allSimplePathsSorted, graphOf } from './navigation.fixtures.js';

/**
 * The example of the Wikipedia article on Yen's algorithm, read as
 * undirected: from C to H the shortest path is C–E–F–H (5); two paths cost 7,
 * C–E–G–H (3 hops) and C–D–E–F–H (4 hops), so the hop count puts them 2nd and 3rd.
 */
const yenExample = () =>
  graphOf([
    ['C', 'D', 3],
    ['C', 'E', 2],
    ['D', 'F', 4],
    ['E', 'D', 1],
    ['E', 'F', 2],
    ['E', 'G', 3],
    ['F', 'G', 2],
    ['F', 'H', 1],
    ['G', 'H', 2],
  ]);

describe('kShortestPaths', () => {
  it("finds Yen's 2nd and 3rd paths, ties broken by hops", () => {
    const paths = kShortestPaths(yenExample(), 'C', 'H', 3, { weighted: true, distance: 'weight' });
    expect(paths.map((path) => [path.nodes.join(''), path.distance])).toEqual([
      ['CEFH', 5],
      ['CEGH', 7],
      ['CDEFH', 7],
    ]);
    expect(paths[1]!.hops.map((hop) => hop.weight)).toEqual([2, 3, 2]);
  });

  it('breaks ties of distance and hops by node keys', () => {
    // Distance 8: C–D–F–H, C–E–D–F–H and C–E–F–G–H; 3 hops before 4, then key order.
    const paths = kShortestPaths(yenExample(), 'C', 'H', 6, { weighted: true, distance: 'weight' });
    expect(paths.slice(3).map((path) => [path.nodes.join(''), path.distance])).toEqual([
      ['CDFH', 8],
      ['CEDFH', 8],
      ['CEFGH', 8],
    ]);
  });

  it('counts hops when unweighted', () => {
    const paths = kShortestPaths(yenExample(), 'C', 'H', 4);
    expect(paths.map((path) => path.nodes.join(''))).toEqual(['CDFH', 'CEFH', 'CEGH', 'CDEFH']);
    expect(paths.map((path) => path.distance)).toEqual([3, 3, 3, 4]);
  });

  it('returns fewer paths when fewer exist, and none between unconnected nodes', () => {
    const graph = graphOf(
      [
        ['a', 'b'],
        ['b', 'c'],
      ],
      ['z'],
    );
    expect(kShortestPaths(graph, 'a', 'c', 5).map((path) => path.nodes)).toEqual([['a', 'b', 'c']]);
    expect(kShortestPaths(graph, 'a', 'z', 5)).toEqual([]);
    expect(kShortestPaths(graph, 'b', 'b', 5).map((path) => path.nodes)).toEqual([['b']]);
  });

  it('starts with the first of the shortest paths', () => {
    const graph = yenExample();
    const [first] = kShortestPaths(graph, 'C', 'H', 1);
    expect(first).toEqual(allShortestPaths(graph, 'C', 'H').paths[0]);
  });

  it('throws typed errors for unknown nodes and a bad k', () => {
    expect(() => kShortestPaths(yenExample(), 'C', 'Q', 2)).toThrow(/^@ocgnet\/analysis\/navigation: target "Q"/);
    for (const k of [0, 1.5, -1, NaN]) expect(() => kShortestPaths(yenExample(), 'C', 'H', k)).toThrow(NavigationError);
  });

  it('gives the first k of every simple path sorted by distance, hops and keys (property)', () => {
    const nodes = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    const arbitraryGraph = fc.uniqueArray(
      fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 1, max: 4 })),
      { maxLength: 16, selector: ([u, v]) => (u < v ? `${u}-${v}` : `${v}-${u}`) },
    );
    fc.assert(
      fc.property(
        arbitraryGraph,
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 1, max: 12 }),
        fc.boolean(),
        (triples, s, t, k, weighted) => {
          const edges = triples
            .filter(([u, v]) => u !== v)
            .map(([u, v, w]) => [nodes[u]!, nodes[v]!, w] as [string, string, number]);
          const graph = graphOf(edges, nodes);
          const expected = allSimplePathsSorted(graph, nodes[s]!, nodes[t]!, weighted ? (w) => w : () => 1);
          const ours = kShortestPaths(graph, nodes[s]!, nodes[t]!, k, { weighted, distance: 'weight' });
          expect(ours.map((path) => [path.nodes, path.distance])).toEqual(
            expected.slice(0, k).map((path) => [path.nodes, path.distance]),
          );
          // And the shortest of them are exactly what allShortestPaths lists.
          const shortest = allShortestPaths(graph, nodes[s]!, nodes[t]!, {
            weighted,
            distance: 'weight',
            maxPaths: Infinity,
          });
          const least = expected.filter((path) => path.distance === expected[0]?.distance).map((path) => path.nodes);
          expect(shortest.paths.map((path) => path.nodes).sort()).toEqual(least.sort());
        },
      ),
      { numRuns: 300, seed: 20240611 },
    );
  });
});

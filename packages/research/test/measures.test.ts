/**
 * The re-identification measures against brute force and against cases
 * worked out by hand: the 1-neighbourhood search (isomorphism and
 * embedding, labelled or not) equals an exhaustive search over every mapping;
 * the "some consistent assignment" candidates equal an enumeration of every
 * one-to-one assignment; the bipartite matching equals exhaustive search; and
 * each measure counts what it should on graphs small enough to reason about.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import Graph from 'graphology';
import { assessReidentification } from '../src/reidentification.js';
import { egoEmbeds } from '../src/egoMatch.js';
import { graphView, labelRules, matchingFromOptions } from '../src/view.js';
import { measureCombined } from '../src/measureCombined.js';
import { measureDegree } from '../src/measureDegree.js';
import { measureEdgeAttributes } from '../src/measureEdgeAttributes.js';
import { measureNeighbourDegrees } from '../src/measureNeighbourDegrees.js';
import { measureNeighbourhood } from '../src/measureNeighbourhood.js';
import { measurePropagated } from '../src/measurePropagated.js';
import { summarise } from '../src/candidates.js';

function permutations(items: number[]): number[][] {
  if (items.length === 0) return [[]];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

/** Injective maps of `size` items into `into` slots. */
function injections(size: number, into: number): number[][] {
  const out: number[][] = [];
  const walk = (prefix: number[]) => {
    if (prefix.length === size) return void out.push([...prefix]);
    for (let j = 0; j < into; j++) if (!prefix.includes(j)) walk([...prefix, j]);
  };
  walk([]);
  return out;
}

const fits = (original: unknown, released: unknown) => released === '*' || released === original;

/** Exhaustive: does the 1-neighbourhood of v in a fit that of u in b (centre to centre; the centres' own attributes are the caller's to compare)? */
function bruteEgo(a: Graph, v: string, b: Graph, u: string, exact: boolean, labelled: boolean): boolean {
  const P = a.neighbors(v);
  const T = b.neighbors(u);
  if (exact ? P.length !== T.length : P.length > T.length) return false;
  const tie = (g: Graph, x: string, y: string) =>
    g.hasEdge(x, y) ? g.getEdgeAttribute(g.edge(x, y)!, 'weight') : undefined;
  return injections(P.length, T.length).some((map) => {
    for (let i = 0; i < P.length; i++) {
      const [p, t] = [P[i]!, T[map[i]!]!];
      if (labelled && !fits(a.getNodeAttribute(p, 'age_band'), b.getNodeAttribute(t, 'age_band'))) return false;
      if (labelled && (exact ? b.degree(t) !== a.degree(p) : b.degree(t) < a.degree(p))) return false;
      if (labelled && !fits(String(tie(a, v, p)), String(tie(b, u, t)))) return false;
      for (let j = 0; j < P.length; j++) {
        if (i === j) continue;
        const [p2, t2] = [P[j]!, T[map[j]!]!];
        const o = tie(a, p, p2);
        const r = tie(b, t, t2);
        if (o !== undefined && (r === undefined || (labelled && !fits(String(o), String(r))))) return false;
        if (exact && o === undefined && r !== undefined) return false;
      }
    }
    return true;
  });
}

const smallGraph = fc.integer({ min: 2, max: 6 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    pairs: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1), fc.constantFrom(1, 2)), { maxLength: 12 }),
    bands: fc.array(fc.constantFrom('a', 'b'), { minLength: n, maxLength: n }),
    added: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 5 }),
    hidden: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
  }),
);

function graphsOf(spec: {
  n: number;
  pairs: [number, number, number][];
  bands: string[];
  added: [number, number][];
  hidden: boolean[];
}): { original: Graph; release: Graph } {
  const original = new Graph({ type: 'undirected' });
  for (let i = 0; i < spec.n; i++) original.addNode(`v${i}`, { age_band: spec.bands[i] });
  for (const [a, b, w] of spec.pairs)
    if (a !== b && !original.hasEdge(`v${a}`, `v${b}`)) original.addEdge(`v${a}`, `v${b}`, { weight: w });
  const release = original.copy();
  for (const [a, b] of spec.added)
    if (a !== b && !release.hasEdge(`v${a}`, `v${b}`)) release.addEdge(`v${a}`, `v${b}`, { weight: 1 });
  spec.hidden.forEach((hide, i) => hide && release.setNodeAttribute(`v${i}`, 'age_band', '*'));
  return { original, release };
}

describe('the 1-neighbourhood search', () => {
  it('equals exhaustive search: embedding into a grown release, and isomorphism, labelled or not', () => {
    fc.assert(
      fc.property(smallGraph, (spec) => {
        const { original, release } = graphsOf(spec);
        const o = graphView(original);
        const r = graphView(release);
        const rules = labelRules(false);
        for (const v of original.nodes()) {
          for (const u of release.nodes()) {
            for (const labelled of [false, true]) {
              const grown = egoEmbeds(o, o.index.get(v)!, r, r.index.get(u)!, {
                exact: false,
                labelled,
                degrees: labelled,
                rules,
                budget: 100_000,
              });
              expect(grown, `${v} into ${u} (labelled ${labelled})`).toBe(
                bruteEgo(original, v, release, u, false, labelled),
              );
              const same = egoEmbeds(o, o.index.get(v)!, o, o.index.get(u)!, {
                exact: true,
                labelled,
                degrees: labelled,
                rules,
                budget: 100_000,
              });
              expect(same, `${v} ≅ ${u} (labelled ${labelled})`).toBe(
                bruteEgo(original, v, original, u, true, labelled),
              );
            }
          }
        }
      }),
      { numRuns: 120 },
    );
  });
});

describe('candidates under some consistent one-to-one assignment', () => {
  it('equal an enumeration of every assignment (perfect matching) that the compatibilities allow', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 6 })
          .chain((n) =>
            fc.tuple(
              fc.constant(n),
              fc.array(fc.array(fc.boolean(), { minLength: n, maxLength: n }), { minLength: n, maxLength: n }),
            ),
          ),
        ([n, matrix]) => {
          const graph = new Graph();
          for (let i = 0; i < n; i++) graph.addNode(`x${i}`);
          const view = graphView(graph);
          // Each node is always consistent with itself (the truth), plus whatever the matrix says.
          const consistent = (v: number, u: number) => v === u || matrix[v]![u]!;
          const sound = Array.from({ length: n }, (_, v) =>
            Int32Array.from(Array.from({ length: n }, (_, u) => u).filter((u) => consistent(v, u))),
          );
          const result = summarise('combined', view, view, {
            kind: 'pairs',
            exact: Array.from({ length: n }, () => new Int32Array()),
            sound,
          });
          const partners = Array.from({ length: n }, () => new Set<number>());
          for (const assignment of permutations(Array.from({ length: n }, (_, i) => i))) {
            if (assignment.every((u, v) => consistent(v, u))) assignment.forEach((u, v) => partners[v]!.add(u));
          }
          expect([...result.candidates]).toEqual(partners.map((set) => set.size));
          expect(result.singledOut).toBe(partners.filter((set) => set.size === 1).length);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('count the bet that nothing was touched: one equal released node names a nominal, several equal ones cancel out', () => {
    const graph = new Graph();
    for (let i = 0; i < 4; i++) graph.addNode(`x${i}`);
    const view = graphView(graph);
    const everyone = Array.from({ length: 4 }, () => Int32Array.from([0, 1, 2, 3]));
    // x0 equals only x0; x1 equals x1 and x2; x2 equals x1 and x2; x3 equals nothing.
    const exact = [Int32Array.from([0]), Int32Array.from([1, 2]), Int32Array.from([1, 2]), Int32Array.from([])];
    const result = summarise('combined', view, view, { kind: 'pairs', exact, sound: everyone });
    expect([...result.candidates]).toEqual([1, 2, 2, 4]);
    // Released x3 equals x0 alone as well: now two released nodes name x0, and x0 stays singled out by its own equality.
    const result2 = summarise('combined', view, view, {
      kind: 'pairs',
      exact: [Int32Array.from([0, 3]), ...exact.slice(1)],
      sound: everyone,
    });
    expect(result2.candidates[0]).toBe(2);
  });
});

describe('the bipartite matching', () => {
  it('finds a matching of every left item exactly when one exists', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 0, max: 6 }),
        fc.array(fc.array(fc.nat(5), { maxLength: 4 }), { maxLength: 5 }),
        (left, right, lists) => {
          const options = Array.from({ length: left }, (_, i) => [
            ...new Set((lists[i] ?? []).filter((j) => j < right)),
          ]);
          const exists = injections(left, right).some((map) => map.every((j, i) => options[i]!.includes(j)));
          expect(matchingFromOptions(options, right)).toBe(exists);
        },
      ),
      { numRuns: 500 },
    );
  });
});

function graphOf(n: number, pairs: [number, number][]): Graph {
  const graph = new Graph({ type: 'undirected' });
  for (let i = 0; i < n; i++) graph.addNode(`v${i}`);
  for (const [a, b] of pairs) graph.addEdge(`v${a}`, `v${b}`, { weight: 1 });
  return graph;
}

describe('each measure on graphs worked out by hand', () => {
  it('a 6-cycle beside two triangles: alike by degrees, told apart by their neighbourhoods', () => {
    // Every node has degree 2 and neighbours of degree 2; in the cycle a node's neighbours are not tied, in a triangle they are.
    const graph = graphOf(12, [
      [0, 1],
      [1, 2],
      [2, 3],
      [3, 4],
      [4, 5],
      [5, 0],
      [6, 7],
      [7, 8],
      [8, 6],
      [9, 10],
      [10, 11],
      [11, 9],
    ]);
    expect(measureDegree(graph, graph).k).toBe(12);
    expect(measureNeighbourDegrees(graph, graph).k).toBe(12);
    expect(measureNeighbourhood(graph, graph).k).toBe(6);
    expect(measureCombined(graph, graph).k).toBe(6);
    expect(measureNeighbourhood(graph, graph).singledOut).toBe(0);
  });

  it('a path of 7: nothing within one tie singles out its middle node, chaining through the neighbours does', () => {
    // Classes within one tie: {v0, v6} (ends), {v1, v5}, {v2, v3, v4}; v3 alone has no neighbour next to an end.
    const path = graphOf(7, [
      [0, 1],
      [1, 2],
      [2, 3],
      [3, 4],
      [4, 5],
      [5, 6],
    ]);
    const combined = measureCombined(path, path);
    expect(combined.singledOut).toBe(0);
    expect([...combined.candidates]).toEqual([2, 2, 3, 3, 3, 2, 2]);
    const chained = measurePropagated(path, path);
    expect([...chained.candidates]).toEqual([2, 2, 2, 1, 2, 2, 2]);
    expect(chained.singledOut).toBe(1);
  });

  it('tie attributes: a weight nobody else has sets its two ends apart', () => {
    const graph = graphOf(6, [
      [0, 1],
      [2, 3],
      [4, 5],
    ]);
    expect(measureEdgeAttributes(graph, graph).k).toBe(6);
    const weighted = graphOf(6, [
      [0, 1],
      [2, 3],
      [4, 5],
    ]);
    weighted.setEdgeAttribute(weighted.edge('v0', 'v1')!, 'weight', 7);
    const result = measureEdgeAttributes(weighted, weighted);
    expect([...result.candidates]).toEqual([2, 2, 4, 4, 4, 4]);
    // Both ends of the weight-7 tie share it: they hide among 2, not 1. A triangle of distinct weights singles all three out.
    const triangle = graphOf(3, [
      [0, 1],
      [1, 2],
      [2, 0],
    ]);
    triangle.setEdgeAttribute(triangle.edge('v0', 'v1')!, 'weight', 2);
    triangle.setEdgeAttribute(triangle.edge('v1', 'v2')!, 'weight', 3);
    expect(measureEdgeAttributes(triangle, triangle).singledOut).toBe(3);
  });

  it('a release with an added tie: the hub that gained it is still pinned down, allowing for additions', () => {
    // Star v0 with leaves v1..v4, plus v5 alone; the release adds v5–v1. Before, v5 is the only isolate; after, nobody is.
    const original = graphOf(6, [
      [0, 1],
      [0, 2],
      [0, 3],
      [0, 4],
    ]);
    const release = original.copy();
    release.addEdge('v5', 'v1', { weight: 1 });
    const report = assessReidentification(original, release, { additions: true, minK: 2 });
    const degree = report.measures.find((measure) => measure.measure === 'degree')!;
    // The hub (degree 4) can only be the released node of degree 4: singled out even allowing for additions.
    expect(degree.singledOut).toBeGreaterThanOrEqual(1);
    expect(report.passes).toBe(false);
    expect(report.strongest.singledOut).toBeGreaterThanOrEqual(degree.singledOut);
  });
});

/**
 * Structural measures (coreness, clustering, components, articulation points,
 * bridges, Burt's constraint and effective size) against networkx on every
 * test graph, and against hand computation on tiny graphs.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import Graph from 'graphology';
import { runReference } from '../../../../test/reference/python.js';
import { edgeListOf, graphOf, loadAllTestGraphs, type TestGraph } from '../graphs.fixtures.js';
import { coreness } from '../../src/metrics/coreness.js';
import { clustering } from '../../src/metrics/clustering.js';
import { articulationPoints, bridges, connectedComponents } from '../../src/metrics/components.js';
import { constraint, effectiveSize } from '../../src/metrics/structuralHoles.js';

const TOLERANCE = 1e-9;

type NodeValues = Record<string, number | null>;

interface ReferenceGraph {
  name: string;
  core_number: Record<string, number>;
  clustering: NodeValues;
  clustering_weighted: NodeValues;
  components: { count: number; sizes: number[] };
  articulation_points: string[];
  bridges: [string, string][];
  constraint: NodeValues;
  constraint_weighted: NodeValues;
  effective_size: NodeValues;
  effective_size_borgatti: NodeValues;
  effective_size_weighted: NodeValues;
}

interface Reference {
  networkx: string;
  graphs: ReferenceGraph[];
}

const FLOAT_METRICS = [
  ['clustering', (g: Graph) => clustering(g)],
  ['clustering_weighted', (g: Graph) => clustering(g, { weighted: true })],
  ['constraint', (g: Graph) => constraint(g)],
  ['constraint_weighted', (g: Graph) => constraint(g, { weighted: true })],
  ['effective_size', (g: Graph) => effectiveSize(g)],
  ['effective_size_borgatti', (g: Graph) => effectiveSize(g)],
  // networkx's per-node path: its default sparse path is wrong when weighted (networkx PR #8906).
  ['effective_size_weighted', (g: Graph) => effectiveSize(g, { weighted: true })],
] as const;

interface Offender {
  graph: string;
  node: string;
  metric: string;
  ours: number;
  reference: number | null;
  error: number;
}

/** Relative error as the tolerance reads it; Infinity when only one side is NaN/null. */
function relativeError(ours: number, reference: number | null): number {
  if (reference === null) return Number.isNaN(ours) ? 0 : Infinity;
  if (Number.isNaN(ours)) return Infinity;
  return Math.abs(ours - reference) / Math.max(1, Math.abs(reference));
}

const pairKey = ([u, v]: readonly [string, string]) => JSON.stringify(u < v ? [u, v] : [v, u]);

describe('structural measures against networkx', () => {
  let graphs: TestGraph[];
  let reference: Reference;

  beforeAll(async () => {
    graphs = await loadAllTestGraphs();
    reference = runReference<Reference>('structure.py', { graphs: graphs.map(edgeListOf) });
  }, 600_000);

  it('covers every test graph', () => {
    expect(reference.networkx).toBe('3.6.1');
    expect(reference.graphs.map((g) => g.name)).toEqual(graphs.map((g) => g.name));
    expect(graphs.length).toBeGreaterThanOrEqual(23);
  });

  it('core numbers equal networkx core_number exactly', () => {
    for (const [i, { name, graph }] of graphs.entries()) {
      expect(coreness(graph), name).toEqual(reference.graphs[i]!.core_number);
    }
  });

  it('connected components have networkx counts and sizes, numbered largest first', () => {
    for (const [i, { name, graph }] of graphs.entries()) {
      const ours = connectedComponents(graph);
      const ref = reference.graphs[i]!.components;
      expect(ours.count, name).toBe(ref.count);
      expect(ours.sizes, name).toEqual(ref.sizes);
      // Ids agree with sizes, and the largest list is component 0.
      const counted = new Array<number>(ours.count).fill(0);
      for (const id of Object.values(ours.componentOf)) counted[id]!++;
      expect(counted, name).toEqual(ours.sizes);
      expect(ours.largest.length, name).toBe(ours.sizes[0] ?? 0);
      for (const node of ours.largest) expect(ours.componentOf[node], name).toBe(0);
      // Every edge stays inside one component.
      graph.forEachEdge((_e, _a, u, v) => expect(ours.componentOf[u], name).toBe(ours.componentOf[v]));
    }
  });

  it('articulation points and bridges equal networkx as sets', () => {
    for (const [i, { name, graph }] of graphs.entries()) {
      const ref = reference.graphs[i]!;
      expect(new Set(articulationPoints(graph)), name).toEqual(new Set(ref.articulation_points));
      const ours = bridges(graph).map(pairKey);
      expect(ours.length, `${name}: duplicate bridges`).toBe(new Set(ours).size);
      expect(new Set(ours), name).toEqual(new Set(ref.bridges.map(pairKey)));
    }
  });

  it(`clustering, constraint and effective size equal networkx to a relative ${TOLERANCE}`, () => {
    // The worst node per metric, so a failure names graph, node and metric.
    const worst = new Map<string, Offender>();
    for (const [i, { name, graph }] of graphs.entries()) {
      const ref = reference.graphs[i]!;
      for (const [metric, compute] of FLOAT_METRICS) {
        const ours = compute(graph);
        const expected = ref[metric];
        expect(Object.keys(ours).sort(), `${name} ${metric}`).toEqual(Object.keys(expected).sort());
        for (const node of graph.nodes()) {
          const error = relativeError(ours[node]!, expected[node]!);
          const previous = worst.get(metric);
          if (previous === undefined || error > previous.error) {
            worst.set(metric, { graph: name, node, metric, ours: ours[node]!, reference: expected[node]!, error });
          }
        }
      }
    }
    expect([...worst.keys()].sort()).toEqual(FLOAT_METRICS.map(([metric]) => metric).sort());
    const offender = [...worst.values()].reduce((a, b) => (b.error > a.error ? b : a));
    expect(offender.error, `worst offender: ${JSON.stringify(offender)}`).toBeLessThanOrEqual(TOLERANCE);
  });
});

describe('structural measures by hand', () => {
  // Two triangles a-b-c and c-d-e sharing c.
  const bowtie = graphOf([
    ['a', 'b'],
    ['b', 'c'],
    ['a', 'c'],
    ['c', 'd'],
    ['d', 'e'],
    ['c', 'e'],
  ]);
  const path = graphOf([
    ['p0', 'p1'],
    ['p1', 'p2'],
    ['p2', 'p3'],
    ['p3', 'p4'],
  ]);
  const star = graphOf(
    ['l1', 'l2', 'l3', 'l4'].map((leaf): [string, string] => ['hub', leaf]),
    ['lonely'],
  );

  it('a bowtie has one articulation point, its centre, and no bridges', () => {
    expect(articulationPoints(bowtie)).toEqual(['c']);
    expect(bridges(bowtie)).toEqual([]);
    expect(connectedComponents(bowtie)).toMatchObject({ count: 1, sizes: [5] });
    // The centre sees 2 linked pairs among its 6 pairs of neighbours.
    expect(clustering(bowtie)).toEqual({ a: 1, b: 1, c: 2 / 6, d: 1, e: 1 });
    expect(coreness(bowtie)).toEqual({ a: 2, b: 2, c: 2, d: 2, e: 2 });
  });

  it('on a path every inner node is an articulation point and every edge a bridge', () => {
    expect(articulationPoints(path)).toEqual(['p1', 'p2', 'p3']);
    expect(bridges(path)).toEqual([
      ['p0', 'p1'],
      ['p1', 'p2'],
      ['p2', 'p3'],
      ['p3', 'p4'],
    ]);
    expect(coreness(path)).toEqual({ p0: 1, p1: 1, p2: 1, p3: 1, p4: 1 });
  });

  it("a star's leaves are fully constrained and its centre brokers between all k leaves", () => {
    const k = 4;
    const c = constraint(star);
    const e = effectiveSize(star);
    expect(c.hub).toBeCloseTo(1 / k, 15);
    expect(e.hub).toBe(k);
    for (const leaf of ['l1', 'l2', 'l3', 'l4']) {
      expect(c[leaf]).toBe(1);
      expect(e[leaf]).toBe(1);
    }
    // An isolated node has neither measure, as in networkx.
    expect(c.lonely).toBeNaN();
    expect(e.lonely).toBeNaN();
    expect(constraint(star, { weighted: true }).lonely).toBeNaN();
    expect(connectedComponents(star)).toEqual({
      count: 2,
      componentOf: { lonely: 1, hub: 0, l1: 0, l2: 0, l3: 0, l4: 0 },
      sizes: [5, 1],
      largest: ['hub', 'l1', 'l2', 'l3', 'l4'],
    });
  });

  it('a 4-clique is a 3-core with clustering 1', () => {
    const clique = graphOf([
      ['a', 'b'],
      ['a', 'c'],
      ['a', 'd'],
      ['b', 'c'],
      ['b', 'd'],
      ['c', 'd'],
    ]);
    clique.addNode('x');
    clique.addEdge('x', 'a');
    expect(coreness(clique)).toEqual({ a: 3, b: 3, c: 3, d: 3, x: 1 });
    expect(clustering(clique)).toEqual({ a: 0.5, b: 1, c: 1, d: 1, x: 0 });
  });

  it('weighted clustering takes the geometric mean of weights over the largest', () => {
    // One triangle with weights 1, 2, 4 (max 4): (1/4 · 2/4 · 4/4)^(1/3) = 1/2.
    const triangle = graphOf([
      ['a', 'b', 1],
      ['b', 'c', 2],
      ['a', 'c', 4],
    ]);
    const weighted = clustering(triangle, { weighted: true });
    for (const node of ['a', 'b', 'c']) expect(weighted[node]).toBeCloseTo(0.5, 15);
    expect(clustering(triangle)).toEqual({ a: 1, b: 1, c: 1 });
  });

  it('weighted constraint follows the tie shares', () => {
    // Path a -1- b -3- c: b invests 1/4 in a and 3/4 in c; c(b) = 1/16 + 9/16.
    const weightedPath = graphOf([
      ['a', 'b', 1],
      ['b', 'c', 3],
    ]);
    expect(constraint(weightedPath, { weighted: true }).b).toBeCloseTo(10 / 16, 15);
    expect(constraint(weightedPath).b).toBeCloseTo(0.5, 15);
    expect(effectiveSize(weightedPath, { weighted: true }).b).toBe(2);
  });

  it('a hub with 40 leaves, two pairs of them linked, takes the binary-search path', () => {
    const leaves = Array.from({ length: 40 }, (_, i) => `l${i}`);
    const hub = graphOf([...leaves.map((leaf): [string, string] => ['h', leaf]), ['l0', 'l1'], ['l2', 'l3']]);
    // 2 linked pairs among the hub's 40 · 39 / 2 pairs; Borgatti: 40 − 2 · 2 / 40.
    expect(clustering(hub).h).toBe(2 / 780);
    expect(clustering(hub).l0).toBe(1);
    expect(effectiveSize(hub).h).toBe(40 - 4 / 40);
    expect(effectiveSize(hub, { weighted: true }).h).toBeCloseTo(40 - 4 / 40, 12);
    // l0 invests 1/2 in h and 1/2 in l1; through l1 it reaches h with 1/2 · 1/2
    // more, through h it reaches l1 with only 1/2 · 1/40.
    expect(constraint(hub).l0).toBeCloseTo((1 / 2 + 1 / 4) ** 2 + (1 / 2 + 1 / 80) ** 2, 15);
  });

  it('rejects what is not a graph or a bad option, saying where from', () => {
    expect(() => coreness({} as Graph)).toThrow(/^@ocgnet\/analysis\/coreness: /);
    expect(() => connectedComponents(null as unknown as Graph)).toThrow(/^@ocgnet\/analysis\/components: /);
    expect(() => clustering(path, { weighted: 'yes' as unknown as boolean })).toThrow(
      /^@ocgnet\/analysis\/clustering: /,
    );
    expect(() => constraint(path, { weighted: 1 as unknown as boolean })).toThrow(
      /^@ocgnet\/analysis\/structuralHoles: /,
    );
  });

  it('handles a deep path without recursion', () => {
    const long = new Graph({ type: 'undirected' });
    const n = 200_000;
    for (let i = 0; i < n; i++) long.addNode(String(i));
    for (let i = 1; i < n; i++) long.addEdge(String(i - 1), String(i));
    expect(articulationPoints(long)).toHaveLength(n - 2);
    expect(bridges(long)).toHaveLength(n - 1);
    expect(connectedComponents(long).sizes).toEqual([n]);
  });
});

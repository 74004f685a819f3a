/**
 * Per-node centralities against networkx (test/reference/centrality.py) on
 * every public dataset and the small fixture, to a relative 1e-9, plus small
 * graphs computed by hand. PageRank and eigenvector centrality, under both
 * stopping rules, are checked against their references in powerIteration.test.ts.
 */
import Graph from 'graphology';
import { beforeAll, describe, expect, it } from 'vitest';
import { runReference } from '../../../../test/reference/python.js';
import { edgeListOf, graphOf, loadAllTestGraphs, type TestGraph } from '../graphs.fixtures.js';
import { csrOf } from '../../src/csr.js';
import { betweenness, betweennessOnCsr } from '../../src/metrics/betweenness.js';
import { closeness } from '../../src/metrics/closeness.js';
import { degree, strength } from '../../src/metrics/degree.js';
import { eigenvector } from '../../src/metrics/eigenvector.js';
import { harmonic } from '../../src/metrics/harmonic.js';
import { pagerank } from '../../src/metrics/pagerank.js';
import { CentralityError, ConvergenceError } from '../../src/metrics/paths.js';

type Values = Record<string, number>;

interface Reference {
  networkx: string;
  graphs: { name: string; metrics: Record<string, Values> }[];
}

const TOLERANCE = 1e-9;

/**
 * Each reference metric (key in the script's output) and how ocgnet computes
 * it. ".exact" keys are networkx run on Fraction lengths, where true ties are
 * ties; the plain keys are networkx on float lengths, which it compares exactly.
 */
const VARIANTS: Record<string, (graph: Graph) => Values> = {
  degree: (g) => degree(g),
  'degree.normalized': (g) => degree(g, { normalized: true }),
  strength: (g) => strength(g),
  betweenness: (g) => betweenness(g),
  'betweenness.raw': (g) => betweenness(g, { normalized: false }),
  'betweenness.weight': (g) => betweenness(g, { weighted: true, distance: 'weight', tieTolerance: 0 }),
  'betweenness.weight.exact': (g) => betweenness(g, { weighted: true, distance: 'weight' }),
  'betweenness.inverse': (g) => betweenness(g, { weighted: true, tieTolerance: 0 }),
  'betweenness.inverse.exact': (g) => betweenness(g, { weighted: true }),
  'betweenness.inverse.raw': (g) => betweenness(g, { weighted: true, normalized: false }),
  closeness: (g) => closeness(g),
  'closeness.weight': (g) => closeness(g, { weighted: true, distance: 'weight' }),
  'closeness.weight.exact': (g) => closeness(g, { weighted: true, distance: 'weight' }),
  'closeness.inverse': (g) => closeness(g, { weighted: true }),
  'closeness.inverse.exact': (g) => closeness(g, { weighted: true }),
  harmonic: (g) => harmonic(g),
  'harmonic.weight': (g) => harmonic(g, { weighted: true, distance: 'weight' }),
  'harmonic.weight.exact': (g) => harmonic(g, { weighted: true, distance: 'weight' }),
  'harmonic.inverse': (g) => harmonic(g, { weighted: true }),
  'harmonic.inverse.exact': (g) => harmonic(g, { weighted: true }),
};

interface Offender {
  graph: string;
  node: string;
  ours: number;
  reference: number;
  /** |ours − reference| / max(1, |reference|). */
  error: number;
}

/** The worst node of one graph under |ours − ref| / max(1, |ref|); throws on differing node sets. */
function worstOffender(graph: string, ours: Values, reference: Values): Offender {
  expect(Object.keys(ours).sort(), `${graph}: node set`).toEqual(Object.keys(reference).sort());
  let worst: Offender | undefined;
  for (const [node, expected] of Object.entries(reference)) {
    const actual = ours[node]!;
    const error = Math.abs(actual - expected) / Math.max(1, Math.abs(expected));
    // `!(error <= …)` so that a NaN is the worst of all.
    if (worst === undefined || !(error <= worst.error))
      worst = { graph, node, ours: actual, reference: expected, error };
  }
  return worst ?? { graph, node: '(no nodes)', ours: 0, reference: 0, error: 0 };
}

function describeOffender(metric: string, o: Offender): string {
  return `${metric}: worst on ${o.graph}, node ${o.node}: ours ${o.ours}, networkx ${o.reference} (relative error ${o.error})`;
}

describe('centralities against networkx', () => {
  let graphs: TestGraph[] = [];
  let reference: Reference;

  beforeAll(async () => {
    graphs = await loadAllTestGraphs();
    reference = runReference<Reference>('centrality.py', { graphs: graphs.map(edgeListOf) });
  }, 600_000);

  it('covers every test graph with networkx 3.x', () => {
    expect(reference.networkx).toMatch(/^3\./);
    expect(reference.graphs.map((g) => g.name)).toEqual(graphs.map((g) => g.name));
    expect(graphs.length).toBeGreaterThanOrEqual(23);
  });

  it.each(Object.keys(VARIANTS))('%s equals networkx to a relative 1e-9 on every graph', (metric) => {
    const compute = VARIANTS[metric]!;
    let worst: Offender = { graph: '', node: '', ours: 0, reference: 0, error: 0 };
    let compared = 0;
    for (const [i, { name, graph }] of graphs.entries()) {
      const expected = reference.graphs[i]!.metrics[metric];
      if (expected === undefined) throw new Error(`${name}: reference has no ${metric}`);
      const offender = worstOffender(name, compute(graph), expected);
      compared++;
      if (worst.graph === '' || !(offender.error <= worst.error)) worst = offender;
    }
    if (process.env.OCGNET_REPORT_ERRORS) console.log(describeOffender(metric, worst));
    expect(compared).toBeGreaterThan(0);
    expect(worst.error <= TOLERANCE, describeOffender(metric, worst)).toBe(true);
  });

  it('inverse-weight ties split by rounding exist in the datasets, and the default tolerance keeps them', () => {
    // Guards the point of tieTolerance: on these graphs networkx's float and
    // exact-rational answers differ, and each of our modes matches one.
    const differing = reference.graphs.filter(({ metrics }) => {
      const float = metrics['betweenness.inverse']!;
      const exact = metrics['betweenness.inverse.exact']!;
      return Object.keys(float).some((node) => Math.abs(float[node]! - exact[node]!) > 1e-6);
    });
    expect(differing.map((g) => g.name)).toContain('karate-club');
  });
});

function expectValues(actual: Values, expected: Values, digits = 12): void {
  expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
  for (const [node, value] of Object.entries(expected)) expect(actual[node], node).toBeCloseTo(value, digits);
}

describe('small graphs computed by hand', () => {
  const path4 = graphOf([
    ['a', 'b'],
    ['b', 'c'],
    ['c', 'd'],
  ]);
  const star = graphOf([
    ['hub', 'l1'],
    ['hub', 'l2'],
    ['hub', 'l3'],
    ['hub', 'l4'],
  ]);
  const triangles = graphOf([
    ['a', 'b'],
    ['b', 'c'],
    ['a', 'c'],
    ['x', 'y'],
    ['y', 'z'],
    ['x', 'z'],
  ]);

  it('path of 4', () => {
    expectValues(degree(path4), { a: 1, b: 2, c: 2, d: 1 });
    // b lies on a–c and a–d: 2 of the 3 pairs without b.
    expectValues(betweenness(path4, { normalized: false }), { a: 0, b: 2, c: 2, d: 0 });
    expectValues(betweenness(path4), { a: 0, b: 2 / 3, c: 2 / 3, d: 0 });
    // a: distances 1 + 2 + 3 = 6 → 3/6; b: 1 + 1 + 2 = 4 → 3/4.
    expectValues(closeness(path4), { a: 0.5, b: 0.75, c: 0.75, d: 0.5 });
    expectValues(harmonic(path4), { a: 1 + 1 / 2 + 1 / 3, b: 2.5, c: 2.5, d: 1 + 1 / 2 + 1 / 3 });
    // Solving x = 0.15/4 + 0.85 P^T x: x_b (1 − 0.85·0.5 − 0.85²/2) = 0.0375 (1 + 0.85).
    const xb = (0.0375 * 1.85) / (1 - 0.425 - 0.36125);
    const xa = 0.0375 + 0.425 * xb;
    // Converged by default: to 1e-10, not networkx's 1e-5.
    expectValues(pagerank(path4), { a: xa, b: xb, c: xb, d: xa }, 10);
    // Leading eigenvector of a path of 4: (1, φ, φ, 1) / norm, φ the golden ratio.
    const phi = (1 + Math.sqrt(5)) / 2;
    const norm = Math.sqrt(2 + 2 * phi * phi);
    expectValues(eigenvector(path4), { a: 1 / norm, b: phi / norm, c: phi / norm, d: 1 / norm }, 10);
  });

  it('star', () => {
    expectValues(degree(star, { normalized: true }), { hub: 1, l1: 0.25, l2: 0.25, l3: 0.25, l4: 0.25 });
    expectValues(betweenness(star), { hub: 1, l1: 0, l2: 0, l3: 0, l4: 0 });
    // A leaf: 1 + 2 + 2 + 2 = 7 over 4 others.
    expectValues(closeness(star), { hub: 1, l1: 4 / 7, l2: 4 / 7, l3: 4 / 7, l4: 4 / 7 });
    expectValues(harmonic(star), { hub: 4, l1: 2.5, l2: 2.5, l3: 2.5, l4: 2.5 });
    // hub = 0.03 + 0.85 · 4 leaf; leaf = 0.03 + 0.85 · hub / 4.
    const hub = (0.03 + 0.85 * 4 * 0.03) / (1 - 0.85 * 0.85);
    const leaf = 0.03 + (0.85 * hub) / 4;
    expectValues(pagerank(star), { hub, l1: leaf, l2: leaf, l3: leaf, l4: leaf }, 10);
  });

  it('two disconnected triangles: Wasserman–Faust closeness', () => {
    // Each node reaches 2 others at total distance 2: (2/2) × (2/5).
    expectValues(closeness(triangles), { a: 0.4, b: 0.4, c: 0.4, x: 0.4, y: 0.4, z: 0.4 });
    expectValues(harmonic(triangles), { a: 2, b: 2, c: 2, x: 2, y: 2, z: 2 });
    expectValues(betweenness(triangles), { a: 0, b: 0, c: 0, x: 0, y: 0, z: 0 });
    // The uniform start is already an eigenvector of A + I here.
    const u = 1 / Math.sqrt(6);
    expectValues(eigenvector(triangles), { a: u, b: u, c: u, x: u, y: u, z: u });
  });

  it('isolates: zero closeness and harmonic, dangling PageRank spread uniformly', () => {
    const graph = graphOf([['a', 'b']], ['lone']);
    expectValues(closeness(graph), { a: 1 / 2, b: 1 / 2, lone: 0 });
    expectValues(harmonic(graph), { a: 1, b: 1, lone: 0 });
    const pr = pagerank(graph);
    expect(pr.a! + pr.b! + pr.lone!).toBeCloseTo(1, 12);
    expect(pr.a).toBeCloseTo(pr.b!, 12);
  });

  it('a distance tie that rounding splits: 1/2 + 1/12 against 1/3 + 1/4', () => {
    // Square a–b–d–c–a. With length 1/weight both routes from a to d are 7/12
    // long, but in binary 1/2 + 1/12 = 0.5833333333333334 and 1/3 + 1/4 =
    // 0.5833333333333333. b–c goes through d (1/12 + 1/4 = 1/3 against 1/2 + 1/3).
    const square = graphOf([
      ['a', 'b', 2],
      ['b', 'd', 12],
      ['a', 'c', 3],
      ['c', 'd', 4],
    ]);
    expect(1 / 2 + 1 / 12).not.toBe(1 / 3 + 1 / 4);
    // True tie: b and c share the a–d pair.
    expectValues(betweenness(square, { weighted: true, normalized: false }), { a: 0, b: 0.5, c: 0.5, d: 1 });
    // networkx's exact comparison: the rounded-down route through c takes it all.
    expectValues(betweenness(square, { weighted: true, normalized: false, tieTolerance: 0 }), {
      a: 0,
      b: 0,
      c: 1,
      d: 1,
    });
    // Distances themselves are unaffected: harmonic of a = 2 + 3 + 12/7.
    expectValues(harmonic(square, { weighted: true }), {
      a: 2 + 3 + 12 / 7,
      b: 2 + 12 + 3,
      c: 3 + 4 + 3,
      d: 12 + 4 + 12 / 7,
    });
  });

  it('a tie under weight-as-distance: 0.1 + 0.2 against 0.15 + 0.15', () => {
    const square = graphOf([
      ['a', 'b', 0.1],
      ['b', 'd', 0.2],
      ['a', 'c', 0.15],
      ['c', 'd', 0.15],
    ]);
    expect(0.1 + 0.2).not.toBe(0.15 + 0.15);
    // a–d: tied through b and c; b–c: through a (0.25 against 0.35).
    expectValues(betweenness(square, { weighted: true, distance: 'weight', normalized: false }), {
      a: 1,
      b: 0.5,
      c: 0.5,
      d: 0,
    });
    expectValues(betweenness(square, { weighted: true, distance: 'weight', normalized: false, tieTolerance: 0 }), {
      a: 1,
      b: 0,
      c: 1,
      d: 0,
    });
  });

  it('unweighted runs ignore weights, and weighted runs on an unweighted snapshot count hops', () => {
    const graph = graphOf([
      ['a', 'b', 5],
      ['b', 'c', 1],
    ]);
    expectValues(betweenness(graph, { normalized: false }), { a: 0, b: 1, c: 0 });
    expectValues(strength(graph), { a: 5, b: 6, c: 1 });
    const hops = csrOf(graph, { weightAttribute: null });
    expect([...betweennessOnCsr(hops, { weighted: true, normalized: false })]).toEqual([0, 1, 0]);
  });

  it('an empty graph gives empty results', () => {
    const empty = new Graph({ type: 'undirected' });
    for (const metric of [degree, strength, betweenness, closeness, harmonic, eigenvector, pagerank])
      expect(metric(empty)).toEqual({});
  });

  it('n ≤ 2: no scaling, all zero', () => {
    expectValues(betweenness(graphOf([['a', 'b']])), { a: 0, b: 0 });
    expectValues(betweenness(graphOf([], ['a'])), { a: 0 });
    expectValues(degree(graphOf([], ['a']), { normalized: true }), { a: 1 });
  });
});

describe('errors', () => {
  it('rejects a non-graph with a typed error naming the module', () => {
    expect(() => betweenness({} as Graph)).toThrow(CentralityError);
    expect(() => pagerank(null as unknown as Graph)).toThrow(/^@ocgnet\/analysis\/metrics\/pagerank: /);
  });

  it('rejects bad options', () => {
    const graph = graphOf([['a', 'b']]);
    expect(() => betweenness(graph, { distance: 'log' as 'weight' })).toThrow(
      /^@ocgnet\/analysis\/metrics\/betweenness: distance/,
    );
    expect(() => pagerank(graph, { alpha: 2 })).toThrow(CentralityError);
    expect(() => eigenvector(graph, { maxIterations: 0 })).toThrow(/maxIterations/);
  });

  it('throws ConvergenceError when the power iteration runs out, as networkx does', () => {
    const graph = graphOf([
      ['a', 'b'],
      ['b', 'c'],
      ['c', 'd'],
    ]);
    let caught: unknown;
    try {
      eigenvector(graph, { maxIterations: 2 });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConvergenceError);
    expect((caught as ConvergenceError).name).toBe('ConvergenceError');
    expect((caught as ConvergenceError).code).toBe('NOT_CONVERGED');
    expect((caught as Error).message).toMatch(
      /^@ocgnet\/analysis\/metrics\/eigenvector: power iteration failed to converge within 2 iterations/,
    );
  });
});

/**
 * The fast path kernels (bfsKernels.ts): direction-optimising BFS with the
 * level-by-level pull accumulation, Brandes–Pich sampling, and the removal
 * mask. Checked against networkx (test/reference/centrality.py and
 * sampled.py) to a relative 1e-9 on the datasets, the small fixture and
 * generated graphs (BA, ER, path, star, many components with isolates), and
 * by property against the arc-recording Brandes kernel it replaced.
 */
import fc from 'fast-check';
import type Graph from 'graphology';
import { UndirectedGraph } from 'graphology';
import { beforeAll, describe, expect, it } from 'vitest';
import { runReference } from '../../../../test/reference/python.js';
import { edgeListOf, loadAllTestGraphs, type TestGraph } from '../graphs.fixtures.js';
import { csrOf, inducedCsr, type CsrGraph } from '../../src/csr.js';
import {
  BETWEENNESS_SAMPLING_DEFAULT,
  betweennessOnCsr,
  defaultBetweennessSample,
  samplePivots,
} from '../../src/metrics/betweenness.js';
import { brandesBfsKernel } from '../../src/metrics/bfsKernels.js';
import {
  BATCH_KERNEL_MAX_NODES,
  batchSources,
  brandesBatchKernel,
  useBatchKernel,
} from '../../src/metrics/brandesBatch.js';
import { closenessAndHarmonicOnCsr, closenessOnCsr } from '../../src/metrics/closeness.js';
import { harmonicOnCsr } from '../../src/metrics/harmonic.js';
import { CentralityError, sourceSearch } from '../../src/metrics/paths.js';
import { generatedGraphs } from './generated.fixtures.js';

type Values = Record<string, number>;
interface Reference {
  networkx: string;
  graphs: { name: string; metrics: Record<string, Values | null> }[];
}

const TOLERANCE = 1e-9;

function byId(csr: CsrGraph, values: ArrayLike<number>, keep: (v: number) => boolean = () => true): Values {
  const out: Values = {};
  for (let v = 0; v < csr.n; v++) if (keep(v)) out[csr.ids[v]!] = values[v]!;
  return out;
}

/** Largest |ours − ref| / max(1, |ref|), after checking the node sets agree. */
function worstError(label: string, ours: Values, reference: Values): number {
  expect(Object.keys(ours).sort(), `${label}: node set`).toEqual(Object.keys(reference).sort());
  let worst = 0;
  for (const [node, expected] of Object.entries(reference)) {
    const error = Math.abs(ours[node]! - expected) / Math.max(1, Math.abs(expected));
    if (!(error <= worst)) worst = error;
  }
  return worst;
}

/**
 * The arc-recording Brandes kernel the fast one replaced (paths.ts bfsFrom),
 * unscaled; from every node, or from `sources` (repeats counted, removed ones skipped).
 */
function arcKernelSums(csr: CsrGraph, removed?: Uint8Array, sources?: readonly number[]): Float64Array {
  let graph = csr;
  let members: number[] | undefined;
  if (removed !== undefined) {
    members = [];
    for (let v = 0; v < csr.n; v++) if (!removed[v]) members.push(v);
    graph = inducedCsr(csr, members);
  }
  const centrality = new Float64Array(graph.n);
  const delta = new Float64Array(graph.n);
  const search = sourceSearch(graph, { weighted: false, distance: 'inverse' }, true);
  const { sigma, order, arcFrom, arcTo } = search.ws;
  const local = members === undefined ? null : new Map(members.map((parent, k) => [parent, k]));
  const from =
    sources === undefined
      ? Array.from({ length: graph.n }, (_, s) => s)
      : sources.flatMap((v) => (local === null ? [v] : local.has(v) ? [local.get(v)!] : []));
  for (const s of from) {
    const reached = search.from(s);
    for (let arc = search.ws.arcs - 1; arc >= 0; arc--)
      delta[arcFrom[arc]!]! += sigma[arcFrom[arc]!]! * ((1 + delta[arcTo[arc]!]!) / sigma[arcTo[arc]!]!);
    delta[s] = 0;
    for (let i = 1; i < reached; i++) {
      centrality[order[i]!]! += delta[order[i]!]!;
      delta[order[i]!] = 0;
    }
  }
  if (members === undefined) return centrality;
  const full = new Float64Array(csr.n);
  members.forEach((parent, k) => (full[parent] = centrality[k]!));
  return full;
}

/** A seeded removal mask over about a fifth of the nodes. */
function maskOf(csr: CsrGraph, seed: number): Uint8Array {
  const removed = new Uint8Array(csr.n);
  for (const v of samplePivots(csr.n, Math.max(1, Math.floor(csr.n / 5)), seed)) removed[v] = 1;
  return removed;
}

function pivotCount(n: number): number {
  return Math.max(2, Math.min(n - 1, Math.floor(n / 3)));
}

describe('fast kernels against networkx', () => {
  let graphs: (TestGraph & { generated: boolean })[] = [];
  let reference: Reference;
  const SEED = 42;

  beforeAll(async () => {
    graphs = [
      ...(await loadAllTestGraphs()).map((test) => ({ ...test, generated: false })),
      ...generatedGraphs().map((test) => ({ ...test, generated: true })),
    ].filter(({ graph }) => graph.order >= 4);
    reference = runReference<Reference>('sampled.py', {
      graphs: graphs.map((test) => {
        const csr = csrOf(test.graph, { weightAttribute: null });
        const removed = maskOf(csr, SEED);
        return {
          ...edgeListOf(test),
          pivots: Array.from(samplePivots(csr.n, pivotCount(csr.n), SEED), (v) => csr.ids[v]!),
          removed: csr.ids.filter((_, v) => removed[v] === 1),
          // The datasets' exact values are checked by centrality.test.ts.
          exact: test.generated,
        };
      }),
    });
  }, 600_000);

  it('covers the datasets, the fixture and the generated graphs', () => {
    expect(reference.networkx).toMatch(/^3\./);
    expect(graphs.filter((g) => !g.generated).length).toBeGreaterThanOrEqual(20);
    expect(graphs.filter((g) => g.generated).map((g) => g.name)).toEqual(generatedGraphs().map((g) => g.name));
  });

  const exact: [string, (csr: CsrGraph) => ArrayLike<number>, boolean][] = [
    ['betweenness', (csr) => betweennessOnCsr(csr), false],
    ['betweenness.raw', (csr) => betweennessOnCsr(csr, { normalized: false }), false],
    ['closeness', (csr) => closenessAndHarmonicOnCsr(csr).closeness, false],
    ['harmonic', (csr) => closenessAndHarmonicOnCsr(csr).harmonic, false],
    [
      'betweenness.weight',
      (csr) => betweennessOnCsr(csr, { weighted: true, distance: 'weight', tieTolerance: 0 }),
      true,
    ],
    [
      'closeness.weight',
      (csr) => closenessAndHarmonicOnCsr(csr, { weighted: true, distance: 'weight' }).closeness,
      true,
    ],
    ['harmonic.weight', (csr) => closenessAndHarmonicOnCsr(csr, { weighted: true, distance: 'weight' }).harmonic, true],
    ['closeness', (csr) => closenessOnCsr(csr), false],
    ['harmonic', (csr) => harmonicOnCsr(csr), false],
  ];

  it.each(exact)('exact %s equals networkx to a relative 1e-9 on the generated graphs', (metric, compute, weighted) => {
    for (const [i, { name, graph, generated }] of graphs.entries()) {
      if (!generated) continue;
      const csr = csrOf(graph, { weightAttribute: weighted ? 'weight' : null });
      const error = worstError(`${metric} on ${name}`, byId(csr, compute(csr)), reference.graphs[i]!.metrics[metric]!);
      expect(error, `${metric} on ${name}`).toBeLessThanOrEqual(TOLERANCE);
    }
  });

  it('the generated graphs are what they claim: isolates, many components, a deep path', () => {
    const many = graphs.find((g) => g.name === 'many-components')!.graph;
    expect(many.nodes().filter((v) => many.degree(v) === 0).length).toBeGreaterThanOrEqual(25);
    const path = csrOf(graphs.find((g) => g.name === 'path-300')!.graph, { weightAttribute: null });
    // An end of the path is 299 levels from the other.
    expect(closenessAndHarmonicOnCsr(path).harmonic[0]).toBeCloseTo(
      [...Array(299)].reduce((s, _, d) => s + 1 / (d + 1), 0),
      9,
    );
  });

  const cases: [string, (csr: CsrGraph) => ArrayLike<number>, boolean, boolean][] = [
    ['sampled', (csr) => betweennessOnCsr(csr, { sample: { pivots: pivotCount(csr.n), seed: SEED } }), false, false],
    [
      'sampled.raw',
      (csr) => betweennessOnCsr(csr, { normalized: false, sample: { pivots: pivotCount(csr.n), seed: SEED } }),
      false,
      false,
    ],
    [
      'sampled.weight',
      (csr) =>
        betweennessOnCsr(csr, {
          weighted: true,
          distance: 'weight',
          tieTolerance: 0,
          sample: { pivots: pivotCount(csr.n), seed: SEED },
        }),
      true,
      false,
    ],
    ['masked', (csr) => betweennessOnCsr(csr, { removed: maskOf(csr, SEED) }), false, true],
    ['masked.raw', (csr) => betweennessOnCsr(csr, { normalized: false, removed: maskOf(csr, SEED) }), false, true],
    [
      'masked.weight',
      (csr) =>
        betweennessOnCsr(csr, { weighted: true, distance: 'weight', tieTolerance: 0, removed: maskOf(csr, SEED) }),
      true,
      true,
    ],
  ];

  it.each(cases)(
    '%s betweenness equals networkx to a relative 1e-9 on every graph',
    (metric, compute, weighted, masked) => {
      let worst = 0;
      for (const [i, { name, graph }] of graphs.entries()) {
        const csr = csrOf(graph, { weightAttribute: weighted ? 'weight' : null });
        const removed = maskOf(csr, SEED);
        const values = compute(csr);
        if (masked)
          for (let v = 0; v < csr.n; v++) if (removed[v]) expect(values[v], `${name}: removed node scored`).toBe(0);
        const ours = byId(csr, values, (v) => !masked || removed[v] === 0);
        worst = Math.max(worst, worstError(`${metric} on ${name}`, ours, reference.graphs[i]!.metrics[metric]!));
      }
      expect(worst).toBeLessThanOrEqual(TOLERANCE);
    },
  );

  it('a sample of every node is the exact value', () => {
    const csr = csrOf(graphs.find((g) => g.name === 'ba-600-m5')!.graph, { weightAttribute: null });
    expect(betweennessOnCsr(csr, { sample: { pivots: csr.n, seed: 1 } })).toEqual(betweennessOnCsr(csr));
    expect(betweennessOnCsr(csr, { sample: { pivots: 10 * csr.n, seed: 1 } })).toEqual(betweennessOnCsr(csr));
  });
});

describe('samplePivots', () => {
  it('draws distinct, ascending indices in range, the same for the same seed', () => {
    for (const [n, k] of [
      [10, 3],
      [1000, 256],
      [100_000, 256],
      [5, 4],
    ] as const) {
      const pivots = samplePivots(n, k, 7);
      expect(pivots.length).toBe(k);
      expect(new Set(pivots).size).toBe(k);
      for (let i = 0; i < k; i++) {
        expect(pivots[i]).toBeGreaterThanOrEqual(0);
        expect(pivots[i]).toBeLessThan(n);
        if (i > 0) expect(pivots[i]).toBeGreaterThan(pivots[i - 1]!);
      }
      expect(samplePivots(n, k, 7)).toEqual(pivots);
    }
    expect(samplePivots(1000, 256, 8)).not.toEqual(samplePivots(1000, 256, 7));
    expect(samplePivots(1000, 256, 2 ** 32 + 7)).not.toEqual(samplePivots(1000, 256, 7));
    expect(Array.from(samplePivots(4, 9, 1))).toEqual([0, 1, 2, 3]);
  });

  it('is uniform: every node is drawn about equally often', () => {
    const n = 20;
    const counts = new Array<number>(n).fill(0);
    for (let seed = 0; seed < 2000; seed++) for (const v of samplePivots(n, 5, seed)) counts[v]!++;
    // Expected 500 each; a standard deviation is about 19.
    for (const count of counts) expect(Math.abs(count - 500)).toBeLessThan(100);
  });

  it('rejects nonsense', () => {
    expect(() => samplePivots(10, 0, 1)).toThrow(CentralityError);
    expect(() => samplePivots(-1, 2, 1)).toThrow(CentralityError);
    expect(() => samplePivots(10, 2, 0.5)).toThrow(/seed/);
  });
});

describe('options', () => {
  const csr = csrOf(generatedGraphs()[0]!.graph, { weightAttribute: null });
  it('rejects a sample of fewer than 2 pivots and a mask of the wrong length', () => {
    expect(() => betweennessOnCsr(csr, { sample: { pivots: 1, seed: 1 } })).toThrow(/pivots/);
    expect(() => betweennessOnCsr(csr, { sample: { pivots: 10, seed: Number.NaN } })).toThrow(/seed/);
    expect(() => betweennessOnCsr(csr, { removed: new Uint8Array(3) })).toThrow(/removed/);
  });

  it('the default sampling policy: exact up to 20,000 nodes, 256 seeded pivots above', () => {
    expect(BETWEENNESS_SAMPLING_DEFAULT).toEqual({ aboveNodes: 20_000, pivots: 256, seed: 1 });
    expect(defaultBetweennessSample(20_000)).toBeUndefined();
    expect(defaultBetweennessSample(20_001)).toEqual({ pivots: 256, seed: 1 });
  });
});

/** A random simple graph from fast-check: n nodes, an edge list over them. */
const randomGraph = fc.integer({ min: 1, max: 90 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    edges: fc.array(fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 0, max: n - 1 })), {
      maxLength: 4 * n,
    }),
    mask: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
    hubs: fc.integer({ min: 0, max: 3 }),
  }),
);

function csrFromRandom({ n, edges, hubs }: { n: number; edges: [number, number][]; hubs: number }): CsrGraph {
  // A few hubs tied to most nodes push the search bottom-up.
  const all = [...edges];
  for (let h = 0; h < Math.min(hubs, n); h++) for (let v = 0; v < n; v += 1 + h) all.push([h, v]);
  return csrOf(graphFromPairs(n, all), { weightAttribute: null });
}

function graphFromPairs(n: number, edges: [number, number][]): Graph {
  const graph = new UndirectedGraph();
  for (let v = 0; v < n; v++) graph.addNode(String(v));
  for (const [a, b] of edges) if (a !== b) graph.mergeEdge(String(a), String(b));
  return graph;
}

function closeArrays(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number): boolean {
  if (actual.length !== expected.length) return false;
  for (let v = 0; v < expected.length; v++) {
    if (!(Math.abs(actual[v]! - expected[v]!) <= tolerance * Math.max(1, Math.abs(expected[v]!)))) return false;
  }
  return true;
}

describe('properties', () => {
  it('the fast kernel equals the arc-recording Brandes kernel on random graphs', () => {
    fc.assert(
      fc.property(randomGraph, (spec) => {
        const csr = csrFromRandom(spec);
        return closeArrays(
          betweennessOnCsr(csr, { normalized: false }),
          arcKernelSums(csr).map((x) => x / 2),
          1e-12,
        );
      }),
      { numRuns: 200 },
    );
  });

  it('masked betweenness equals betweenness of the induced subgraph', () => {
    fc.assert(
      fc.property(randomGraph, (spec) => {
        const csr = csrFromRandom(spec);
        const removed = Uint8Array.from(spec.mask, (b) => (b ? 1 : 0));
        const members: number[] = [];
        for (let v = 0; v < csr.n; v++) if (!removed[v]) members.push(v);
        const induced = betweennessOnCsr(inducedCsr(csr, members));
        const expected = new Float64Array(csr.n);
        members.forEach((parent, k) => (expected[parent] = induced[k]!));
        const masked = betweennessOnCsr(csr, { removed });
        const old = arcKernelSums(csr, removed).map((x) => x / 2);
        return (
          closeArrays(masked, expected, 1e-12) &&
          closeArrays(betweennessOnCsr(csr, { normalized: false, removed }), old, 1e-12)
        );
      }),
      { numRuns: 200 },
    );
  });

  it('closeness and harmonic from the fast kernel equal a plain BFS on random graphs', () => {
    fc.assert(
      fc.property(randomGraph, (spec) => {
        const csr = csrFromRandom(spec);
        const { closeness, harmonic } = closenessAndHarmonicOnCsr(csr);
        const search = sourceSearch(csr, { weighted: false, distance: 'inverse' }, false);
        for (let u = 0; u < csr.n; u++) {
          const reached = search.from(u);
          let total = 0;
          let inverse = 0;
          for (let i = 1; i < reached; i++) {
            total += search.ws.dist[search.ws.order[i]!]!;
            inverse += 1 / search.ws.dist[search.ws.order[i]!]!;
          }
          const expected = total > 0 && csr.n > 1 ? ((reached - 1) / total) * ((reached - 1) / (csr.n - 1)) : 0;
          if (
            Math.abs(closeness[u]! - expected) > 1e-12 ||
            Math.abs(harmonic[u]! - inverse) > 1e-12 * Math.max(1, inverse)
          )
            return false;
        }
        return true;
      }),
      { numRuns: 200 },
    );
  });

  // betweennessOnCsr picks one kernel; both are checked here directly.
  const withSources = randomGraph.chain((spec) =>
    fc.record({
      spec: fc.constant(spec),
      sources: fc.array(fc.integer({ min: 0, max: spec.n - 1 }), { maxLength: 3 * spec.n }),
    }),
  );

  it('both unweighted kernels equal the arc-recording kernel from any sources, repeats and removed nodes included', () => {
    fc.assert(
      fc.property(withSources, ({ spec, sources }) => {
        const csr = csrFromRandom(spec);
        const removed = Uint8Array.from(spec.mask, (b) => (b ? 1 : 0));
        const from = Int32Array.from(sources);
        const expected = arcKernelSums(csr, removed, sources);
        const single = new Float64Array(csr.n);
        brandesBfsKernel(csr.n, csr.offsets, csr.targets, removed, from, 0, 1, single);
        const batched = new Float64Array(csr.n);
        brandesBatchKernel(csr.n, csr.offsets, csr.targets, removed, from, 0, 1, batched);
        // Two workers' shares (batches 0, 2, 4, … and 1, 3, 5, …) add up to the whole.
        const shares = [new Float64Array(csr.n), new Float64Array(csr.n)];
        shares.forEach((share, first) =>
          brandesBatchKernel(csr.n, csr.offsets, csr.targets, removed, from, first, 2, share),
        );
        const summed = shares[0]!.map((x, v) => x + shares[1]![v]!);
        return (
          closeArrays(single, expected, 1e-12) &&
          closeArrays(batched, expected, 1e-12) &&
          closeArrays(summed, expected, 1e-12)
        );
      }),
      { numRuns: 200 },
    );
  });

  it('batches hold every source not removed, as often as given, 32 to a batch but the last', () => {
    fc.assert(
      fc.property(withSources, ({ spec, sources }) => {
        const csr = csrFromRandom(spec);
        const removed = Uint8Array.from(spec.mask, (b) => (b ? 1 : 0));
        const { ordered, batchStart, batches } = batchSources(
          csr.n,
          csr.offsets,
          csr.targets,
          removed,
          Int32Array.from(sources),
        );
        const kept = sources.filter((v) => removed[v] === 0).sort((a, b) => a - b);
        expect(Array.from(ordered).sort((a, b) => a - b)).toEqual(kept);
        expect(batches).toBe(Math.ceil(kept.length / 32));
        for (let j = 0; j < batches; j++)
          expect(batchStart[j + 1]! - batchStart[j]!).toBe(j < batches - 1 ? 32 : kept.length - 32 * (batches - 1));
      }),
      { numRuns: 200 },
    );
  });

  it('a batch is a ball: on a long path, each batch is 32 consecutive nodes', () => {
    const n = 32 * 5;
    const csr = csrOf(
      graphFromPairs(
        n,
        Array.from({ length: n - 1 }, (_, v): [number, number] => [v, v + 1]),
      ),
      { weightAttribute: null },
    );
    const { ordered, batchStart } = batchSources(
      csr.n,
      csr.offsets,
      csr.targets,
      null,
      Int32Array.from({ length: n }, (_, v) => v),
    );
    for (let j = 0; j < 5; j++) {
      const members = Array.from(ordered.subarray(batchStart[j], batchStart[j + 1])).sort((a, b) => a - b);
      expect(members).toEqual(Array.from({ length: 32 }, (_, k) => 32 * j + k));
    }
  });

  it('the batch kernel is used when the sources are at least half the nodes of a graph it fits', () => {
    expect(useBatchKernel(5_000, 5_000)).toBe(true);
    expect(useBatchKernel(5_000, 2_500)).toBe(true);
    expect(useBatchKernel(100_000, 256)).toBe(false);
    expect(useBatchKernel(BATCH_KERNEL_MAX_NODES + 1, BATCH_KERNEL_MAX_NODES + 1)).toBe(false);
  });
});

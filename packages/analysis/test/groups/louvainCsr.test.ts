/**
 * The typed-array Louvain (louvainCsr.ts) against its peers:
 * - modularity within 0.005 of the best of networkx's `louvain_communities`
 *   (seed 42) and igraph's `community_multilevel`, on the 23 test graphs and
 *   on a Barabási–Albert graph;
 * - modularity at least graphology-communities-louvain's (best of 5 seeds) − 0.005;
 * - NMI ≥ 0.95 against the known blocks of a planted-partition graph;
 * - the modularity we report is networkx's modularity of our partition, to 1e-9.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { UndirectedGraph } from 'graphology';
import type Graph from 'graphology';
import graphologyLouvain from 'graphology-communities-louvain';
import { loadAllTestGraphs } from '../graphs.fixtures.js';
import { runReference } from '../../../../test/reference/python.js';
import { communities, partitionModularity, seededRandom, simpleUndirectedView } from '../../src/groups/louvain.js';
import { louvainOnCsr, modularityOnCsr } from '../../src/groups/louvainCsr.js';
import { nmi } from '../../src/groups/compare.js';
import { toCsr } from '../../src/csr.js';

interface Reference {
  graphs: { name: string; louvain: number; igraph: number; ours: number }[];
}

interface Case {
  name: string;
  graph: Graph;
  modularity: number;
  communityOf: Record<string, number>;
}

/** A seeded Barabási–Albert graph: each new node ties to `m` distinct earlier nodes, chosen in proportion to degree. */
function barabasiAlbert(n: number, m: number, seed: number): UndirectedGraph {
  const random = seededRandom(seed);
  const graph = new UndirectedGraph();
  for (let v = 0; v < n; v++) graph.addNode(String(v));
  const ends: number[] = [];
  let targets = Array.from({ length: m }, (_x, i) => i);
  for (let v = m; v < n; v++) {
    for (const t of targets) {
      graph.addEdge(String(v), String(t));
      ends.push(v, t);
    }
    const chosen = new Set<number>();
    while (chosen.size < m) chosen.add(ends[Math.floor(random() * ends.length)]!);
    targets = [...chosen];
  }
  return graph;
}

/** A seeded planted-partition graph: `blocks` groups of `size`; ties inside with pIn, across with pOut. */
function plantedPartition(
  blocks: number,
  size: number,
  pIn: number,
  pOut: number,
  seed: number,
): { graph: UndirectedGraph; truth: Record<string, number> } {
  const random = seededRandom(seed);
  const graph = new UndirectedGraph();
  const truth: Record<string, number> = {};
  const n = blocks * size;
  for (let v = 0; v < n; v++) {
    graph.addNode(`n${v}`);
    truth[`n${v}`] = Math.floor(v / size);
  }
  for (let u = 0; u < n; u++) {
    for (let v = u + 1; v < n; v++) {
      if (random() < (truth[`n${u}`] === truth[`n${v}`] ? pIn : pOut)) graph.addEdge(`n${u}`, `n${v}`);
    }
  }
  return { graph, truth };
}

/** graphology-communities-louvain's best modularity over seeds 1–5 on the simple view. */
function graphologyBest(graph: Graph): number {
  const view = simpleUndirectedView(graph, { weighted: true, weightAttribute: 'weight' });
  let best = -Infinity;
  for (let seed = 1; seed <= 5; seed++) {
    const labels = graphologyLouvain(view, { getEdgeWeight: 'weight', rng: seededRandom(seed), randomWalk: true });
    best = Math.max(best, partitionModularity(view, labels));
  }
  return best;
}

let cases: Case[] = [];
let reference: Reference;
let planted: { graph: UndirectedGraph; truth: Record<string, number> };

beforeAll(async () => {
  const graphs: { name: string; graph: Graph }[] = await loadAllTestGraphs();
  graphs.push({ name: 'barabasi-albert-2000-m5', graph: barabasiAlbert(2000, 5, 11) });
  planted = plantedPartition(20, 100, 0.1, 0.001, 5);
  graphs.push({ name: 'planted-20x100', graph: planted.graph });
  cases = graphs.map(({ name, graph }) => ({ name, graph, ...communities(graph) }));
  reference = runReference<Reference>('groups.py', {
    graphs: cases.map(({ name, graph, communityOf }) => {
      const view = simpleUndirectedView(graph, { weighted: true, weightAttribute: 'weight' });
      return {
        name,
        nodes: view.nodes(),
        edges: view.mapEdges((_e, attributes, source, target) => [source, target, attributes.weight]),
        partition: communityOf,
        resolution: 1,
        igraph: true,
      };
    }),
  });
}, 300_000);

describe('louvainOnCsr', () => {
  test('modularity within 0.005 of the best of networkx and igraph; equal to networkx modularity of our partition to 1e-9', () => {
    expect(cases).toHaveLength(25);
    const rows: string[] = [];
    cases.forEach(({ name, modularity }, k) => {
      const ref = reference.graphs[k]!;
      expect(ref.name).toBe(name);
      const peer = Math.max(ref.louvain, ref.igraph);
      rows.push(
        `${name.padEnd(28)} ours ${modularity.toFixed(6)}  nx ${ref.louvain.toFixed(6)}  igraph ${ref.igraph.toFixed(6)}  margin ${(modularity - peer).toFixed(6)}`,
      );
    });
    console.log(rows.join('\n'));
    cases.forEach(({ name, modularity }, k) => {
      const ref = reference.graphs[k]!;
      expect(modularity, name).toBeGreaterThanOrEqual(Math.max(ref.louvain, ref.igraph) - 0.005);
      expect(Math.abs(modularity - ref.ours), name).toBeLessThanOrEqual(1e-9);
    });
  });

  test('modularity at least graphology-communities-louvain (best of 5 seeds) − 0.005', () => {
    for (const { name, graph, modularity } of cases)
      expect(modularity, name).toBeGreaterThanOrEqual(graphologyBest(graph) - 0.005);
  });

  test('recovers the planted partition: NMI ≥ 0.95', () => {
    const found = cases.find((c) => c.name === 'planted-20x100')!;
    expect(nmi(found.communityOf, planted.truth)).toBeGreaterThanOrEqual(0.95);
    // One run alone does too.
    const csr = toCsr(planted.graph);
    const { membership } = louvainOnCsr(csr, { seed: 3 });
    const labels: Record<string, number> = {};
    membership.forEach((c, v) => (labels[csr.ids[v]!] = c));
    expect(nmi(labels, planted.truth)).toBeGreaterThanOrEqual(0.95);
  });

  test('reports the modularity of its membership, numbered by first node; same seed, same result', () => {
    const { graph } = cases.find((c) => c.name === 'barabasi-albert-2000-m5')!;
    const csr = toCsr(graph);
    const a = louvainOnCsr(csr, { seed: 9 });
    expect(a).toEqual(louvainOnCsr(csr, { seed: 9 }));
    expect(a.modularity).toBe(modularityOnCsr(csr, a.membership));
    expect(a.levels).toBeGreaterThanOrEqual(2);
    let next = 0;
    for (const c of a.membership) {
      expect(c).toBeLessThanOrEqual(next);
      if (c === next) next++;
    }
    expect(louvainOnCsr(csr, { seed: 10 }).membership).not.toEqual(a.membership);
  });

  test('weights and resolution count: a heavy tie pulls its ends together; higher γ gives more communities', () => {
    // Two triangles joined by one tie; weighting that tie 100 merges its two ends.
    const edges: [string, string, number][] = [
      ['a', 'b', 1],
      ['b', 'c', 1],
      ['a', 'c', 1],
      ['d', 'e', 1],
      ['e', 'f', 1],
      ['d', 'f', 1],
      ['c', 'd', 1],
    ];
    const graph = new UndirectedGraph();
    for (const [u, v, weight] of edges) graph.mergeEdge(u, v, { weight });
    const plain = louvainOnCsr(toCsr(graph));
    expect(Array.from(plain.membership)).toEqual([0, 0, 0, 1, 1, 1]);
    graph.setEdgeAttribute('c', 'd', 'weight', 100);
    const heavy = louvainOnCsr(toCsr(graph));
    expect(heavy.membership[2]).toBe(heavy.membership[3]);
    expect(heavy.modularity).toBeCloseTo(
      partitionModularity(graph, Object.fromEntries(graph.nodes().map((id, v) => [id, heavy.membership[v]!]))),
      12,
    );
    const { graph: ba } = cases.find((c) => c.name === 'barabasi-albert-2000-m5')!;
    const csr = toCsr(ba);
    const count = (membership: Int32Array) => new Set(membership).size;
    expect(count(louvainOnCsr(csr, { resolution: 3 }).membership)).toBeGreaterThan(
      count(louvainOnCsr(csr, { resolution: 0.3 }).membership),
    );
  });

  test('no edges: every node alone, modularity NaN, no level; a bad resolution throws', () => {
    const graph = new UndirectedGraph();
    graph.addNode('x');
    graph.addNode('y');
    expect(louvainOnCsr(toCsr(graph))).toEqual({
      membership: Int32Array.from([0, 1]),
      modularity: Number.NaN,
      levels: 0,
    });
    expect(() => louvainOnCsr(toCsr(graph), { resolution: 0 })).toThrow(/resolution/);
  });
});

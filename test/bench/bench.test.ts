/**
 * The benchmark's graph generators (not its timings): the same seed gives the
 * same bytes, a Barabási–Albert graph has exactly the stated nodes and edges
 * with no self-loops or duplicates, and the planted partition's ground truth
 * has the stated blocks. And that the bench's tasks compute the same thing on
 * every side where the definitions could part: closeness on a disconnected
 * graph (igraph's is corrected to Wasserman–Faust's), and PageRank converged
 * against the bench's SciPy reference.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, referencePython } from '../reference/python.js';
import { barabasiAlbert, baGraph, plantedGraph, plantedPartition, seededUniform } from './graphs.js';

const dir = mkdtempSync(join(tmpdir(), 'ocgnet-bench-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function edgesOf(path: string): [number, number][] {
  return readFileSync(path, 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => {
      const [u, v, ...rest] = line.split(' ');
      expect(rest).toEqual([]);
      expect(u).toMatch(/^(0|[1-9]\d*)$/);
      expect(v).toMatch(/^(0|[1-9]\d*)$/);
      return [Number(u), Number(v)];
    });
}

describe('seededUniform', () => {
  it('is a fixed stream in [0, 1) per seed', () => {
    const a = seededUniform(7);
    const b = seededUniform(7);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(seededUniform(8)()).not.toBe(xs[0]);
  });
});

describe('Barabási–Albert', () => {
  it('writes the same bytes for the same seed, different ones for another seed', () => {
    const first = readFileSync(baGraph(join(dir, 'a'), 3000, 1).path);
    const second = readFileSync(baGraph(join(dir, 'b'), 3000, 1).path);
    const other = readFileSync(baGraph(join(dir, 'c'), 3000, 2).path);
    expect(second.equals(first)).toBe(true);
    expect(other.equals(first)).toBe(false);
  });

  it('has n nodes, a seed clique, then exactly m new edges per added node; no self-loops or duplicates', () => {
    const n = 3000;
    const m = 5;
    const graph = baGraph(join(dir, 'a'), n, 1, m);
    const edges = edgesOf(graph.path);
    expect(graph.nodes).toBe(n);
    expect(edges.length).toBe((m * (m + 1)) / 2 + m * (n - m - 1));
    expect(graph.edges).toBe(edges.length);
    const nodes = new Set(edges.flat());
    expect(nodes.size).toBe(n);
    expect(Math.min(...nodes)).toBe(0);
    expect(Math.max(...nodes)).toBe(n - 1);
    const pairs = new Set<string>();
    const added = new Map<number, number>();
    for (const [u, v] of edges) {
      expect(u).not.toBe(v);
      const key = u < v ? `${u} ${v}` : `${v} ${u}`;
      expect(pairs.has(key)).toBe(false);
      pairs.add(key);
      if (u > m) {
        expect(v).toBeLessThan(u); // a new node links only to earlier nodes
        added.set(u, (added.get(u) ?? 0) + 1);
      } else {
        expect(v).toBeLessThanOrEqual(m); // the seed clique on 0 … m
      }
    }
    expect(pairs.size).toBe(edges.length);
    expect(added.size).toBe(n - m - 1);
    expect([...added.values()].every((count) => count === m)).toBe(true);
  });

  it('attaches preferentially: early nodes collect high degree', () => {
    const { n, source, target } = barabasiAlbert(20_000, 5, 3);
    const degree = new Int32Array(n);
    for (let e = 0; e < source.length; e++) {
      degree[source[e]!]!++;
      degree[target[e]!]!++;
    }
    const max = Math.max(...degree);
    // Uniform attachment would give a maximum near 5·ln(n) ≈ 50; preferential attachment gives hubs of hundreds.
    expect(max).toBeGreaterThan(200);
    expect(Math.min(...degree)).toBe(5);
  });

  it('uses the cache: a second call does not rewrite the file', () => {
    const graph = baGraph(join(dir, 'a'), 3000, 1);
    const before = readFileSync(graph.path);
    expect(baGraph(join(dir, 'a'), 3000, 1)).toEqual(graph);
    expect(readFileSync(graph.path).equals(before)).toBe(true);
  });
});

describe('planted partition', () => {
  it('writes the same bytes for the same seed, and the truth file has the stated blocks', () => {
    const first = plantedGraph(join(dir, 'p1'), 20, 100, 0.15, 0.002, 1);
    const second = plantedGraph(join(dir, 'p2'), 20, 100, 0.15, 0.002, 1);
    expect(readFileSync(second.path).equals(readFileSync(first.path))).toBe(true);
    expect(readFileSync(second.truth!).equals(readFileSync(first.truth!))).toBe(true);
    const truth = readFileSync(first.truth!, 'utf8').trimEnd().split('\n').map(Number);
    expect(truth.length).toBe(2000);
    expect(first.nodes).toBe(2000);
    for (let i = 0; i < truth.length; i++) expect(truth[i]).toBe(Math.floor(i / 100));
    const sizes = new Map<number, number>();
    for (const block of truth) sizes.set(block, (sizes.get(block) ?? 0) + 1);
    expect([...sizes.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, b) => b));
    expect([...sizes.values()].every((size) => size === 100)).toBe(true);
  });

  it('draws edges mostly inside blocks, at about the stated densities, with no self-loops or duplicates', () => {
    const graph = plantedPartition(20, 100, 0.15, 0.002, 1);
    let inside = 0;
    const pairs = new Set<number>();
    for (let e = 0; e < graph.source.length; e++) {
      const u = graph.source[e]!;
      const v = graph.target[e]!;
      expect(u).toBeLessThan(v);
      pairs.add(u * graph.n + v);
      if (graph.block[u] === graph.block[v]) inside++;
    }
    expect(pairs.size).toBe(graph.source.length);
    const pairsInside = 20 * ((100 * 99) / 2);
    const pairsAcross = (2000 * 1999) / 2 - pairsInside;
    // Binomial counts: within 5 standard deviations of the expectation.
    const near = (count: number, pairs: number, p: number) =>
      Math.abs(count - pairs * p) < 5 * Math.sqrt(pairs * p * (1 - p));
    expect(near(inside, pairsInside, 0.15)).toBe(true);
    expect(near(graph.source.length - inside, pairsAcross, 0.002)).toBe(true);
    const degree = new Int32Array(graph.n);
    for (let e = 0; e < graph.source.length; e++) {
      degree[graph.source[e]!]!++;
      degree[graph.target[e]!]!++;
    }
    expect(Math.min(...degree)).toBeGreaterThan(0); // every node is in the `u v` file
  });
});

describe('the bench tasks do the same work on every side', () => {
  /** Runs one task of one tool with --out, and returns the vector it wrote (float64, label order). */
  function vector(tool: 'ocgnet' | 'igraph' | 'networkx' | 'scipy', task: string, graph: string): Float64Array {
    const out = join(dir, `${tool}-${task}.f64`);
    const [command, script] =
      tool === 'ocgnet'
        ? [process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'test', 'bench', 'ocgnet-task.ts')]]
        : [referencePython(), [join(REPO_ROOT, 'test', 'bench', 'peers.py'), '--tool', tool]];
    const run = spawnSync(command, [...script, '--task', task, '--graph', graph, '--out', out], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    expect(run.status, `${tool} ${task}: ${run.stderr}`).toBe(0);
    const bytes = readFileSync(out);
    return new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  }
  const maxGap = (a: Float64Array, b: Float64Array) => a.reduce((gap, x, i) => Math.max(gap, Math.abs(x - b[i]!)), 0);

  // Three components of 4, 3 and 2 nodes: igraph's plain closeness() would give the pair 1, as central as a hub.
  const graph = join(dir, 'disconnected.txt');
  writeFileSync(graph, '0 1\n1 2\n2 0\n2 3\n4 5\n5 6\n7 8\n');

  it('closeness (Wasserman–Faust) and harmonic agree node by node on a disconnected graph', () => {
    const ours = vector('ocgnet', 'closeness-harmonic', graph);
    expect(ours).toHaveLength(18);
    // Node 7 reaches 1 node at distance 1: (1/1) × (1/8).
    expect(ours[7]).toBeCloseTo(1 / 8, 15);
    for (const tool of ['igraph', 'networkx'] as const) {
      expect(maxGap(vector(tool, 'closeness-harmonic', graph), ours), tool).toBeLessThan(1e-12);
      expect(maxGap(vector(tool, 'closeness', graph), ours.subarray(0, 9)), tool).toBeLessThan(1e-12);
      expect(maxGap(vector(tool, 'harmonic', graph), ours.subarray(9)), tool).toBeLessThan(1e-12);
    }
    expect(maxGap(vector('ocgnet', 'closeness', graph), ours.subarray(0, 9))).toBe(0);
    expect(maxGap(vector('ocgnet', 'harmonic', graph), ours.subarray(9))).toBe(0);
  });

  it('PageRank: ocgnet, networkx and igraph within 1e-9 of the converged reference', () => {
    const reference = vector('scipy', 'pagerank-reference', graph);
    expect(reference.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    for (const tool of ['ocgnet', 'igraph', 'networkx'] as const)
      expect(maxGap(vector(tool, 'pagerank', graph), reference), tool).toBeLessThan(1e-9);
  });
});

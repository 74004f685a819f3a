/**
 * The benchmark's graph generators (not its timings): the same seed gives the
 * same bytes, a Barabási–Albert graph has exactly the stated nodes and edges
 * with no self-loops or duplicates, and the planted partition's ground truth
 * has the stated blocks.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
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
    const near = (count: number, pairs: number, p: number) => Math.abs(count - pairs * p) < 5 * Math.sqrt(pairs * p * (1 - p));
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

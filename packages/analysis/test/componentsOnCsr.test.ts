/**
 * connectedComponentsOnCsr's numbering against plain references (union-find,
 * then a sort; breadth-first search): largest first, equal sizes by their
 * smallest node. The large mixed graphs reach the bottom-up sweeps, which
 * small graphs never start.
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

/** connectedComponentsOnCsr on nodes 0 … n − 1 with these edges gives `expected`. */
function expectComponents(
  n: number,
  edges: readonly [number, number][],
  expected: { componentOf: number[]; sizes: number[] },
): void {
  const csr = csrFromEdgeArrays(
    Array.from({ length: n }, (_x, i) => String(i)),
    Int32Array.from(edges, (e) => e[0]),
    Int32Array.from(edges, (e) => e[1]),
    null,
  );
  const found = connectedComponentsOnCsr(csr);
  expect(found.sizes).toEqual(expected.sizes);
  expect(found.count).toBe(expected.sizes.length);
  expect(Array.from(found.componentOf)).toEqual(expected.componentOf);
}

test('components are numbered largest first, equal sizes by smallest node', () => {
  fc.assert(
    fc.property(
      fc
        .integer({ min: 1, max: 40 })
        .chain((n) => fc.tuple(fc.constant(n), fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 50 }))),
      ([n, edges]) => expectComponents(n, edges, reference(n, edges)),
    ),
    { numRuns: 500 },
  );
});

/** Components by plain breadth-first search over adjacency lists, numbered as connectedComponentsOnCsr numbers them. */
function referenceBfs(n: number, edges: readonly [number, number][]): { componentOf: number[]; sizes: number[] } {
  const adjacency = Array.from({ length: n }, () => [] as number[]);
  for (const [u, v] of edges) {
    adjacency[u]!.push(v);
    adjacency[v]!.push(u);
  }
  const found = new Array<number>(n).fill(-1);
  const members: number[][] = [];
  for (let root = 0; root < n; root++) {
    if (found[root] !== -1) continue;
    const queue = [root];
    found[root] = members.length;
    for (let k = 0; k < queue.length; k++) {
      for (const w of adjacency[queue[k]!]!) {
        if (found[w] === -1) {
          found[w] = members.length;
          queue.push(w);
        }
      }
    }
    members.push(queue);
  }
  // Found in order of smallest node; a stable sort by size keeps that order for ties.
  const order = members.map((_m, id) => id).sort((a, b) => members[b]!.length - members[a]!.length);
  const rank = new Array<number>(members.length);
  order.forEach((id, r) => (rank[id] = r));
  return { componentOf: found.map((id) => rank[id]!), sizes: order.map((id) => members[id]!.length) };
}

/** A seeded random number generator (a linear congruential one: enough to scatter indices). */
function seeded(seed: number): () => number {
  let state = seed;
  return () => (state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32;
}

/** 0 … n − 1 in a random order (Fisher–Yates). */
function shuffled(n: number, random: () => number): number[] {
  const order = Array.from({ length: n }, (_x, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/**
 * Components of many shapes, their nodes scattered over the index range so a
 * bottom-up sweep meets every other component's nodes: a preferential-
 * attachment blob (sweeps finish), a star (a sweep right after the hub), a
 * long path and a grid (sweeps give up), short paths, isolated nodes.
 */
function mixedGraph(seed: number, scatter: boolean): { n: number; edges: [number, number][] } {
  const random = seeded(seed);
  const edges: [number, number][] = [];
  let next = 0;
  const block = (size: number) => Array.from({ length: size }, () => next++);
  const blob = block(6000);
  const ends: number[] = [blob[0]!, blob[1]!];
  edges.push([blob[0]!, blob[1]!]);
  for (let k = 2; k < blob.length; k++) {
    for (let j = 0; j < 3; j++) {
      const other = ends[Math.floor(random() * ends.length)]!;
      edges.push([blob[k]!, other]);
      ends.push(blob[k]!, other);
    }
  }
  const [hub, ...leaves] = block(5001);
  for (const leaf of leaves) edges.push([hub!, leaf]);
  const path = block(5000);
  for (let k = 1; k < path.length; k++) edges.push([path[k - 1]!, path[k]!]);
  const grid = block(60 * 60);
  for (let r = 0; r < 60; r++) {
    for (let c = 0; c < 60; c++) {
      if (c > 0) edges.push([grid[r * 60 + c]!, grid[r * 60 + c - 1]!]);
      if (r > 0) edges.push([grid[r * 60 + c]!, grid[(r - 1) * 60 + c]!]);
    }
  }
  for (let k = 0; k < 400; k++) {
    const small = block(1 + (k % 5));
    for (let j = 1; j < small.length; j++) edges.push([small[j - 1]!, small[j]!]);
  }
  block(1500);
  // Scatter: a seeded shuffle of the indices; else each component's nodes are contiguous.
  const n = next;
  const place = scatter ? shuffled(n, random) : Array.from({ length: n }, (_x, i) => i);
  return { n, edges: edges.map(([u, v]): [number, number] => [place[u]!, place[v]!]) };
}

/**
 * A star whose 5000 leaves each carry a tail of two more nodes, and a few
 * isolated nodes, scattered: a sweep after the hub places most tails, but a
 * tail end met before its middle joins can only be reached from the nodes
 * the sweep added.
 */
function starWithTails(seed: number): { n: number; edges: [number, number][] } {
  const random = seeded(seed);
  const n = 1 + 3 * 5000 + 50;
  const place = shuffled(n, random);
  const edges: [number, number][] = [];
  for (let leaf = 1; leaf <= 5000; leaf++)
    edges.push(
      [place[0]!, place[leaf]!],
      [place[leaf]!, place[5000 + leaf]!],
      [place[5000 + leaf]!, place[10_000 + leaf]!],
    );
  return { n, edges };
}

test('components of many shapes and sizes, scattered, equal a plain breadth-first search', () => {
  const graphs = [mixedGraph(1, true), mixedGraph(2, true), mixedGraph(3, false), starWithTails(4), starWithTails(5)];
  for (const { n, edges } of graphs) expectComponents(n, edges, referenceBfs(n, edges));
});

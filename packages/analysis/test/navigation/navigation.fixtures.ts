/**
 * Helpers for the navigation tests: a seeded sample of node pairs and
 * centres, and a brute-force enumeration of simple paths to check against.
 */
import Graph from 'graphology';
import { compareIds } from '@ocgnet/schema';

/** mulberry32: a small seeded generator, so samples are the same on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seed from a name, so each graph gets its own sample. */
export function seedOf(name: string): number {
  let hash = 2166136261;
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 16777619);
  return hash >>> 0;
}

/** `count` pairs of distinct nodes, drawn with a seeded generator. */
export function samplePairs(graph: Graph, count: number, seed: number): [string, string][] {
  const nodes = graph.nodes();
  const random = seededRandom(seed);
  const pairs: [string, string][] = [];
  if (nodes.length < 2) return pairs;
  while (pairs.length < count) {
    const a = nodes[Math.floor(random() * nodes.length)]!;
    const b = nodes[Math.floor(random() * nodes.length)]!;
    if (a !== b) pairs.push([a, b]);
  }
  return pairs;
}

/** `count` nodes drawn with a seeded generator (repeats possible). */
export function sampleNodes(graph: Graph, count: number, seed: number): string[] {
  const nodes = graph.nodes();
  const random = seededRandom(seed);
  return Array.from({ length: Math.min(count, nodes.length) }, () => nodes[Math.floor(random() * nodes.length)]!);
}

/** Lexicographic order of two key sequences, element by element in code-unit order. */
export function compareSequences(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const order = compareIds(a[i]!, b[i]!);
    if (order !== 0) return order;
  }
  return a.length - b.length;
}

/** An undirected graph from `[source, target, weight?]` triples: the analysis tests' one helper. */
export { graphOf } from '../graphs.fixtures.js';

/**
 * Every simple path from `a` to `b` with its distance (sum of `cost` per
 * edge), sorted by distance, then hops, then node keys: the order
 * kShortestPaths promises. Exponential; for small graphs only.
 */
export function allSimplePathsSorted(
  graph: Graph,
  a: string,
  b: string,
  cost: (weight: number) => number,
): { nodes: string[]; distance: number }[] {
  const found: { nodes: string[]; distance: number }[] = [];
  const path = [a];
  const onPath = new Set([a]);
  const walk = (node: string, distance: number) => {
    if (node === b) {
      found.push({ nodes: [...path], distance });
      return;
    }
    for (const next of graph.neighbors(node)) {
      if (onPath.has(next)) continue;
      const weight = Number(graph.getEdgeAttribute(graph.edge(node, next)!, 'weight') ?? 1);
      path.push(next);
      onPath.add(next);
      walk(next, distance + cost(weight));
      path.pop();
      onPath.delete(next);
    }
  };
  walk(a, 0);
  return found.sort(
    (x, y) => x.distance - y.distance || x.nodes.length - y.nodes.length || compareSequences(x.nodes, y.nodes),
  );
}

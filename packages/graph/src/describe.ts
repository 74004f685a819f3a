/**
 * A summary of any graphology graph: the multimodal network, a person
 * projection, or a plain research graph without ocgnet attributes.
 *
 * Definitions:
 * - `components`: weakly connected components (edge direction ignored);
 *   an isolate is a component of its own.
 * - `largestComponent`: node count of the largest component (0 for an empty graph).
 * - `isolates`: nodes with no edge at all.
 * - `density`, self loops never counted, 0 when there are fewer than 2 nodes:
 *   - simple undirected graph: 2m / (n(n−1));
 *   - simple directed graph: m / (n(n−1)), each direction a possible edge;
 *   - multigraph, or simple mixed graph: distinct unordered node pairs joined
 *     by at least one edge, over n(n−1)/2; parallel edges say how often two
 *     nodes are linked, not that more pairs are.
 * - `directed`: the graph has, or (type `directed`) can only have, directed edges.
 * - `byKind` / `byType`: node `kind` / edge `type` attributes counted where they
 *   are strings; empty for graphs that carry none.
 * - `byMarking`: nodes and edges together by `marking.handling`; `byMarkingOf`
 *   splits the count. Elements without a marking are not counted.
 */
import type { AbstractGraph, Attributes } from 'graphology-types';
import type { HandlingMarking } from '@ocgnet/schema';

/** How many elements carry each handling marking. */
export type MarkingCounts = Record<HandlingMarking, number>;

/** What {@link describeGraph} reports. */
export interface GraphDescription {
  nodes: number;
  edges: number;
  components: number;
  largestComponent: number;
  isolates: number;
  density: number;
  directed: boolean;
  /** graphology's graph type. */
  type: 'mixed' | 'directed' | 'undirected';
  /** Whether parallel edges are allowed. */
  multi: boolean;
  byKind: Record<string, number>;
  byType: Record<string, number>;
  byMarking: MarkingCounts;
  byMarkingOf: { nodes: MarkingCounts; edges: MarkingCounts };
}

/** Summarises a graph; see the module header for the definitions. */
export function describeGraph(graph: AbstractGraph<Attributes, Attributes, Attributes>): GraphDescription {
  const n = graph.order;
  const index = new Map<string, number>();
  const byKind: Record<string, number> = Object.create(null) as Record<string, number>;
  const nodeMarkings: MarkingCounts = { P: 0, C: 0, R: 0 };
  let isolates = 0;
  graph.forEachNode((node, attributes) => {
    index.set(node, index.size);
    if (typeof attributes.kind === 'string') byKind[attributes.kind] = (byKind[attributes.kind] ?? 0) + 1;
    countMarking(nodeMarkings, attributes.marking);
    if (graph.degree(node) === 0) isolates += 1;
  });

  // Union-find over node indices: one pass over the edges gives the weak components.
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };

  const byType: Record<string, number> = Object.create(null) as Record<string, number>;
  const edgeMarkings: MarkingCounts = { P: 0, C: 0, R: 0 };
  const countPairs = graph.multi || graph.type === 'mixed';
  const pairs = new Set<number>();
  let nonLoopEdges = 0;
  graph.forEachEdge((_edge, attributes, source, target) => {
    if (typeof attributes.type === 'string') byType[attributes.type] = (byType[attributes.type] ?? 0) + 1;
    countMarking(edgeMarkings, attributes.marking);
    if (source === target) return;
    nonLoopEdges += 1;
    const a = index.get(source)!;
    const b = index.get(target)!;
    if (countPairs) pairs.add(a < b ? a * n + b : b * n + a);
    const rootA = find(a);
    const rootB = find(b);
    if (rootA !== rootB) parent[rootA] = rootB;
  });

  const sizes = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const root = find(i);
    sizes.set(root, (sizes.get(root) ?? 0) + 1);
  }
  let largestComponent = 0;
  for (const size of sizes.values()) largestComponent = Math.max(largestComponent, size);

  let density = 0;
  if (n >= 2) {
    const possible = n * (n - 1);
    if (countPairs) density = pairs.size / (possible / 2);
    else if (graph.type === 'directed') density = nonLoopEdges / possible;
    else density = (2 * nonLoopEdges) / possible;
  }

  return {
    nodes: n,
    edges: graph.size,
    components: sizes.size,
    largestComponent,
    isolates,
    density,
    directed: graph.type === 'directed' || (graph.type === 'mixed' && graph.directedSize > 0),
    type: graph.type,
    multi: graph.multi,
    byKind: { ...byKind },
    byType: { ...byType },
    byMarking: {
      P: nodeMarkings.P + edgeMarkings.P,
      C: nodeMarkings.C + edgeMarkings.C,
      R: nodeMarkings.R + edgeMarkings.R,
    },
    byMarkingOf: { nodes: nodeMarkings, edges: edgeMarkings },
  };
}

function countMarking(counts: MarkingCounts, marking: unknown): void {
  if (typeof marking !== 'object' || marking === null) return;
  const handling = (marking as { handling?: unknown }).handling;
  if (handling === 'P' || handling === 'C' || handling === 'R') counts[handling] += 1;
}

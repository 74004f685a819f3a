/**
 * Test helpers: where the shared datasets live, what their SOURCE.md says,
 * and canonical (sorted) forms of a graph for comparison.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type Graph from 'graphology';
import { expect } from 'vitest';
import type { ResearchParseResult } from '../../src/index.js';
import { NETWORKS_ROOT } from '../../../../test/networks.js';

/** The vendored public networks (fixtures/networks), or $OCGNET_DATASETS. */
export const datasetsRoot = NETWORKS_ROOT;

/** Dataset folder names (those with a SOURCE.md). */
export function datasetNames(): string[] {
  if (!existsSync(datasetsRoot)) return [];
  return readdirSync(datasetsRoot, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(datasetsRoot, entry.name, 'SOURCE.md')))
    .map((entry) => entry.name)
    .sort();
}

/** Reads a dataset file as UTF-8. */
export function datasetFile(name: string, file: string): string {
  return readFileSync(path.join(datasetsRoot, name, file), 'utf8');
}

/** What SOURCE.md declares: node and edge counts and whether the edges are weighted. */
export interface SourceFacts {
  nodes: number;
  edges: number;
  isolates: number;
  weighted: boolean;
}

/** Parses the `- nodes: N (isolates: k ...)`, `- edges: M` and weighted lines of SOURCE.md. */
export function sourceFacts(name: string): SourceFacts {
  const text = datasetFile(name, 'SOURCE.md');
  const nodes = /^- nodes:\s*(\d+)/m.exec(text);
  const edges = /^- edges:\s*(\d+)/m.exec(text);
  const isolates = /isolates:\s*(\d+)/.exec(text);
  if (!nodes || !edges) throw new Error(`${name}/SOURCE.md: no node/edge counts`);
  return {
    nodes: Number(nodes[1]),
    edges: Number(edges[1]),
    isolates: isolates ? Number(isolates[1]) : 0,
    weighted: /^- .*\bweighted\b/m.test(text) && !/^- .*\bunweighted\b/m.test(text),
  };
}

/** Unwraps a parse result, failing the test with the issues if it did not parse. */
export function expectGraph(result: ResearchParseResult): Graph {
  if (!result.ok) expect.fail(`parse failed: ${JSON.stringify(result.issues.slice(0, 5), null, 1)}`);
  return result.graph;
}

/** How to compare nodes: by key plus label, or by label only (Pajek, DL). */
export type Identity = 'key' | 'label';

function ident(graph: Graph, node: string, identity: Identity): string {
  const label = graph.getNodeAttribute(node, 'label') as string;
  return identity === 'key' ? `${node}\u0000${label}` : label;
}

/** Sorted node list. */
export function canonicalNodes(graph: Graph, identity: Identity = 'key'): string[] {
  return graph.mapNodes((node) => ident(graph, node, identity)).sort();
}

/**
 * Sorted edge list with weights. Undirected endpoints are ordered so a-b and
 * b-a compare equal. `defaultWeight` fills in missing weights, for formats
 * that cannot say "weighted, all 1" (a full matrix) or always write one (Pajek).
 */
export function canonicalEdges(graph: Graph, identity: Identity = 'key', defaultWeight?: number): string[] {
  return graph
    .mapEdges((_edge, attributes, source, target, _sa, _ta, undirected) => {
      let a = ident(graph, source, identity);
      let b = ident(graph, target, identity);
      if (undirected && a > b) [a, b] = [b, a];
      const weight = attributes.weight ?? defaultWeight;
      return `${a}${undirected ? '--' : '->'}${b} ${weight === undefined ? '' : String(weight)}`;
    })
    .sort();
}

/** Async iterable of string chunks, for the streaming reader. */
export async function* chunked(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

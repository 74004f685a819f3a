/**
 * DL files ocgnet writes, read by igraph's own reader (Graph.Read_DL, in the
 * test venv): same node names, same edges, same weights. igraph refuses
 * `format=` on the `dl` line, so the writer puts it on a line of its own.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Graph from 'graphology';
import { afterAll, describe, expect, it } from 'vitest';
import { runReference } from '../../../../test/reference/python.js';
import { writeDl } from '../../src/research/ucinetDl.js';

interface PeerRead {
  name: string;
  ok: boolean;
  error?: string;
  nodes?: string[];
  edges?: [string, string, number | null][];
}

const folder = mkdtempSync(join(tmpdir(), 'ocgnet-dl-interop-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** A small graph with weights, an isolate and non-ASCII labels. */
function sample(type: 'undirected' | 'directed', weighted: boolean): Graph {
  const graph = new Graph({ type });
  for (const [key, label] of [
    ['n1', 'Zoë'],
    ['n2', 'Björn'],
    ['n3', 'Ade'],
    ['n4', 'Lone'],
  ])
    graph.addNode(key, { label });
  for (const [u, v, w] of [
    ['n1', 'n2', 3],
    ['n2', 'n3', 1.5],
    ['n3', 'n1', 2],
  ] as const)
    graph.addEdge(u, v, weighted ? { weight: w } : {});
  return graph;
}

/** The edges as igraph should report them: label pairs (sorted when undirected), weight or null. */
function expectedEdges(graph: Graph, weighted: boolean): [string, string, number | null][] {
  const label = (node: string) => graph.getNodeAttribute(node, 'label') as string;
  return graph
    .mapEdges((_edge, attributes, source, target): [string, string, number | null] => {
      let [u, v] = [label(source), label(target)];
      if (graph.type === 'undirected' && v < u) [u, v] = [v, u];
      return [u, v, weighted ? (attributes.weight as number) : null];
    })
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
}

describe('DL written by ocgnet, read by igraph', () => {
  const cases = [
    { name: 'edgelist1, weighted, undirected', format: 'edgelist1', type: 'undirected', weighted: true },
    { name: 'edgelist1, unweighted, directed', format: 'edgelist1', type: 'directed', weighted: false },
    // igraph reads a full matrix as 0/1 only, so only an unweighted one can be compared.
    { name: 'fullmatrix, unweighted, directed', format: 'fullmatrix', type: 'directed', weighted: false },
  ] as const;

  it('gives igraph the same nodes, edges and weights for every case', () => {
    const files = cases.map((entry, i) => {
      const graph = sample(entry.type, entry.weighted);
      const path = join(folder, `case${i}.dl`);
      writeFileSync(path, writeDl(graph, { format: entry.format }), 'utf8');
      return { graph, file: { name: entry.name, path, format: 'dl', directed: entry.type === 'directed' } };
    });
    const read = runReference<{ files: PeerRead[] }>('interop.py', { files: files.map((entry) => entry.file) });
    files.forEach(({ graph }, i) => {
      const peer = read.files[i]!;
      const { name, weighted } = cases[i]!;
      expect(peer.error, name).toBeUndefined();
      expect(peer.ok, name).toBe(true);
      expect([...peer.nodes!].sort(), name).toEqual(['Ade', 'Björn', 'Lone', 'Zoë']);
      expect(peer.edges, name).toEqual(expectedEdges(graph, weighted));
    });
  });
});

/**
 * Communities depend on the graph and the seed, not on the file (issue 19):
 * every public network, read from each of its format files (edges.csv +
 * nodes.csv, GraphML, GEXF, Pajek, UCINET DL), from a headerless `u v w`
 * edge list written here, and from that list with its lines shuffled (so
 * nodes appear in another order), gives one partition, with Leiden and with
 * Louvain, on the graphology path (`communities`), the snapshot path
 * (`leidenOnCsr` / `louvainOnCsr` on `csrFromEdgeArrays`) and the large path
 * (`analyseLarge`).
 *
 * Partitions are compared as sets of node-id sets over the nodes with ties:
 * every reader names a node by the same id (Pajek and DL by label, which the
 * files set to the id), except the isolates DL never names, for which it
 * makes up ids; isolates are communities of one in every format, checked apart.
 */
import { createReadStream, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Graph from 'graphology';
import { UndirectedGraph } from 'graphology';
import { afterAll, describe, expect, test } from 'vitest';
import { parseResearchGraph, readEdgeListFast } from '@ocgnet/io';
import { NETWORKS_ROOT } from '../../../../test/networks.js';
import { communities, seededRandom, type CommunityAlgorithm } from '../../src/groups/louvain.js';
import { leidenOnCsr } from '../../src/groups/leidenCsr.js';
import { louvainOnCsr } from '../../src/groups/louvainCsr.js';
import { csrFromEdgeArrays } from '../../src/csrFromEdges.js';
import { analyseLarge } from '../../src/analyseLarge.js';
import type { CsrGraph } from '../../src/csr.js';

const FORMAT_FILES = ['edges.csv', 'graph.graphml', 'graph.gexf', 'graph.net', 'graph.dl'] as const;
const names = readdirSync(NETWORKS_ROOT)
  .filter((name) => FORMAT_FILES.every((file) => readdirSync(join(NETWORKS_ROOT, name)).includes(file)))
  .sort();
const scratch = mkdtempSync(join(tmpdir(), 'ocgnet-canonical-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function readFormat(name: string, file: string): Promise<Graph> {
  const path = join(NETWORKS_ROOT, name, file);
  const nodes = join(NETWORKS_ROOT, name, 'nodes.csv');
  const result = await parseResearchGraph(
    createReadStream(path),
    path,
    file === 'edges.csv' ? { nodes: { input: createReadStream(nodes), file: nodes } } : {},
  );
  if (!result.ok) throw new Error(`${path}: ${JSON.stringify(result.issues.slice(0, 3))}`);
  return result.graph;
}

/** The graph as a headerless `u v w` list, lines in the graph's edge order or shuffled (seeded). */
function writeEdgeList(graph: Graph, file: string, shuffleSeed?: number): string {
  // Some ids hold a space ("Abdul Malik"): quoted, as a plain edge list takes them.
  const written = (id: string) => (id.includes(' ') ? `"${id.replaceAll('"', '""')}"` : id);
  const lines = graph.mapEdges(
    (_edge, attributes, source, target) => `${written(source)} ${written(target)} ${String(attributes.weight ?? 1)}`,
  );
  if (shuffleSeed !== undefined) {
    const random = seededRandom(shuffleSeed);
    for (let i = lines.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [lines[i], lines[j]] = [lines[j]!, lines[i]!];
    }
  }
  const path = join(scratch, file);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

/** What the CLI's ordinary path builds from a plain edge list: nodes in order of first appearance. */
function graphOfEdgeArrays(
  ids: readonly string[],
  source: Int32Array,
  target: Int32Array,
  weight: Float64Array | null,
) {
  const graph = new UndirectedGraph();
  for (const id of ids) graph.addNode(id);
  for (let k = 0; k < source.length; k++)
    graph.addEdge(ids[source[k]!]!, ids[target[k]!]!, { weight: weight === null ? 1 : weight[k]! });
  return graph;
}

/** A partition as canonical text: blocks of node ids with ties, each sorted, blocks sorted. */
function partitionKey(ids: readonly string[], labels: ArrayLike<number>, hasTies: (id: string) => boolean): string {
  const blocks = new Map<number, string[]>();
  for (let v = 0; v < ids.length; v++) {
    if (!hasTies(ids[v]!)) continue;
    let block = blocks.get(labels[v]!);
    if (block === undefined) blocks.set(labels[v]!, (block = []));
    block.push(ids[v]!);
  }
  return JSON.stringify([...blocks.values()].map((block) => block.sort()).sort());
}

function graphPartition(graph: Graph, algorithm: CommunityAlgorithm): string {
  const { communityOf, members } = communities(graph, { algorithm });
  // Isolates are alone, whatever the format calls them.
  for (const node of graph.filterNodes((node) => graph.degree(node) === 0))
    expect(members[communityOf[node]!]).toEqual([node]);
  const ids = graph.nodes();
  return partitionKey(
    ids,
    ids.map((id) => communityOf[id]!),
    (id) => graph.degree(id) > 0,
  );
}

function csrPartition(csr: CsrGraph, membership: Int32Array): string {
  return partitionKey(
    csr.ids,
    membership,
    (id) => csr.offsets[csr.index.get(id)! + 1]! > csr.offsets[csr.index.get(id)!]!,
  );
}

describe('communities do not depend on the file or its node order', () => {
  test('there are 22 public networks with every format', () => {
    expect(names).toHaveLength(22);
  });

  test.each(names)(
    '%s: one partition from every format, edge list and shuffled edge list, on every path',
    async (name) => {
      const csv = await readFormat(name, 'edges.csv');
      const lists = [writeEdgeList(csv, `${name}.txt`), writeEdgeList(csv, `${name}-shuffled.txt`, 7)];
      const arrays = await Promise.all(lists.map((path) => readEdgeListFast(createReadStream(path), path)));
      // The shuffle did change the order nodes first appear in.
      expect(arrays[1]!.ids).not.toEqual(arrays[0]!.ids);
      for (const algorithm of ['leiden', 'louvain'] as const) {
        const keys = new Map<string, string>();
        for (const file of FORMAT_FILES) keys.set(file, graphPartition(await readFormat(name, file), algorithm));
        arrays.forEach(({ ids, source, target, weight }, k) => {
          const label = k === 0 ? 'edge list' : 'shuffled edge list';
          keys.set(`${label} (graph)`, graphPartition(graphOfEdgeArrays(ids, source, target, weight), algorithm));
          const csr = csrFromEdgeArrays(ids, source, target, weight);
          const search = algorithm === 'leiden' ? leidenOnCsr : louvainOnCsr;
          // The graphology path keeps the best of 5 runs; one run on the snapshot is compared with one run.
          keys.set(`${label} (snapshot)`, csrPartition(csr, search(csr, { seed: 3 }).membership));
        });
        const reference = keys.get('edges.csv')!;
        for (const [source, key] of keys) {
          if (source.endsWith('(snapshot)'))
            expect(key, `${name} ${algorithm} ${source}`).toBe(keys.get('edge list (snapshot)'));
          else expect(key, `${name} ${algorithm} ${source}`).toBe(reference);
        }
      }
      // The large path: same partition and the same community numbers per node, whatever the order.
      const large = await Promise.all(
        arrays.map(async ({ ids, source, target, weight }) => {
          const result = await analyseLarge(csrFromEdgeArrays(ids, source, target, weight), {
            weighted: true,
            seed: 3,
          });
          return new Map(ids.map((id, v) => [id, result.community[v]!]));
        }),
      );
      expect([...large[1]!].sort()).toEqual([...large[0]!].sort());
    },
    60_000,
  );
});

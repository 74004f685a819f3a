/**
 * Every shared dataset in every format: counts match SOURCE.md, each format
 * round-trips through its own writer, and all formats hold the same graph.
 */
import { existsSync } from 'node:fs';
import type Graph from 'graphology';
import { describe, expect, it } from 'vitest';
import {
  parseDl,
  parseEdgeListCsv,
  parseGexf,
  parseGraphML,
  parsePajek,
  parseResearchGraph,
  writeDl,
  writeEdgeListCsv,
  writeGexf,
  writeGraphML,
  writePajek,
  type ResearchFormat,
} from '../../src/index.js';
import {
  canonicalEdges,
  canonicalNodes,
  datasetFile,
  datasetNames,
  datasetsRoot,
  expectGraph,
  sourceFacts,
  type Identity,
} from './helpers.js';

const names = datasetNames();

interface FormatCase {
  file: string;
  format: ResearchFormat;
  identity: Identity;
  read: (name: string) => Promise<Graph>;
  roundTrip: (graph: Graph) => Promise<Graph>;
}

const csvPair = async (edges: string, nodes: string): Promise<Graph> =>
  expectGraph(await parseEdgeListCsv(edges, 'edges.csv', { nodes: { input: nodes, file: 'nodes.csv' } }));

const FORMATS: FormatCase[] = [
  {
    file: 'edges.csv',
    format: 'edgelist-csv',
    identity: 'key',
    read: (name) => csvPair(datasetFile(name, 'edges.csv'), datasetFile(name, 'nodes.csv')),
    roundTrip: (graph) => {
      const { edges, nodes } = writeEdgeListCsv(graph);
      return csvPair(edges, nodes);
    },
  },
  {
    file: 'graph.graphml',
    format: 'graphml',
    identity: 'key',
    read: async (name) => expectGraph(parseGraphML(datasetFile(name, 'graph.graphml'), 'graph.graphml')),
    roundTrip: async (graph) => expectGraph(parseGraphML(writeGraphML(graph), 'out.graphml')),
  },
  {
    file: 'graph.gexf',
    format: 'gexf',
    identity: 'key',
    read: async (name) => expectGraph(parseGexf(datasetFile(name, 'graph.gexf'), 'graph.gexf')),
    roundTrip: async (graph) => expectGraph(parseGexf(writeGexf(graph), 'out.gexf')),
  },
  {
    file: 'graph.net',
    format: 'pajek',
    identity: 'label',
    read: async (name) => expectGraph(parsePajek(datasetFile(name, 'graph.net'), 'graph.net')),
    roundTrip: async (graph) => expectGraph(parsePajek(writePajek(graph), 'out.net')),
  },
  {
    file: 'graph.dl',
    format: 'ucinet-dl',
    identity: 'label',
    read: async (name) => expectGraph(parseDl(datasetFile(name, 'graph.dl'), 'graph.dl')),
    roundTrip: async (graph) => expectGraph(parseDl(writeDl(graph, { format: 'edgelist1' }), 'out.dl')),
  },
];

/** Nodes the DL reader generated for isolates the file never names. */
const generated = (graph: Graph): string[] => graph.filterNodes((node) => node.startsWith('dl-unlabelled-'));

describe('shared datasets', () => {
  it('are present', () => {
    expect(existsSync(datasetsRoot), `datasets folder ${datasetsRoot} (set OCGNET_DATASETS)`).toBe(true);
    expect(names.length).toBeGreaterThanOrEqual(22);
  });

  describe.each(names)('%s', (name) => {
    const facts = sourceFacts(name);

    it.each(FORMATS)('$file: counts match SOURCE.md and it round-trips', async (format) => {
      const graph = await format.read(name);
      expect(graph.order).toBe(facts.nodes);
      expect(graph.size).toBe(facts.edges);
      expect(graph.type).toBe('undirected');
      expect(graph.getAttribute('format')).toBe(format.format);
      // networkx's Pajek writer gives every edge a value, so Pajek always reads as weighted.
      if (format.format !== 'pajek') expect(graph.getAttribute('weighted')).toBe(facts.weighted);

      const again = await format.roundTrip(graph);
      expect(again.order).toBe(graph.order);
      expect(again.size).toBe(graph.size);
      expect(canonicalNodes(again, format.identity)).toEqual(canonicalNodes(graph, format.identity));
      expect(canonicalEdges(again, format.identity)).toEqual(canonicalEdges(graph, format.identity));
    });

    it('the dispatcher reads every file', async () => {
      for (const format of FORMATS) {
        const options =
          format.format === 'edgelist-csv'
            ? { nodes: { input: datasetFile(name, 'nodes.csv'), file: 'nodes.csv' } }
            : {};
        const graph = expectGraph(await parseResearchGraph(datasetFile(name, format.file), format.file, options));
        expect(graph.getAttribute('format')).toBe(format.format);
        expect([graph.order, graph.size]).toEqual([facts.nodes, facts.edges]);
      }
    });

    it('all formats hold the same graph', async () => {
      const csv = await FORMATS[0]!.read(name);
      for (const format of FORMATS.slice(1)) {
        const graph = await format.read(name);
        // Pajek writes weight 1 on unweighted edges; compare those with 1 filled in.
        const fill = format.format === 'pajek' ? 1 : undefined;
        if (format.format === 'ucinet-dl') {
          // DL never names isolates: they come back as generated ids, one per missing node.
          const unnamed = generated(graph);
          const named = graph.filterNodes((node) => !unnamed.includes(node));
          const csvIsolates = csv.filterNodes((node) => csv.degree(node) === 0 && !graph.hasNode(node));
          expect(unnamed.length).toBe(csvIsolates.length);
          for (const node of unnamed) expect(graph.degree(node)).toBe(0);
          expect(named.map((node) => graph.getNodeAttribute(node, 'label') as string).sort()).toEqual(
            csv
              .filterNodes((node) => !csvIsolates.includes(node))
              .map((node) => csv.getNodeAttribute(node, 'label') as string)
              .sort(),
          );
        } else {
          expect(canonicalNodes(graph, format.identity), format.file).toEqual(canonicalNodes(csv, format.identity));
        }
        expect(canonicalEdges(graph, format.identity, fill), format.file).toEqual(
          canonicalEdges(csv, format.identity, fill),
        );
      }
    });

    it('round-trips through a DL full matrix', async () => {
      const csv = await FORMATS[0]!.read(name);
      const text = writeDl(csv, { format: 'fullmatrix' });
      const graph = expectGraph(parseDl(text, 'out.dl'));
      expect(graph.order).toBe(facts.nodes);
      expect(graph.size).toBe(facts.edges);
      expect(graph.type).toBe('undirected');
      expect(canonicalNodes(graph, 'label')).toEqual(canonicalNodes(csv, 'label'));
      // A 0/1 matrix cannot say "weighted, all weights 1", so compare with 1 filled in.
      expect(canonicalEdges(graph, 'label', 1)).toEqual(canonicalEdges(csv, 'label', 1));
    });

    it('round-trips the DL isolates through the writer with a full labels list', async () => {
      const dl = await FORMATS[4]!.read(name);
      const again = expectGraph(parseDl(writeDl(dl, { format: 'edgelist1' }), 'out.dl'));
      expect(again.order).toBe(facts.nodes);
      expect(generated(again).length).toBe(generated(dl).length);
    });
  });
});

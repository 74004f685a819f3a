/**
 * The graphs the analysis tests run on: every public research dataset, and
 * the small synthetic fixture's person projection. Each comes with the plain
 * edge list the Python reference scripts read, so ocgnet and networkx see
 * exactly the same graph.
 */
import { createReadStream, existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type Graph from 'graphology';
import { UndirectedGraph } from 'graphology';
import { RecordCollector, parseResearchGraph, readRecordCsv } from '@ocgnet/io';
import { buildNetwork, projectPersons } from '@ocgnet/graph';
import { NETWORKS_ROOT } from '../../../test/networks.js';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..', '..');
export const DATASETS = NETWORKS_ROOT;
export const SMALL_FIXTURE = join(REPO_ROOT, 'fixtures', 'small');

export interface TestGraph {
  name: string;
  graph: Graph;
}

/** A graph as the reference scripts take it: node keys, and edges with weights. */
export interface EdgeListJson {
  name: string;
  nodes: string[];
  edges: [string, string, number][];
}

export function edgeListOf({ name, graph }: TestGraph): EdgeListJson {
  return {
    name,
    nodes: graph.nodes(),
    edges: graph.mapEdges(
      (_edge, attributes, source, target) =>
        [source, target, Number(attributes.weight ?? 1)] as [string, string, number],
    ),
  };
}

/** Every public dataset, read from its nodes.csv + edges.csv. */
export async function loadDatasets(): Promise<TestGraph[]> {
  if (!existsSync(DATASETS)) throw new Error(`datasets not found at ${DATASETS}; set OCGNET_DATASETS`);
  const names = readdirSync(DATASETS)
    .filter((name) => existsSync(join(DATASETS, name, 'edges.csv')))
    .sort();
  const graphs: TestGraph[] = [];
  for (const name of names) {
    const folder = join(DATASETS, name);
    const result = await parseResearchGraph(createReadStream(join(folder, 'edges.csv')), join(folder, 'edges.csv'), {
      nodes: { input: createReadStream(join(folder, 'nodes.csv')), file: join(folder, 'nodes.csv') },
    });
    if (!result.ok) throw new Error(`${name}: ${JSON.stringify(result.issues.slice(0, 3))}`);
    graphs.push({ name, graph: result.graph });
  }
  return graphs;
}

/** The small fixture's person projection, with default projection options. */
export async function loadSmallProjection(): Promise<TestGraph> {
  const collector = new RecordCollector();
  for (const file of ['entities.csv', 'links.csv'])
    await readRecordCsv(createReadStream(join(SMALL_FIXTURE, file)), file, collector);
  const outcome = collector.finish();
  if (!outcome.ok) throw new Error(`small fixture: ${JSON.stringify(outcome.issues.slice(0, 3))}`);
  return { name: 'small-fixture', graph: projectPersons(buildNetwork(outcome.records)) as unknown as Graph };
}

/** Every graph the reference tests cover. */
export async function loadAllTestGraphs(): Promise<TestGraph[]> {
  return [...(await loadDatasets()), await loadSmallProjection()];
}

/** An undirected graph from an edge list, with optional weights: for hand-computed cases. */
export function graphOf(edges: [string, string, number?][], isolates: string[] = []): Graph {
  const graph = new UndirectedGraph();
  for (const node of isolates) graph.addNode(node);
  for (const [u, v, weight] of edges) {
    graph.mergeNode(u);
    graph.mergeNode(v);
    graph.addEdge(u, v, weight === undefined ? {} : { weight });
  }
  return graph;
}

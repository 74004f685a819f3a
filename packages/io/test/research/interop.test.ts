/**
 * File interop with networkx and igraph, both ways (issue 19), against the
 * peers themselves in the test venv (test/reference/interop.py):
 * - networkx and igraph write every format they write, for graphs with
 *   integer and float weights, direction, an isolate, string, number and
 *   boolean attributes and non-ASCII labels (some with spaces); ocgnet reads
 *   each file and must find the nodes, edges, weights, direction and
 *   attributes of the graph written, and the degree and strength per node
 *   networkx computes on it.
 * - ocgnet writes every format it writes; networkx and igraph read each back
 *   and must find the same.
 * Where a format or a peer cannot carry something, the case says what it does
 * carry (`carries`) and only that is compared: the table in packages/io/README.md.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Graph from 'graphology';
import { afterAll, describe, expect, it } from 'vitest';
import { runReference } from '../../../../test/reference/python.js';
import { parseResearchGraph, writeEdgeListCsv, writeResearchGraph } from '../../src/index.js';

type Value = string | number | boolean;
type Bag = Record<string, Value>;

/** A graph as interop.py takes it. */
interface Spec {
  directed: boolean;
  nodes: { id: string; attributes: Bag }[];
  edges: { source: string; target: string; attributes: Bag }[];
}

/** A graph as found in a file: by ocgnet, or by a peer (interop.py's report). */
interface Found {
  directed: boolean;
  nodes: { id: string; attributes: Bag }[];
  edges: [string, string, Bag][];
  degree: Record<string, number>;
  strength: Record<string, number>;
}

type PeerResult = { name: string; ok: boolean; error?: string } & Partial<Found>;

interface PeerRun {
  networkx: string;
  igraph: string;
  write: PeerResult[];
  read: PeerResult[];
}

/** What a format, as one peer writes or reads it, carries from graph to file and back. */
interface Carries {
  weights: boolean;
  direction: boolean;
  isolates: boolean;
  nodeAttributes: boolean;
  edgeAttributes: boolean;
  /** An edge without a weight is written with weight 1. */
  unitWeight?: boolean;
}

const ALL: Carries = { weights: true, direction: true, isolates: true, nodeAttributes: true, edgeAttributes: true };
/** Pajek: labels, weights, direction and isolates; attributes only as drawing text. */
const PAJEK: Carries = { ...ALL, nodeAttributes: false, edgeAttributes: false };
/** A headerless edge list: no isolates, no direction (read with the option), no node attributes. */
const EDGE_LIST: Carries = {
  weights: true,
  direction: false,
  isolates: false,
  nodeAttributes: false,
  edgeAttributes: false,
};

const folder = mkdtempSync(join(tmpdir(), 'ocgnet-interop-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/**
 * The graphs: weighted (integer and float weights) undirected, weighted
 * directed with a reciprocal pair of different weights, unweighted undirected
 * and directed; each with
 * an isolate, attributes of three types, non-ASCII labels, one with spaces.
 */
function specs(): { name: string; spec: Spec }[] {
  const people: [string, Bag][] = [
    ['Zoë Ní Bhriain', { role: 'organiser', age: 41, vetted: true }],
    ['Łukasz', { role: 'courier', age: 29, vetted: false }],
    ['王伟', { role: 'driver', age: 35, vetted: true }],
    ['Ann Lee', { role: 'accountant', age: 52, vetted: false }],
    ['Lone', { role: 'lookout', age: 19, vetted: true }],
  ];
  const nodes = people.map(([id, attributes]) => ({ id, attributes }));
  const edge = (source: string, target: string, attributes: Bag) => ({ source, target, attributes });
  return [
    {
      name: 'weighted undirected',
      spec: {
        directed: false,
        nodes,
        edges: [
          edge('Zoë Ní Bhriain', 'Łukasz', { weight: 3, kind: 'call', confirmed: true }),
          edge('Łukasz', '王伟', { weight: 2.5, kind: 'meeting', confirmed: false }),
          edge('王伟', 'Ann Lee', { weight: 1, kind: 'call', confirmed: true }),
          edge('Ann Lee', 'Zoë Ní Bhriain', { weight: 0.75, kind: 'text', confirmed: false }),
        ],
      },
    },
    {
      name: 'weighted directed',
      spec: {
        directed: true,
        nodes,
        edges: [
          edge('Zoë Ní Bhriain', 'Łukasz', { weight: 4, kind: 'call', confirmed: true }),
          edge('Łukasz', 'Zoë Ní Bhriain', { weight: 1.5, kind: 'text', confirmed: false }),
          edge('Łukasz', '王伟', { weight: 2, kind: 'meeting', confirmed: true }),
          edge('Ann Lee', '王伟', { weight: 7, kind: 'call', confirmed: true }),
        ],
      },
    },
    {
      name: 'unweighted undirected',
      spec: {
        directed: false,
        nodes,
        edges: [
          edge('Zoë Ní Bhriain', 'Łukasz', { kind: 'call' }),
          edge('Łukasz', '王伟', { kind: 'meeting' }),
          edge('Ann Lee', '王伟', { kind: 'call' }),
        ],
      },
    },
    {
      name: 'unweighted directed',
      spec: {
        directed: true,
        nodes,
        edges: [
          edge('王伟', 'Łukasz', { kind: 'call' }),
          edge('Łukasz', '王伟', { kind: 'text' }),
          edge('Zoë Ní Bhriain', 'Ann Lee', { kind: 'meeting' }),
        ],
      },
    },
  ];
}

/** The spec with its node ids mapped (for formats that cannot hold every label). */
function relabel(spec: Spec, rename: (id: string, index: number) => string): Spec {
  const names = new Map(spec.nodes.map((node, index) => [node.id, rename(node.id, index)]));
  return {
    directed: spec.directed,
    nodes: spec.nodes.map((node) => ({ ...node, id: names.get(node.id)! })),
    edges: spec.edges.map((e) => ({ ...e, source: names.get(e.source)!, target: names.get(e.target)! })),
  };
}

/** Labels without spaces (networkx's write_edgelist does not quote them). */
const noSpaces = (spec: Spec) => relabel(spec, (id) => id.replaceAll(' ', '_'));
/** ASCII labels without spaces (igraph's write_ncol refuses anything else). */
const ascii = (spec: Spec) =>
  relabel(spec, (id) =>
    id
      .normalize('NFD')
      .replace(/[^\x21-\x7e]/g, '')
      .replace(/^$/, 'Wang'),
  );
/** igraph's write_edgelist writes vertex indices. */
const indices = (spec: Spec) => relabel(spec, (_id, index) => String(index));

/** Weights of a bag, as the comparison wants them: the weight alone or nothing. */
function weightOf(attributes: Bag, carries: Carries): number | null {
  if (!carries.weights) return null;
  return typeof attributes.weight === 'number' ? attributes.weight : carries.unitWeight ? 1 : null;
}

/** The attributes but the weight (and a label equal to the id, which every format adds). */
function others(attributes: Bag, id?: string): Bag {
  const { weight: _weight, ...rest } = attributes;
  if (rest.label === id) delete rest.label;
  return rest;
}

const byPair = (a: [string, string, ...unknown[]], b: [string, string, ...unknown[]]) =>
  a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;

/** What a reader should find of `spec` in a file that carries `carries`. */
function expected(spec: Spec, carries: Carries) {
  const linked = new Set(spec.edges.flatMap((e) => [e.source, e.target]));
  const nodes = spec.nodes
    .filter((node) => carries.isolates || linked.has(node.id))
    .map((node) => ({ id: node.id, attributes: carries.nodeAttributes ? node.attributes : {} }))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  const edges = spec.edges
    .map((e): [string, string, number | null, Bag] => {
      const [u, v] = spec.directed || e.source <= e.target ? [e.source, e.target] : [e.target, e.source];
      return [u, v, weightOf(e.attributes, carries), carries.edgeAttributes ? others(e.attributes) : {}];
    })
    .sort(byPair);
  return { nodes, edges };
}

/** The same view of what a reader found. */
function observed(found: Found, carries: Carries) {
  const nodes = found.nodes
    .map((node) => ({ id: node.id, attributes: carries.nodeAttributes ? others(node.attributes, node.id) : {} }))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  const edges = found.edges
    .map(([u, v, attributes]): [string, string, number | null, Bag] => [
      u,
      v,
      weightOf(attributes, carries),
      carries.edgeAttributes ? others(attributes) : {},
    ])
    .sort(byPair);
  return { nodes, edges };
}

/** What ocgnet found in a graph it read, in the peers' report form. */
function foundByOcgnet(graph: Graph): Found {
  const strength = (node: string) =>
    graph.reduceEdges(
      node,
      (sum, _edge, attributes) => sum + (typeof attributes.weight === 'number' ? attributes.weight : 1),
      0,
    );
  return {
    directed: graph.type === 'directed',
    nodes: graph.mapNodes((id, attributes) => ({ id, attributes: attributes })),
    edges: graph.mapEdges((_e, attributes, u, v): [string, string, Bag] =>
      graph.type === 'directed' || u <= v ? [u, v, attributes] : [v, u, attributes],
    ),
    degree: Object.fromEntries(graph.mapNodes((node) => [node, graph.degree(node)])),
    strength: Object.fromEntries(graph.mapNodes((node) => [node, strength(node)])),
  };
}

/** The degree and strength networkx computes on `spec`, per node kept by the format. */
function metricsFrom(reference: PeerResult, spec: Spec, carries: Carries) {
  const kept = new Set(expected(spec, carries).nodes.map((node) => node.id));
  const pick = (values: Record<string, number>) =>
    Object.fromEntries(Object.entries(values).filter(([id]) => kept.has(id)));
  return { degree: pick(reference.degree!), strength: pick(reference.strength!) };
}

/** The graphology graph of a spec, keyed by id with the id as label. */
function ocgnetGraph(spec: Spec): Graph {
  const graph = new Graph({ type: spec.directed ? 'directed' : 'undirected' });
  for (const node of spec.nodes) graph.addNode(node.id, { label: node.id, ...node.attributes });
  for (const e of spec.edges) graph.addEdge(e.source, e.target, { ...e.attributes });
  return graph;
}

/** Peer formats that write a weight on every line. */
const WEIGHT_FORMATS: ReadonlySet<string> = new Set(['edgelist-weight', 'weighted-edgelist', 'ncol']);

describe('files networkx and igraph write, read by ocgnet', () => {
  const writes = [
    { tool: 'networkx', format: 'graphml', file: 'g.graphml', carries: ALL, labels: (s: Spec) => s },
    { tool: 'networkx', format: 'gexf', file: 'g.gexf', carries: ALL, labels: (s: Spec) => s },
    // networkx writes weight 1 for an edge without one.
    {
      tool: 'networkx',
      format: 'pajek',
      file: 'g.net',
      carries: { ...PAJEK, unitWeight: true },
      labels: (s: Spec) => s,
    },
    {
      tool: 'networkx',
      format: 'edgelist',
      file: 'g.edgelist',
      carries: { ...EDGE_LIST, edgeAttributes: true },
      labels: noSpaces,
    },
    {
      tool: 'networkx',
      format: 'edgelist-nodata',
      file: 'g.edgelist',
      carries: { ...EDGE_LIST, weights: false },
      labels: noSpaces,
    },
    { tool: 'networkx', format: 'edgelist-weight', file: 'g.txt', carries: EDGE_LIST, labels: noSpaces },
    { tool: 'networkx', format: 'weighted-edgelist', file: 'weighted', carries: EDGE_LIST, labels: noSpaces },
    { tool: 'igraph', format: 'graphml', file: 'g.graphml', carries: ALL, labels: (s: Spec) => s },
    { tool: 'igraph', format: 'pajek', file: 'g.net', carries: PAJEK, labels: (s: Spec) => s },
    { tool: 'igraph', format: 'ncol', file: 'g.ncol', carries: EDGE_LIST, labels: ascii },
    {
      tool: 'igraph',
      format: 'ncol-noweights',
      file: 'g.ncol',
      carries: { ...EDGE_LIST, weights: false },
      labels: ascii,
    },
    {
      tool: 'igraph',
      format: 'edgelist',
      file: 'g.edgelist',
      carries: { ...EDGE_LIST, weights: false },
      labels: indices,
    },
  ] as const;

  const cases = specs().flatMap(({ name, spec }) =>
    writes
      // The formats made of weights take only the weighted graphs.
      .filter((w) => spec.edges.some((e) => 'weight' in e.attributes) || !WEIGHT_FORMATS.has(w.format))
      .map((w, i) => ({
        ...w,
        name: `${w.tool} ${w.format}, ${name}`,
        spec: w.labels(spec),
        path: join(folder, `${name.replaceAll(' ', '-')}-${w.tool}-${w.format}-${i}-${w.file}`),
      })),
  );

  it('ocgnet finds the nodes, edges, weights, direction, attributes, degree and strength written', async () => {
    const run = runReference<PeerRun>('interop.py', {
      write: cases.map((c) => ({ name: c.name, tool: c.tool, format: c.format, path: c.path, graph: c.spec })),
    });
    expect(run.write.map((r) => [r.name, r.ok, r.error])).toEqual(cases.map((c) => [c.name, true, undefined]));
    for (const [i, c] of cases.entries()) {
      const result = await parseResearchGraph(readFileSync(c.path, 'utf8'), c.path, {
        ...(c.carries.direction ? {} : { directed: c.spec.directed }),
      });
      expect(result.ok ? [] : result.issues, c.name).toEqual([]);
      if (!result.ok) continue;
      const found = foundByOcgnet(result.graph);
      expect(found.directed, c.name).toBe(c.spec.directed);
      expect(observed(found, c.carries), c.name).toEqual(expected(c.spec, c.carries));
      const metrics = metricsFrom(run.write[i]!, c.spec, c.carries);
      expect(found.degree, c.name).toEqual(metrics.degree);
      for (const [node, value] of Object.entries(metrics.strength))
        expect(found.strength[node], `${c.name}: strength of ${node}`).toBeCloseTo(
          c.carries.weights ? value : metrics.degree[node]!,
          12,
        );
    }
  });
});

describe('files ocgnet writes, read by networkx and igraph', () => {
  const reads = [
    { tool: 'networkx', format: 'graphml', write: 'graphml', carries: ALL },
    { tool: 'networkx', format: 'gexf', write: 'gexf', carries: ALL },
    { tool: 'networkx', format: 'pajek', write: 'pajek', carries: PAJEK },
    { tool: 'networkx', format: 'csv', write: 'csv', carries: ALL },
    { tool: 'igraph', format: 'graphml', write: 'graphml', carries: ALL },
    { tool: 'igraph', format: 'pajek', write: 'pajek', carries: PAJEK },
    // igraph's DL reader knows no quotes: labels holding spaces cannot reach it.
    { tool: 'igraph', format: 'dl', write: 'dl', carries: PAJEK, labels: noSpaces },
    // igraph reads a DL full matrix of 0/1 only, and refuses one holding weights.
    {
      tool: 'igraph',
      format: 'dl',
      write: 'dl-fullmatrix',
      carries: { ...PAJEK, weights: false },
      labels: noSpaces,
      refusesWeights: /Unexpected digit .* in adjacency matrix/,
      // It takes both cells of a symmetric matrix as edges: an undirected tie comes twice.
      twiceIfUndirected: true,
    },
  ] as const;

  const cases = specs().flatMap(({ name, spec: original }) =>
    reads.map((r, i) => {
      const spec = 'labels' in r ? r.labels(original) : original;
      const graph = ocgnetGraph(spec);
      const path = join(folder, `ocgnet-${name.replaceAll(' ', '-')}-${i}.${r.write}`);
      const entry: {
        name: string;
        tool: string;
        format: string;
        path: string;
        directed: boolean;
        nodes_path?: string;
      } = { name: `${r.tool} ${r.write}, ${name}`, tool: r.tool, format: r.format, path, directed: spec.directed };
      if (r.write === 'csv') {
        const csv = writeEdgeListCsv(graph);
        writeFileSync(path, csv.edges, 'utf8');
        entry.nodes_path = `${path}.nodes.csv`;
        writeFileSync(entry.nodes_path, csv.nodes, 'utf8');
      } else writeFileSync(path, writeResearchGraph(graph, r.write), 'utf8');
      return { ...r, spec, entry };
    }),
  );

  it('networkx and igraph find the nodes, edges, weights, direction, attributes, degree and strength written', () => {
    const run = runReference<PeerRun>('interop.py', {
      read: cases.map((c) => c.entry),
      // networkx's degree and strength of each graph written, from a file of its own.
      write: cases.map((c, i) => ({
        name: c.entry.name,
        tool: 'networkx',
        format: 'graphml',
        path: join(folder, `reference-${i}.graphml`),
        graph: c.spec,
      })),
    });
    for (const [i, c] of cases.entries()) {
      const found = run.read[i]!;
      const name = c.entry.name;
      if ('refusesWeights' in c && c.spec.edges.some((e) => 'weight' in e.attributes)) {
        expect([found.ok, found.error], name).toEqual([false, expect.stringMatching(c.refusesWeights)]);
        continue;
      }
      expect([found.ok, found.error], name).toEqual([true, undefined]);
      expect(found.directed, name).toBe(c.spec.directed);
      // CSV cells are text: compare attributes as the csv module gives them.
      const spec =
        c.format === 'csv'
          ? {
              ...c.spec,
              nodes: c.spec.nodes.map((node) => ({ ...node, attributes: textBag(node.attributes) })),
              edges: c.spec.edges.map((e) => ({ ...e, attributes: textBag(e.attributes, 'weight') })),
            }
          : c.spec;
      if ('twiceIfUndirected' in c && !c.spec.directed) {
        const pairs = found.edges!.map(([u, v]) => `${u} -- ${v}`);
        const once = [...new Set(pairs)];
        expect(pairs.sort(), name).toEqual([...once, ...once].sort());
        found.edges = found.edges!.filter((_e, k) => pairs.indexOf(pairs[k]!) === k);
      }
      expect(observed(found as Found, c.carries), name).toEqual(expected(spec, c.carries));
      const reference = run.write[i]!;
      const metrics = metricsFrom(reference, c.spec, c.carries);
      expect(found.degree, name).toEqual(metrics.degree);
      for (const [node, value] of Object.entries(metrics.strength))
        expect(found.strength![node], `${name}: strength of ${node}`).toBeCloseTo(
          c.carries.weights ? value : metrics.degree[node]!,
          12,
        );
    }
  });
});

/** Attribute values as text, as a CSV cell holds them (but `keep`). */
function textBag(attributes: Bag, keep?: string): Bag {
  return Object.fromEntries(
    Object.entries(attributes).map(([name, value]) => [name, name === keep ? value : String(value)]),
  );
}

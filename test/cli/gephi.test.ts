/**
 * `analyse --out` writes graph.graphml and graph.gexf for Gephi and Cytoscape
 * (issue 19). The files are read by the peer tools themselves (networkx's
 * read_graphml and read_gexf, igraph's Read_GraphML, in
 * test/reference/exported.py) and what they read is held against
 * analysis.json and graph.json of the same run: the same nodes and edges,
 * every metric, the community, the mapped groups, the safeguarding mark and
 * the handling marking. Degree and betweenness the tools recompute on the
 * graph they read must equal the attributes, so the files are the analysed
 * network and not only a table of numbers.
 */
import { appendFileSync, cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { NODE_METRIC_FIELDS } from '@ocgnet/analysis';
import { DEFAULT_CLASSIFICATION, SAFEGUARDING_MARK } from '@ocgnet/schema';
import { runReference } from '../reference/python.js';
import { DATASETS, SMALL_FIXTURE, runCli, temporaryFolder } from './cli.fixtures.js';

type Value = string | number | boolean | null;

/** One tool's reading of one file (see test/reference/exported.py). */
interface Reading {
  directed: boolean;
  graph: Record<string, Value>;
  nodes: Record<string, Record<string, Value>>;
  edges: number;
  edgeList: [string, string, Record<string, Value>][];
  degree: Record<string, number>;
  betweenness: Record<string, number>;
  description?: string | null;
}

interface Readings {
  networkx_graphml: Reading;
  igraph_graphml: Reading;
  networkx_gexf: Reading;
}

interface Marking {
  handling: string;
  conditions: string[];
  releasableTo?: string[];
}

interface AnalysedNode {
  id: string;
  label: string;
  safeguarding: boolean;
  marking: Marking;
  mappedGroup?: string;
  [field: string]: unknown;
}

interface Run {
  analysis: {
    marking: Marking;
    classification: string;
    graph: { nodes: number; edges: number };
    nodes: AnalysedNode[];
  };
  graphJson: {
    nodes: { key: string }[];
    edges: { key: string; source: string; target: string; attributes?: Record<string, unknown> }[];
  };
  out: string;
  readings: Readings;
}

const TOOLS = ['networkx_graphml', 'igraph_graphml', 'networkx_gexf'] as const;

/** `analyse --out` into a new folder, and the three readings of what it wrote. */
async function analyseOut(...inputs: string[]): Promise<Run> {
  const out = temporaryFolder('ocgnet-gephi-');
  const run = await runCli('analyse', '-q', ...inputs, '--out', out);
  expect(run.code, run.stderr).toBe(0);
  const json = (name: string) => JSON.parse(readFileSync(join(out, name), 'utf8'));
  const readings = runReference<Readings>('exported.py', {
    graphml: join(out, 'graph.graphml'),
    gexf: join(out, 'graph.gexf'),
  });
  return { analysis: json('analysis.json'), graphJson: json('graph.json'), out, readings };
}

/** The checks every run must pass, whatever its input. */
function expectFaithful(run: Run): void {
  const { analysis, graphJson, readings } = run;
  const ids = analysis.nodes.map((node) => node.id).sort();
  expect(graphJson.nodes.map((node) => node.key).sort()).toEqual(ids);
  expect(graphJson.edges).toHaveLength(analysis.graph.edges);
  for (const tool of TOOLS) {
    const reading = readings[tool];
    expect(reading.directed, tool).toBe(false);
    expect(Object.keys(reading.nodes).sort(), tool).toEqual(ids);
    expect(reading.edges, tool).toBe(analysis.graph.edges);
    for (const node of analysis.nodes) {
      const read = reading.nodes[node.id]!;
      const where = `${tool} ${node.id}`;
      for (const field of NODE_METRIC_FIELDS) {
        const value = node[field] as number | null;
        // analysis.json writes a non-finite metric as null; the XML files leave it out.
        if (value === null) expect(read, `${where} ${field}`).not.toHaveProperty(field);
        else expect(Math.abs((read[field] as number) - value), `${where} ${field}`).toBeLessThanOrEqual(1e-12);
      }
      expect(read.community, where).toBe(node.community);
      expect(read.label, where).toBe(node.label);
      expect(read.safeguarding, where).toBe(node.safeguarding);
      expect(read.safeguardingNote, where).toBe(node.safeguarding ? SAFEGUARDING_MARK : undefined);
      expect(read.handling, where).toBe(node.marking.handling);
      expect(read.conditions, where).toBe(node.marking.conditions.join('\n') || undefined);
      expect(read.releasableTo, where).toBe(node.marking.releasableTo?.join(';') || undefined);
      expect(read.mappedGroup, where).toBe(node.mappedGroup);
      // The tool's own degree and betweenness on the graph it read.
      expect(reading.degree[node.id], where).toBe(node.degree);
      expect(Math.abs(reading.betweenness[node.id]! - (node.betweenness as number)), where).toBeLessThanOrEqual(1e-12);
    }
    // Every edge of graph.json with every attribute it has there: its marking as the handling code,
    // a list of names joined with ';', a structure (evidence) as its JSON text.
    const readEdges = new Map(reading.edgeList.map(([u, v, attributes]) => [pairKey(u, v), attributes]));
    expect(readEdges.size, tool).toBe(graphJson.edges.length);
    for (const edge of graphJson.edges) {
      const read = readEdges.get(pairKey(edge.source, edge.target))!;
      const where = `${tool} ${edge.key}`;
      expect(read, where).toBeDefined();
      for (const [name, value] of Object.entries(edge.attributes ?? {})) {
        if (name === 'marking') expect(read.handling, where).toBe((value as Marking).handling);
        else if (Array.isArray(value) && value.every((item) => typeof item === 'string'))
          expect(read[name], `${where} ${name}`).toBe(value.join(';'));
        else if (typeof value === 'object') expect(JSON.parse(String(read[name])), `${where} ${name}`).toEqual(value);
        else expect(read[name], `${where} ${name}`).toBe(value);
      }
    }
  }
  // The document marking on the graph: GraphML's graph data, GEXF's <meta> description.
  for (const tool of ['networkx_graphml', 'igraph_graphml'] as const) {
    expect(readings[tool].graph.classification, tool).toBe(DEFAULT_CLASSIFICATION);
    expect(readings[tool].graph.handling, tool).toBe(analysis.marking.handling);
    expect(readings[tool].graph.conditions ?? '', tool).toBe(analysis.marking.conditions.join('\n'));
  }
  const description = readings.networkx_gexf.description?.split('\n') ?? [];
  expect(description.slice(0, 2)).toEqual([DEFAULT_CLASSIFICATION, `handling: ${analysis.marking.handling}`]);
  for (const condition of analysis.marking.conditions) expect(description).toContain(`condition: ${condition}`);
}

/**
 * `mappedGroups` lists every group a person is mapped to, the primary one
 * (analysis.json's `mappedGroup`) first, and only mapped persons have it. The
 * mapping's own source is the member_of links of the network in bundle.json.
 */
function expectMappedGroups(run: Run): void {
  const bundle = JSON.parse(readFileSync(join(run.out, 'bundle.json'), 'utf8'));
  const groupsOf = new Map<string, string[]>();
  for (const edge of bundle.network.edges)
    if (edge.attributes?.type === 'member_of')
      groupsOf.set(edge.source, [...(groupsOf.get(edge.source) ?? []), edge.target]);
  expect(run.analysis.nodes.filter((node) => node.mappedGroup !== undefined).length).toBeGreaterThan(10);
  for (const tool of TOOLS) {
    for (const node of run.analysis.nodes) {
      const read = run.readings[tool].nodes[node.id]!;
      if (node.mappedGroup === undefined) {
        expect(read, `${tool} ${node.id}`).not.toHaveProperty('mappedGroups');
        continue;
      }
      const listed = String(read.mappedGroups).split(';');
      expect(listed[0], `${tool} ${node.id}`).toBe(node.mappedGroup);
      expect([...listed].sort(), `${tool} ${node.id}`).toEqual([...groupsOf.get(node.id)!].sort());
    }
  }
}

function pairKey(u: string, v: string): string {
  return JSON.stringify(u < v ? [u, v] : [v, u]);
}

describe('analyse --out: GraphML and GEXF of the bundled example records', () => {
  let run: Run;
  beforeAll(async () => {
    run = await analyseOut(SMALL_FIXTURE);
  });

  it('hold the analysed network, as networkx and igraph read it', () => {
    expect(run.analysis.classification).toBe(DEFAULT_CLASSIFICATION);
    expectFaithful(run);
  });

  it('carry the mapped group of every mapped member, and nothing for anyone else', () => {
    expectMappedGroups(run);
  });

  it('flag the safeguarding subjects and mark the C-handled nodes and ties', () => {
    const subjects = run.analysis.nodes.filter((node) => node.safeguarding);
    expect(subjects.length).toBeGreaterThan(0);
    expect(run.analysis.nodes.some((node) => node.marking.handling === 'C')).toBe(true);
    expect(run.analysis.nodes.some((node) => (node.marking.releasableTo ?? []).length > 0)).toBe(true);
    expect(run.analysis.marking.conditions.length).toBeGreaterThan(0);
    for (const tool of TOOLS)
      for (const subject of subjects)
        expect(run.readings[tool].nodes[subject.id]!.safeguardingNote).toBe(SAFEGUARDING_MARK);
  });

  it('list every group of a person mapped to more than one, the primary first', async () => {
    const folder = temporaryFolder('ocgnet-gephi-groups-');
    cpSync(SMALL_FIXTURE, folder, { recursive: true });
    // P000003 is a lieutenant of OCG01; P000040 an enabler of OCG03. Each gets a second group.
    appendFileSync(
      join(folder, 'links.csv'),
      '1,K9000001,member_of,P000003,OCG02,peripheral,,2024-01-01,,OCG mapping,,,2,B,P,,,,,,\n' +
        '1,K9000002,member_of,P000040,USG01,runner,,2024-01-01,,OCG mapping,,,2,B,P,,,,,,\n',
    );
    const twice = await analyseOut(folder);
    expectMappedGroups(twice);
    for (const tool of TOOLS) {
      expect(twice.readings[tool].nodes.P000003!.mappedGroups, tool).toBe('OCG01;OCG02');
      expect(twice.readings[tool].nodes.P000040!.mappedGroups, tool).toBe('OCG03;USG01');
    }
  });

  it('disclose no record bodies: no date of birth, alias or intelligence text from graph.json', () => {
    for (const name of ['graph.graphml', 'graph.gexf']) {
      const text = readFileSync(join(run.out, name), 'utf8');
      expect(text, name).not.toContain('date_of_birth');
      expect(text, name).not.toContain('aliases');
    }
  });
});

describe('analyse --out: GraphML and GEXF of a public network', () => {
  it('montreal-gangs, with isolates whose constraint is undefined: left out, not written as NaN', async () => {
    const run = await analyseOut(join(DATASETS, 'montreal-gangs'));
    expect(run.analysis.nodes.some((node) => node.constraint === null)).toBe(true);
    expect(run.analysis.nodes.every((node) => node.mappedGroup === undefined)).toBe(true);
    expectFaithful(run);
    for (const name of ['graph.graphml', 'graph.gexf'])
      expect(readFileSync(join(run.out, name), 'utf8'), name).not.toMatch(/NaN|Infinity/);
  });

  it('keeps labels as text: markup in a label is escaped and read back as the same characters', async () => {
    const folder = temporaryFolder('ocgnet-gephi-labels-');
    const label = '<b onclick="x()">Ann & \'Bo\'</b>';
    writeFileSync(join(folder, 'edges.csv'), 'source,target\na,b\nb,c\n');
    writeFileSync(join(folder, 'nodes.csv'), `id,label\na,"${label.replaceAll('"', '""')}"\nb,Bo\nc,Cy\n`);
    const run = await analyseOut(folder);
    for (const tool of TOOLS) expect(run.readings[tool].nodes.a!.label, tool).toBe(label);
    for (const name of ['graph.graphml', 'graph.gexf'])
      expect(readFileSync(join(run.out, name), 'utf8'), name).not.toContain('<b ');
    expectFaithful(run);
  });

  it('refuses, naming the file, a node id XML cannot carry, and writes none of the bundle', async () => {
    const folder = temporaryFolder('ocgnet-gephi-control-');
    writeFileSync(join(folder, 'edges.csv'), 'source,target\na\u0001x,b\nb,c\n');
    const out = join(folder, 'out');
    const run = await runCli('analyse', '-q', join(folder, 'edges.csv'), '--out', out);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('ocgnet: graph.graphml: node id: contains a control character XML cannot represent\n');
    expect(existsSync(out)).toBe(false);
  });
});

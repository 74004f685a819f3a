/**
 * `ocgnet analyse <records> --large` (taken anyway above 20,000 persons): the
 * records' large path. Its viewer bundle's person projection, written out as
 * an edge list, is read by networkx (test/reference/groups.py): degree,
 * PageRank, components, cut points and exact betweenness equal, the modularity reported
 * is networkx's of the same partition. The marking travels into analysis.json
 * and the table, and safeguarding subjects are marked in every top list.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseViewerBundle, type BundlePersonAttributes, type ViewerBundle } from '@ocgnet/bundle';
import { SAFEGUARDING_MARK } from '@ocgnet/schema';
import { runReference } from '../reference/python.js';
import { SMALL_FIXTURE, runCli, temporaryFolder } from './cli.fixtures.js';

interface Reference {
  degree: Record<string, number>;
  pagerank: Record<string, number>;
  component_size_of: Record<string, number>;
  articulation_points: string[];
  ours: number;
  betweenness: Record<string, number>;
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(b), 1e-12);

let bundle: ViewerBundle;
let report: any;
let stdout: string;
let reference: Reference;
const folder = temporaryFolder('ocgnet-records-large-');

beforeAll(async () => {
  const out = join(folder, 'out');
  const run = await runCli(
    'analyse',
    SMALL_FIXTURE,
    '--large',
    '--exact-betweenness',
    '--seed',
    '3',
    '-q',
    '--out',
    out,
  );
  expect(run.code, run.stderr).toBe(0);
  stdout = run.stdout;
  report = JSON.parse(readFileSync(join(out, 'analysis.json'), 'utf8'));
  bundle = parseViewerBundle(JSON.parse(readFileSync(join(out, 'bundle.json'), 'utf8')));
  const edges = join(folder, 'persons.txt');
  writeFileSync(edges, bundle.graph.edges.map((edge) => `${edge.source} ${edge.target}\n`).join(''));
  const partition = Object.fromEntries(
    bundle.graph.nodes.map((node) => [node.key, (node.attributes as BundlePersonAttributes).community]),
  );
  [reference] = runReference<{ edge_lists: Reference[] }>('groups.py', {
    edge_lists: [{ path: edges, nodes: Object.keys(partition), partition, betweenness: true }],
  }).edge_lists as [Reference];
}, 300_000);

const persons = () => bundle.graph.nodes.map((node) => [node.key, node.attributes as BundlePersonAttributes] as const);

describe('ocgnet analyse <records> --large', () => {
  it('writes a large-path bundle, laid out, whose metrics equal networkx on its own person projection', () => {
    expect(bundle.scale?.path).toBe('large');
    expect(bundle.network.nodes).toEqual([]);
    expect(bundle.scale!.networkOmitted.entities).toBeGreaterThan(bundle.graph.nodes.length);
    for (const [id, node] of persons()) {
      expect(bundle.layout!.positions[id], id).toBeDefined();
      expect(node.degree, id).toBe(reference.degree[id]);
      expect(close(node.pagerank, reference.pagerank[id]!), `${id} pagerank`).toBe(true);
      expect(node.betweenness, `${id} betweenness`).toBeCloseTo(reference.betweenness[id]!, 9);
      const members = persons().filter(([, other]) => other.component === node.component).length;
      expect(members, `${id} component`).toBe(reference.component_size_of[id]);
    }
    expect(report.communities.modularity).toBeCloseTo(reference.ours, 9);
    const cutPoints = persons().flatMap(([id, node]) => (node.articulation ? [id] : []));
    expect(cutPoints.length).toBeGreaterThan(0);
    expect(cutPoints.sort()).toEqual([...reference.articulation_points].sort());
    expect(report.cutPoints).toBe(cutPoints.length);
  });

  it('carries the records’ marking into analysis.json and the table, and marks safeguarding subjects in the top lists', () => {
    expect(report.marking).toEqual(bundle.marking);
    expect(report.marking.handling).not.toBe('P');
    expect(stdout.split('\n')[0]).toContain(`handling: ${bundle.marking.handling}`);
    const subjects = new Set(persons().flatMap(([id, node]) => (node.safeguarding ? [id] : [])));
    expect(subjects.size).toBeGreaterThan(0);
    let marked = 0;
    for (const metric of ['degree', 'strength', 'pagerank', 'betweenness'] as const)
      for (const entry of report.top[metric] as { id: string; safeguarding: boolean }[]) {
        expect(entry.safeguarding, entry.id).toBe(subjects.has(entry.id));
        if (entry.safeguarding) marked++;
      }
    expect(marked, 'a safeguarding subject ranks in some top list of the fixture').toBeGreaterThan(0);
    for (const line of stdout.split('\n')) {
      const id = line.trim().split(/\s+/)[0]!;
      if (subjects.has(id)) expect(line).toContain(SAFEGUARDING_MARK);
    }
  });

  it('refuses --large for a research file that is not an edge list, naming it', async () => {
    const gexf = join(folder, 'g.gexf');
    writeFileSync(
      gexf,
      '<?xml version="1.0"?><gexf xmlns="http://gexf.net/1.3" version="1.3"><graph><nodes><node id="a"/></nodes><edges/></graph></gexf>',
    );
    const run = await runCli('analyse', gexf, '--large');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--large reads records or one edge-list file');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

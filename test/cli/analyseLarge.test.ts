/**
 * `ocgnet analyse --large`: the large-graph path (plain edge list → typed
 * arrays → analyseLarge) on seeded Barabási–Albert graphs, checked against
 * networkx on the same file (test/reference/groups.py): degree, PageRank (run
 * to its fixed point on both sides) and components equal, our modularity is networkx's modularity of our
 * partition, betweenness exact when the pivots cover every node.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '@ocgnet/analysis';
import { runReference } from '../reference/python.js';
import { runCli, temporaryFolder } from './cli.fixtures.js';

interface EdgeListReference {
  degree: Record<string, number>;
  pagerank: Record<string, number>;
  component_sizes: number[];
  component_size_of: Record<string, number>;
  ours: number;
  louvain: number;
  betweenness?: Record<string, number>;
}

interface NodeRow {
  degree: number;
  pagerank: number;
  betweenness: number;
  component: number;
  community: number;
}

/**
 * A seeded Barabási–Albert edge list (each new node ties to `m` distinct
 * earlier ones, in proportion to degree), plus a text-labelled triangle as a
 * second component, one repeated edge and one self-loop, in mixed dialects.
 */
function writeEdgeList(path: string, n: number, m: number, seed: number): void {
  const random = seededRandom(seed);
  const lines = ['# seeded Barabási–Albert graph', '% and a triangle'];
  const ends: number[] = [];
  let targets = Array.from({ length: m }, (_x, i) => i);
  for (let v = m; v < n; v++) {
    for (const t of targets) {
      lines.push(v % 3 === 0 ? `${v},${t}` : `${v} ${t}`);
      ends.push(v, t);
    }
    const chosen = new Set<number>();
    while (chosen.size < m) chosen.add(ends[Math.floor(random() * ends.length)]!);
    targets = [...chosen];
  }
  lines.push('alpha\tbeta', 'beta gamma', 'gamma,alpha', `${m} 0`, '7 7', '');
  writeFileSync(path, lines.join('\n'));
}

function readNodes(path: string): Map<string, NodeRow> {
  const [header, ...rows] = readFileSync(path, 'utf8').trim().split('\n');
  expect(header).toBe('id,degree,strength,pagerank,betweenness,component,community');
  return new Map(
    rows.map((row) => {
      const [id, degree, _strength, pagerank, betweenness, component, community] = row.split(',');
      return [
        id!,
        {
          degree: Number(degree),
          pagerank: Number(pagerank),
          betweenness: Number(betweenness),
          component: Number(component),
          community: Number(community),
        },
      ];
    }),
  );
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(b), 1e-12);

interface Case {
  file: string;
  report: any;
  nodes: Map<string, NodeRow>;
  reference: EdgeListReference;
}

const cases: Record<'small' | 'medium', Case> = {} as never;

beforeAll(async () => {
  const folder = temporaryFolder('ocgnet-large-');
  const specs = { small: { n: 200, m: 3 }, medium: { n: 3000, m: 5 } };
  for (const [name, { n, m }] of Object.entries(specs) as ['small' | 'medium', { n: number; m: number }][]) {
    const file = join(folder, `${name}.txt`);
    writeEdgeList(file, n, m, 17);
    const out = join(folder, `${name}-out`);
    const run = await runCli('analyse', file, '--large', '--json', '-q', '--seed', '3', '--out', out);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    const nodes = readNodes(join(out, 'nodes.csv'));
    const partition = Object.fromEntries([...nodes].map(([id, row]) => [id, row.community]));
    const [reference] = runReference<{ edge_lists: EdgeListReference[] }>('groups.py', {
      edge_lists: [{ path: file, partition, betweenness: name === 'small' }],
    }).edge_lists;
    cases[name] = { file, report: { ...report, stderr: run.stderr }, nodes, reference: reference! };
  }
}, 300_000);

describe('ocgnet analyse --large', () => {
  it('degree, PageRank and components equal networkx on the same file', () => {
    for (const { nodes, reference, report } of Object.values(cases)) {
      expect(nodes.size).toBe(Object.keys(reference.degree).length);
      expect(report.graph).toMatchObject({
        nodes: nodes.size,
        components: 2,
        largestComponent: nodes.size - 3,
        selfLoops: 1,
        parallelEdgesMerged: 1,
      });
      expect(report.components.sizes).toEqual(reference.component_sizes);
      for (const [id, row] of nodes) {
        expect(row.degree, id).toBe(reference.degree[id]);
        expect(
          close(row.pagerank, reference.pagerank[id]!),
          `${id}: ${row.pagerank} vs ${reference.pagerank[id]}`,
        ).toBe(true);
        expect(report.components.sizes[row.component], id).toBe(reference.component_size_of[id]);
      }
    }
  });

  it('communities: the reported modularity is networkx modularity of our partition; as good as networkx Louvain', () => {
    for (const { nodes, reference, report } of Object.values(cases)) {
      expect(Math.abs(report.communities.modularity - reference.ours)).toBeLessThanOrEqual(1e-9);
      expect(report.communities.modularity).toBeGreaterThanOrEqual(reference.louvain - 0.01);
      const sizes = new Map<number, number>();
      for (const row of nodes.values()) sizes.set(row.community, (sizes.get(row.community) ?? 0) + 1);
      expect(report.communities.count).toBe(sizes.size);
      expect(report.communities.sizes).toEqual([...sizes.values()].sort((a, b) => b - a).slice(0, 100));
      expect(report.communities.sizes[0]).toBe(sizes.get(0));
    }
  });

  it('betweenness is exact when the pivots cover every node, and the warnings say what was left out or estimated', () => {
    const small = cases.small;
    for (const [id, row] of small.nodes)
      expect(Math.abs(row.betweenness - small.reference.betweenness![id]!), id).toBeLessThanOrEqual(1e-12);
    expect(small.report.warnings).toContain('betweenness is exact (the pivot count is at least the node count)');
    const { report } = cases.medium;
    expect(report.warnings.join('\n')).toMatch(/closeness, harmonic, eigenvector.* are not computed at this size/);
    expect(report.warnings).toContain(
      'betweenness is estimated from 256 pivots drawn with seed 3 (Brandes & Pich 2007), scaled as networkx betweenness_centrality(k=256)',
    );
    expect(report.warnings).toContain('1 parallel edge(s) merged, weights summed');
    expect(report.warnings).toContain('1 self-loop(s) left out');
    expect(report.stderr).toContain('warning: betweenness is estimated from 256 pivots');
  });

  it('lists the top nodes of each metric and a manifest with the parameters and the input hash', () => {
    const { report, nodes } = cases.medium;
    expect(report.top.degree).toHaveLength(20);
    const degrees = [...nodes.values()].map((row) => row.degree).sort((a, b) => b - a);
    expect(report.top.degree.map((entry: { value: number }) => entry.value)).toEqual(degrees.slice(0, 20));
    expect(report.top.pagerank[0].value).toBe(Math.max(...[...nodes.values()].map((row) => row.pagerank)));
    expect(report.parameters).toEqual({
      weighted: false,
      communityAlgorithm: 'leiden',
      resolution: 1,
      seed: 3,
      pivots: 256,
      top: 20,
      convergence: 'converged',
    });
    expect(report.manifest).toMatchObject({
      seed: 3,
      parameters: { path: 'large', analysis: report.parameters },
      inputs: [{ file: cases.medium.file, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }],
    });
    expect(report.timings.map((t: { step: string }) => t.step)).toEqual([
      'read',
      'snapshot',
      'degree',
      'pagerank',
      'components',
      'communities',
      'betweenness',
    ]);
  });

  it('the same seed gives the same output', async () => {
    const again = await runCli('analyse', cases.medium.file, '--large', '--json', '-q', '--seed', '3');
    const { timings: _a, manifest: _b, stderr: _c, ...first } = cases.medium.report;
    const { timings: _d, manifest: _e, ...second } = JSON.parse(again.stdout);
    expect(second).toEqual(first);
  });

  it("--exact-betweenness computes it from every source: the ordinary path's exact values", async () => {
    const folder = temporaryFolder('ocgnet-large-exact-');
    const run = await runCli(
      'analyse',
      cases.medium.file,
      '--large',
      '--exact-betweenness',
      '--json',
      '-q',
      '--seed',
      '3',
      '--out',
      folder,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).warnings).toContain(
      'betweenness is exact (the pivot count is at least the node count)',
    );
    const exact = readNodes(join(folder, 'nodes.csv'));
    const ordinary = await runCli('analyse', cases.medium.file, '--json', '-q');
    expect(ordinary.code, ordinary.stderr).toBe(0);
    const nodes: { id: string; betweenness: number }[] = JSON.parse(ordinary.stdout).nodes;
    expect(nodes).toHaveLength(exact.size);
    let differsFromSample = false;
    for (const node of nodes) {
      expect(Math.abs(exact.get(node.id)!.betweenness - node.betweenness), node.id).toBeLessThanOrEqual(1e-12);
      if (Math.abs(cases.medium.nodes.get(node.id)!.betweenness - node.betweenness) > 1e-9) differsFromSample = true;
    }
    expect(differsFromSample).toBe(true);
  });

  it('a small headerless edge list without --large takes the ordinary path', async () => {
    const run = await runCli('analyse', cases.small.file, '--json', '-q');
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.nodes).toHaveLength(cases.small.nodes.size);
    for (const node of report.nodes) expect(node.degree, node.id).toBe(cases.small.reference.degree[node.id]);
  });

  it('a bad line is an input error naming file, line, field and reason', async () => {
    const file = join(temporaryFolder('ocgnet-large-'), 'bad.txt');
    writeFileSync(file, '1 2\n2 3 4 5\n3\n');
    const run = await runCli('analyse', file, '--large', '-q');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${file}:2`);
    expect(run.stderr).toContain('expected 2 or 3 fields (source, target, weight), found 4');
    expect(run.stderr).toContain(`${file}:3: target: missing target`);
  });
});

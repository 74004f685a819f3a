/**
 * `ocgnet analyse`: the JSON output contract, the bundle, the manifest,
 * reproducibility by seed, and the readable table, on the small fixture and
 * the public datasets.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseViewerBundle } from '@ocgnet/bundle';
import {
  DATASETS,
  SMALL_FIXTURE,
  datasetNames,
  declaredCounts,
  expectSourceRevision,
  runCli,
  temporaryFolder,
} from './cli.fixtures.js';

const NODE_FIELDS = [
  'id',
  'label',
  'degree',
  'strength',
  'betweenness',
  'closeness',
  'harmonic',
  'eigenvector',
  'pagerank',
  'coreness',
  'clustering',
  'community',
  'articulation',
];

async function analyseJson(...args: string[]) {
  const run = await runCli('analyse', '--json', '-q', ...args);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout);
}

describe('ocgnet analyse on the small fixture', () => {
  let report: any;
  beforeAll(async () => {
    report = await analyseJson(SMALL_FIXTURE);
  });

  it('prints the output contract', () => {
    expect(report.graph).toMatchObject({
      nodes: expect.any(Number),
      edges: expect.any(Number),
      density: expect.any(Number),
      components: expect.any(Number),
      largestComponent: expect.any(Number),
    });
    expect(report.nodes).toHaveLength(report.graph.nodes);
    for (const node of report.nodes) for (const field of NODE_FIELDS) expect(node, field).toHaveProperty(field);
    expect(report.communities.count).toBe(report.communities.members.length);
    expect(report.communities.members.flat().sort()).toEqual(
      report.nodes.map((node: { id: string }) => node.id).sort(),
    );
    expect(report.communities.modularity).toBeGreaterThan(0.3);
    expect(Array.isArray(report.bridges)).toBe(true);
    expect(report.classification).toBe('OFFICIAL-SENSITIVE');
    expect(['P', 'C', 'R']).toContain(report.marking.handling);
  });

  it('carries a manifest: input hashes, every parameter, the seed, versions and the time', () => {
    const { manifest } = report;
    expect(manifest.inputs).toHaveLength(2);
    for (const input of manifest.inputs) expect(input.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.seed).toBe(1);
    expect(manifest.parameters.analysis).toEqual({
      weighted: false,
      distance: 'inverse',
      communityAlgorithm: 'leiden',
      resolution: 1,
      seed: 1,
      betweenness: 'auto',
      convergence: 'converged',
    });
    expect(manifest.parameters.projection.channelWeights.shared_group).toBe(0);
    expectSourceRevision(manifest.versions.ocgnet_source);
    expect(manifest.versions).toMatchObject({
      node: process.versions.node,
      ocgnet: expect.any(String),
      graphology: expect.stringMatching(/^\d/),
      'graphology-communities-louvain': expect.stringMatching(/^\d/),
    });
    expect(Date.parse(manifest.created)).not.toBeNaN();
  });

  it('degree sums to twice the edge count, PageRank to 1', () => {
    const degrees = report.nodes.reduce((sum: number, node: { degree: number }) => sum + node.degree, 0);
    expect(degrees).toBe(2 * report.graph.edges);
    const pagerank = report.nodes.reduce((sum: number, node: { pagerank: number }) => sum + node.pagerank, 0);
    expect(pagerank).toBeCloseTo(1, 9);
  });

  it('compares communities with the mapped OCGs and lists the planted hidden members', () => {
    const truth = readFileSync(join(SMALL_FIXTURE, 'truth.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(','));
    const hidden = truth.filter((row) => row[6] === 'true').map((row) => ({ node: row[0]!, group: row[2]! }));
    expect(hidden.length).toBeGreaterThan(0);
    const candidates = new Set(
      report.comparison.hiddenCandidates.map(
        (candidate: { node: string; group: string }) => `${candidate.group}/${candidate.node}`,
      ),
    );
    for (const member of hidden)
      expect(candidates, `${member.group}/${member.node}`).toContain(`${member.group}/${member.node}`);
    expect(report.comparison.mapped.nmi).toBeGreaterThan(0.6);
  });

  it('the same seed gives the same communities', async () => {
    const again = await analyseJson(SMALL_FIXTURE);
    expect(again.communities).toEqual(report.communities);
    const { created: _a, ...first } = report.manifest;
    const { created: _b, ...second } = again.manifest;
    expect(second).toEqual(first);
  });

  it('--weighted switches to the weighted variants', async () => {
    const weighted = await analyseJson(SMALL_FIXTURE, '--weighted');
    expect(weighted.manifest.parameters.analysis.weighted).toBe(true);
    const strengths = new Map(weighted.nodes.map((node: { id: string; strength: number }) => [node.id, node.strength]));
    const differs = report.nodes.some(
      (node: { id: string; betweenness: number }, index: number) =>
        node.betweenness !== weighted.nodes[index].betweenness,
    );
    expect(differs).toBe(true);
    expect([...strengths.values()].some((strength, index) => strength !== report.nodes[index].degree)).toBe(true);
  });

  it('--out writes the same content as an analysis bundle', async () => {
    const out = temporaryFolder();
    const run = await runCli('analyse', '-q', SMALL_FIXTURE, '--out', out);
    expect(run.code, run.stderr).toBe(0);
    const bundle = JSON.parse(readFileSync(join(out, 'analysis.json'), 'utf8'));
    const { manifest: bundleManifest, ...bundleRest } = bundle;
    const { manifest: _m, ...reportRest } = report;
    expect(bundleRest).toEqual(reportRest);
    expect(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'))).toEqual(bundleManifest);
    const graph = JSON.parse(readFileSync(join(out, 'graph.json'), 'utf8'));
    expect(graph.nodes).toHaveLength(report.graph.nodes);
    expect(graph.nodes[0].attributes).toHaveProperty('betweenness');
    // bundle.json is what the viewer opens: the same analysis, the multimodal network, no record bodies.
    const viewer = parseViewerBundle(JSON.parse(readFileSync(join(out, 'bundle.json'), 'utf8')));
    const { manifest: _vm, ...viewerAnalysis } = viewer.analysis as unknown as Record<string, unknown>;
    expect(JSON.parse(JSON.stringify(viewerAnalysis))).toEqual(JSON.parse(JSON.stringify(reportRest)));
    expect(viewer.graph.nodes).toHaveLength(report.graph.nodes);
    expect(viewer.network.nodes.length).toBeGreaterThan(report.graph.nodes);
    expect(JSON.stringify(viewer)).not.toContain('"record"');
    // Laid out once, here: a finite position for every person and every entity, so the viewer runs no layout.
    expect(viewer.layout?.algorithm).toBe('forceatlas2');
    const placed = viewer.layout!.positions;
    for (const node of [...viewer.graph.nodes, ...viewer.network.nodes])
      expect(placed[node.key]?.every(Number.isFinite), node.key).toBe(true);
  });

  it('prints a readable table of key nominals and communities by default', async () => {
    const run = await runCli('analyse', '-q', SMALL_FIXTURE, '--top', '5');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Key nominals \(top 5 by betweenness\)/);
    expect(run.stdout).toMatch(/Communities: \d+ \(Leiden/);
    expect(run.stdout).toMatch(/possible hidden members/);
  });

  it('--community-algorithm louvain runs Louvain and records it', async () => {
    const louvain = await analyseJson(SMALL_FIXTURE, '--community-algorithm', 'louvain');
    expect(louvain.communities.algorithm).toBe('louvain');
    expect(louvain.manifest.parameters.analysis.communityAlgorithm).toBe('louvain');
    expect(report.communities.algorithm).toBe('leiden');
    const table = await runCli('analyse', '-q', SMALL_FIXTURE, '--community-algorithm', 'louvain');
    expect(table.stdout).toMatch(/Communities: \d+ \(Louvain/);
  });
});

describe('ocgnet analyse on every public dataset', () => {
  for (const dataset of datasetNames()) {
    it(`${dataset}`, async () => {
      const report = await analyseJson(join(DATASETS, dataset));
      const declared = declaredCounts(dataset);
      expect(report.graph).toMatchObject({
        nodes: declared.nodes,
        edges: declared.edges,
        components: declared.components,
        largestComponent: declared.largestComponent,
      });
      expect(report.comparison).toBeUndefined();
    });
  }
});

describe('usage', () => {
  it('refuses an engine that is not available yet, and bad numbers', async () => {
    expect((await runCli('analyse', SMALL_FIXTURE, '--engine', 'neo4j')).code).toBe(2);
    expect((await runCli('analyse', SMALL_FIXTURE, '--resolution', '0')).code).toBe(2);
    expect((await runCli('analyse', SMALL_FIXTURE, '--seed', 'x')).code).toBe(2);
    expect((await runCli('analyse', SMALL_FIXTURE, '--community-algorithm', 'infomap')).code).toBe(2);
    expect(existsSync(SMALL_FIXTURE)).toBe(true);
  });
});

/**
 * `ocgnet analyse --convergence`: by default PageRank and eigenvector are
 * reported at their fixed points (igraph's direct PageRank solver, numpy's
 * eigensolver); `--convergence networkx` reproduces networkx's defaults, as
 * a researcher checking a published networkx result would need. References:
 * test/reference/converged.py, on the graph the command itself wrote out.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runReference } from '../reference/python.js';
import { DATASETS, runCli, temporaryFolder } from './cli.fixtures.js';

interface Metrics {
  [key: string]: Record<string, number> | null;
}
interface Reference {
  graphs: { name: string; metrics: Metrics }[];
}
interface AnalysedNode {
  id: string;
  pagerank: number;
  eigenvector: number;
}

const NETWORK = join(DATASETS, 'caviar', 'graph.graphml');

async function analysed(...flags: string[]): Promise<Map<string, AnalysedNode>> {
  const out = join(temporaryFolder('ocgnet-convergence-'), 'out');
  const run = await runCli('analyse', NETWORK, '--json', '-q', '--out', out, ...flags);
  expect(run.code, run.stderr).toBe(0);
  const report = JSON.parse(run.stdout);
  expect(report.parameters.convergence).toBe(flags.includes('networkx') ? 'networkx' : 'converged');
  if (graphJson === undefined) graphJson = JSON.parse(readFileSync(join(out, 'graph.json'), 'utf8'));
  return new Map(report.nodes.map((node: AnalysedNode) => [node.id, node]));
}

let graphJson: { nodes: { key: string }[]; edges: { source: string; target: string }[] } | undefined;
let converged: Map<string, AnalysedNode>;
let networkx: Map<string, AnalysedNode>;
let reference: Metrics;

beforeAll(async () => {
  converged = await analysed();
  networkx = await analysed('--convergence', 'networkx');
  const graph = graphJson!;
  reference = runReference<Reference>('converged.py', {
    graphs: [
      {
        name: 'caviar',
        nodes: graph.nodes.map((node) => node.key),
        edges: graph.edges.map((edge) => [edge.source, edge.target, 1]),
      },
    ],
  }).graphs[0]!.metrics;
}, 300_000);

function largestGap(
  values: Map<string, AnalysedNode>,
  field: 'pagerank' | 'eigenvector',
  expected: Record<string, number>,
) {
  let gap = 0;
  for (const [id, node] of values) gap = Math.max(gap, Math.abs(node[field] - expected[id]!));
  return gap;
}

describe('ocgnet analyse --convergence', () => {
  it('by default, PageRank equals igraph and eigenvector equals numpy to 1e-9', () => {
    expect(largestGap(converged, 'pagerank', reference['pagerank.igraph']!)).toBeLessThan(1e-9);
    expect(largestGap(converged, 'eigenvector', reference['eigenvector.eigh']!)).toBeLessThan(1e-9);
  });

  it("--convergence networkx reproduces networkx's default pagerank and eigenvector_centrality", () => {
    expect(largestGap(networkx, 'pagerank', reference['pagerank.networkx']!)).toBeLessThan(1e-12);
    expect(largestGap(networkx, 'eigenvector', reference['eigenvector.networkx']!)).toBeLessThan(1e-12);
    // The two rules differ by more than the tests' tolerance, so each check above tells them apart.
    expect(largestGap(networkx, 'pagerank', reference['pagerank.igraph']!)).toBeGreaterThan(1e-7);
  });

  it('refuses an unknown rule', async () => {
    const run = await runCli('analyse', NETWORK, '--json', '-q', '--convergence', 'loose');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--convergence');
  });
});

/**
 * One rule for a repeated edge in every command (@ocgnet/io,
 * research/repeatedEdges.ts): the same small edge lists, headerless and
 * `source,target[,weight]` CSV, weighted and not, each repeating an edge in
 * both orientations and a self-loop, give the same nodes, edges and weights
 * under `ocgnet stats`, `ocgnet analyse` (the graphology graph) and
 * `ocgnet analyse --large` (typed arrays, `csrFromEdgeArrays`), and the merge
 * is reported with the same count.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parallelEdgesMerged } from '@ocgnet/io';
import { runCli, temporaryFolder } from './cli.fixtures.js';

// 0–1 three times (as 0 1, 1 0, 0 1), 3–3 twice, the rest once: 8 lines, 5 ties (one a self-loop), 3 lines merged.
const ROWS: [number, number, number][] = [
  [0, 1, 2],
  [1, 2, 1],
  [1, 0, 3],
  [2, 3, 1],
  [0, 1, 0.5],
  [3, 3, 4],
  [3, 3, 1],
  [4, 2, 2],
];
const TIES = {
  weighted: ['0,1,5.5', '1,2,1', '2,3,1', '3,3,5', '4,2,2'],
  unweighted: ['0,1', '1,2', '2,3', '3,3', '4,2'],
};
/** Strength without the self-loop (the analysis snapshot leaves it out); unweighted, each tie counts 1. */
const STRENGTH = { weighted: { 0: 5.5, 1: 6.5, 2: 4, 3: 1, 4: 2 }, unweighted: { 0: 1, 1: 2, 2: 3, 3: 1, 4: 1 } };

interface EdgeFile {
  name: string;
  path: string;
  weighted: boolean;
  csv: boolean;
}

let files: EdgeFile[] = [];
let folder = '';

beforeAll(() => {
  folder = temporaryFolder('ocgnet-repeated-');
  files = [];
  for (const weighted of [true, false]) {
    const cells = (row: [number, number, number]) => (weighted ? row : row.slice(0, 2));
    const plain = join(folder, `plain-${weighted ? 'weighted' : 'unweighted'}.txt`);
    writeFileSync(plain, `# repeated edges\n${ROWS.map((row) => cells(row).join(' ')).join('\n')}\n`);
    const csv = join(folder, `edges-${weighted ? 'weighted' : 'unweighted'}.csv`);
    writeFileSync(
      csv,
      `source,target${weighted ? ',weight' : ''}\n${ROWS.map((row) => cells(row).join(',')).join('\n')}\n`,
    );
    files.push({ name: `headerless, ${weighted ? 'weighted' : 'unweighted'}`, path: plain, weighted, csv: false });
    files.push({ name: `CSV with a header, ${weighted ? 'weighted' : 'unweighted'}`, path: csv, weighted, csv: true });
  }
});

async function json(...args: string[]): Promise<{ report: any; stderr: string }> {
  const run = await runCli(...args);
  expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(0);
  return { report: JSON.parse(run.stdout), stderr: run.stderr };
}

describe('a repeated edge, in every command', () => {
  it('ocgnet stats: 5 nodes and 5 edges (0–1 once, the self-loop once) from every file', async () => {
    for (const file of files) {
      const { report, stderr } = await json('stats', file.path, '--json', '-q');
      expect({ nodes: report.nodes, edges: report.edges, components: report.components }, file.name).toEqual({
        nodes: 5,
        edges: 5,
        components: 1,
      });
      // The CSV reader reports the merge at the first repeat's line; the headerless list's graph, built from typed arrays, on the file.
      expect(stderr, file.name).toContain(
        file.csv
          ? `warning: ${file.path}:4: target: ${parallelEdgesMerged(3)}`
          : `warning: ${file.path}: edge: ${parallelEdgesMerged(3)}`,
      );
    }
  });

  it('ocgnet import writes the merged ties: weights summed, or none', async () => {
    for (const file of files) {
      const out = join(folder, `${file.name.replace(/[^a-z]+/g, '-')}-out.csv`);
      const run = await runCli('import', file.path, '--out', out, '-q');
      expect(run.code, run.stderr).toBe(0);
      const [header, ...rows] = readFileSync(out, 'utf8').trim().split('\n');
      expect(header, file.name).toBe(file.weighted ? 'source,target,weight' : 'source,target');
      expect(rows, file.name).toEqual(TIES[file.weighted ? 'weighted' : 'unweighted']);
    }
  });

  it('ocgnet analyse and ocgnet analyse --large: the same 5 nodes, 4 edges and 1 self-loop, the same strengths, and 3 lines merged', async () => {
    for (const file of files) {
      const weighting = file.weighted ? ['--weighted'] : [];
      const expected = STRENGTH[file.weighted ? 'weighted' : 'unweighted'];

      const ordinaryRun = await json('analyse', file.path, '--json', '-q', ...weighting);
      // The merge is said on stderr by both paths, not only by --large.
      expect(ordinaryRun.stderr, file.name).toContain(parallelEdgesMerged(3));
      const ordinary = ordinaryRun.report;
      expect(ordinary.graph, file.name).toMatchObject({
        nodes: 5,
        edges: 4,
        selfLoopsIgnored: 1,
        weighted: file.weighted,
      });
      const ordinaryStrength = Object.fromEntries(
        ordinary.nodes.map((node: { id: string; strength: number }) => [node.id, node.strength]),
      );
      expect(ordinaryStrength, file.name).toEqual(expected);

      const out = join(folder, `${file.name.replace(/[^a-z]+/g, '-')}-large`);
      const large = await json('analyse', file.path, '--large', '--json', '-q', '--out', out, ...weighting);
      expect(large.report.graph, file.name).toMatchObject({
        nodes: 5,
        edges: 4,
        selfLoops: 1,
        edgesRead: 8,
        parallelEdgesMerged: 3,
        weighted: file.weighted,
      });
      expect(large.report.warnings, file.name).toContain(parallelEdgesMerged(3));
      expect(large.report.warnings, file.name).toContain('1 self-loop(s) left out');
      expect(large.stderr, file.name).toContain(`warning: ${parallelEdgesMerged(3)}`);
      const [header, ...rows] = readFileSync(join(out, 'nodes.csv'), 'utf8').trim().split('\n');
      expect(header).toBe('id,degree,strength,pagerank,betweenness,component,community');
      const largeStrength = Object.fromEntries(
        rows.map((row) => row.split(',')).map(([id, _degree, strength]) => [id!, Number(strength)]),
      );
      expect(largeStrength, file.name).toEqual(ordinaryStrength);

      // Both paths analyse the same graph: PageRank agrees node by node.
      const ordinaryPagerank = new Map(
        ordinary.nodes.map((node: { id: string; pagerank: number }) => [node.id, node.pagerank]),
      );
      for (const [id, , , pagerank] of rows.map((row) => row.split(',')))
        expect(Math.abs(Number(pagerank) - (ordinaryPagerank.get(id!) as number)), `${file.name} ${id}`).toBeLessThan(
          1e-9,
        );
    }
  });
});

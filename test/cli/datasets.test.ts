/**
 * `ocgnet stats` on every public research dataset, in every format it ships,
 * prints the node and edge counts its SOURCE.md declares.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { DATASETS, datasetNames, declaredCounts, runCli } from './cli.fixtures.js';

const datasets = datasetNames();

describe('ocgnet stats on the public datasets', () => {
  it('finds the datasets', () => {
    expect(datasets.length).toBeGreaterThanOrEqual(20);
  });

  for (const dataset of datasets) {
    it(`${dataset}: every format gives the declared counts`, async () => {
      const declared = declaredCounts(dataset);
      const folder = join(DATASETS, dataset);
      const inputs: string[][] = [
        [folder],
        [join(folder, 'edges.csv'), join(folder, 'nodes.csv')],
        [join(folder, 'graph.graphml')],
        [join(folder, 'graph.gexf')],
        [join(folder, 'graph.net')],
        [join(folder, 'graph.dl')],
      ];
      for (const input of inputs) {
        const run = await runCli('stats', '--json', '-q', ...input);
        expect(run.code, `${input.join(' ')}: ${run.stderr}`).toBe(0);
        const stats = JSON.parse(run.stdout);
        const { nodes, edges, components, largestComponent } = stats;
        expect({ nodes, edges, components, largestComponent }, input.join(' ')).toEqual(declared);
        expect(stats.density).toBeCloseTo((2 * declared.edges) / (declared.nodes * (declared.nodes - 1)), 12);
      }
    });
  }
});

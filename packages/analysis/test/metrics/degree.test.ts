/**
 * Degree counts on the snapshot against graphology's own neighbour lists
 * (distinct neighbours, the node itself left out) on every test graph, and
 * degree centrality as the counts over n − 1.
 */
import { describe, expect, it } from 'vitest';
import { loadAllTestGraphs } from '../graphs.fixtures.js';
import { csrOf } from '../../src/csr.js';
import { degreeCountsOnCsr, degreeOnCsr } from '../../src/metrics/degree.js';

describe('degree counts', () => {
  it('equal the number of distinct associates on every test graph; degree centrality divides them by n − 1', async () => {
    const graphs = await loadAllTestGraphs();
    expect(graphs.length).toBeGreaterThanOrEqual(20);
    for (const { name, graph } of graphs) {
      const csr = csrOf(graph, { weightAttribute: null });
      const counts = degreeCountsOnCsr(csr);
      const expected = csr.ids.map((node) => new Set(graph.neighbors(node).filter((other) => other !== node)).size);
      expect(Array.from(counts), name).toEqual(expected);
      expect(Array.from(degreeOnCsr(csr)), name).toEqual(expected);
      const normalized = degreeOnCsr(csr, { normalized: true });
      if (csr.n > 1) expected.forEach((k, v) => expect(normalized[v], name).toBeCloseTo(k / (csr.n - 1), 14));
    }
  });
});

import Graph from 'graphology';
import { describe, expect, it } from 'vitest';
import { BETWEENNESS_SAMPLING_DEFAULT, analyse, betweennessOnCsr, csrOf } from '../src/index.js';

/** `stars` stars of a centre and four leaves: exact betweenness is cheap (tiny components), and a sample misses most centres. */
function starForest(stars: number): Graph {
  const graph = new Graph({ type: 'undirected' });
  for (let s = 0; s < stars; s++) {
    graph.addNode(`c${s}`);
    for (let leaf = 0; leaf < 4; leaf++) {
      graph.addNode(`l${s}.${leaf}`);
      graph.addEdge(`c${s}`, `l${s}.${leaf}`);
    }
  }
  return graph;
}

function betweennessOf(report: ReturnType<typeof analyse>): number[] {
  return report.nodes.map((node) => node.betweenness);
}

describe('analyse: the betweenness sampling policy', () => {
  const above = starForest(Math.floor(BETWEENNESS_SAMPLING_DEFAULT.aboveNodes / 5) + 1);
  const csr = csrOf(above, { weightAttribute: null });
  const exact = Array.from(betweennessOnCsr(csr, { normalized: true }));

  it(`samples ${BETWEENNESS_SAMPLING_DEFAULT.pivots} pivots above ${BETWEENNESS_SAMPLING_DEFAULT.aboveNodes} nodes, and says so`, () => {
    expect(above.order).toBeGreaterThan(BETWEENNESS_SAMPLING_DEFAULT.aboveNodes);
    const report = analyse(above);
    const { pivots, seed } = BETWEENNESS_SAMPLING_DEFAULT;
    expect(betweennessOf(report)).toEqual(
      Array.from(betweennessOnCsr(csr, { normalized: true, sample: { pivots, seed } })),
    );
    expect(betweennessOf(report)).not.toEqual(exact);
    expect(report.warnings.some((warning) => warning.includes(`${pivots} sampled sources`))).toBe(true);
  });

  it('computes it exactly from every source when asked, without the warning', () => {
    const report = analyse(above, { betweenness: 'exact' });
    expect(betweennessOf(report)).toEqual(exact);
    expect(report.warnings.some((warning) => warning.includes('sampled sources'))).toBe(false);
  });

  it('is exact at or below the threshold', () => {
    const below = starForest(10);
    const report = analyse(below);
    expect(betweennessOf(report)).toEqual(
      Array.from(betweennessOnCsr(csrOf(below, { weightAttribute: null }), { normalized: true })),
    );
    expect(report.warnings).toEqual([]);
  });
});

/**
 * The worker-thread entry points (parallel/): the same values as the
 * single-threaded kernels to a relative 1e-12, for exact, sampled and masked
 * betweenness and for closeness + harmonic, with 1, 2 and 3 workers (more
 * workers than a share of sources is fine), and errors in a worker reach
 * the caller. The workers run the kernels from their source text, so this
 * also checks that the kernels stay self-contained.
 */
import { describe, expect, it } from 'vitest';
import { csrOf, type CsrGraph } from '../../src/csr.js';
import { betweennessOnCsr, samplePivots } from '../../src/metrics/betweenness.js';
import { closenessAndHarmonicOnCsr } from '../../src/metrics/closeness.js';
import { betweennessOnCsrParallel, closenessAndHarmonicOnCsrParallel } from '../../src/parallel/centrality.js';
import { barabasiAlbert, manyComponents, starGraph } from './generated.fixtures.js';

function expectClose(actual: Float64Array, expected: Float64Array, label: string): void {
  expect(actual.length, label).toBe(expected.length);
  let worst = 0;
  for (let v = 0; v < expected.length; v++) {
    const error = Math.abs(actual[v]! - expected[v]!) / Math.max(Math.abs(expected[v]!), Number.MIN_VALUE);
    if (!(error <= worst)) worst = error;
  }
  expect(worst, label).toBeLessThanOrEqual(1e-12);
}

const graphs: [string, CsrGraph][] = [
  ['ba-800', csrOf(barabasiAlbert(800, 5, 3), { weightAttribute: null })],
  ['many-components', csrOf(manyComponents(9), { weightAttribute: null })],
  ['star', csrOf(starGraph(150), { weightAttribute: null })],
];

describe('parallel path kernels', () => {
  it.each(graphs)(
    'betweenness on %s: exact, sampled and masked equal the single-threaded values',
    async (name, csr) => {
      const removed = new Uint8Array(csr.n);
      for (const v of samplePivots(csr.n, Math.floor(csr.n / 10), 5)) removed[v] = 1;
      const variants = [
        {},
        { normalized: false },
        { sample: { pivots: 64, seed: 9 } },
        { removed },
        { removed, sample: { pivots: 40, seed: 2 } },
      ];
      for (const options of variants) {
        const sequential = betweennessOnCsr(csr, options);
        expect(
          sequential.some((x) => x > 0),
          `${name}: non-trivial`,
        ).toBe(true);
        for (const workers of [1, 2, 3]) {
          expectClose(
            await betweennessOnCsrParallel(csr, options, { workers }),
            sequential,
            `${name} ${JSON.stringify(Object.keys(options))} × ${workers}`,
          );
        }
      }
    },
  );

  it.each(graphs)('closeness and harmonic on %s equal the single-threaded values', async (name, csr) => {
    const sequential = closenessAndHarmonicOnCsr(csr);
    for (const workers of [1, 2, 3]) {
      const parallel = await closenessAndHarmonicOnCsrParallel(csr, {}, { workers });
      expectClose(parallel.closeness, sequential.closeness, `${name} closeness × ${workers}`);
      expectClose(parallel.harmonic, sequential.harmonic, `${name} harmonic × ${workers}`);
    }
  });

  it('weighted runs resolve with the single-threaded result', async () => {
    const csr = csrOf(barabasiAlbert(200, 3, 1), { weightAttribute: 'weight' });
    const options = { weighted: true };
    expect(await betweennessOnCsrParallel(csr, options, { workers: 2 })).toEqual(betweennessOnCsr(csr, options));
    expect(await closenessAndHarmonicOnCsrParallel(csr, options, { workers: 2 })).toEqual(
      closenessAndHarmonicOnCsr(csr, options),
    );
  });

  it('rejects bad options before starting threads, and a worker error reaches the caller', async () => {
    const csr = graphs[0]![1];
    await expect(betweennessOnCsrParallel(csr, {}, { workers: 0 })).rejects.toThrow(/workers/);
    await expect(betweennessOnCsrParallel(csr, { sample: { pivots: 1, seed: 1 } }, { workers: 2 })).rejects.toThrow(
      /pivots/,
    );
    // A snapshot whose node count cannot size an array: the kernel throws inside the worker.
    const broken = { ...csr, n: -1 } as CsrGraph;
    await expect(closenessAndHarmonicOnCsrParallel(broken, {}, { workers: 2 })).rejects.toThrow(/length/i);
  });
});

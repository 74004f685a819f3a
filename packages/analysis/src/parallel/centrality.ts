/**
 * Parallel entry points of the path-based centralities: the same kernels and
 * the same results as the single-threaded ones (to rounding: partial sums
 * are added in a different order), spread over worker threads (pool.ts).
 *
 * Weighted runs (Dijkstra) are not parallelised yet: they run in this
 * thread and the promise resolves with the single-threaded result.
 */
import type { CsrGraph } from '../csr.js';
import {
  betweennessOnCsr,
  planBetweenness,
  rescaleBetweenness,
  resolveBetweennessOptions,
  type BetweennessRunOptions,
} from '../metrics/betweenness.js';
import {
  DEFAULT_CLOSENESS_OPTIONS,
  closenessAndHarmonicOnCsr,
  type ClosenessAndHarmonic,
  type ClosenessOptions,
} from '../metrics/closeness.js';
import { checkPathOptions } from '../metrics/paths.js';
import { checkWorkers, runOnWorkers, type ParallelOptions } from './pool.js';

/**
 * {@link betweennessOnCsr} on `workers` threads, sources interleaved among
 * them: exact, sampled (`sample`) or masked (`removed`) alike.
 *
 * @example
 * await betweennessOnCsrParallel(csr, { sample: { pivots: 256, seed: 1 } }, { workers: 2 });
 */
export async function betweennessOnCsrParallel(
  csr: CsrGraph,
  options: Partial<BetweennessRunOptions>,
  parallel: ParallelOptions,
): Promise<Float64Array> {
  const workers = checkWorkers('parallel/betweenness', parallel);
  const resolved = resolveBetweennessOptions(options);
  if (workers === 1 || resolved.weighted) return betweennessOnCsr(csr, options);
  const plan = planBetweenness(csr, options);
  const parts = await runOnWorkers(
    {
      kind: 'betweenness',
      n: csr.n,
      offsets: csr.offsets,
      targets: csr.targets,
      removed: plan.removed,
      sources: plan.sources,
    },
    workers,
  );
  const raw = new Float64Array(csr.n);
  for (const [out] of parts) for (let v = 0; v < csr.n; v++) raw[v]! += out![v]!;
  return rescaleBetweenness(raw, plan, resolved.normalized);
}

/** {@link closenessAndHarmonicOnCsr} on `workers` threads, sources interleaved among them. */
export async function closenessAndHarmonicOnCsrParallel(
  csr: CsrGraph,
  options: Partial<ClosenessOptions>,
  parallel: ParallelOptions,
): Promise<ClosenessAndHarmonic> {
  const workers = checkWorkers('parallel/closeness', parallel);
  const resolved = { ...DEFAULT_CLOSENESS_OPTIONS, ...options };
  checkPathOptions('parallel/closeness', resolved);
  if (workers === 1 || resolved.weighted) return closenessAndHarmonicOnCsr(csr, options);
  const sources = Int32Array.from({ length: csr.n }, (_, v) => v);
  const parts = await runOnWorkers(
    { kind: 'distances', n: csr.n, offsets: csr.offsets, targets: csr.targets, removed: null, sources },
    workers,
  );
  const closeness = new Float64Array(csr.n);
  const harmonic = new Float64Array(csr.n);
  // Each source is written by exactly one worker; the others hold 0 there.
  for (const [c, h] of parts) {
    for (let v = 0; v < csr.n; v++) {
      closeness[v]! += c![v]!;
      harmonic[v]! += h![v]!;
    }
  }
  return { closeness, harmonic };
}

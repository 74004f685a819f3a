/**
 * PageRank
 * ========
 *
 * The long-run share of time a random walker spends at a node when it
 * follows a tie with probability alpha (in proportion to the tie's weight
 * when weighted) and otherwise jumps to a node chosen uniformly.
 *
 * [Reference]:
 * Page, Lawrence; Brin, Sergey; Motwani, Rajeev and Winograd, Terry.
 * "The PageRank citation ranking: Bringing order to the Web." Stanford
 * InfoLab technical report, 1999.
 *
 * Replicates networkx's `pagerank` (its SciPy power iteration) with uniform
 * personalisation: start from 1/n, x ← alpha (x P + (x · dangling) / n) +
 * (1 − alpha) / n where P is row-normalised adjacency and dangling nodes
 * (no ties, here isolates) spread their mass uniformly; stop when the L1
 * change is below n × tolerance and return that iterate as is (it sums to 1
 * up to rounding; networkx does not renormalise), else throw.
 */
import type { AbstractGraph } from 'graphology-types';
import { byNode, csrOf, type CsrGraph } from '../csr.js';
import { CentralityError, ConvergenceError, assertGraph, checkIterationOptions } from './paths.js';

const MODULE = 'metrics/pagerank';

export interface PagerankOptions {
  /** Damping factor: the probability of following a tie rather than jumping. */
  alpha: number;
  /**
   * Follow ties in proportion to their weight. networkx's `pagerank` is
   * weighted by default (`weight='weight'`); ocgnet's centralities are
   * unweighted unless asked, so pass `weighted: true` to match networkx's default.
   */
  weighted: boolean;
  /** Edge attribute holding the weight, read when `weighted`. */
  weightAttribute: string;
  /** Iteration budget (networkx `max_iter`). */
  maxIterations: number;
  /** Per-node tolerance: stop when the L1 change < n × tolerance (networkx `tol`). */
  tolerance: number;
}

export const DEFAULT_PAGERANK_OPTIONS: PagerankOptions = {
  alpha: 0.85,
  weighted: false,
  weightAttribute: 'weight',
  maxIterations: 100,
  tolerance: 1e-6,
};

function resolve(options: Partial<PagerankOptions>): PagerankOptions {
  const resolved = { ...DEFAULT_PAGERANK_OPTIONS, ...options };
  checkIterationOptions(MODULE, resolved);
  if (!(resolved.alpha >= 0 && resolved.alpha <= 1)) {
    throw new CentralityError(MODULE, 'INVALID_OPTION', `alpha must be in [0, 1], got ${resolved.alpha}.`);
  }
  return resolved;
}

/**
 * PageRank per node index on a snapshot (sums to 1). `weighted` reads
 * `csr.weights`; `weightAttribute` is not used.
 * @throws {ConvergenceError} when the iteration budget runs out.
 */
export function pagerankOnCsr(csr: CsrGraph, options: Partial<PagerankOptions> = {}): Float64Array {
  const { alpha, weighted, maxIterations, tolerance } = resolve(options);
  const { n, offsets, targets, weights } = csr;
  if (n === 0) return new Float64Array(0);

  // 1 / out-strength, 0 for dangling nodes; as networkx, a transition
  // probability is weight × (1 / strength).
  const inverseStrength = new Float64Array(n);
  const dangling: number[] = [];
  for (let v = 0; v < n; v++) {
    let total = 0;
    for (let slot = offsets[v]!; slot < offsets[v + 1]!; slot++) total += weighted ? weights[slot]! : 1;
    if (total !== 0) inverseStrength[v] = 1 / total;
    else dangling.push(v);
  }

  const uniform = 1 / n;
  const teleport = (1 - alpha) * uniform;
  let x = new Float64Array(n).fill(uniform);
  let next = new Float64Array(n);
  const threshold = n * tolerance;
  let change = Infinity;
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    let danglingMass = 0;
    for (const v of dangling) danglingMass += x[v]!;
    next.fill(0);
    for (let v = 0; v < n; v++) {
      const xv = x[v]!;
      const scale = inverseStrength[v]!;
      const end = offsets[v + 1]!;
      if (weighted)
        for (let slot = offsets[v]!; slot < end; slot++) next[targets[slot]!]! += xv * (weights[slot]! * scale);
      else for (let slot = offsets[v]!; slot < end; slot++) next[targets[slot]!]! += xv * scale;
    }
    const spread = danglingMass * uniform;
    change = 0;
    for (let v = 0; v < n; v++) {
      next[v] = alpha * (next[v]! + spread) + teleport;
      change += Math.abs(next[v]! - x[v]!);
    }
    [x, next] = [next, x];
    if (change < threshold) return x;
  }
  throw new ConvergenceError(MODULE, maxIterations, change, threshold);
}

/**
 * PageRank of every node, keyed by node.
 *
 * @example
 * pagerank(graph); // = networkx pagerank(G, weight=None)
 * pagerank(graph, { weighted: true }); // = networkx pagerank(G), which reads 'weight'
 * @throws {ConvergenceError} when the iteration budget runs out.
 */
export function pagerank(graph: AbstractGraph, options: Partial<PagerankOptions> = {}): Record<string, number> {
  assertGraph(MODULE, graph);
  const resolved = resolve(options);
  const csr = csrOf(graph, { weightAttribute: resolved.weighted ? resolved.weightAttribute : null });
  return byNode(csr, pagerankOnCsr(csr, resolved));
}

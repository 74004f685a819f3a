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
 * The iteration is networkx's `pagerank` (its SciPy power iteration) with
 * uniform personalisation: start from 1/n, x ← alpha (x P + (x · dangling) / n)
 * + (1 − alpha) / n, where P is row-normalised adjacency and dangling nodes
 * (no ties, here isolates) spread their mass uniformly. The iterate is
 * returned as is (it sums to 1 up to rounding; networkx does not renormalise).
 *
 * Where it stops (`convergence`):
 * - 'converged' (default): once the L1 distance to the fixed point is below
 *   `tolerance` (1e-10). The map is an alpha-contraction in L1, so that
 *   distance is at most alpha / (1 − alpha) × the last L1 change; stopping on
 *   that bound gives the values igraph's PRPACK solver reports, not networkx's.
 * - 'networkx': networkx's rule, L1 change < n × `tolerance` (1e-6) within 100
 *   iterations, which stops about 1e-5 short of the fixed point: use it only to
 *   reproduce networkx's default output.
 * Either way a ConvergenceError is thrown when the budget runs out.
 */
import type { AbstractGraph } from 'graphology-types';
import { byNode, csrOf, type CsrGraph } from '../csr.js';
import {
  CentralityError,
  ConvergenceError,
  DEFAULT_POWER_ITERATION_OPTIONS,
  assertGraph,
  resolveIteration,
  type ConvergenceRule,
  type IterationBudget,
  type PowerIterationOptions,
} from './paths.js';

const MODULE = 'metrics/pagerank';

/**
 * `weighted`: follow ties in proportion to their weight. networkx's `pagerank`
 * is weighted by default (`weight='weight'`); ocgnet's centralities are
 * unweighted unless asked, so pass `weighted: true` to match networkx's default.
 */
export interface PagerankOptions extends PowerIterationOptions {
  /** Damping factor: the probability of following a tie rather than jumping. */
  alpha: number;
}

/** Each rule's default budget and tolerance. */
export const PAGERANK_CONVERGENCE: Record<ConvergenceRule, IterationBudget> = {
  // From the uniform start the L1 distance is < 2, and it shrinks by alpha
  // (0.85) per step: about 150 steps reach 1e-10, so 1000 leaves room for
  // larger alphas.
  converged: { tolerance: 1e-10, maxIterations: 1000 },
  networkx: { tolerance: 1e-6, maxIterations: 100 },
};

export const DEFAULT_PAGERANK_OPTIONS: PagerankOptions = { ...DEFAULT_POWER_ITERATION_OPTIONS, alpha: 0.85 };

type ResolvedPagerankOptions = PagerankOptions & IterationBudget;

function resolve(options: Partial<PagerankOptions>): ResolvedPagerankOptions {
  const merged = { ...DEFAULT_PAGERANK_OPTIONS, ...options };
  const resolved = { ...merged, ...resolveIteration(MODULE, merged, PAGERANK_CONVERGENCE) };
  if (!(resolved.alpha >= 0 && resolved.alpha <= 1)) {
    throw new CentralityError(MODULE, 'INVALID_OPTION', `alpha must be in [0, 1], got ${resolved.alpha}.`);
  }
  // alpha = 1 is no contraction, so nothing bounds the distance to the fixed point.
  if (resolved.convergence === 'converged' && resolved.alpha === 1) {
    throw new CentralityError(
      MODULE,
      'INVALID_OPTION',
      "alpha = 1 has no convergence bound; use convergence: 'networkx' to stop on the L1 change alone.",
    );
  }
  return resolved;
}

/**
 * The L1 change below which the iteration stops. 'converged': the distance to
 * the fixed point is at most alpha / (1 − alpha) × change, which must be < tolerance.
 */
function stoppingThreshold({ convergence, alpha, tolerance }: ResolvedPagerankOptions, n: number): number {
  return convergence === 'networkx' ? n * tolerance : (tolerance * (1 - alpha)) / alpha;
}

/**
 * PageRank per node index on a snapshot (sums to 1). `weighted` reads
 * `csr.weights`; `weightAttribute` is not used.
 * @throws {ConvergenceError} when the iteration budget runs out.
 */
export function pagerankOnCsr(csr: CsrGraph, options: Partial<PagerankOptions> = {}): Float64Array {
  const resolved = resolve(options);
  const { alpha, weighted, maxIterations } = resolved;
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
  const threshold = stoppingThreshold(resolved, n);
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
 * pagerank(graph); // = igraph Graph.pagerank() (PRPACK) to 1e-10
 * pagerank(graph, { weighted: true }); // = igraph Graph.pagerank(weights='weight')
 * pagerank(graph, { convergence: 'networkx' }); // = networkx pagerank(G, weight=None)
 * @throws {ConvergenceError} when the iteration budget runs out.
 */
export function pagerank(graph: AbstractGraph, options: Partial<PagerankOptions> = {}): Record<string, number> {
  assertGraph(MODULE, graph);
  const resolved = resolve(options);
  const csr = csrOf(graph, { weightAttribute: resolved.weighted ? resolved.weightAttribute : null });
  return byNode(csr, pagerankOnCsr(csr, resolved));
}

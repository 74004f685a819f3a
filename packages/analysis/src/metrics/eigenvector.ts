/**
 * Eigenvector centrality
 * ======================
 *
 * A node is central when its associates are central: the leading
 * eigenvector of the adjacency matrix, by power iteration.
 *
 * [Reference]:
 * Bonacich, Phillip. "Power and centrality: A family of measures."
 * American Journal of Sociology 92(5), 1987, 1170–1182.
 * Bonacich, Phillip. "Factoring and weighting approaches to status scores
 * and clique identification." Journal of Mathematical Sociology 2(1), 1972.
 *
 * The iteration is networkx's `eigenvector_centrality` step for step:
 * - iterate x ← (A + I)x from the uniform vector; the shift by I keeps the
 *   iteration from oscillating on bipartite graphs (eigenvalues ±λ);
 * - divide by the Euclidean norm each step.
 *
 * Where it stops (`convergence`):
 * - 'converged' (default): once the estimated L1 distance to the leading
 *   eigenvector is below `tolerance` (1e-10). The error shrinks by a factor r
 *   per step (the ratio of the two largest eigenvalues of A + I), so it is
 *   about r / (1 − r) × the last L1 change; r is estimated as the ratio of the
 *   last two changes. This gives the eigenvector a direct eigensolver reports
 *   (numpy's `eigh`, networkx's `eigenvector_centrality_numpy`).
 * - 'networkx': networkx's rule, L1 change < n × `tolerance` (1e-6) within 100
 *   iterations, which can stop 1e-5 short: only to reproduce networkx.
 * On a disconnected graph the leading eigenvector lives on the component with
 * the largest eigenvalue, and the others decay slowly (r near 1): hence the
 * larger budget. When two components share that eigenvalue the result
 * depends on the start, as it does in networkx. A ConvergenceError says when
 * the budget ran out rather than return a guess.
 */
import type { AbstractGraph } from 'graphology-types';
import { byNode, csrOf, type CsrGraph } from '../csr.js';
import {
  ConvergenceError,
  DEFAULT_POWER_ITERATION_OPTIONS,
  assertGraph,
  resolveIteration,
  type ConvergenceRule,
  type IterationBudget,
  type PowerIterationOptions,
} from './paths.js';

const MODULE = 'metrics/eigenvector';

/** `weighted`: A holds the weights rather than 1s (networkx's default is unweighted). */
export type EigenvectorOptions = PowerIterationOptions;

/** Each rule's default budget and tolerance. */
export const EIGENVECTOR_CONVERGENCE: Record<ConvergenceRule, IterationBudget> = {
  // Disconnected graphs converge at the ratio of their components' leading
  // eigenvalues, which can be close to 1 (see the header).
  converged: { tolerance: 1e-10, maxIterations: 10_000 },
  networkx: { tolerance: 1e-6, maxIterations: 100 },
};

export const DEFAULT_EIGENVECTOR_OPTIONS: EigenvectorOptions = DEFAULT_POWER_ITERATION_OPTIONS;

type ResolvedEigenvectorOptions = EigenvectorOptions & IterationBudget;

function resolve(options: Partial<EigenvectorOptions>): ResolvedEigenvectorOptions {
  const merged = { ...DEFAULT_EIGENVECTOR_OPTIONS, ...options };
  return { ...merged, ...resolveIteration(MODULE, merged, EIGENVECTOR_CONVERGENCE) };
}

/**
 * Whether to stop after a step whose L1 change is `change`, the step before
 * having changed by `previous`.
 */
function settled(
  { convergence, tolerance }: ResolvedEigenvectorOptions,
  n: number,
  change: number,
  previous: number,
): boolean {
  if (convergence === 'networkx') return change < n * tolerance;
  if (!(change < tolerance)) return false;
  // The error left is about r / (1 − r) × change; r ≥ 1 means not (yet) settling.
  const ratio = change / previous;
  return ratio < 1 && (change * ratio) / (1 - ratio) < tolerance;
}

/**
 * Eigenvector centrality per node index on a snapshot (unit Euclidean norm).
 * `weighted` reads `csr.weights`; `weightAttribute` is not used.
 * @throws {ConvergenceError} when the iteration budget runs out.
 */
export function eigenvectorOnCsr(csr: CsrGraph, options: Partial<EigenvectorOptions> = {}): Float64Array {
  const resolved = resolve(options);
  const { weighted, maxIterations } = resolved;
  const { n, offsets, targets, weights } = csr;
  // networkx raises on an empty graph; an empty result is more useful here.
  if (n === 0) return new Float64Array(0);
  let x = new Float64Array(n).fill(1 / n);
  let next = new Float64Array(n);
  let change = Infinity;
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    next.set(x); // the I in A + I
    for (let v = 0; v < n; v++) {
      const xv = x[v]!;
      const end = offsets[v + 1]!;
      if (weighted) for (let slot = offsets[v]!; slot < end; slot++) next[targets[slot]!]! += xv * weights[slot]!;
      else for (let slot = offsets[v]!; slot < end; slot++) next[targets[slot]!]! += xv;
    }
    let squares = 0;
    for (let v = 0; v < n; v++) squares += next[v]! * next[v]!;
    // networkx: "in case it is due to numerical error, we assume the norm to be one".
    const norm = Math.sqrt(squares) || 1;
    const previous = change;
    change = 0;
    for (let v = 0; v < n; v++) {
      next[v]! /= norm;
      change += Math.abs(next[v]! - x[v]!);
    }
    [x, next] = [next, x];
    if (settled(resolved, n, change, previous)) return x;
  }
  const threshold = resolved.convergence === 'networkx' ? n * resolved.tolerance : resolved.tolerance;
  throw new ConvergenceError(MODULE, maxIterations, change, threshold);
}

/**
 * Eigenvector centrality of every node, keyed by node (unit Euclidean norm).
 *
 * @example
 * eigenvector(graph); // = numpy's leading eigenvector of A, to 1e-10
 * eigenvector(graph, { weighted: true }); // the same, A holding the weights
 * eigenvector(graph, { convergence: 'networkx' }); // = networkx eigenvector_centrality(G)
 * @throws {ConvergenceError} when the iteration budget runs out.
 */
export function eigenvector(graph: AbstractGraph, options: Partial<EigenvectorOptions> = {}): Record<string, number> {
  assertGraph(MODULE, graph);
  const resolved = resolve(options);
  const csr = csrOf(graph, { weightAttribute: resolved.weighted ? resolved.weightAttribute : null });
  return byNode(csr, eigenvectorOnCsr(csr, resolved));
}

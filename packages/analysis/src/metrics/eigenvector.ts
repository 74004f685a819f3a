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
 * Replicates networkx's `eigenvector_centrality` step for step, so the
 * default output equals networkx's default output:
 * - iterate x ← (A + I)x from the uniform vector; the shift by I keeps the
 *   iteration from oscillating on bipartite graphs (eigenvalues ±λ);
 * - divide by the Euclidean norm each step;
 * - stop when the L1 change is below n × tolerance, else throw.
 * On a disconnected graph the result depends on this start and stopping
 * rule (the leading eigenvector is not unique), and slow convergence is
 * common: a ConvergenceError then says so rather than returning a guess.
 */
import type { AbstractGraph } from 'graphology-types';
import { byNode, csrOf, type CsrGraph } from '../csr.js';
import { ConvergenceError, assertGraph, checkIterationOptions } from './paths.js';

const MODULE = 'metrics/eigenvector';

export interface EigenvectorOptions {
  /** Use edge weights (A holds weights rather than 1s). networkx's default is unweighted. */
  weighted: boolean;
  /** Edge attribute holding the weight, read when `weighted`. */
  weightAttribute: string;
  /** Iteration budget (networkx `max_iter`). */
  maxIterations: number;
  /** Per-node tolerance: stop when the L1 change < n × tolerance (networkx `tol`). */
  tolerance: number;
}

export const DEFAULT_EIGENVECTOR_OPTIONS: EigenvectorOptions = {
  weighted: false,
  weightAttribute: 'weight',
  maxIterations: 100,
  tolerance: 1e-6,
};

/**
 * Eigenvector centrality per node index on a snapshot (unit Euclidean norm).
 * `weighted` reads `csr.weights`; `weightAttribute` is not used.
 * @throws {ConvergenceError} when the iteration budget runs out.
 */
export function eigenvectorOnCsr(csr: CsrGraph, options: Partial<EigenvectorOptions> = {}): Float64Array {
  const { weighted, maxIterations, tolerance } = { ...DEFAULT_EIGENVECTOR_OPTIONS, ...options };
  checkIterationOptions(MODULE, { maxIterations, tolerance });
  const { n, offsets, targets, weights } = csr;
  // networkx raises on an empty graph; an empty result is more useful here.
  if (n === 0) return new Float64Array(0);
  let x = new Float64Array(n).fill(1 / n);
  let next = new Float64Array(n);
  const threshold = n * tolerance;
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
    change = 0;
    for (let v = 0; v < n; v++) {
      next[v]! /= norm;
      change += Math.abs(next[v]! - x[v]!);
    }
    [x, next] = [next, x];
    if (change < threshold) return x;
  }
  throw new ConvergenceError(MODULE, maxIterations, change, threshold);
}

/**
 * Eigenvector centrality of every node, keyed by node (unit Euclidean norm).
 *
 * @example
 * eigenvector(graph); // = networkx eigenvector_centrality(G)
 * eigenvector(graph, { weighted: true }); // = networkx eigenvector_centrality(G, weight='weight')
 * @throws {ConvergenceError} when the iteration budget runs out.
 */
export function eigenvector(graph: AbstractGraph, options: Partial<EigenvectorOptions> = {}): Record<string, number> {
  assertGraph(MODULE, graph);
  const resolved = { ...DEFAULT_EIGENVECTOR_OPTIONS, ...options };
  checkIterationOptions(MODULE, resolved);
  const csr = csrOf(graph, { weightAttribute: resolved.weighted ? resolved.weightAttribute : null });
  return byNode(csr, eigenvectorOnCsr(csr, resolved));
}

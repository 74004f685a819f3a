/**
 * Betweenness centrality
 * ======================
 *
 * The share of shortest paths between other pairs of nodes that pass
 * through a node: who brokers between otherwise distant nominals.
 *
 * [Reference]:
 * Brandes, Ulrik. "A faster algorithm for betweenness centrality."
 * Journal of Mathematical Sociology 25(2), 2001, 163–177.
 * Brandes, Ulrik. "On variants of shortest-path betweenness centrality and
 * their generic computation." Social Networks 30(2), 2008, 136–145
 * (weighted lengths, endpoints and normalisation).
 *
 * Exact: one BFS (unweighted) or Dijkstra (weighted) per source, then the
 * dependency accumulation in reverse settling order; O(nm) unweighted,
 * O(nm + n² log n) weighted. Values and scaling are those of networkx's
 * `betweenness_centrality` (endpoints excluded, undirected).
 */
import type { AbstractGraph } from 'graphology-types';
import { byNode, type CsrGraph } from '../csr.js';
import {
  CentralityError,
  DEFAULT_PATH_OPTIONS,
  assertGraph,
  checkPathOptions,
  snapshotFor,
  sourceSearch,
  type PathOptions,
} from './paths.js';

const MODULE = 'metrics/betweenness';

export interface BetweennessOptions extends PathOptions {
  /**
   * Divide by the number of pairs not involving the node, (n − 1)(n − 2), so
   * values lie in [0, 1]. Otherwise each unordered pair is counted once.
   */
  normalized: boolean;
  /**
   * Relative tolerance under which two weighted path lengths count as equal
   * (|a − b| ≤ tieTolerance × b). Floating-point sums of inverse weights can
   * split true ties (1/5 + 1/5 + 1/5 ≠ 3/5 in binary), which would hand a
   * broker's share wholly to one of two equally short routes. networkx
   * compares exactly: set 0 to reproduce it. Ignored when unweighted.
   */
  tieTolerance: number;
}

export const DEFAULT_BETWEENNESS_OPTIONS: BetweennessOptions = {
  ...DEFAULT_PATH_OPTIONS,
  normalized: true,
  tieTolerance: 1e-10,
};

function resolve(options: Partial<BetweennessOptions>): BetweennessOptions {
  const resolved = { ...DEFAULT_BETWEENNESS_OPTIONS, ...options };
  checkPathOptions(MODULE, resolved);
  if (!(resolved.tieTolerance >= 0 && resolved.tieTolerance < 1e-3)) {
    throw new CentralityError(MODULE, 'INVALID_OPTION', `tieTolerance must be in [0, 1e-3), got ${resolved.tieTolerance}.`);
  }
  return resolved;
}

/**
 * Betweenness centrality per node index on a snapshot. `weighted` reads
 * `csr.weights` (1 on an unweighted snapshot); `weightAttribute` is not used.
 */
export function betweennessOnCsr(csr: CsrGraph, options: Partial<BetweennessOptions> = {}): Float64Array {
  const { normalized, weighted, distance, tieTolerance } = resolve(options);
  const { n } = csr;
  const centrality = new Float64Array(n);
  const delta = new Float64Array(n);
  const search = sourceSearch(csr, { weighted, distance }, true, tieTolerance);
  const { sigma, order, arcFrom, arcTo } = search.ws;

  for (let s = 0; s < n; s++) {
    const reached = search.from(s);
    // Dependencies flow back along the shortest-path DAG (Brandes 2001,
    // Theorem 6): walking the arcs backwards, delta[w] is complete before
    // any arc into w is taken.
    for (let arc = search.ws.arcs - 1; arc >= 0; arc--) {
      const v = arcFrom[arc]!;
      const w = arcTo[arc]!;
      delta[v] += sigma[v]! * ((1 + delta[w]!) / sigma[w]!);
    }
    delta[s] = 0;
    for (let i = 1; i < reached; i++) {
      const w = order[i]!;
      centrality[w] += delta[w]!;
      delta[w] = 0;
    }
  }

  // networkx's _rescale with endpoints excluded: N = n − 1 targets per source.
  if (n - 1 >= 2) {
    const scale = normalized ? 1 / ((n - 1) * (n - 2)) : 0.5;
    for (let v = 0; v < n; v++) centrality[v] *= scale;
  }
  return centrality;
}

/**
 * Betweenness centrality of every node, keyed by node.
 *
 * @example
 * betweenness(graph); // hop counts, normalised to [0, 1]
 * betweenness(graph, { weighted: true }); // strong ties are short (length 1/weight)
 * betweenness(graph, { weighted: true, distance: 'weight', tieTolerance: 0 }); // = networkx weight='weight'
 */
export function betweenness(graph: AbstractGraph, options: Partial<BetweennessOptions> = {}): Record<string, number> {
  assertGraph(MODULE, graph);
  const resolved = resolve(options);
  const csr = snapshotFor(graph, resolved);
  return byNode(csr, betweennessOnCsr(csr, resolved));
}

/**
 * Closeness centrality
 * ====================
 *
 * How near a node is to everyone it can reach: the inverse of its mean
 * shortest-path distance, scaled down by the share of the graph it reaches.
 *
 * [Reference]:
 * Freeman, Linton C. "Centrality in networks: I. Conceptual clarification."
 * Social Networks 1(3), 1979, 215–239.
 * Wasserman, Stanley and Faust, Katherine. "Social Network Analysis:
 * Methods and Applications." Cambridge University Press, 1994, §5.3
 * (the correction for disconnected graphs).
 *
 * For node u reaching r nodes (u included) at total distance s:
 *   C(u) = (r − 1) / s × (r − 1) / (n − 1), and 0 when s = 0.
 * This is networkx's `closeness_centrality` with `wf_improved=True`: without
 * the second factor a pendant pair would score 1, as central as a hub.
 */
import type { AbstractGraph } from 'graphology-types';
import { byNode, type CsrGraph } from '../csr.js';
import { DEFAULT_PATH_OPTIONS, assertGraph, checkPathOptions, snapshotFor, sourceSearch, type PathOptions } from './paths.js';

const MODULE = 'metrics/closeness';

export type ClosenessOptions = PathOptions;

export const DEFAULT_CLOSENESS_OPTIONS: ClosenessOptions = { ...DEFAULT_PATH_OPTIONS };

/**
 * Closeness centrality per node index on a snapshot. `weighted` reads
 * `csr.weights` (1 on an unweighted snapshot); `weightAttribute` is not used.
 */
export function closenessOnCsr(csr: CsrGraph, options: Partial<ClosenessOptions> = {}): Float64Array {
  const resolved = { ...DEFAULT_CLOSENESS_OPTIONS, ...options };
  checkPathOptions(MODULE, resolved);
  const { n } = csr;
  const centrality = new Float64Array(n);
  const search = sourceSearch(csr, resolved, false);
  const { dist, order } = search.ws;
  for (let u = 0; u < n; u++) {
    const reached = search.from(u);
    let total = 0;
    for (let i = 1; i < reached; i++) total += dist[order[i]!]!;
    if (total > 0 && n > 1) {
      // Same operations, in the same order, as networkx.
      centrality[u] = ((reached - 1) / total) * ((reached - 1) / (n - 1));
    }
  }
  return centrality;
}

/**
 * Closeness centrality (Wasserman–Faust for disconnected graphs) of every node, keyed by node.
 *
 * @example
 * closeness(graph); // hop counts
 * closeness(graph, { weighted: true }); // length 1/weight
 * closeness(graph, { weighted: true, distance: 'weight' }); // = networkx distance='weight'
 */
export function closeness(graph: AbstractGraph, options: Partial<ClosenessOptions> = {}): Record<string, number> {
  assertGraph(MODULE, graph);
  const resolved = { ...DEFAULT_CLOSENESS_OPTIONS, ...options };
  checkPathOptions(MODULE, resolved);
  const csr = snapshotFor(graph, resolved);
  return byNode(csr, closenessOnCsr(csr, resolved));
}

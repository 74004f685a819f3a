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
import { byNode, inducedWithout, valuesOnParent, type CsrGraph } from '../csr.js';
import { distanceBfsKernel } from './bfsKernels.js';
import {
  DEFAULT_PATH_OPTIONS,
  assertGraph,
  checkPathOptions,
  snapshotFor,
  sourceSearch,
  type PathOptions,
} from './paths.js';

const MODULE = 'metrics/closeness';

export type ClosenessOptions = PathOptions;

export const DEFAULT_CLOSENESS_OPTIONS: ClosenessOptions = { ...DEFAULT_PATH_OPTIONS };

export interface ClosenessRunOptions extends ClosenessOptions {
  /**
   * Nodes to leave out (`removed[v] = 1`): the result is that of the subgraph
   * induced by the others (n counts only them), indexed as `csr`, with 0 for
   * removed nodes. Saves building that subgraph at every step of a removal.
   */
  removed?: Uint8Array | undefined;
}

/** Closeness and harmonic centrality of every node, from one search per source. */
export interface ClosenessAndHarmonic {
  closeness: Float64Array;
  harmonic: Float64Array;
}

/**
 * Closeness (Wasserman–Faust, as {@link closenessOnCsr}) and harmonic
 * centrality (as `harmonicOnCsr`) per node index, from one search per
 * source: direction-optimising BFS when unweighted (bfsKernels.ts),
 * Dijkstra when weighted. `sources` restricts the work to some nodes (the
 * others stay 0); the parallel entry point uses it.
 */
export function closenessAndHarmonicOnCsr(
  csr: CsrGraph,
  options: Partial<ClosenessRunOptions> = {},
  sources?: Int32Array,
): ClosenessAndHarmonic {
  const { removed, ...resolved } = { ...DEFAULT_CLOSENESS_OPTIONS, ...options };
  checkPathOptions(MODULE, resolved);
  const { n } = csr;
  const closeness = new Float64Array(n);
  const harmonic = new Float64Array(n);
  const from = sources ?? Int32Array.from({ length: n }, (_, v) => v);
  if (!resolved.weighted) {
    distanceBfsKernel(n, csr.offsets, csr.targets, removed ?? null, from, 0, 1, closeness, harmonic, null);
    return { closeness, harmonic };
  }
  if (removed !== undefined) {
    // Dijkstra takes no mask: run on the induced snapshot, every source of it.
    if (sources !== undefined)
      throw new RangeError(`@ocgnet/analysis/${MODULE}: sources and removed do not combine on a weighted run`);
    const { induced, members } = inducedWithout(csr, removed);
    const inner = closenessAndHarmonicOnCsr(induced, resolved);
    return {
      closeness: valuesOnParent(csr, members, inner.closeness),
      harmonic: valuesOnParent(csr, members, inner.harmonic),
    };
  }
  const search = sourceSearch(csr, resolved, false);
  const { dist, order } = search.ws;
  for (const u of from) {
    const reached = search.from(u);
    let total = 0;
    let inverse = 0;
    for (let i = 1; i < reached; i++) {
      const d = dist[order[i]!]!;
      total += d;
      // order[0] is u itself, at distance 0; lengths are positive, so no other zero.
      inverse += 1 / d;
    }
    if (total > 0 && n > 1) {
      // Same operations, in the same order, as networkx.
      closeness[u] = ((reached - 1) / total) * ((reached - 1) / (n - 1));
    }
    harmonic[u] = inverse;
  }
  return { closeness, harmonic };
}

/**
 * Closeness centrality per node index on a snapshot. `weighted` reads
 * `csr.weights` (1 on an unweighted snapshot); `weightAttribute` is not used.
 */
export function closenessOnCsr(csr: CsrGraph, options: Partial<ClosenessRunOptions> = {}): Float64Array {
  return closenessAndHarmonicOnCsr(csr, options).closeness;
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

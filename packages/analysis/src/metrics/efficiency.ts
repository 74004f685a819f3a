/**
 * Global efficiency
 * =================
 *
 * How well a network exchanges information: the mean over ordered pairs of
 * distinct nodes of 1/d, d the hop distance (0 for a pair that cannot reach
 * each other).
 *
 * [Reference]:
 * Latora, Vito and Massimo Marchiori. "Efficient behavior of small-world
 * networks." Physical Review Letters 87(19), 2001, 198701.
 *
 * As networkx `global_efficiency`, on the snapshot's simple undirected view,
 * unweighted. With a removal mask it is the efficiency of the subgraph the
 * remaining nodes induce, with no subgraph built: the removal simulation and
 * the key-player search re-measure it after every removal.
 *
 * One direction-optimising BFS per remaining node (bfsKernels.ts), which
 * counts the pairs at each distance; the sum Σ_d pairs(d)/d is then taken
 * in order of d, so the value does not depend on the order of the sources
 * and two node sets with the same distance profile score exactly the same.
 */
import type { CsrGraph } from '../csr.js';
import { distanceBfsKernel } from './bfsKernels.js';

export interface GlobalEfficiency {
  /** Nodes not removed. */
  nodes: number;
  /** Ordered pairs of distinct remaining nodes: nodes × (nodes − 1). */
  pairs: number;
  /** Σ over those pairs of 1/d. */
  inverseDistanceSum: number;
  /** inverseDistanceSum / pairs; 0 with fewer than two nodes. */
  efficiency: number;
  /** Ordered pairs at each hop distance d ≥ 1 (index d; index 0 unused). */
  pairsAtDistance: Float64Array;
}

/**
 * Global efficiency of a snapshot, without the nodes where `removed[v] = 1`
 * when a mask is given. O(n(n + m)).
 *
 * @example
 * globalEfficiencyOnCsr(csrOf(graph)).efficiency; // = networkx global_efficiency(G)
 */
export function globalEfficiencyOnCsr(csr: CsrGraph, removed: Uint8Array | null = null): GlobalEfficiency {
  const { n } = csr;
  const sources: number[] = [];
  for (let v = 0; v < n; v++) if (removed === null || removed[v] !== 1) sources.push(v);
  const pairsAtDistance = new Float64Array(n + 1);
  // The kernel also writes closeness and harmonic per source; only the pair counts are read here.
  distanceBfsKernel(
    n,
    csr.offsets,
    csr.targets,
    removed,
    Int32Array.from(sources),
    0,
    1,
    new Float64Array(n),
    new Float64Array(n),
    pairsAtDistance,
  );
  let inverseDistanceSum = 0;
  for (let d = 1; d <= n; d++) if (pairsAtDistance[d]! > 0) inverseDistanceSum += pairsAtDistance[d]! / d;
  const nodes = sources.length;
  const pairs = nodes * (nodes - 1);
  return {
    nodes,
    pairs,
    inverseDistanceSum,
    efficiency: pairs === 0 ? 0 : inverseDistanceSum / pairs,
    pairsAtDistance,
  };
}

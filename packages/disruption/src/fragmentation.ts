/**
 * How connected a network still is once some nodes are gone: the measures a
 * removal curve reports after every step.
 *
 * - Largest connected component (LCC), absolute and as a fraction of the
 *   *original* node count, and the number of components.
 * - Borgatti's fragmentation F = 1 − Σ_k s_k(s_k − 1) / (N(N − 1)), the share
 *   of ordered pairs of remaining nodes that cannot reach each other
 *   (Borgatti 2006, "Identifying sets of key players", eq. 4).
 * - Distance-weighted fragmentation dF = 1 − Σ_{i≠j} (1/d_ij) / (N(N − 1))
 *   (Borgatti 2006, eq. 9), unreachable pairs contributing 0.
 * - Global efficiency E = Σ_{i≠j} (1/d_ij) / (N(N − 1)) (Latora & Marchiori
 *   2001), as networkx `global_efficiency`; note dF = 1 − E.
 *
 * N is the number of nodes still present. With fewer than two nodes left
 * there are no pairs: F and dF are 1 and E is 0 by convention.
 * Distances are hop counts (the network's weights are not lengths here).
 */
import { connectedComponentsOnCsr, globalEfficiencyOnCsr, type CsrComponents, type CsrGraph } from '@ocgnet/analysis';

export interface ConnectivityState {
  /** Nodes still present. */
  remaining: number;
  /** Size of the largest connected component among them. */
  lcc: number;
  /** lcc / the original node count. */
  lccFraction: number;
  components: number;
  fragmentation: number;
}

export interface DistanceState {
  /** Borgatti's distance-weighted fragmentation. */
  distanceFragmentation: number;
  efficiency: number;
}

/** Sizes of the components of the snapshot without the removed nodes (removed[i] = 1), largest first. */
export function componentSizes(csr: CsrGraph, removed: Uint8Array): number[] {
  return connectedComponentsOnCsr(csr, removed).sizes;
}

/** LCC, components and Borgatti's F after removing `removed`. O(n + m). */
export function connectivity(csr: CsrGraph, removed: Uint8Array): ConnectivityState {
  return connectivityOf(csr, connectedComponentsOnCsr(csr, removed));
}

/** {@link connectivity} from components already labelled (`connectedComponentsOnCsr(csr, removed)`). */
export function connectivityOf(csr: Pick<CsrGraph, 'n'>, components: Pick<CsrComponents, 'sizes'>): ConnectivityState {
  const { sizes } = components;
  let remaining = 0;
  let connectedPairs = 0;
  for (const size of sizes) {
    remaining += size;
    connectedPairs += size * (size - 1);
  }
  const lcc = sizes[0] ?? 0;
  const pairs = remaining * (remaining - 1);
  return {
    remaining,
    lcc,
    lccFraction: csr.n === 0 ? 0 : lcc / csr.n,
    components: sizes.length,
    fragmentation: pairs === 0 ? 1 : 1 - connectedPairs / pairs,
  };
}

/**
 * Distance-weighted fragmentation and global efficiency after removing
 * `removed`, from the masked BFS kernel of @ocgnet/analysis
 * (`globalEfficiencyOnCsr`). O(n(n + m)): one BFS per remaining node.
 */
export function distanceConnectivity(csr: CsrGraph, removed: Uint8Array): DistanceState {
  const { pairs, efficiency } = globalEfficiencyOnCsr(csr, removed);
  return { distanceFragmentation: pairs === 0 ? 1 : 1 - efficiency, efficiency };
}

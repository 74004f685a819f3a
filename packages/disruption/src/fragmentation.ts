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
import type { CsrGraph } from '@ocgnet/analysis';

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

/** Components of the snapshot without the removed nodes (removed[i] = 1). */
export function componentSizes(csr: CsrGraph, removed: Uint8Array, queue = new Int32Array(csr.n), seen = new Uint8Array(csr.n)): number[] {
  const { n, offsets, targets } = csr;
  seen.fill(0);
  const sizes: number[] = [];
  for (let start = 0; start < n; start++) {
    if (removed[start] || seen[start]) continue;
    let head = 0;
    let tail = 0;
    queue[tail++] = start;
    seen[start] = 1;
    while (head < tail) {
      const v = queue[head++]!;
      for (let slot = offsets[v]!; slot < offsets[v + 1]!; slot++) {
        const w = targets[slot]!;
        if (!removed[w] && !seen[w]) {
          seen[w] = 1;
          queue[tail++] = w;
        }
      }
    }
    sizes.push(tail);
  }
  return sizes;
}

/** LCC, components and Borgatti's F after removing `removed`. O(n + m). */
export function connectivity(csr: CsrGraph, removed: Uint8Array): ConnectivityState {
  const sizes = componentSizes(csr, removed);
  let remaining = 0;
  let lcc = 0;
  let connectedPairs = 0;
  for (const size of sizes) {
    remaining += size;
    if (size > lcc) lcc = size;
    connectedPairs += size * (size - 1);
  }
  const pairs = remaining * (remaining - 1);
  return {
    remaining,
    lcc,
    lccFraction: csr.n === 0 ? 0 : lcc / csr.n,
    components: sizes.length,
    fragmentation: pairs === 0 ? 1 : 1 - connectedPairs / pairs,
  };
}

/** Distance-weighted fragmentation and global efficiency after removing `removed`. O(n(n + m)): one BFS per remaining node. */
export function distanceConnectivity(csr: CsrGraph, removed: Uint8Array): DistanceState {
  const { n, offsets, targets } = csr;
  const distance = new Int32Array(n);
  const queue = new Int32Array(n);
  let remaining = 0;
  let inverseSum = 0;
  for (let source = 0; source < n; source++) {
    if (removed[source]) continue;
    remaining++;
    distance.fill(-1);
    distance[source] = 0;
    let head = 0;
    let tail = 0;
    queue[tail++] = source;
    while (head < tail) {
      const v = queue[head++]!;
      const next = distance[v]! + 1;
      for (let slot = offsets[v]!; slot < offsets[v + 1]!; slot++) {
        const w = targets[slot]!;
        if (!removed[w] && distance[w] === -1) {
          distance[w] = next;
          inverseSum += 1 / next;
          queue[tail++] = w;
        }
      }
    }
  }
  const pairs = remaining * (remaining - 1);
  const efficiency = pairs === 0 ? 0 : inverseSum / pairs;
  return { distanceFragmentation: pairs === 0 ? 1 : 1 - efficiency, efficiency };
}

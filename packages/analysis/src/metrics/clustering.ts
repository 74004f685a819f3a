/**
 * Local clustering coefficient of every node.
 *
 * Unweighted: the share of pairs of a node's neighbours that are themselves
 * linked, c(u) = 2 T(u) / (deg(u) (deg(u) − 1)) (Watts & Strogatz,
 * "Collective dynamics of 'small-world' networks", Nature 393, 1998).
 *
 * Weighted: each triangle counts the geometric mean of its three edge
 * weights, every weight first divided by the largest weight in the graph,
 * c(u) = 1 / (deg(u) (deg(u) − 1)) Σ_{v,w} (ŵ_uv ŵ_uw ŵ_vw)^(1/3)
 * (Onnela, Saramäki, Kertész & Kaski, "Intensity and coherence of motifs in
 * weighted complex networks", Phys. Rev. E 71, 065103, 2005).
 *
 * Equal to networkx `clustering(G)` and `clustering(G, weight='weight')` on
 * the undirected simple view of the graph (see csr.ts). Nodes of degree < 2
 * have coefficient 0, as in networkx.
 */
import type { AbstractGraph } from 'graphology-types';
import { byNode, csrOf, isGraphologyGraph, type CsrGraph } from '../csr.js';
import { commonTargets, lowerBound } from '../adjacency.js';

const ORIGIN = '@ocgnet/analysis/clustering';

export interface ClusteringOptions {
  /**
   * Weight triangles by the `weight` edge attribute (Onnela et al. 2005).
   * Absent weights count as 1; weights must be finite and positive.
   */
  weighted: boolean;
}

export const DEFAULT_CLUSTERING_OPTIONS: ClusteringOptions = { weighted: false };

/**
 * Local clustering coefficient of every node of `graph`, keyed by node.
 *
 * @throws TypeError when `graph` is not a graphology graph or an option has the wrong type.
 * @throws RangeError (from the snapshot) when weighted and an edge weight is not finite and positive.
 */
export function clustering(graph: AbstractGraph, options: Partial<ClusteringOptions> = {}): Record<string, number> {
  if (!isGraphologyGraph(graph)) throw new TypeError(`${ORIGIN}: expected a graphology graph`);
  const settings = resolveOptions(options);
  const csr = csrOf(graph, { weightAttribute: settings.weighted ? 'weight' : null });
  return byNode(csr, clusteringOnCsr(csr, settings));
}

/**
 * Local clustering coefficient of every node of a snapshot, by node index.
 * When weighted, the snapshot's weights are used (all 1 in an unweighted
 * snapshot, which gives the unweighted coefficient).
 */
export function clusteringOnCsr(csr: CsrGraph, options: Partial<ClusteringOptions> = {}): Float64Array {
  const { weighted } = resolveOptions(options);
  const { n, offsets, targets, weights } = csr;
  // Triangle counts per node (each triangle once), or their weighted sums.
  const triangles = new Float64Array(n);
  let maxWeight = 1;
  if (weighted && csr.m > 0) {
    maxWeight = 0;
    for (let e = 0; e < csr.m; e++) if (csr.edgeWeight[e]! > maxWeight) maxWeight = csr.edgeWeight[e]!;
  }

  // Each triangle u < v < w is found once: from its smallest node u, for each
  // neighbour v > u, by intersecting the sorted tails (> v) of N(u) and N(v).
  const scratch = maxDegreeOf(csr);
  const slotsU = new Int32Array(scratch);
  const slotsV = new Int32Array(scratch);
  for (let u = 0; u < n; u++) {
    const uEnd = offsets[u + 1]!;
    for (let su = lowerBound(targets, offsets[u]!, uEnd, u + 1); su < uEnd; su++) {
      const v = targets[su]!;
      const vEnd = offsets[v + 1]!;
      const common = commonTargets(
        targets,
        su + 1,
        uEnd,
        lowerBound(targets, offsets[v]!, vEnd, v + 1),
        vEnd,
        slotsU,
        slotsV,
      );
      for (let c = 0; c < common; c++) {
        const uw = slotsU[c]!;
        const w = targets[uw]!;
        if (weighted) {
          // networkx's order: ŵ_uv · ŵ_vw · ŵ_wu, each normalised first.
          const g = Math.cbrt(
            (weights[su]! / maxWeight) * (weights[slotsV[c]!]! / maxWeight) * (weights[uw]! / maxWeight),
          );
          triangles[u]! += g;
          triangles[v]! += g;
          triangles[w]! += g;
        } else {
          triangles[u]!++;
          triangles[v]!++;
          triangles[w]!++;
        }
      }
    }
  }

  const result = new Float64Array(n);
  for (let u = 0; u < n; u++) {
    const degree = offsets[u + 1]! - offsets[u]!;
    const t = 2 * triangles[u]!;
    result[u] = t === 0 ? 0 : t / (degree * (degree - 1));
  }
  return result;
}

function maxDegreeOf({ n, offsets }: CsrGraph): number {
  let max = 0;
  for (let v = 0; v < n; v++) max = Math.max(max, offsets[v + 1]! - offsets[v]!);
  return max;
}

function resolveOptions(options: Partial<ClusteringOptions>): ClusteringOptions {
  const settings = { ...DEFAULT_CLUSTERING_OPTIONS, ...options };
  if (typeof settings.weighted !== 'boolean')
    throw new TypeError(`${ORIGIN}: option "weighted" must be a boolean, got ${String(settings.weighted)}`);
  return settings;
}

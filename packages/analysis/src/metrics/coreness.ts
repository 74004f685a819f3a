/**
 * k-core number (coreness) of every node.
 *
 * The core number of a node is the largest k such that the node belongs to
 * the k-core: the maximal subgraph in which every node has degree ≥ k.
 * Computed by the bin-sort peeling of Batagelj & Zaversnik, "An O(m)
 * Algorithm for Cores Decomposition of Networks" (2003), Algorithm 1.
 *
 * Equal to networkx `core_number` on the undirected simple view of the graph.
 * networkx refuses graphs with self-loops; here they are left out by the
 * snapshot (see csr.ts), as are edge directions and parallel edges.
 */
import type { AbstractGraph } from 'graphology-types';
import { byNode, csrOf, isGraphologyGraph, type CsrGraph } from '../csr.js';

const ORIGIN = '@ocgnet/analysis/coreness';

/**
 * Core number of every node of `graph`, keyed by node. Isolated nodes have
 * core number 0. Weights and directions are ignored.
 *
 * @throws TypeError when `graph` is not a graphology graph.
 */
export function coreness(graph: AbstractGraph): Record<string, number> {
  if (!isGraphologyGraph(graph)) throw new TypeError(`${ORIGIN}: expected a graphology graph`);
  // Structure only: an unweighted snapshot, so bad weights cannot stop it.
  const csr = csrOf(graph, { weightAttribute: null });
  return byNode(csr, corenessOnCsr(csr));
}

/** Core number of every node of a snapshot, by node index. O(n + m). */
export function corenessOnCsr(csr: CsrGraph): Int32Array {
  const { n, offsets, targets } = csr;
  const degree = new Int32Array(n);
  let maxDegree = 0;
  for (let v = 0; v < n; v++) {
    degree[v] = offsets[v + 1]! - offsets[v]!;
    if (degree[v]! > maxDegree) maxDegree = degree[v]!;
  }

  // Bucket sort the nodes by degree: vert holds them in degree order, pos
  // is each node's place in vert, bin[d] is where degree d starts.
  const bin = new Int32Array(maxDegree + 1);
  for (let v = 0; v < n; v++) bin[degree[v]!]!++;
  let start = 0;
  for (let d = 0; d <= maxDegree; d++) {
    const count = bin[d]!;
    bin[d] = start;
    start += count;
  }
  const vert = new Int32Array(n);
  const pos = new Int32Array(n);
  for (let v = 0; v < n; v++) {
    pos[v] = bin[degree[v]!]!;
    vert[pos[v]!] = v;
    bin[degree[v]!]!++;
  }
  for (let d = maxDegree; d > 0; d--) bin[d] = bin[d - 1]!;
  bin[0] = 0;

  // Peel in degree order. Lowering a neighbour's degree moves it to the
  // front of its bucket and shifts the bucket start: O(1) per edge end.
  for (let i = 0; i < n; i++) {
    const v = vert[i]!;
    const dv = degree[v]!;
    for (let s = offsets[v]!, end = offsets[v + 1]!; s < end; s++) {
      const u = targets[s]!;
      const du = degree[u]!;
      if (du > dv) {
        const pu = pos[u]!;
        const pw = bin[du]!;
        const w = vert[pw]!;
        if (u !== w) {
          pos[u] = pw;
          vert[pu] = w;
          pos[w] = pu;
          vert[pw] = u;
        }
        bin[du]!++;
        degree[u] = du - 1;
      }
    }
  }
  return degree;
}

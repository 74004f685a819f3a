/**
 * The snapshot in canonical order, for the seeded community searches: nodes
 * sorted by id (`compareIds`), isolated nodes left out.
 *
 * Louvain and Leiden visit nodes in a seeded random order, a permutation of
 * node indices, and break ties by neighbour order; run on the snapshot's own
 * indices, the same graph read from two files (GraphML against a headerless
 * edge list, say) numbers its nodes differently and can end in a different
 * partition. Sorted by id, the result depends on the graph and the seed only.
 * Isolated nodes are always communities of one, and readers name them
 * differently (UCINET DL makes up ids for isolates it never names), so they
 * are left out of the indices rather than allowed to shift the others.
 */
import { compareIds } from '@ocgnet/schema';
import type { CsrGraph } from '../csr.js';
import { compact, type LevelGraph } from './louvainCsr.js';

export interface CanonicalGraph {
  /** The level-0 graph over the non-isolated nodes, in id order; neighbours ascending. */
  graph: LevelGraph;
  /** graph node i is snapshot node `original[i]`. */
  original: Int32Array;
  /** Σ of every adjacency slot's weight: twice the total edge weight. */
  total: number;
}

/** The non-isolated nodes of `csr`, renumbered in id order, with their ties. */
export function canonicalGraph(csr: CsrGraph): CanonicalGraph {
  const { n, ids, offsets, targets, weights } = csr;
  const kept: number[] = [];
  for (let v = 0; v < n; v++) if (offsets[v + 1]! > offsets[v]!) kept.push(v);
  const original = Int32Array.from(kept.sort((a, b) => compareIds(ids[a]!, ids[b]!)));
  const count = original.length;
  const position = new Int32Array(n).fill(-1);
  for (let i = 0; i < count; i++) position[original[i]!] = i;

  const newOffsets = new Int32Array(count + 1);
  for (let i = 0; i < count; i++) {
    const v = original[i]!;
    newOffsets[i + 1] = newOffsets[i]! + offsets[v + 1]! - offsets[v]!;
  }
  // Walking nodes in new order and appending each to its neighbours' lists
  // leaves every list ascending: a transpose, no sort.
  const fill = newOffsets.slice(0, count);
  const newTargets = new Int32Array(newOffsets[count]!);
  const newWeights = new Float64Array(newOffsets[count]!);
  let total = 0;
  let unit = true;
  for (let i = 0; i < count; i++) {
    const v = original[i]!;
    for (let slot = offsets[v]!; slot < offsets[v + 1]!; slot++) {
      const j = position[targets[slot]!]!;
      const at = fill[j]!++;
      newTargets[at] = i;
      newWeights[at] = weights[slot]!;
      total += weights[slot]!;
      if (weights[slot] !== 1) unit = false;
    }
  }
  return {
    graph: {
      n: count,
      offsets: newOffsets,
      targets: newTargets,
      weights: newWeights,
      unit,
      loops: new Float64Array(count),
    },
    original,
    total,
  };
}

/**
 * A community per snapshot node from one per canonical node: isolated nodes
 * alone, then numbered 0 … k − 1 in order of each community's first snapshot node.
 */
export function snapshotMembership(csr: CsrGraph, canonical: CanonicalGraph, labels: Int32Array): Int32Array {
  const membership = new Int32Array(csr.n).fill(-1);
  for (let i = 0; i < canonical.original.length; i++) membership[canonical.original[i]!] = labels[i]!;
  // Isolates take labels past every canonical label, so no two share one.
  let next = canonical.graph.n;
  for (let v = 0; v < csr.n; v++) if (membership[v] === -1) membership[v] = next++;
  compact(membership);
  return membership;
}

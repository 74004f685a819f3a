/**
 * Degree and strength
 * ===================
 *
 * Degree: how many distinct associates a node has. Strength: the sum of the
 * weights of its ties, i.e. weighted degree (how much contact, not how many
 * contacts).
 *
 * [Reference]:
 * Freeman, Linton C. "Centrality in networks: I. Conceptual clarification."
 * Social Networks 1(3), 1979, 215–239 (degree).
 * Barrat, Alain et al. "The architecture of complex weighted networks."
 * PNAS 101(11), 2004, 3747–3752 (strength).
 *
 * Both count the snapshot's simple undirected view: parallel edges are one
 * tie (their weights summed) and self-loops are left out (see csr.ts).
 */
import type { AbstractGraph } from 'graphology-types';
import { byNode, csrOf, type CsrGraph } from '../csr.js';
import { assertGraph } from './paths.js';

const MODULE = 'metrics/degree';

export interface DegreeOptions {
  /**
   * Divide by n − 1, the most associates a node could have, as networkx's
   * `degree_centrality` (which gives 1 on a one-node graph).
   */
  normalized: boolean;
}

export const DEFAULT_DEGREE_OPTIONS: DegreeOptions = { normalized: false };

export interface StrengthOptions {
  /** Edge attribute holding the weight (absent means 1). */
  weightAttribute: string;
}

export const DEFAULT_STRENGTH_OPTIONS: StrengthOptions = { weightAttribute: 'weight' };

/**
 * Number of associates per node index on a snapshot, as integers: what
 * igraph's `degree()` and networkx's `degree` count on a simple graph.
 * Half the bytes of `degreeOnCsr`, and a million-node result is fresh
 * memory the first write must fault in.
 */
export function degreeCountsOnCsr(csr: CsrGraph): Int32Array {
  const { n, offsets } = csr;
  const counts = new Int32Array(n);
  for (let v = 0; v < n; v++) counts[v] = offsets[v + 1]! - offsets[v]!;
  return counts;
}

/** Degree per node index on a snapshot (normalised on request). */
export function degreeOnCsr(csr: CsrGraph, options: Partial<DegreeOptions> = {}): Float64Array {
  const { normalized } = { ...DEFAULT_DEGREE_OPTIONS, ...options };
  const { n, offsets } = csr;
  const result = new Float64Array(n);
  if (normalized && n <= 1) return result.fill(1);
  const scale = normalized ? 1 / (n - 1) : 1;
  for (let v = 0; v < n; v++) result[v] = (offsets[v + 1]! - offsets[v]!) * scale;
  return result;
}

/**
 * Degree of every node, keyed by node.
 *
 * @example
 * degree(graph); // { alice: 3, bob: 1, … }
 * degree(graph, { normalized: true }); // = networkx degree_centrality
 */
export function degree(graph: AbstractGraph, options: Partial<DegreeOptions> = {}): Record<string, number> {
  assertGraph(MODULE, graph);
  const csr = csrOf(graph, { weightAttribute: null });
  return byNode(csr, degreeOnCsr(csr, options));
}

/** Strength (sum of tie weights) per node index on a snapshot; equals degree on an unweighted one. */
export function strengthOnCsr(csr: CsrGraph): Float64Array {
  const { n, offsets, weights } = csr;
  const result = new Float64Array(n);
  for (let v = 0; v < n; v++) {
    let total = 0;
    for (let slot = offsets[v]!; slot < offsets[v + 1]!; slot++) total += weights[slot]!;
    result[v] = total;
  }
  return result;
}

/**
 * Strength (weighted degree) of every node, keyed by node.
 *
 * @example
 * strength(graph); // { alice: 17, bob: 2, … } with weights read from 'weight'
 */
export function strength(graph: AbstractGraph, options: Partial<StrengthOptions> = {}): Record<string, number> {
  assertGraph(MODULE, graph);
  const { weightAttribute } = { ...DEFAULT_STRENGTH_OPTIONS, ...options };
  const csr = csrOf(graph, { weightAttribute });
  return byNode(csr, strengthOnCsr(csr));
}

/**
 * Harmonic centrality
 * ===================
 *
 * The sum of inverse distances to every other node, 1/d(u, v), with
 * unreachable nodes adding 0. Unlike closeness it needs no correction for
 * disconnected graphs, which intelligence graphs nearly always are.
 *
 * [Reference]:
 * Marchiori, Massimo and Latora, Vito. "Harmony in the small-world."
 * Physica A 285(3–4), 2000, 539–546.
 * Boldi, Paolo and Vigna, Sebastiano. "Axioms for centrality." Internet
 * Mathematics 10(3–4), 2014, 222–262.
 *
 * Not normalised, as networkx's `harmonic_centrality`; divide by n − 1 for
 * a value in [0, 1] on unweighted graphs.
 */
import type { AbstractGraph } from 'graphology-types';
import { byNode, type CsrGraph } from '../csr.js';
import { closenessAndHarmonicOnCsr, type ClosenessRunOptions } from './closeness.js';
import { DEFAULT_PATH_OPTIONS, assertGraph, checkPathOptions, snapshotFor, type PathOptions } from './paths.js';

const MODULE = 'metrics/harmonic';

export type HarmonicOptions = PathOptions;

export const DEFAULT_HARMONIC_OPTIONS: HarmonicOptions = { ...DEFAULT_PATH_OPTIONS };

/**
 * Harmonic centrality per node index on a snapshot. `weighted` reads
 * `csr.weights` (1 on an unweighted snapshot); `weightAttribute` is not used.
 * `removed` leaves nodes out (see {@link ClosenessRunOptions}).
 */
export function harmonicOnCsr(csr: CsrGraph, options: Partial<ClosenessRunOptions> = {}): Float64Array {
  const resolved = { ...DEFAULT_HARMONIC_OPTIONS, ...options };
  checkPathOptions(MODULE, resolved);
  // One search gives both; closeness is the cheap by-product.
  return closenessAndHarmonicOnCsr(csr, resolved).harmonic;
}

/**
 * Harmonic centrality of every node, keyed by node.
 *
 * @example
 * harmonic(graph); // hop counts
 * harmonic(graph, { weighted: true }); // length 1/weight
 * harmonic(graph, { weighted: true, distance: 'weight' }); // = networkx distance='weight'
 */
export function harmonic(graph: AbstractGraph, options: Partial<HarmonicOptions> = {}): Record<string, number> {
  assertGraph(MODULE, graph);
  const resolved = { ...DEFAULT_HARMONIC_OPTIONS, ...options };
  checkPathOptions(MODULE, resolved);
  const csr = snapshotFor(graph, resolved);
  return byNode(csr, harmonicOnCsr(csr, resolved));
}

/**
 * Measure: degree, the number of distinct other nodes a node is tied to
 * (direction ignored): k-degree anonymity (Liu & Terzi 2008, Def. 2). An
 * attacker who knows how many associates a nominal has narrows them to the
 * nodes of that degree; in a perturbed release, to the nodes of at least
 * that degree (ties are only ever added).
 */
import type { AbstractGraph } from 'graphology-types';
import { runMeasure, type Compatibility, type MeasureOptions, type MeasureResult } from './candidates.js';

export function degreeCompatibility(): Compatibility {
  return {
    key: (view, x) => String(view.degree[x]),
    keyDecides: true,
    compatible: (original, v, release, u, exact) =>
      exact ? release.degree[u] === original.degree[v] : release.degree[u]! >= original.degree[v]!,
  };
}

/** How many nominals their degree singles out. */
export function measureDegree(
  original: AbstractGraph,
  release: AbstractGraph,
  options: Partial<MeasureOptions> = {},
): MeasureResult {
  return runMeasure('degree', degreeCompatibility, original, release, options);
}

/**
 * Measure: a node's degree and the sorted degrees of its neighbours (after
 * Zhou & Pei 2008). In a perturbed release every original neighbour is still
 * a neighbour, of at least its original degree, so the original sequence
 * (descending) must be dominated term by term by a prefix of the released one.
 */
import type { AbstractGraph } from 'graphology-types';
import { runMeasure, type Compatibility, type MeasureOptions, type MeasureResult } from './candidates.js';
import { dominates, neighbourDegrees } from './view.js';

export function neighbourDegreesCompatibility(): Compatibility {
  return {
    key: (view, x) => `${view.degree[x]}|${neighbourDegrees(view, x).join(',')}`,
    keyDecides: true,
    compatible: (original, v, release, u, exact) =>
      dominates(neighbourDegrees(original, v), neighbourDegrees(release, u), exact),
  };
}

/** How many nominals their degree and their neighbours' degrees single out. */
export function measureNeighbourDegrees(
  original: AbstractGraph,
  release: AbstractGraph,
  options: Partial<MeasureOptions> = {},
): MeasureResult {
  return runMeasure('neighbour-degrees', neighbourDegreesCompatibility, original, release, options);
}

/**
 * Measure: 1-neighbourhood anonymity (Zhou & Pei 2008, "Preserving privacy in
 * social networks against neighborhood attacks", ICDE): the structure of the
 * subgraph induced by a node and its neighbours, which an attacker who knows
 * who a nominal's associates are and which of them know each other can look
 * for. Two nodes are indistinguishable when their 1-neighbourhoods are
 * isomorphic (centre to centre); in a perturbed release, a nominal's original
 * 1-neighbourhood must embed in the released one. Isomorphism is decided
 * exactly (egoMatch.ts), not estimated by a hash.
 *
 * A fit found by the combined measure (which keeps every attribute and
 * degree as well) is a fit here too, so that measure is asked first: its
 * constrained searches end sooner, and this measure can then never report a
 * smaller candidate set than the combined one. A search left undecided
 * counts as "tells them apart".
 */
import type { AbstractGraph } from 'graphology-types';
import { runMeasure, type Compatibility, type MeasureOptions, type MeasureResult } from './candidates.js';
import { egoEmbeds } from './egoMatch.js';
import { combinedCompatibility } from './measureCombined.js';
import { incidentPairs, localDegrees, pairText, labelRules } from './view.js';

/** A sufficient test: true only where the 1-neighbourhoods are known to fit. */
export type KnownFit = (v: number, u: number, exact: boolean) => boolean;

export function neighbourhoodCompatibility(options: MeasureOptions, known?: KnownFit): Compatibility {
  const rules = labelRules(options.weightWildcard);
  const combined = known === undefined ? combinedCompatibility(options) : undefined;
  return {
    key: (view, x) => {
      const local = localDegrees(view, x);
      const ties = incidentPairs(view, x);
      return `${view.degree[x]}|${ties
        .map((tie, i) => `${local[i]}:${pairText(tie, false)}`)
        .sort()
        .join(',')}`;
    },
    keyDecides: false,
    compatible: (original, v, release, u, exact) => {
      if (known !== undefined ? known(v, u, exact) : combined!.compatible(original, v, release, u, exact)) return true;
      return (
        egoEmbeds(original, v, release, u, {
          exact,
          labelled: false,
          degrees: false,
          rules,
          budget: Math.max(1, Math.floor(options.budget / 10)),
        }) === true
      );
    },
  };
}

/** How many nominals the structure of their 1-neighbourhood singles out. */
export function measureNeighbourhood(
  original: AbstractGraph,
  release: AbstractGraph,
  options: Partial<MeasureOptions> = {},
): MeasureResult {
  return runMeasure('neighbourhood', (settings) => neighbourhoodCompatibility(settings), original, release, options);
}

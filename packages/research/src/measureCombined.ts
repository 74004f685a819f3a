/**
 * Measure: everything a release says within one tie of a nominal, together:
 * their own attributes, their degree, their neighbours' degrees, the
 * attributes of their ties, and their 1-neighbourhood with every neighbour's
 * attributes and degree and every tie's attributes (Zhou & Pei's labelled
 * neighbourhood, with degrees). Nothing an attacker can read off one step
 * around a node is left out, so this measure singles out at least as many
 * nominals as any of the others.
 */
import type { AbstractGraph } from 'graphology-types';
import { runMeasure, type Compatibility, type MeasureOptions, type MeasureResult } from './candidates.js';
import { egoEmbeds } from './egoMatch.js';
import { attributesCompatibility } from './measureAttributes.js';
import { degreeCompatibility } from './measureDegree.js';
import { edgeAttributesCompatibility } from './measureEdgeAttributes.js';
import { neighbourDegreesCompatibility } from './measureNeighbourDegrees.js';
import { incidentPairs, localDegrees, pairText, labelRules } from './view.js';

export function combinedCompatibility(options: MeasureOptions): Compatibility {
  const rules = labelRules(options.weightWildcard);
  // Cheapest first: most pairs are told apart before the neighbourhoods are compared.
  const parts = [
    attributesCompatibility(options),
    degreeCompatibility(),
    neighbourDegreesCompatibility(),
    edgeAttributesCompatibility(options),
  ];
  return {
    key: (view, x) => {
      const local = localDegrees(view, x);
      const around = view.neighbours[x]!;
      const ties = incidentPairs(view, x);
      const neighbours = ties
        .map(
          (tie, i) =>
            `${view.node[around[i]!]!.join('\u0001')}:${view.degree[around[i]!]}:${local[i]}:${pairText(tie, true)}`,
        )
        .sort();
      return `${parts[0]!.key(view, x)}\u0005${view.degree[x]}\u0005${neighbours.join('\u0003')}`;
    },
    keyDecides: false,
    compatible: (original, v, release, u, exact) => {
      for (const part of parts) if (!part.compatible(original, v, release, u, exact)) return false;
      return (
        egoEmbeds(original, v, release, u, { exact, labelled: true, degrees: true, rules, budget: options.budget }) ===
        true
      );
    },
  };
}

/** How many nominals everything within one tie singles out. */
export function measureCombined(
  original: AbstractGraph,
  release: AbstractGraph,
  options: Partial<MeasureOptions> = {},
): MeasureResult {
  return runMeasure('combined', combinedCompatibility, original, release, options);
}

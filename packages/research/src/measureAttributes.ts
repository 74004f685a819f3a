/**
 * Measure: the node attributes a release carries (age band, area; and a
 * self-loop's attributes, in a research network). An attacker who knows a
 * nominal's age and home area narrows them to the nodes sharing those
 * released values. Perturbation adds ties, not attributes, so a perturbed
 * release is compared the same way, a suppressed value (`*`) being
 * consistent with anything.
 */
import type { AbstractGraph } from 'graphology-types';
import { runMeasure, type Compatibility, type MeasureOptions, type MeasureResult } from './candidates.js';
import { nodeFieldsCompatible, pairCompatible, pairText, type GraphView, labelRules } from './view.js';

const loopOf = (view: GraphView, x: number) => view.pairs.get(x * view.n + x);

export function attributesCompatibility(options: MeasureOptions): Compatibility {
  const rules = labelRules(options.weightWildcard);
  return {
    key: (view, x) => `${view.node[x]!.join('\u0001')}\u0002${pairText(loopOf(view, x), true)}`,
    keyDecides: true,
    compatible: (original, v, release, u, exact) =>
      nodeFieldsCompatible(original.node[v]!, release.node[u]!) &&
      pairCompatible(loopOf(original, v), loopOf(release, u), exact, true, rules),
  };
}

/** How many nominals the node attributes single out. */
export function measureAttributes(
  original: AbstractGraph,
  release: AbstractGraph,
  options: Partial<MeasureOptions> = {},
): MeasureResult {
  return runMeasure('attributes', attributesCompatibility, original, release, options);
}

/**
 * Measure: the multiset of the released attributes of a node's ties (weight,
 * channels, assessment, first and last seen; direction in a directed
 * network). An attacker who holds the original network computes the same
 * generalised attributes for every tie of a nominal and looks for the
 * released node whose ties carry exactly those (or, in a perturbed release,
 * at least those: every original tie must find its own released tie).
 */
import type { AbstractGraph } from 'graphology-types';
import { runMeasure, type Compatibility, type MeasureOptions, type MeasureResult } from './candidates.js';
import {
  incidentPairs,
  matchingFromOptions,
  pairCompatible,
  pairText,
  type GraphView,
  type PairLabel,
  labelRules,
} from './view.js';

const loopOf = (view: GraphView, x: number) => view.pairs.get(x * view.n + x);

const tiesOf = (view: GraphView, x: number): (PairLabel | undefined)[] => incidentPairs(view, x);

export function edgeAttributesCompatibility(options: MeasureOptions): Compatibility {
  const rules = labelRules(options.weightWildcard);
  return {
    key: (view, x) =>
      `${pairText(loopOf(view, x), true)}\u0004${tiesOf(view, x)
        .map((label) => pairText(label, true))
        .sort()
        .join('\u0003')}`,
    keyDecides: true,
    compatible: (original, v, release, u, exact) => {
      if (exact ? original.degree[v] !== release.degree[u] : original.degree[v]! > release.degree[u]!) return false;
      if (!pairCompatible(loopOf(original, v), loopOf(release, u), exact, true, rules)) return false;
      const a = tiesOf(original, v);
      const b = tiesOf(release, u);
      if (exact && a.length !== b.length) return false;
      const options: number[][] = [];
      for (const tie of a) {
        const list: number[] = [];
        for (let j = 0; j < b.length; j++) if (pairCompatible(tie, b[j], exact, true, rules)) list.push(j);
        if (list.length === 0) return false;
        options.push(list);
      }
      return matchingFromOptions(options, b.length);
    },
  };
}

/** How many nominals the attributes of their ties single out. */
export function measureEdgeAttributes(
  original: AbstractGraph,
  release: AbstractGraph,
  options: Partial<MeasureOptions> = {},
): MeasureResult {
  return runMeasure('edge-attributes', edgeAttributesCompatibility, original, release, options);
}

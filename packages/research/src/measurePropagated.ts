/**
 * Measure: chained identification. Starting from the combined measure, an
 * attacker drops a candidate u for nominal v when v's neighbours cannot be
 * matched, one to one, to u's neighbours among their own candidates, with
 * compatible ties, and repeats until nothing changes (arc consistency; for
 * a release that is the original itself this is colour refinement, the 1-dim
 * Weisfeiler–Leman algorithm, started from the combined classes). What is
 * known about a nominal's associates' associates, and further, is used.
 */
import type { AbstractGraph } from 'graphology-types';
import {
  candidatesOf,
  measureInputs,
  releasedIndex,
  summarise,
  type Candidates,
  type MeasureOptions,
  type MeasureResult,
} from './candidates.js';
import { combinedCompatibility } from './measureCombined.js';
import { hasMatching, labelRules, pairCompatible, pairText, type GraphView } from './view.js';

/** Colour refinement of classes on one graph, ties' attributes included. */
function refineClasses(view: GraphView, classOf: Int32Array): Int32Array {
  let colours = classOf;
  let count = new Set(colours).size;
  for (;;) {
    const ids = new Map<string, number>();
    const next = new Int32Array(view.n);
    for (let x = 0; x < view.n; x++) {
      const around = view.neighbours[x]!;
      const signature = Array.from(
        around,
        (y) => `${colours[y]}:${pairText(view.pairs.get(x * view.n + y), true)}`,
      ).sort();
      const key = `${colours[x]}|${signature.join(',')}`;
      let id = ids.get(key);
      if (id === undefined) ids.set(key, (id = ids.size));
      next[x] = id;
    }
    colours = next;
    if (ids.size === count) return colours;
    count = ids.size;
  }
}

/** Arc consistency on candidate lists. */
function refineLists(
  original: GraphView,
  release: GraphView,
  lists: Int32Array[],
  exact: boolean,
  own: Int32Array | null,
  options: MeasureOptions,
): Int32Array[] {
  const rules = labelRules(options.weightWildcard);
  const member = new Uint8Array(original.n * release.n);
  lists.forEach((list, v) => {
    for (const u of list) member[v * release.n + u] = 1;
  });
  const current = lists.map((list) => [...list]);
  for (let changed = true; changed;) {
    changed = false;
    for (let v = 0; v < original.n; v++) {
      const around = original.neighbours[v]!;
      const kept: number[] = [];
      for (const u of current[v]!) {
        const forced = own !== null && own[v] === u;
        const theirs = release.neighbours[u]!;
        const supported =
          forced ||
          ((!exact || around.length === theirs.length) &&
            hasMatching(
              around.length,
              theirs.length,
              (i, j) =>
                member[around[i]! * release.n + theirs[j]!] === 1 &&
                pairCompatible(
                  original.pairs.get(v * original.n + around[i]!),
                  release.pairs.get(u * release.n + theirs[j]!),
                  exact,
                  true,
                  rules,
                ),
            ));
        if (supported) kept.push(u);
        else {
          member[v * release.n + u] = 0;
          changed = true;
        }
      }
      current[v] = kept;
    }
  }
  return current.map((list) => Int32Array.from(list));
}

/** Refines the combined measure's candidates to a fixpoint. */
export function propagateCandidates(
  original: GraphView,
  release: GraphView,
  combined: Candidates,
  options: MeasureOptions,
): Candidates {
  if (combined.kind === 'classes') return { kind: 'classes', classOf: refineClasses(original, combined.classOf) };
  const own = releasedIndex(original, release);
  return {
    kind: 'pairs',
    exact: refineLists(original, release, combined.exact, true, null, options),
    sound: refineLists(original, release, combined.sound, !options.additions, own, options),
  };
}

/** How many nominals chained identification singles out. */
export function measurePropagated(
  original: AbstractGraph,
  release: AbstractGraph,
  options: Partial<MeasureOptions> = {},
): MeasureResult {
  const { settings, o, r } = measureInputs(original, release, options);
  const combined = candidatesOf(o, r, combinedCompatibility(settings), settings);
  return summarise('propagated', o, r, propagateCandidates(o, r, combined, settings));
}

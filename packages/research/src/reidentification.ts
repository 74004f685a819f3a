/**
 * The re-identification report of a release: every measure, how many
 * nominals each singles out, and the smallest candidate set (k) under each.
 * A release passes only when every measure's k reaches `minK`, so `minK`
 * applies to every measure and the export is refused on the strongest one.
 *
 * The attacker holds the original network and the release (candidates.ts);
 * the measures, one per module:
 *
 * | measure | what the attacker matches on |
 * |---|---|
 * | attributes | age band, area |
 * | degree | number of associates (Liu & Terzi 2008) |
 * | neighbour-degrees | degree and the sorted degrees of the neighbours |
 * | edge-attributes | the multiset of the ties' released attributes (weight, channels, assessment, dates) |
 * | neighbourhood | the 1-neighbourhood's structure (Zhou & Pei 2008), decided exactly |
 * | combined | all of the above at once, the neighbourhood labelled with every attribute and degree |
 * | propagated | the combined measure refined through the neighbours until nothing changes |
 * | intersection | (a second release under one key) the combined measure on every release at once |
 */
import type { AbstractGraph } from 'graphology-types';
import {
  candidatePairs,
  candidatesOf,
  measureOptions,
  summarise,
  type Candidates,
  type CompatibilityOf,
  type MeasureName,
  type MeasureOptions,
  type MeasureResult,
} from './candidates.js';
import { attributesCompatibility } from './measureAttributes.js';
import { combinedCompatibility } from './measureCombined.js';
import { degreeCompatibility } from './measureDegree.js';
import { edgeAttributesCompatibility } from './measureEdgeAttributes.js';
import { neighbourDegreesCompatibility } from './measureNeighbourDegrees.js';
import { neighbourhoodCompatibility, type KnownFit } from './measureNeighbourhood.js';
import { propagateCandidates } from './measurePropagated.js';
import { verifiedOrbits, type Symmetry } from './automorphism.js';
import { graphView } from './view.js';

/** What each measure matches on, in words for a refusal message. */
export const MEASURE_DESCRIPTIONS: Record<MeasureName, string> = {
  attributes: 'age band and area',
  degree: 'number of associates (degree)',
  'neighbour-degrees': "degree and the associates' degrees",
  'edge-attributes': 'the attributes of their ties (weight, channels, assessment, dates)',
  neighbourhood: 'the structure of their 1-neighbourhood (who of their associates know each other; Zhou & Pei 2008)',
  combined: 'everything within one tie at once (attributes, ties, associates and their degrees)',
  propagated: "everything within one tie, refined through the associates' associates",
  intersection: 'the releases made with this key, intersected',
};

const SINGLE_MEASURES: readonly [
  Exclude<MeasureName, 'neighbourhood' | 'combined' | 'propagated' | 'intersection'>,
  CompatibilityOf,
][] = [
  ['attributes', attributesCompatibility],
  ['degree', degreeCompatibility],
  ['neighbour-degrees', neighbourDegreesCompatibility],
  ['edge-attributes', edgeAttributesCompatibility],
];

/** Where the combined measure found a fit (a fit of the bare 1-neighbourhood too). */
function knownFits(candidates: Candidates, releaseSize: number): KnownFit {
  if (candidates.kind === 'classes') return (v, u) => candidates.classOf[v] === candidates.classOf[u];
  const exact = new Set<number>();
  const sound = new Set<number>();
  candidates.exact.forEach((list, v) => list.forEach((u) => exact.add(v * releaseSize + u)));
  candidates.sound.forEach((list, v) => list.forEach((u) => sound.add(v * releaseSize + u)));
  return (v, u, isExact) => (isExact ? exact : sound).has(v * releaseSize + u);
}

export interface MeasureSummary {
  measure: MeasureName;
  /** Nominals singled out: exactly one released node is consistent with them (or with them alone). */
  singledOut: number;
  /** Smallest candidate set. */
  k: number;
}

export interface ReidentificationReport {
  minK: number;
  /** The release was perturbed (ties added): the measures allow for additions, and for the bet that a node was not touched. */
  perturbed: boolean;
  measures: MeasureSummary[];
  /** The measure that singles out the most nominals (the smallest k on a tie). */
  strongest: MeasureSummary;
  passes: boolean;
}

export interface ReidentificationOptions extends MeasureOptions {
  minK: number;
  /** Symmetries the release's maker claims (checked before use: `verifiedOrbits`). */
  symmetry?: Symmetry;
}

/** Measure options with a claimed symmetry checked and turned into orbits (ignored when it does not hold). */
function withOrbits(release: AbstractGraph, settings: MeasureOptions, symmetry: Symmetry | undefined): MeasureOptions {
  if (symmetry === undefined) return settings;
  const orbits = verifiedOrbits(release, symmetry);
  return orbits === null ? settings : { ...settings, orbits };
}

/** A release made earlier with the same key. */
export interface PriorRelease {
  graph: AbstractGraph;
  /** It was perturbed (ties may have been added). */
  perturbed: boolean;
  /** A weight of 1 in it stands for a suppressed weight. */
  weightWildcard: boolean;
  /** The original as this release generalised it (when it differs from the current release's). */
  original?: AbstractGraph;
  /** Its symmetries, as its maker claimed them (checked before use). */
  symmetry?: Symmetry;
}

function summary(result: MeasureResult): MeasureSummary {
  return { measure: result.measure, singledOut: result.singledOut, k: result.k };
}

/** The measure that singles out the most. */
export function strongestOf(measures: readonly MeasureSummary[]): MeasureSummary {
  return measures.reduce((best, next) =>
    next.singledOut > best.singledOut || (next.singledOut === best.singledOut && next.k < best.k) ? next : best,
  );
}

/**
 * Every measure on a release. `release` is `original` itself when the export
 * was not perturbed; `additions` says it was.
 */
export function assessReidentification(
  original: AbstractGraph,
  release: AbstractGraph,
  options: Partial<ReidentificationOptions> = {},
): ReidentificationReport & { results: MeasureResult[] } {
  const minK = options.minK ?? 5;
  if (!Number.isInteger(minK) || minK < 1)
    throw new RangeError(`@ocgnet/research: minK must be a positive integer, not ${minK}`);
  const settings = withOrbits(release, measureOptions(options), options.symmetry);
  const o = graphView(original);
  const r = original === release ? o : graphView(release);
  const singles = SINGLE_MEASURES.map(([name, compatibility]) => ({
    name,
    candidates: candidatesOf(o, r, compatibility(settings), settings),
  }));
  const results: MeasureResult[] = singles.map(({ name, candidates }) => summarise(name, o, r, candidates));
  // The combined measure implies each of these: it compares only the pairs they all keep.
  const combined = candidatesOf(
    o,
    r,
    combinedCompatibility(settings),
    settings,
    singles.map(({ candidates }) => candidates),
  );
  results.push(
    summarise(
      'neighbourhood',
      o,
      r,
      candidatesOf(o, r, neighbourhoodCompatibility(settings, knownFits(combined, r.n)), settings),
    ),
  );
  results.push(summarise('combined', o, r, combined));
  results.push(summarise('propagated', o, r, propagateCandidates(o, r, combined, settings)));
  const measures = results.map(summary);
  return {
    minK,
    perturbed: settings.additions,
    measures,
    strongest: strongestOf(measures),
    passes: o.n > 0 && measures.every((measure) => measure.k >= minK),
    results,
  };
}

/** Pairs of the combined measure of one release, keyed by pseudonym. */
function combinedPairs(
  original: AbstractGraph,
  release: AbstractGraph,
  options: MeasureOptions,
): { ids: string[]; candidates: Extract<Candidates, { kind: 'pairs' }> } {
  const o = graphView(original);
  const r = graphView(release);
  return {
    ids: r.ids,
    candidates: candidatePairs(o, r, combinedCompatibility(options), options.additions, [], options.orbits) as Extract<
      Candidates,
      { kind: 'pairs' }
    >,
  };
}

/**
 * The intersection attack on releases made with one key: the same pseudonym
 * is the same nominal in each, so a nominal's candidates are the released
 * nodes consistent with them in every release at once (combined measure).
 * Each release is compared with the original as that release generalised it
 * (`PriorRelease.original`, else the current one); a release of other data is
 * compared with the current original as well, which can only make it look
 * more telling.
 */
export function measureIntersection(
  original: AbstractGraph,
  release: AbstractGraph,
  options: Partial<MeasureOptions> & { symmetry?: Symmetry },
  prior: readonly PriorRelease[],
): MeasureResult {
  const settings = withOrbits(release, measureOptions(options), options.symmetry);
  const o = graphView(original);
  const r = graphView(release);
  const current = combinedPairs(original, release, settings);
  const exact = current.candidates.exact.map((list) => new Set(list));
  const sound = current.candidates.sound.map((list) => new Set(list));
  for (const earlier of prior) {
    const { orbits: _current, ...base } = settings;
    const { ids, candidates } = combinedPairs(
      earlier.original ?? original,
      earlier.graph,
      withOrbits(
        earlier.graph,
        { ...base, additions: earlier.perturbed, weightWildcard: earlier.weightWildcard },
        earlier.symmetry,
      ),
    );
    const earlierOriginal = graphView(earlier.original ?? original);
    const inEarlier = graphView(earlier.graph).index;
    for (let v = 0; v < o.n; v++) {
      const w = earlierOriginal.index.get(o.ids[v]!);
      if (!inEarlier.has(o.ids[v]!) || w === undefined) continue;
      const keep = (list: Int32Array) =>
        new Set([...list].map((u) => r.index.get(ids[u]!)).filter((u): u is number => u !== undefined));
      const earlierExact = keep(candidates.exact[w]!);
      const earlierSound = keep(candidates.sound[w]!);
      // A node that is not in the earlier release constrains nothing there; one that is must be consistent in both.
      exact[v] = new Set([...exact[v]!].filter((u) => !inEarlier.has(r.ids[u]!) || earlierExact.has(u)));
      sound[v] = new Set(
        [...sound[v]!].filter((u) => !inEarlier.has(r.ids[u]!) || earlierSound.has(u) || r.ids[u] === o.ids[v]),
      );
    }
  }
  return summarise('intersection', o, r, {
    kind: 'pairs',
    exact: exact.map((set) => Int32Array.from(set)),
    sound: sound.map((set) => Int32Array.from(set)),
  });
}

export { summary as measureSummary };

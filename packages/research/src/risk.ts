/**
 * Re-identification risk of an anonymised network: the measures of
 * reidentification.ts (the attacker holds the original network and the
 * release), which decide whether an export passes, and descriptive figures
 * of the release alone.
 *
 * - k-degree anonymity (Liu & Terzi 2008, "Towards identity anonymization on
 *   graphs", SIGMOD, Def. 2): the smallest number of nodes that share one
 *   degree. k = 1 means someone has a degree nobody else has.
 * - Neighbourhood-degree uniqueness (after Zhou & Pei 2008, "Preserving
 *   privacy in social networks against neighborhood attacks", ICDE): the share
 *   of nodes whose (degree, sorted degrees of the neighbours) is unique.
 * - Attribute k: the smallest group of nodes sharing (age band, area).
 * - Combined k: the smallest group sharing (degree, age band, area), for the
 *   adversary who knows both; reported, not enforced.
 * - Small cells: every count below 5 in the report's tables is shown as "<5"
 *   (the ONS/Statistical Disclosure Control convention), so the report itself
 *   cannot single anyone out.
 *
 * Degree here is the number of distinct other nodes a node is tied to,
 * direction ignored (what "how many associates" means).
 */
import type { AbstractGraph } from 'graphology-types';
import { compareIds } from '@ocgnet/schema';
import type { Symmetry } from './automorphism.js';
import { DEFAULT_MEASURE_OPTIONS } from './candidates.js';
import { assessReidentification, MEASURE_DESCRIPTIONS, type MeasureSummary } from './reidentification.js';

/** Counts below this are shown as "<5". */
export const SMALL_CELL = 5;

export interface RiskOptions {
  /** Refuse the export unless every measure's k reaches this. */
  minK: number;
  /** The graph the release was made from (the anonymised graph before perturbation); the release itself when unset. */
  original?: AbstractGraph;
  /** The release was perturbed (ties added). */
  additions: boolean;
  /** A released weight of 1 stands for a suppressed weight. */
  weightWildcard: boolean;
  /** Steps allowed to one neighbourhood comparison. */
  budget: number;
  /** Symmetries the release's maker claims (checked before use). */
  symmetry?: Symmetry;
}

export const DEFAULT_RISK_OPTIONS: RiskOptions = {
  minK: 5,
  additions: false,
  weightWildcard: false,
  budget: DEFAULT_MEASURE_OPTIONS.budget,
};

/** A count, or "<5" when it is small enough to single someone out. */
export type SuppressedCount = number | '<5';

export interface RiskReport {
  nodes: SuppressedCount;
  edges: SuppressedCount;
  /** Smallest number of nodes sharing one degree (0 for an empty graph). */
  kDegree: number;
  /** Share of nodes unique by (degree, sorted neighbour degrees), in [0, 1]. */
  neighbourhoodUniqueness: number;
  /** Smallest group sharing (age band, area); null when the export has neither. */
  attributeK: number | null;
  /** Smallest group sharing (degree, age band, area); null when the export has neither. */
  combinedK: number | null;
  minK: number;
  /** True when every measure's k reaches minK (and the graph is not empty). */
  passes: boolean;
  /** The release was perturbed: the measures allowed for added ties. */
  perturbed: boolean;
  /** Every re-identification measure: how many nominals it singles out, and its smallest candidate set. */
  measures: MeasureSummary[];
  /** The measure that singles out the most. */
  strongest: MeasureSummary;
  /** The intersection with the releases made earlier under the same key, if any. */
  intersection: { releases: number; singledOut: number; k: number } | null;
  /** Nodes per degree, small cells suppressed. */
  degreeHistogram: Record<string, SuppressedCount>;
  /** Nodes per age band and per area, small cells suppressed. */
  attributeTables: Record<string, Record<string, SuppressedCount>>;
}

/** A count with small cells suppressed. */
export function suppressSmall(count: number): SuppressedCount {
  return count > 0 && count < SMALL_CELL ? '<5' : count;
}

/** Distinct other nodes each node is tied to, direction ignored. */
export function simpleDegrees(graph: AbstractGraph): Map<string, number> {
  const degrees = new Map<string, number>();
  graph.forEachNode((node) => {
    let count = 0;
    graph.forEachNeighbor(node, (neighbour) => {
      if (neighbour !== node) count++;
    });
    degrees.set(node, count);
  });
  return degrees;
}

/** Smallest group size among the values (0 when there are none). */
export function smallestGroup<T>(values: Iterable<T>): number {
  const counts = new Map<T, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  let smallest = Infinity;
  for (const count of counts.values()) smallest = Math.min(smallest, count);
  return Number.isFinite(smallest) ? smallest : 0;
}

/** k-degree anonymity of a graph (Liu & Terzi 2008, Def. 2). */
export function kDegreeAnonymity(graph: AbstractGraph): number {
  return smallestGroup(simpleDegrees(graph).values());
}

/** Share of nodes unique by (degree, sorted neighbour degrees). */
export function neighbourhoodUniqueness(graph: AbstractGraph): number {
  if (graph.order === 0) return 0;
  const degrees = simpleDegrees(graph);
  const signatures = new Map<string, number>();
  const signatureOf = new Map<string, string>();
  graph.forEachNode((node) => {
    const around: number[] = [];
    graph.forEachNeighbor(node, (neighbour) => {
      if (neighbour !== node) around.push(degrees.get(neighbour)!);
    });
    const signature = `${degrees.get(node)}|${around.sort((a, b) => a - b).join(',')}`;
    signatureOf.set(node, signature);
    signatures.set(signature, (signatures.get(signature) ?? 0) + 1);
  });
  let unique = 0;
  for (const signature of signatureOf.values()) if (signatures.get(signature) === 1) unique++;
  return unique / graph.order;
}

function table(values: Iterable<string>): Record<string, SuppressedCount> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return Object.fromEntries(
    [...counts].sort(([a], [b]) => compareIds(a, b)).map(([value, count]) => [value, suppressSmall(count)]),
  );
}

function degreeHistogram(degrees: Iterable<number>): Record<string, SuppressedCount> {
  const counts = new Map<number, number>();
  for (const degree of degrees) counts.set(degree, (counts.get(degree) ?? 0) + 1);
  return Object.fromEntries(
    [...counts].sort(([a], [b]) => a - b).map(([degree, count]) => [String(degree), suppressSmall(count)]),
  );
}

/** The risk report of a release. */
export function assessRisk(graph: AbstractGraph, options: Partial<RiskOptions> = {}): RiskReport {
  const settings = { ...DEFAULT_RISK_OPTIONS, ...options };
  const { minK } = settings;
  if (!Number.isInteger(minK) || minK < 1)
    throw new RangeError(`@ocgnet/research/risk: minK must be a positive integer, not ${minK}`);
  const degrees = simpleDegrees(graph);
  const kDegree = smallestGroup(degrees.values());
  const hasAttributes = graph.someNode(
    (_node, attributes) => attributes.age_band !== undefined || attributes.area !== undefined,
  );
  const attributeKey = (node: string) =>
    `${graph.getNodeAttribute(node, 'age_band') ?? ''}\u0000${graph.getNodeAttribute(node, 'area') ?? ''}`;
  const attributeTables: RiskReport['attributeTables'] = {};
  for (const name of ['age_band', 'area']) {
    if (graph.someNode((_node, attributes) => attributes[name] !== undefined))
      attributeTables[name] = table(graph.mapNodes((_node, attributes) => String(attributes[name] ?? '')));
  }
  const original = settings.original ?? graph;
  const reidentification = assessReidentification(original, graph, settings);
  return {
    nodes: suppressSmall(graph.order),
    edges: suppressSmall(graph.size),
    kDegree,
    neighbourhoodUniqueness: neighbourhoodUniqueness(graph),
    attributeK: hasAttributes ? smallestGroup(graph.mapNodes(attributeKey)) : null,
    combinedK: hasAttributes
      ? smallestGroup(graph.mapNodes((node) => `${degrees.get(node)}\u0000${attributeKey(node)}`))
      : null,
    minK,
    passes: graph.order > 0 && reidentification.passes,
    perturbed: reidentification.perturbed,
    measures: reidentification.measures,
    strongest: reidentification.strongest,
    intersection: null,
    degreeHistogram: degreeHistogram(degrees.values()),
    attributeTables,
  };
}

/** Why an export is refused, in words a user can act on (the remedies are suggested apart). */
export function refusalReason(report: RiskReport, nominals: number): string {
  if (report.nodes === 0) return 'the network is empty';
  if (nominals < report.minK)
    return `the network has ${nominals} node(s), fewer than the minimum k of ${report.minK}: no release can hide anyone among ${report.minK}`;
  const failing = report.measures.filter((measure) => measure.k < report.minK);
  const { strongest } = report;
  const others = failing
    .filter((measure) => measure.measure !== strongest.measure)
    .map((measure) => `${measure.measure} ${measure.singledOut}`);
  return (
    `the strongest attack, on ${MEASURE_DESCRIPTIONS[strongest.measure]} (${strongest.measure}), singles out ${strongest.singledOut} of ${nominals} nominals ` +
    `(smallest candidate set ${strongest.k}, minimum ${report.minK})${report.perturbed ? ', allowing for the added ties' : ''}: an attacker who holds the original network could re-identify them` +
    (others.length > 0 ? `; other attacks below the minimum: ${others.join(', ')} singled out` : '')
  );
}

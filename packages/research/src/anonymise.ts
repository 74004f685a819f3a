/**
 * From intelligence records (or a research network) to an anonymised graph a
 * researcher may take away.
 *
 * What is exported is the **person projection** (nominal–nominal
 * associations), not the multimodal network: locations, phones, vehicles,
 * businesses and events are themselves identifiers (an address, a phone
 * number, a VRM), and the projection is what criminal-network research
 * analyses. A research network is exported as it is, nodes renamed.
 *
 * - Dropped: every id (replaced by a keyed pseudonym), names, labels,
 *   aliases, notes, addresses, phone numbers, VRMs, company numbers, graded
 *   attribute values, sources, handling conditions, evidence link ids, exact
 *   dates of birth, safeguarding flags, and every attribute of a research
 *   network other than edge weights.
 * - Generalised: date of birth → age band at a stated reference date; home
 *   address → its area (the `area` field of the location the person lives at);
 *   link dates → month, quarter, or shifted by a keyed per-export offset;
 *   gradings → the handling code (P/C/R) and the weakest intelligence
 *   assessment letter (A–E, or `legacy` for 5x5x5).
 * - Kept: the association structure, weights and channels.
 * - Suppressed: an (age band, area) combination shared by fewer than `minK`
 *   nominals loses its area, then its age band (`*`), so attributes never
 *   single out a small group (local suppression, Sweeney 2002).
 *
 * Node order is by pseudonym and edges by their pseudonymised endpoints, so
 * the order of the export says nothing about the order of the ids.
 */
import Graph from 'graphology';
import type { AbstractGraph } from 'graphology-types';
import type { NetworkGraph, PersonGraph } from '@ocgnet/graph';
import { linkInterval, type HandlingMarking, type Link, type Location, type Person } from '@ocgnet/schema';
import type { Pseudonymiser } from './pseudonyms.js';

export const DATE_MODES = ['shift', 'month', 'quarter'] as const;
export type DateMode = (typeof DATE_MODES)[number];

/** Which generalised attributes travel with the export. */
export interface KeptAttributes {
  /** Node `age_band`. */
  ages: boolean;
  /** Node `area`. */
  areas: boolean;
  /** Edge `channels` (link types behind the association). */
  channels: boolean;
  /** Node and edge `handling`, edge `assessment`. */
  gradings: boolean;
  /** Edge `first_seen` / `last_seen`, generalised by `dates`. */
  dates: boolean;
}

export interface AnonymiseOptions {
  /** How link dates are generalised. */
  dates: DateMode;
  /** YYYY-MM-DD ages are measured at. Unset: the latest date on any link. */
  referenceDate?: string;
  /** Lower bounds of the age bands, in years, ascending. */
  ageBands: number[];
  /** Smallest (age band, area) group left unsuppressed. */
  minK: number;
  keep: KeptAttributes;
}

export const DEFAULT_ANONYMISE_OPTIONS: AnonymiseOptions = {
  dates: 'month',
  ageBands: [18, 25, 35, 45, 55],
  minK: 5,
  keep: { ages: true, areas: true, channels: true, gradings: true, dates: true },
};

/** The anonymised graph and what the manifest may say about how it was made. */
export interface AnonymisedGraph {
  graph: Graph;
  /** Original id → pseudonym. In memory only: it is the re-identification table, never written. */
  pseudonymOf: Map<string, string>;
  /** The strictest handling code of anything exported. */
  handling: HandlingMarking;
  /** Union of the C conditions behind the export (handling instructions, which must travel with it). */
  conditions: string[];
  /** The reference date as generalised for the export (it is itself a data date). */
  referenceDate: string | undefined;
  /** Nominals whose area, or area and age band, were suppressed. */
  suppressed: { area: number; ageBand: number };
}

const STRICTNESS: Record<HandlingMarking, number> = { P: 0, C: 1, R: 2 };
const ASSESSMENT_ORDER = ['A', 'B', 'C', 'D', 'E', 'legacy'];
export const SUPPRESSED = '*';

function resolve(options: Partial<AnonymiseOptions>): AnonymiseOptions {
  const resolved = { ...DEFAULT_ANONYMISE_OPTIONS, ...options, keep: { ...DEFAULT_ANONYMISE_OPTIONS.keep, ...options.keep } };
  if (!(DATE_MODES as readonly string[]).includes(resolved.dates)) throw new RangeError(`@ocgnet/research/anonymise: dates must be one of ${DATE_MODES.join(', ')}, not ${JSON.stringify(resolved.dates)}`);
  if (!Number.isInteger(resolved.minK) || resolved.minK < 1) throw new RangeError(`@ocgnet/research/anonymise: minK must be a positive integer, not ${resolved.minK}`);
  if (resolved.referenceDate !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(resolved.referenceDate)) throw new RangeError(`@ocgnet/research/anonymise: referenceDate must be YYYY-MM-DD, not ${JSON.stringify(resolved.referenceDate)}`);
  return resolved;
}

// ---- dates -------------------------------------------------------------

const DAY_MS = 86_400_000;

/** The per-export date shift, in days: 30 to 365 either way, from the key, so it is secret and stable per key. */
export function dateShiftDays(pseudonyms: Pseudonymiser): number {
  const value = pseudonyms.derivedInteger('date-shift');
  const magnitude = 30 + (value % 336);
  return value & 0x8000_0000 ? -magnitude : magnitude;
}

/** A date generalised for the export: YYYY-MM, YYYY-Qn, or shifted YYYY-MM-DD. */
export function generaliseDate(day: string, mode: DateMode, shiftDays: number): string {
  const iso = day.slice(0, 10);
  if (mode === 'month') return iso.slice(0, 7);
  if (mode === 'quarter') return `${iso.slice(0, 4)}-Q${Math.floor((Number(iso.slice(5, 7)) - 1) / 3) + 1}`;
  return new Date(Date.parse(`${iso}T00:00:00Z`) + shiftDays * DAY_MS).toISOString().slice(0, 10);
}

/** Whole years from `dob` to `on` (both YYYY-MM-DD). */
export function ageOn(dob: string, on: string): number {
  let years = Number(on.slice(0, 4)) - Number(dob.slice(0, 4));
  if (on.slice(5, 10) < dob.slice(5, 10)) years -= 1;
  return years;
}

/** The band an age falls in: `under 18`, `18-24`, …, `55+`. */
export function ageBand(age: number, bounds: readonly number[]): string {
  if (bounds.length === 0) return 'unknown';
  if (age < bounds[0]!) return `under ${bounds[0]}`;
  for (let i = 0; i < bounds.length - 1; i++) if (age < bounds[i + 1]!) return `${bounds[i]}-${bounds[i + 1]! - 1}`;
  return `${bounds[bounds.length - 1]}+`;
}

/** The latest date on any link of the network, YYYY-MM-DD. */
function latestLinkDate(network: NetworkGraph): string | undefined {
  let latest: string | undefined;
  network.forEachEdge((_edge, attributes) => {
    const { start, end } = linkInterval(attributes.record);
    for (const day of [start, end]) if (day !== undefined && (latest === undefined || day > latest)) latest = day;
  });
  return latest;
}

// ---- per-person attributes ----------------------------------------------

/** The area of the place a person lives at, from the latest `lives_at` link to a location with an area. */
function homeAreas(network: NetworkGraph): Map<string, string> {
  const best = new Map<string, { area: string; when: string }>();
  network.forEachEdge((_edge, attributes, source, target) => {
    if (attributes.type !== 'lives_at') return;
    const place = network.getNodeAttributes(target).record as Location;
    if (place.kind !== 'location' || place.area === undefined) return;
    const { start, end } = linkInterval(attributes.record);
    const when = end ?? start ?? '';
    const current = best.get(source);
    if (current === undefined || when > current.when || (when === current.when && place.area < current.area)) best.set(source, { area: place.area, when });
  });
  return new Map([...best].map(([person, { area }]) => [person, area]));
}

/**
 * Local suppression: an (age band, area) combination held by fewer than k
 * nominals loses its area; if its age band alone is still rarer than k, that
 * goes too.
 */
function suppressSmallCells(rows: { ageBand?: string; area?: string }[], k: number): { area: number; ageBand: number } {
  const counted = (key: (row: { ageBand?: string; area?: string }) => string) => {
    const counts = new Map<string, number>();
    for (const row of rows) counts.set(key(row), (counts.get(key(row)) ?? 0) + 1);
    return counts;
  };
  const pair = (row: { ageBand?: string; area?: string }) => `${row.ageBand ?? ''}\u0000${row.area ?? ''}`;
  const suppressed = { area: 0, ageBand: 0 };
  const pairs = counted(pair);
  for (const row of rows) {
    if (pairs.get(pair(row))! < k && row.area !== undefined && row.area !== SUPPRESSED) {
      row.area = SUPPRESSED;
      suppressed.area++;
    }
  }
  const after = counted(pair);
  for (const row of rows) {
    if (after.get(pair(row))! < k && row.ageBand !== undefined && row.ageBand !== SUPPRESSED) {
      row.ageBand = SUPPRESSED;
      suppressed.ageBand++;
    }
  }
  return suppressed;
}

// ---- the graphs -----------------------------------------------------------

/** Adds nodes and edges in pseudonym order, keyed e0, e1, …, so nothing of the original order survives. */
function orderedGraph(
  type: 'undirected' | 'directed' | 'mixed',
  nodes: Map<string, Record<string, unknown>>,
  edges: { source: string; target: string; undirected: boolean; attributes: Record<string, unknown> }[],
): Graph {
  const graph = new Graph({ type, multi: false, allowSelfLoops: true });
  for (const pseudonym of [...nodes.keys()].sort()) graph.addNode(pseudonym, nodes.get(pseudonym));
  const normalised = edges.map((edge) => (edge.undirected && edge.target < edge.source ? { ...edge, source: edge.target, target: edge.source } : edge));
  normalised.sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : a.target < b.target ? -1 : a.target > b.target ? 1 : 0));
  normalised.forEach((edge, index) => {
    if (edge.undirected) graph.addUndirectedEdgeWithKey(`e${index}`, edge.source, edge.target, edge.attributes);
    else graph.addDirectedEdgeWithKey(`e${index}`, edge.source, edge.target, edge.attributes);
  });
  return graph;
}

function weakestAssessment(links: Link[]): string | undefined {
  let weakest: string | undefined;
  for (const link of links) {
    const letter = link.grading.system === '5x5x5' ? 'legacy' : link.grading.intelligence;
    if (weakest === undefined || ASSESSMENT_ORDER.indexOf(letter) > ASSESSMENT_ORDER.indexOf(weakest)) weakest = letter;
  }
  return weakest;
}

/**
 * Anonymises the person projection of a record set.
 *
 * @param persons the projection (`projectPersons(network)`)
 * @param network the network it was projected from (for dates of birth, homes and gradings)
 */
export function anonymisePersons(persons: PersonGraph, network: NetworkGraph, pseudonyms: Pseudonymiser, options: Partial<AnonymiseOptions> = {}): AnonymisedGraph {
  const settings = resolve(options);
  const { keep } = settings;
  const shift = settings.dates === 'shift' ? dateShiftDays(pseudonyms) : 0;
  const referenceDate = settings.referenceDate ?? latestLinkDate(network);
  const areas = homeAreas(network);
  const pseudonymOf = new Map<string, string>();
  let handling: HandlingMarking = 'P';
  const conditions = new Set<string>();
  const note = (marking: { handling: HandlingMarking; conditions: string[] }) => {
    if (STRICTNESS[marking.handling] > STRICTNESS[handling]) handling = marking.handling;
    for (const condition of marking.conditions) conditions.add(condition);
  };

  const rows: { node: string; ageBand?: string; area?: string; handling: HandlingMarking }[] = [];
  persons.forEachNode((id, attributes) => {
    pseudonymOf.set(id, pseudonyms.pseudonym('person', id));
    const person = attributes.record as Person;
    note(attributes.marking);
    const row: (typeof rows)[number] = { node: id, handling: attributes.marking.handling };
    if (keep.ages) row.ageBand = person.date_of_birth !== undefined && referenceDate !== undefined ? ageBand(ageOn(person.date_of_birth, referenceDate), settings.ageBands) : 'unknown';
    if (keep.areas) row.area = areas.get(id) ?? 'unknown';
    rows.push(row);
  });
  const suppressed = suppressSmallCells(rows, settings.minK);

  const nodes = new Map<string, Record<string, unknown>>();
  for (const row of rows) {
    const attributes: Record<string, unknown> = {};
    if (row.ageBand !== undefined) attributes.age_band = row.ageBand;
    if (row.area !== undefined) attributes.area = row.area;
    if (keep.gradings) attributes.handling = row.handling;
    nodes.set(pseudonymOf.get(row.node)!, attributes);
  }

  const edges: Parameters<typeof orderedGraph>[2] = [];
  persons.forEachEdge((_edge, attributes, source, target) => {
    note(attributes.marking);
    const edge: Record<string, unknown> = { weight: attributes.weight };
    if (keep.channels) edge.channels = attributes.channels.join(';');
    if (keep.gradings) {
      edge.handling = attributes.marking.handling;
      const links = [...new Set(attributes.evidence.flatMap((item) => item.links))].map((link) => network.getEdgeAttributes(link).record);
      const assessment = weakestAssessment(links);
      if (assessment !== undefined) edge.assessment = assessment;
    }
    if (keep.dates) {
      if (attributes.firstSeen !== undefined) edge.first_seen = generaliseDate(attributes.firstSeen, settings.dates, shift);
      if (attributes.lastSeen !== undefined) edge.last_seen = generaliseDate(attributes.lastSeen, settings.dates, shift);
    }
    edges.push({ source: pseudonymOf.get(source)!, target: pseudonymOf.get(target)!, undirected: true, attributes: edge });
  });

  return {
    graph: orderedGraph('undirected', nodes, edges),
    pseudonymOf,
    handling,
    conditions: [...conditions].sort(),
    referenceDate: referenceDate === undefined ? undefined : generaliseDate(referenceDate, settings.dates, shift),
    suppressed,
  };
}

/**
 * Anonymises a research network (GraphML, GEXF, edge list, Pajek, DL): nodes
 * get pseudonyms, every attribute but the edge weight is dropped. Research
 * networks carry no handling codes: the export is marked P. An edge without
 * a weight gets weight 1.
 */
export function anonymiseResearchGraph(input: AbstractGraph, pseudonyms: Pseudonymiser): AnonymisedGraph {
  if (input.multi) throw new RangeError('@ocgnet/research/anonymise: a research network must be a simple graph (no parallel edges)');
  const pseudonymOf = new Map<string, string>();
  const nodes = new Map<string, Record<string, unknown>>();
  input.forEachNode((id) => {
    const pseudonym = pseudonyms.pseudonym('node', id);
    pseudonymOf.set(id, pseudonym);
    nodes.set(pseudonym, {});
  });
  const edges: Parameters<typeof orderedGraph>[2] = [];
  input.forEachEdge((_edge, attributes, source, target, _sa, _ta, undirected) => {
    const weight = attributes.weight;
    // An unweighted tie is weight 1, written out, so every format (Pajek and DL default to 1) reads back the same graph.
    edges.push({ source: pseudonymOf.get(source)!, target: pseudonymOf.get(target)!, undirected, attributes: { weight: typeof weight === 'number' ? weight : 1 } });
  });
  const type = input.type === 'mixed' ? 'mixed' : input.type === 'directed' ? 'directed' : 'undirected';
  return { graph: orderedGraph(type, nodes, edges), pseudonymOf, handling: 'P', conditions: [], referenceDate: undefined, suppressed: { area: 0, ageBand: 0 } };
}

/**
 * The same graph rebuilt in canonical order (nodes by pseudonym, edges by
 * endpoints, keys e0, e1, …): after perturbation, so added edges are not
 * the last ones in the file.
 */
export function canonicalGraph(graph: AbstractGraph): Graph {
  const nodes = new Map<string, Record<string, unknown>>();
  graph.forEachNode((node, attributes) => nodes.set(node, { ...attributes }));
  const edges: Parameters<typeof orderedGraph>[2] = [];
  graph.forEachEdge((_edge, attributes, source, target, _sa, _ta, undirected) => edges.push({ source, target, undirected, attributes: { ...attributes } }));
  const type = graph.type === 'mixed' ? 'mixed' : graph.type === 'directed' ? 'directed' : 'undirected';
  return orderedGraph(type, nodes, edges);
}

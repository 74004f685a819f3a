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
 * - Only what may be used for research: the network is first restricted to
 *   the evidence whose marking `researchUse` permits (by default handling P;
 *   permitted.ts), and projected again from that alone, so evidence that is
 *   not permitted contributes to no node, tie, weight, channel, date or count.
 * - Dropped: every id (replaced by a keyed pseudonym), names, labels,
 *   aliases, notes, addresses, phone numbers, VRMs, company numbers, graded
 *   attribute values, sources, handling codes and conditions (no per-item
 *   handling code, which would tell CHIS-derived ties apart), evidence link
 *   ids, exact dates of birth, safeguarding flags, and every attribute of a
 *   research network other than edge weights.
 * - Generalised: date of birth → age band at a stated reference date; home
 *   address → its area (the `area` field of the location the person lives at);
 *   link dates → month, quarter, year, or shifted by a keyed per-export
 *   offset, or left out; weights → exact, rounded down to a power of two
 *   (bands) or 1 (none); channels → exact, coarse (direct, shared, phone) or
 *   left out; gradings → the weakest intelligence assessment letter (A–E, or
 *   `legacy` for 5x5x5).
 * - Kept: the association structure.
 * - Suppressed: an (age band, area) combination shared by fewer than `minK`
 *   nominals loses its area, then its age band (`*`), so attributes never
 *   single out a small group (local suppression, Sweeney 2002).
 *
 * Node order is by pseudonym and edges by their pseudonymised endpoints, so
 * the order of the export says nothing about the order of the ids.
 */
import Graph from 'graphology';
import type { AbstractGraph } from 'graphology-types';
import { projectPersons, type NetworkGraph, type PersonGraph, type ProjectionOptionsInput } from '@ocgnet/graph';
import { linkInterval, type HandlingMarking, type Link, type Location } from '@ocgnet/schema';
import { DEFAULT_RESEARCH_USE, permittedNetwork, type ResearchUse } from './permitted.js';
import type { Pseudonymiser } from './pseudonyms.js';

export const DATE_MODES = ['shift', 'month', 'quarter', 'year', 'none'] as const;
export type DateMode = (typeof DATE_MODES)[number];

/** Edge weights: as projected, rounded down to a power of two, or all 1. */
export const WEIGHT_MODES = ['exact', 'bands', 'none'] as const;
export type WeightMode = (typeof WEIGHT_MODES)[number];

/** Edge channels: every channel, their coarse classes (direct, shared, phone), or none. */
export const CHANNEL_MODES = ['exact', 'coarse', 'none'] as const;
export type ChannelMode = (typeof CHANNEL_MODES)[number];

/** Which generalised attributes travel with the export. */
export interface KeptAttributes {
  /** Node `age_band`. */
  ages: boolean;
  /** Node `area`. */
  areas: boolean;
  /** Edge `channels` (link types behind the association); false is `channels: 'none'`. */
  channels: boolean;
  /** Edge `assessment` (the weakest intelligence assessment behind the tie). */
  gradings: boolean;
  /** Edge `first_seen` / `last_seen`, generalised by `dates`; false is `dates: 'none'`. */
  dates: boolean;
}

export interface AnonymiseOptions {
  /** How link dates are generalised. */
  dates: DateMode;
  /** How edge weights are generalised. */
  weights: WeightMode;
  /** How edge channels are generalised. */
  channels: ChannelMode;
  /** Which evidence may be used (default: handling P only). */
  researchUse: ResearchUse;
  /**
   * The options the projection was made with, to project the permitted
   * network again. Unset: the projection's own (resolved) options, except a
   * recency reference date that is the latest date in the data, which is
   * derived again from the permitted evidence.
   */
  projection?: ProjectionOptionsInput;
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
  weights: 'exact',
  channels: 'exact',
  researchUse: DEFAULT_RESEARCH_USE,
  ageBands: [18, 25, 35, 45, 55],
  minK: 5,
  keep: { ages: true, areas: true, channels: true, gradings: true, dates: true },
};

/** The anonymised graph and what the manifest may say about how it was made. */
export interface AnonymisedGraph {
  graph: Graph;
  /** Original id → pseudonym. In memory only: it is the re-identification table, never written. */
  pseudonymOf: Map<string, string>;
  /** The strictest handling code of the evidence the export was made from. */
  handling: HandlingMarking;
  /** Some of that evidence is handling C, so conditions apply (the data controller holds them; the export never quotes them). */
  conditionsApply: boolean;
  /** Left out as not permitted for research use; in memory only, never exported. */
  leftOut: { nominals: number; links: number };
  /** The reference date as generalised for the export (it is itself a data date). */
  referenceDate: string | undefined;
  /** Nominals whose area, or area and age band, were suppressed. */
  suppressed: { area: number; ageBand: number };
}

const ASSESSMENT_ORDER = ['A', 'B', 'C', 'D', 'E', 'legacy'];
export const SUPPRESSED = '*';

function resolve(options: Partial<AnonymiseOptions>): AnonymiseOptions {
  const resolved = {
    ...DEFAULT_ANONYMISE_OPTIONS,
    ...options,
    keep: { ...DEFAULT_ANONYMISE_OPTIONS.keep, ...options.keep },
  };
  if (!(DATE_MODES as readonly string[]).includes(resolved.dates))
    throw new RangeError(
      `@ocgnet/research/anonymise: dates must be one of ${DATE_MODES.join(', ')}, not ${JSON.stringify(resolved.dates)}`,
    );
  if (!(WEIGHT_MODES as readonly string[]).includes(resolved.weights))
    throw new RangeError(
      `@ocgnet/research/anonymise: weights must be one of ${WEIGHT_MODES.join(', ')}, not ${JSON.stringify(resolved.weights)}`,
    );
  if (!(CHANNEL_MODES as readonly string[]).includes(resolved.channels))
    throw new RangeError(
      `@ocgnet/research/anonymise: channels must be one of ${CHANNEL_MODES.join(', ')}, not ${JSON.stringify(resolved.channels)}`,
    );
  if (typeof resolved.researchUse !== 'function')
    throw new RangeError('@ocgnet/research/anonymise: researchUse must be a function of a marking');
  // The kept-attribute switches and the modes say the same thing two ways; `false` wins.
  if (!resolved.keep.dates) resolved.dates = 'none';
  if (!resolved.keep.channels) resolved.channels = 'none';
  if (!Number.isInteger(resolved.minK) || resolved.minK < 1)
    throw new RangeError(`@ocgnet/research/anonymise: minK must be a positive integer, not ${resolved.minK}`);
  if (resolved.referenceDate !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(resolved.referenceDate))
    throw new RangeError(
      `@ocgnet/research/anonymise: referenceDate must be YYYY-MM-DD, not ${JSON.stringify(resolved.referenceDate)}`,
    );
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

/** A date generalised for the export: YYYY-MM, YYYY-Qn, YYYY, or shifted YYYY-MM-DD ('none' is never written; it gives ''). */
export function generaliseDate(day: string, mode: DateMode, shiftDays: number): string {
  const iso = day.slice(0, 10);
  if (mode === 'none') return '';
  if (mode === 'month') return iso.slice(0, 7);
  if (mode === 'year') return iso.slice(0, 4);
  if (mode === 'quarter') return `${iso.slice(0, 4)}-Q${Math.floor((Number(iso.slice(5, 7)) - 1) / 3) + 1}`;
  return new Date(Date.parse(`${iso}T00:00:00Z`) + shiftDays * DAY_MS).toISOString().slice(0, 10);
}

/** An edge weight generalised for the export: as it is, rounded down to a power of two (1, 2, 4, … or ½, ¼, … below 1), or 1. */
export function generaliseWeight(weight: number, mode: WeightMode): number {
  if (mode === 'none') return 1;
  if (mode === 'exact' || !(weight > 0) || !Number.isFinite(weight)) return weight;
  return 2 ** Math.floor(Math.log2(weight));
}

/** The coarse class of each channel: a direct link, a shared entity, or phone contact. */
export const CHANNEL_CLASSES: Record<string, 'direct' | 'shared' | 'phone'> = {
  associate: 'direct',
  co_offender: 'direct',
  family: 'direct',
  financial: 'direct',
  phone_contact: 'phone',
  shared_business: 'shared',
  shared_event: 'shared',
  shared_group: 'shared',
  shared_location: 'shared',
  shared_phone: 'shared',
  shared_vehicle: 'shared',
};

/** Channels generalised for the export, `;`-joined and sorted ('' for 'none', which is never written). */
export function generaliseChannels(channels: readonly string[], mode: ChannelMode): string {
  if (mode === 'none') return '';
  if (mode === 'exact') return [...channels].sort().join(';');
  return [...new Set(channels.map((channel) => CHANNEL_CLASSES[channel] ?? 'other'))].sort().join(';');
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
    if (current === undefined || when > current.when || (when === current.when && place.area < current.area))
      best.set(source, { area: place.area, when });
  });
  return new Map([...best].map(([person, { area }]) => [person, area]));
}

/**
 * Local suppression: an (age band, area) combination held by fewer than k
 * nominals loses its area; if its age band alone is still rarer than k, that
 * goes too. If the nominals left with neither are fewer than k (but some),
 * more are suppressed until they are k: from the largest group that can
 * spare them, else the smallest group whole.
 */
function suppressSmallCells(rows: { ageBand?: string; area?: string }[], k: number): { area: number; ageBand: number } {
  const counted = (key: (row: { ageBand?: string; area?: string }) => string) => {
    const counts = new Map<string, number>();
    for (const row of rows) counts.set(key(row), (counts.get(key(row)) ?? 0) + 1);
    return counts;
  };
  const pair = (row: { ageBand?: string; area?: string }) => `${row.ageBand ?? ''}\u0000${row.area ?? ''}`;
  const suppressed = { area: 0, ageBand: 0 };
  const hide = (row: { ageBand?: string; area?: string }) => {
    if (row.area !== undefined && row.area !== SUPPRESSED) {
      row.area = SUPPRESSED;
      suppressed.area++;
    }
    if (row.ageBand !== undefined && row.ageBand !== SUPPRESSED) {
      row.ageBand = SUPPRESSED;
      suppressed.ageBand++;
    }
  };
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
  const hidden = (row: { ageBand?: string; area?: string }) =>
    (row.ageBand === undefined || row.ageBand === SUPPRESSED) && (row.area === undefined || row.area === SUPPRESSED);
  if (rows.length > 0 && (rows[0]!.ageBand !== undefined || rows[0]!.area !== undefined)) {
    for (;;) {
      const none = rows.filter(hidden).length;
      if (none === 0 || none >= k) break;
      const groups = [...counted(pair)]
        .filter(([key]) => rows.some((row) => pair(row) === key && !hidden(row)))
        .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1));
      if (groups.length === 0) break;
      const [largest, size] = groups[0]!;
      if (size - (k - none) >= k) {
        let need = k - none;
        for (const row of rows) if (need > 0 && pair(row) === largest) (hide(row), need--);
      } else {
        const [smallest] = groups[groups.length - 1]!;
        for (const row of rows) if (pair(row) === smallest) hide(row);
      }
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
  const normalised = edges.map((edge) =>
    edge.undirected && edge.target < edge.source ? { ...edge, source: edge.target, target: edge.source } : edge,
  );
  normalised.sort((a, b) =>
    a.source < b.source ? -1 : a.source > b.source ? 1 : a.target < b.target ? -1 : a.target > b.target ? 1 : 0,
  );
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

/** The options to project the permitted network with (see `AnonymiseOptions.projection`). */
function projectionInputFor(
  persons: PersonGraph,
  network: NetworkGraph,
  given: ProjectionOptionsInput | undefined,
): ProjectionOptionsInput {
  if (given !== undefined) return given;
  const options = persons.getAttribute('options') as ProjectionOptionsInput | undefined;
  if (options === undefined) return {};
  const recency = options.recency;
  // A reference date the projection derived from all the data may come from evidence that is not permitted: derive it again.
  if (
    recency?.halfLifeDays !== undefined &&
    recency.referenceDate !== undefined &&
    recency.referenceDate === latestLinkDate(network)
  ) {
    return { ...options, recency: { halfLifeDays: recency.halfLifeDays } };
  }
  return options;
}

/**
 * Anonymises the person projection of a record set.
 *
 * The network is first restricted to the evidence `researchUse` permits and
 * projected again (with the projection's options), so nothing exported rests
 * on evidence that is not permitted.
 *
 * @param persons the projection (`projectPersons(network, options)`)
 * @param network the network it was projected from (for dates of birth, homes and gradings)
 */
export function anonymisePersons(
  persons: PersonGraph,
  network: NetworkGraph,
  pseudonyms: Pseudonymiser,
  options: Partial<AnonymiseOptions> = {},
): AnonymisedGraph {
  const settings = resolve(options);
  const { keep } = settings;
  const permitted = permittedNetwork(network, settings.researchUse);
  const usable = permitted.network;
  const projected = projectPersons(usable, projectionInputFor(persons, network, settings.projection));
  const shift = settings.dates === 'shift' ? dateShiftDays(pseudonyms) : 0;
  const referenceDate = settings.referenceDate ?? latestLinkDate(usable);
  const areas = homeAreas(usable);
  const pseudonymOf = new Map<string, string>();

  const rows: { node: string; ageBand?: string; area?: string }[] = [];
  projected.forEachNode((id, attributes) => {
    pseudonymOf.set(id, pseudonyms.pseudonym('person', id));
    const person = attributes.record;
    const row: (typeof rows)[number] = { node: id };
    if (keep.ages)
      row.ageBand =
        person.date_of_birth !== undefined && referenceDate !== undefined
          ? ageBand(ageOn(person.date_of_birth, referenceDate), settings.ageBands)
          : 'unknown';
    if (keep.areas) row.area = areas.get(id) ?? 'unknown';
    rows.push(row);
  });
  const suppressed = suppressSmallCells(rows, settings.minK);

  const nodes = new Map<string, Record<string, unknown>>();
  for (const row of rows) {
    const attributes: Record<string, unknown> = {};
    if (row.ageBand !== undefined) attributes.age_band = row.ageBand;
    if (row.area !== undefined) attributes.area = row.area;
    nodes.set(pseudonymOf.get(row.node)!, attributes);
  }

  const edges: Parameters<typeof orderedGraph>[2] = [];
  projected.forEachEdge((_edge, attributes, source, target) => {
    const edge: Record<string, unknown> = { weight: generaliseWeight(attributes.weight, settings.weights) };
    if (settings.channels !== 'none') edge.channels = generaliseChannels(attributes.channels, settings.channels);
    if (keep.gradings) {
      const links = [...new Set(attributes.evidence.flatMap((item) => item.links))].map(
        (link) => usable.getEdgeAttributes(link).record,
      );
      const assessment = weakestAssessment(links);
      if (assessment !== undefined) edge.assessment = assessment;
    }
    if (settings.dates !== 'none') {
      if (attributes.firstSeen !== undefined)
        edge.first_seen = generaliseDate(attributes.firstSeen, settings.dates, shift);
      if (attributes.lastSeen !== undefined)
        edge.last_seen = generaliseDate(attributes.lastSeen, settings.dates, shift);
    }
    edges.push({
      source: pseudonymOf.get(source)!,
      target: pseudonymOf.get(target)!,
      undirected: true,
      attributes: edge,
    });
  });

  return {
    graph: orderedGraph('undirected', nodes, edges),
    pseudonymOf,
    handling: permitted.handling,
    conditionsApply: permitted.conditionsApply,
    leftOut: { nominals: permitted.leftOut.nominals, links: permitted.leftOut.links },
    referenceDate:
      referenceDate === undefined || settings.dates === 'none'
        ? undefined
        : generaliseDate(referenceDate, settings.dates, shift),
    suppressed,
  };
}

/**
 * Anonymises a research network (GraphML, GEXF, edge list, Pajek, DL): nodes
 * get pseudonyms, every attribute but the edge weight is dropped, and the
 * weight is generalised by `weights`. Research networks carry no handling
 * codes: the export is marked P. An edge without a weight gets weight 1.
 */
export function anonymiseResearchGraph(
  input: AbstractGraph,
  pseudonyms: Pseudonymiser,
  options: { weights?: WeightMode } = {},
): AnonymisedGraph {
  if (input.multi)
    throw new RangeError('@ocgnet/research/anonymise: a research network must be a simple graph (no parallel edges)');
  const weights = options.weights ?? 'exact';
  if (!(WEIGHT_MODES as readonly string[]).includes(weights))
    throw new RangeError(
      `@ocgnet/research/anonymise: weights must be one of ${WEIGHT_MODES.join(', ')}, not ${JSON.stringify(weights)}`,
    );
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
    edges.push({
      source: pseudonymOf.get(source)!,
      target: pseudonymOf.get(target)!,
      undirected,
      attributes: { weight: generaliseWeight(typeof weight === 'number' ? weight : 1, weights) },
    });
  });
  const type = input.type === 'mixed' ? 'mixed' : input.type === 'directed' ? 'directed' : 'undirected';
  return {
    graph: orderedGraph(type, nodes, edges),
    pseudonymOf,
    handling: 'P',
    conditionsApply: false,
    leftOut: { nominals: 0, links: 0 },
    referenceDate: undefined,
    suppressed: { area: 0, ageBand: 0 },
  };
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
  graph.forEachEdge((_edge, attributes, source, target, _sa, _ta, undirected) =>
    edges.push({ source, target, undirected, attributes: { ...attributes } }),
  );
  const type = graph.type === 'mixed' ? 'mixed' : graph.type === 'directed' ? 'directed' : 'undirected';
  return orderedGraph(type, nodes, edges);
}

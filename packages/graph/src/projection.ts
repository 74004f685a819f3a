/**
 * The person projection: who is associated with whom, and on what evidence.
 *
 * Analysts think in person-to-person associations. This module derives them
 * from the multimodal network through **channels**:
 *
 * | channel | evidence path |
 * |---|---|
 * | `associate`, `family`, `co_offender`, `financial` | a direct person–person link of that type |
 * | `shared_location`, `shared_phone`, `shared_vehicle`, `shared_business`, `shared_event` | a —la— X —lb— b: both persons linked (any link type, either direction) to the same entity X of that kind |
 * | `shared_group` | a —member_of→ G ←member_of— b, G an OCG or USG (off by default) |
 * | `phone_contact` | a —la— X —c:phone_contact— Y —lb— b: a linked to phone X, b to phone Y (any link type: uses_phone or owns), c in either direction |
 *
 * ## Weights
 * An edge's `weight` is the sum of its evidence contributions:
 *
 * - direct link l: `channelWeight × linkStrength(l) × g(l) × r(l)`;
 * - shared entity via la, lb: `channelWeight × min(g(la), g(lb)) × min(r(la), r(lb))`;
 * - phone contact via la, c, lb: `channelWeight × linkStrength(c) × min(g(la), g(c), g(lb)) × min(r(la), r(c), r(lb))`.
 *
 * where
 * - g(l), the grading factor, is `sourceWeights[source]` for 3x5x2 links and
 *   `legacyWeight` for 5x5x5 ones; links whose intelligence assessment is in
 *   `excludeAssessments` are not used at all;
 * - r(l), the recency factor, is `0.5 ^ (ageDays / halfLifeDays)`, the age
 *   running from the link's end (last_seen or date, else first_seen) to
 *   `referenceDate` (default: the latest date on any link of the network,
 *   filtered or not; never the wall clock); 1 for undated links, for links
 *   dated after the reference date, and when no half-life is set.
 *
 * A shared path is only as strong and as fresh as its weakest link, hence the
 * minimum. An evidence item that contributes nothing (a weight of 0) is not
 * recorded: a channel weighted 0 is simply switched off.
 *
 * ## Filters
 * - `window`: a link is used only if its interval overlaps [from, to]; once a
 *   window is set, undated links cannot be placed in it and are excluded.
 * - `requireCoPresence`: for a shared entity the two links' intervals must
 *   overlap (an open or undated end overlaps everything); for a phone contact
 *   the contact link must overlap each person's link to their phone.
 * - `maxSharedEntityDegree`: an entity linked to more distinct persons than
 *   this is a hub (a busy pub, a national phone number); it is neither expanded
 *   into a clique nor used in phone-contact paths, and it is listed in
 *   `stats.hubsNotExpanded`.
 *
 * Every exclusion is counted in the graph's `stats`: nothing is dropped silently.
 *
 * ## Markings
 * An edge carries the strictest marking of every link in its evidence and of
 * every intermediate entity (a C-coded location makes the association C): it
 * may be shared only where all of its evidence may be.
 *
 * ## Order
 * Persons are added sorted by id (UTF-16 code units), edges by (source, target)
 * in that order, with source < target; evidence paths read from source to
 * target and are sorted by channel, then link ids. Edge keys are
 * `JSON.stringify([source, target])`, unambiguous whatever the ids contain.
 * The same records give the same graph whatever order they came in.
 */
import Graph from 'graphology';
import {
  INTELLIGENCE_ASSESSMENTS,
  SOURCE_EVALUATIONS,
  compareIds,
  copyMarking,
  linkInterval,
  linkStrength,
  strictestMarking,
  type EntityKind,
  type Link,
  type Marking,
  type Person,
} from '@ocgnet/schema';
import { GraphError } from './errors.js';
import type { NetworkGraph } from './network.js';

/** Every channel through which two persons can be associated, in sorted order. */
export const CHANNELS = [
  'associate',
  'co_offender',
  'family',
  'financial',
  'phone_contact',
  'shared_business',
  'shared_event',
  'shared_group',
  'shared_location',
  'shared_phone',
  'shared_vehicle',
] as const;
export type Channel = (typeof CHANNELS)[number];

export type IntelligenceAssessment = (typeof INTELLIGENCE_ASSESSMENTS)[number];
export type SourceEvaluation = (typeof SOURCE_EVALUATIONS)[number];

/** How grading enters the projection. */
export interface GradingOptions {
  /** Assessments whose links are not used at all. */
  excludeAssessments: IntelligenceAssessment[];
  /** g(link) for 3x5x2 links, by source evaluation. */
  sourceWeights: Record<SourceEvaluation, number>;
  /** g(link) for legacy 5x5x5 links, which carry no assessment and so are never excluded by it. */
  legacyWeight: number;
}

/** Exponential decay of old evidence. */
export interface RecencyOptions {
  /** Age, in days, at which evidence counts half. Unset: no decay. */
  halfLifeDays?: number;
  /** YYYY-MM-DD that ages are measured to. Unset: the latest date on any link in the network. */
  referenceDate?: string;
}

/** A time window links must overlap. */
export interface WindowOptions {
  /** YYYY-MM-DD, inclusive. */
  from?: string;
  /** YYYY-MM-DD, inclusive. */
  to?: string;
}

/** Options of {@link projectPersons}. */
export interface ProjectionOptions {
  /** Multiplier of each channel's contributions; 0 switches a channel off. */
  channelWeights: Record<Channel, number>;
  grading: GradingOptions;
  recency: RecencyOptions;
  window: WindowOptions;
  /** Shared-entity (and phone-contact) paths need the links' intervals to overlap. */
  requireCoPresence: boolean;
  /** Entities linked to more persons than this are hubs and are not expanded. */
  maxSharedEntityDegree: number;
}

/** What callers may pass: any part of {@link ProjectionOptions}, nested objects included. */
export interface ProjectionOptionsInput {
  channelWeights?: Partial<Record<Channel, number>>;
  grading?: {
    excludeAssessments?: readonly IntelligenceAssessment[];
    sourceWeights?: Partial<Record<SourceEvaluation, number>>;
    legacyWeight?: number;
  };
  recency?: RecencyOptions;
  window?: WindowOptions;
  requireCoPresence?: boolean;
  maxSharedEntityDegree?: number;
}

/**
 * Defaults of {@link projectPersons}:
 * - `channelWeights`: 1 for every channel except `shared_group`, which is 0:
 *   the police OCG mapping is what later analysis compares clusters against,
 *   so projecting membership into the graph would make that comparison circular;
 * - `grading.excludeAssessments`: `['E']`, intelligence suspected to be false;
 * - `grading.sourceWeights`: 1 for every source evaluation (grading filters, it does not weigh);
 * - `grading.legacyWeight`: 1;
 * - `recency`: no half-life, so no decay; reference date from the data, never
 *   the wall clock, so results are reproducible;
 * - `window`: none, every link whatever its dates;
 * - `requireCoPresence`: true: two people who lived at one address ten years
 *   apart were never there together;
 * - `maxSharedEntityDegree`: 100: beyond that a shared entity says little
 *   about any one pair and its clique would swamp the graph.
 */
export const DEFAULT_PROJECTION_OPTIONS: Readonly<ProjectionOptions> = deepFreeze({
  channelWeights: {
    associate: 1,
    co_offender: 1,
    family: 1,
    financial: 1,
    phone_contact: 1,
    shared_business: 1,
    shared_event: 1,
    shared_group: 0,
    shared_location: 1,
    shared_phone: 1,
    shared_vehicle: 1,
  },
  grading: { excludeAssessments: ['E'], sourceWeights: { '1': 1, '2': 1, '3': 1 }, legacyWeight: 1 },
  recency: {},
  window: {},
  requireCoPresence: true,
  maxSharedEntityDegree: 100,
});

/** One piece of evidence behind a projected association. */
export interface Evidence {
  channel: Channel;
  /** Link ids along the path, from the edge's source to its target. */
  links: string[];
  /** Intermediate entity ids along the path (empty for a direct link). */
  via: string[];
  /** What it adds to the edge's weight. */
  contribution: number;
}

/** Attributes of a person node in the projection. */
export interface PersonNodeAttributes {
  kind: 'person';
  label: string;
  record: Person;
  /** The person's `entityMarking`. */
  marking: Marking;
  vulnerable: boolean;
  under_18: boolean;
  exploited: boolean;
  cuckooed: boolean;
  iom: boolean;
}

/** Attributes of a projected association. */
export interface PersonEdgeAttributes {
  /** Sum of the evidence contributions. */
  weight: number;
  /** Channels of the evidence, sorted, without repeats. */
  channels: Channel[];
  /** Number of evidence items. */
  count: number;
  evidence: Evidence[];
  /** Earliest date on any evidence link, YYYY-MM-DD. */
  firstSeen?: string;
  /** Latest date on any evidence link, YYYY-MM-DD. */
  lastSeen?: string;
  /** Strictest marking of every evidence link and intermediate entity. */
  marking: Marking;
}

/** A shared entity that was not expanded because too many persons share it. */
export interface HubNotExpanded {
  id: string;
  kind: EntityKind;
  /** Distinct persons linked to it by usable links. */
  persons: number;
}

/** What the projection used and what it left out. */
export interface ProjectionStats {
  /** Distinct links that appear in at least one evidence item. */
  linksUsed: number;
  /** Links of the network left out by a filter, each counted once (assessment first). */
  excluded: { assessment: number; window: number };
  /** Sorted by persons, most first, then id. */
  hubsNotExpanded: HubNotExpanded[];
}

/** Attributes of the projection as a whole. */
export interface PersonGraphAttributes {
  kind: 'person-projection';
  /** The options in force, defaults and the data-derived reference date filled in. */
  options: ProjectionOptions;
  stats: ProjectionStats;
}

/** The person-to-person association graph built by {@link projectPersons}. */
export type PersonGraph = Graph<PersonNodeAttributes, PersonEdgeAttributes, PersonGraphAttributes>;

const DIRECT_CHANNELS: ReadonlySet<string> = new Set(['associate', 'family', 'co_offender', 'financial']);

/** The shared-entity channel of each kind of intermediate entity. */
const SHARED_CHANNEL: Partial<Record<EntityKind, Channel>> = {
  location: 'shared_location',
  phone: 'shared_phone',
  vehicle: 'shared_vehicle',
  business: 'shared_business',
  event: 'shared_event',
  ocg: 'shared_group',
  usg: 'shared_group',
};

const MS_PER_DAY = 86_400_000;

/**
 * Fills in defaults and checks every value, throwing a {@link GraphError}
 * (`INVALID_OPTION`) for a value that would give a meaningless graph. The
 * reference date is left as given: {@link projectPersons} derives it from the data.
 */
export function resolveProjectionOptions(input: ProjectionOptionsInput = {}): ProjectionOptions {
  const defaults = DEFAULT_PROJECTION_OPTIONS;

  const channelWeights = { ...defaults.channelWeights };
  for (const [channel, weight] of Object.entries(input.channelWeights ?? {})) {
    if (!(CHANNELS as readonly string[]).includes(channel)) {
      throw invalid(`unknown channel ${JSON.stringify(channel)} in channelWeights (known: ${CHANNELS.join(', ')})`);
    }
    if (weight === undefined) continue;
    channelWeights[channel as Channel] = nonNegative(weight, `channelWeights.${channel}`);
  }

  const gradingInput = input.grading ?? {};
  const excludeAssessments = [
    ...new Set(gradingInput.excludeAssessments ?? defaults.grading.excludeAssessments),
  ].sort();
  for (const assessment of excludeAssessments) {
    if (!(INTELLIGENCE_ASSESSMENTS as readonly string[]).includes(assessment)) {
      throw invalid(`unknown intelligence assessment ${JSON.stringify(assessment)} in grading.excludeAssessments`);
    }
  }
  const sourceWeights = { ...defaults.grading.sourceWeights };
  for (const [source, weight] of Object.entries(gradingInput.sourceWeights ?? {})) {
    if (!(SOURCE_EVALUATIONS as readonly string[]).includes(source)) {
      throw invalid(`unknown source evaluation ${JSON.stringify(source)} in grading.sourceWeights`);
    }
    if (weight === undefined) continue;
    sourceWeights[source as SourceEvaluation] = nonNegative(weight, `grading.sourceWeights.${source}`);
  }
  const legacyWeight = nonNegative(gradingInput.legacyWeight ?? defaults.grading.legacyWeight, 'grading.legacyWeight');

  const recency: RecencyOptions = {};
  const halfLifeDays = input.recency?.halfLifeDays;
  if (halfLifeDays !== undefined) {
    if (!Number.isFinite(halfLifeDays) || halfLifeDays <= 0) {
      throw invalid(`recency.halfLifeDays must be a positive number of days, not ${String(halfLifeDays)}`);
    }
    recency.halfLifeDays = halfLifeDays;
  }
  if (input.recency?.referenceDate !== undefined) {
    recency.referenceDate = checkedDay(input.recency.referenceDate, 'recency.referenceDate');
  }

  const window: WindowOptions = {};
  if (input.window?.from !== undefined) window.from = checkedDay(input.window.from, 'window.from');
  if (input.window?.to !== undefined) window.to = checkedDay(input.window.to, 'window.to');
  if (window.from !== undefined && window.to !== undefined && window.from > window.to) {
    throw invalid(`window.from (${window.from}) is after window.to (${window.to})`);
  }

  const requireCoPresence = input.requireCoPresence ?? defaults.requireCoPresence;
  if (typeof requireCoPresence !== 'boolean') throw invalid('requireCoPresence must be true or false');

  const maxSharedEntityDegree = input.maxSharedEntityDegree ?? defaults.maxSharedEntityDegree;
  if (!(
    maxSharedEntityDegree === Infinity ||
    (Number.isInteger(maxSharedEntityDegree) && maxSharedEntityDegree >= 0)
  )) {
    throw invalid(`maxSharedEntityDegree must be a whole number ≥ 0 or Infinity, not ${String(maxSharedEntityDegree)}`);
  }

  return {
    channelWeights,
    grading: { excludeAssessments, sourceWeights, legacyWeight },
    recency,
    window,
    requireCoPresence,
    maxSharedEntityDegree,
  };
}

/** The evidence gathered so far for one pair of persons. */
interface PairAccumulator {
  evidence: Evidence[];
  firstSeen: string | undefined;
  lastSeen: string | undefined;
  /** Markings of the evidence that are not plain P. */
  strict: Marking[];
}

/**
 * Projects the multimodal network onto persons: every person a node (isolates
 * included), an edge wherever some channel associates two persons, with its
 * weight, evidence, time span and marking. See the module header for the
 * formulas. Options are merged over {@link DEFAULT_PROJECTION_OPTIONS}.
 */
export function projectPersons(network: NetworkGraph, input: ProjectionOptionsInput = {}): PersonGraph {
  const options = resolveProjectionOptions(input);
  const { channelWeights, grading, window, requireCoPresence, maxSharedEntityDegree } = options;

  // Persons, ranked by id: the rank orders nodes and edges and orients evidence.
  const personIds: string[] = [];
  network.forEachNode((id, attributes) => {
    if (attributes.kind === 'person') personIds.push(id);
  });
  personIds.sort();
  const rankOf = new Map<string, number>();
  personIds.forEach((id, rank) => rankOf.set(id, rank));
  const personCount = personIds.length;

  // Dates repeat a lot; parse each distinct one once.
  const dayCache = new Map<string, number>();
  const days = (day: string): number => {
    let value = dayCache.get(day);
    if (value === undefined) dayCache.set(day, (value = dayNumber(day)));
    return value;
  };

  // One pass over the links: filter, then sort the usable ones into direct
  // links, person–entity adjacency (grouped by entity) and phone contacts.
  const excludedAssessments = new Set<string>(grading.excludeAssessments);
  const windowSet = window.from !== undefined || window.to !== undefined;
  const windowFrom = window.from !== undefined ? dayNumber(window.from) : -Infinity;
  const windowTo = window.to !== undefined ? dayNumber(window.to) : Infinity;
  const stats: ProjectionStats = { linksUsed: 0, excluded: { assessment: 0, window: 0 }, hubsNotExpanded: [] };

  const links: Link[] = [];
  const linkG: number[] = [];
  const linkStart: number[] = [];
  const linkEnd: number[] = [];
  const linkFirstDay: (string | undefined)[] = [];
  /** The link's end: last_seen or date, else first_seen (what recency measures from). */
  const linkLastDay: (string | undefined)[] = [];
  /** The link's marking when it is not plain P, else undefined: most evidence is P. */
  const linkStrict: (Marking | undefined)[] = [];
  let latestDay: string | undefined;

  /** Direct person–person links: [link, rank a, rank b] triples. */
  const direct: number[] = [];
  /** For each entity that can be shared: its person links as [rank, link] pairs. */
  const adjacency = new Map<string, number[]>();
  /** phone_contact links, by index. */
  const contacts: number[] = [];

  network.forEachEdge((_key, attributes, source, target, sourceAttributes, targetAttributes) => {
    const link = attributes.record;
    const interval = linkInterval(link);
    const last = interval.end ?? interval.start;
    if (last !== undefined && (latestDay === undefined || last > latestDay)) latestDay = last;

    const linkGrading = link.grading;
    if (linkGrading.system === '3x5x2' && excludedAssessments.has(linkGrading.intelligence)) {
      stats.excluded.assessment += 1;
      return;
    }
    const start = interval.start !== undefined ? days(interval.start) : -Infinity;
    const end = interval.end !== undefined ? days(interval.end) : Infinity;
    if (windowSet) {
      const dated = interval.start !== undefined || interval.end !== undefined;
      if (!dated || start > windowTo || end < windowFrom) {
        stats.excluded.window += 1;
        return;
      }
    }

    const index = links.length;
    links.push(link);
    linkG.push(linkGrading.system === '3x5x2' ? grading.sourceWeights[linkGrading.source] : grading.legacyWeight);
    linkStart.push(start);
    linkEnd.push(end);
    linkFirstDay.push(interval.start ?? interval.end);
    linkLastDay.push(last);
    linkStrict.push(isPlainP(attributes.marking) ? undefined : attributes.marking);

    const sourceKind = sourceAttributes.kind;
    const targetKind = targetAttributes.kind;
    if (sourceKind === 'person' && targetKind === 'person') {
      if (DIRECT_CHANNELS.has(link.type)) direct.push(index, rankOf.get(source)!, rankOf.get(target)!);
    } else if (sourceKind === 'person' || targetKind === 'person') {
      const [person, entity, entityKind] =
        sourceKind === 'person' ? [source, target, targetKind] : [target, source, sourceKind];
      // Groups associate only through membership, not through any other link type.
      if (SHARED_CHANNEL[entityKind] === undefined) return;
      if ((entityKind === 'ocg' || entityKind === 'usg') && link.type !== 'member_of') return;
      let entries = adjacency.get(entity);
      if (entries === undefined) adjacency.set(entity, (entries = []));
      entries.push(rankOf.get(person)!, index);
    } else if (link.type === 'phone_contact') {
      contacts.push(index);
    }
  });

  // Recency needs the reference date, which may come from the whole data set.
  const recency: RecencyOptions = { ...options.recency };
  if (recency.halfLifeDays !== undefined && recency.referenceDate === undefined && latestDay !== undefined) {
    recency.referenceDate = latestDay;
  }
  options.recency = recency;
  const { halfLifeDays, referenceDate } = recency;
  const referenceDay = referenceDate !== undefined ? dayNumber(referenceDate) : undefined;
  const linkR = linkLastDay.map((last) =>
    halfLifeDays === undefined || referenceDay === undefined || last === undefined
      ? 1
      : recencyFactor(referenceDay - days(last), halfLifeDays),
  );

  // One accumulator per person pair, keyed by rank(a) × n + rank(b), a < b.
  const pairs = new Map<number, PairAccumulator>();
  const used = new Uint8Array(links.length);
  const entityStrict = new Map<string, Marking | undefined>();
  /** Records one evidence path; `pathLinks` and `via` run from the lower-ranked person. */
  const addEvidence = (
    rankA: number,
    rankB: number,
    channel: Channel,
    pathLinks: number[],
    via: string[],
    contribution: number,
  ): void => {
    const key = rankA < rankB ? rankA * personCount + rankB : rankB * personCount + rankA;
    let pair = pairs.get(key);
    if (pair === undefined)
      pairs.set(key, (pair = { evidence: [], firstSeen: undefined, lastSeen: undefined, strict: [] }));
    const ids: string[] = [];
    for (const index of pathLinks) {
      ids.push(links[index]!.id);
      used[index] = 1;
      const first = linkFirstDay[index];
      const last = linkLastDay[index];
      if (first !== undefined && (pair.firstSeen === undefined || first < pair.firstSeen)) pair.firstSeen = first;
      if (last !== undefined && (pair.lastSeen === undefined || last > pair.lastSeen)) pair.lastSeen = last;
      const marking = linkStrict[index];
      if (marking !== undefined) pair.strict.push(marking);
    }
    for (const entity of via) {
      let marking = entityStrict.get(entity);
      if (marking === undefined && !entityStrict.has(entity)) {
        const own = network.getNodeAttribute(entity, 'marking');
        entityStrict.set(entity, (marking = isPlainP(own) ? undefined : own));
      }
      if (marking !== undefined) pair.strict.push(marking);
    }
    pair.evidence.push({ channel, links: ids, via, contribution });
  };

  // Direct links.
  for (let i = 0; i < direct.length; i += 3) {
    const index = direct[i]!;
    const link = links[index]!;
    const contribution = channelWeights[link.type as Channel] * linkStrength(link) * linkG[index]! * linkR[index]!;
    if (contribution > 0) {
      addEvidence(direct[i + 1]!, direct[i + 2]!, link.type as Channel, [index], [], contribution);
    }
  }

  // Hubs: entities whose clique would join too many persons. Decided once, so
  // a hub phone is skipped (and reported) for phone contact too.
  const phoneContactOn = channelWeights.phone_contact > 0 && contacts.length > 0;
  const hubs = new Set<string>();
  for (const [entity, entries] of adjacency) {
    const kind = network.getNodeAttribute(entity, 'kind');
    const channel = SHARED_CHANNEL[kind]!;
    const inUse = channelWeights[channel] > 0 || (kind === 'phone' && phoneContactOn);
    if (!inUse || entries.length / 2 <= maxSharedEntityDegree) continue;
    const persons = new Set<number>();
    for (let i = 0; i < entries.length; i += 2) persons.add(entries[i]!);
    if (persons.size > maxSharedEntityDegree) {
      hubs.add(entity);
      stats.hubsNotExpanded.push({ id: entity, kind, persons: persons.size });
    }
  }
  stats.hubsNotExpanded.sort((a, b) => b.persons - a.persons || compareIds(a.id, b.id));

  // Shared entities: every pair of person links through the same entity.
  for (const [entity, entries] of adjacency) {
    if (hubs.has(entity)) continue;
    const channel = SHARED_CHANNEL[network.getNodeAttribute(entity, 'kind')]!;
    const channelWeight = channelWeights[channel];
    if (channelWeight <= 0) continue;
    for (let i = 0; i < entries.length; i += 2) {
      const rankA = entries[i]!;
      const linkA = entries[i + 1]!;
      for (let j = i + 2; j < entries.length; j += 2) {
        const rankB = entries[j]!;
        if (rankA === rankB) continue;
        const linkB = entries[j + 1]!;
        if (requireCoPresence && !(linkStart[linkA]! <= linkEnd[linkB]! && linkStart[linkB]! <= linkEnd[linkA]!))
          continue;
        const contribution =
          channelWeight * Math.min(linkG[linkA]!, linkG[linkB]!) * Math.min(linkR[linkA]!, linkR[linkB]!);
        if (contribution <= 0) continue;
        addEvidence(rankA, rankB, channel, rankA < rankB ? [linkA, linkB] : [linkB, linkA], [entity], contribution);
      }
    }
  }

  // Phone contact: users of one phone with users of the other.
  if (phoneContactOn) {
    const channelWeight = channelWeights.phone_contact;
    for (const contact of contacts) {
      const link = links[contact]!;
      const usersFrom = adjacency.get(link.from);
      const usersTo = adjacency.get(link.to);
      if (usersFrom === undefined || usersTo === undefined || hubs.has(link.from) || hubs.has(link.to)) continue;
      const strength = channelWeight * linkStrength(link);
      for (let i = 0; i < usersFrom.length; i += 2) {
        const rankA = usersFrom[i]!;
        const linkA = usersFrom[i + 1]!;
        if (requireCoPresence && !overlaps(linkA, contact)) continue;
        for (let j = 0; j < usersTo.length; j += 2) {
          const rankB = usersTo[j]!;
          if (rankA === rankB) continue;
          const linkB = usersTo[j + 1]!;
          if (requireCoPresence && !overlaps(linkB, contact)) continue;
          const contribution =
            strength *
            Math.min(linkG[linkA]!, linkG[contact]!, linkG[linkB]!) *
            Math.min(linkR[linkA]!, linkR[contact]!, linkR[linkB]!);
          if (contribution <= 0) continue;
          if (rankA < rankB)
            addEvidence(rankA, rankB, 'phone_contact', [linkA, contact, linkB], [link.from, link.to], contribution);
          else addEvidence(rankA, rankB, 'phone_contact', [linkB, contact, linkA], [link.to, link.from], contribution);
        }
      }
    }
  }

  function overlaps(a: number, b: number): boolean {
    return linkStart[a]! <= linkEnd[b]! && linkStart[b]! <= linkEnd[a]!;
  }

  // Build the graph in a stable order.
  const graph: PersonGraph = new Graph<PersonNodeAttributes, PersonEdgeAttributes, PersonGraphAttributes>({
    type: 'undirected',
    multi: false,
    allowSelfLoops: false,
  });
  graph.replaceAttributes({ kind: 'person-projection', options, stats });

  for (const id of personIds) {
    const attributes = network.getNodeAttributes(id);
    const person = attributes.record as Person;
    graph.addNode(id, {
      kind: 'person',
      label: attributes.label,
      record: person,
      marking: copyMarking(attributes.marking),
      vulnerable: person.vulnerable ?? false,
      under_18: person.under_18 ?? false,
      exploited: person.exploited ?? false,
      cuckooed: person.cuckooed ?? false,
      iom: person.iom ?? false,
    });
  }

  const keys = Float64Array.from(pairs.keys()).sort();
  for (const key of keys) {
    const pair = pairs.get(key)!;
    const source = personIds[Math.floor(key / personCount)]!;
    const target = personIds[key % personCount]!;
    const evidence = pair.evidence;
    if (evidence.length > 1) evidence.sort(compareEvidence);
    // Summed in sorted order, so the float result does not depend on input order.
    let weight = 0;
    const channels: Channel[] = [];
    for (const item of evidence) {
      weight += item.contribution;
      if (channels[channels.length - 1] !== item.channel) channels.push(item.channel);
    }
    const attributes: PersonEdgeAttributes = {
      weight,
      channels,
      count: evidence.length,
      evidence,
      marking: pair.strict.length === 0 ? { handling: 'P', conditions: [] } : strictestMarking(pair.strict),
    };
    if (pair.firstSeen !== undefined) attributes.firstSeen = pair.firstSeen;
    if (pair.lastSeen !== undefined) attributes.lastSeen = pair.lastSeen;
    // The pair is a key no id can fake, whatever characters ids contain.
    graph.addUndirectedEdgeWithKey(JSON.stringify([source, target]), source, target, attributes);
  }
  for (const flag of used) stats.linksUsed += flag;

  return graph;
}

/**
 * r(link) for a dated link `ageDays` old, measured from its end (last_seen or
 * date, else first_seen: `linkLastDay`) to the reference date.
 */
function recencyFactor(ageDays: number, halfLifeDays: number): number {
  // Evidence dated after the reference date is as fresh as it gets, not fresher.
  return ageDays <= 0 ? 1 : 0.5 ** (ageDays / halfLifeDays);
}

/** Days since 1970-01-01 of a YYYY-MM-DD date, in UTC. */
function dayNumber(day: string): number {
  return Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10))) / MS_PER_DAY;
}

/** Accepts YYYY-MM-DD or an ISO date-time; returns the calendar day. */
function checkedDay(value: string, field: string): string {
  const day = typeof value === 'string' ? value.slice(0, 10) : '';
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (match !== null) {
    const date = new Date(dayNumber(day) * MS_PER_DAY);
    if (date.getUTCMonth() + 1 === Number(match[2]) && date.getUTCDate() === Number(match[3])) return day;
  }
  throw invalid(`${field} must be a date (YYYY-MM-DD), not ${JSON.stringify(value)}`);
}

function nonNegative(value: number, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw invalid(`${field} must be a finite number ≥ 0, not ${String(value)}`);
  }
  return value;
}

function invalid(message: string): GraphError {
  return new GraphError('INVALID_OPTION', message);
}

function compareStringArrays(a: readonly string[], b: readonly string[]): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const order = compareIds(a[i]!, b[i]!);
    if (order !== 0) return order;
  }
  return a.length - b.length;
}

function compareEvidence(a: Evidence, b: Evidence): number {
  return compareIds(a.channel, b.channel) || compareStringArrays(a.links, b.links) || compareStringArrays(a.via, b.via);
}

function isPlainP(marking: Marking): boolean {
  return marking.handling === 'P' && marking.conditions.length === 0;
}

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (typeof child === 'object' && child !== null) deepFreeze(child as object);
  }
  return Object.freeze(value);
}

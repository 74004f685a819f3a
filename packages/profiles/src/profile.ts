/**
 * Partnership profiles: one subject (an OCG or a person), as one audience may
 * read it.
 *
 * The only gate is {@link recordsForAudience}: the records are physically
 * reduced first, and **everything** in the profile (network, projection,
 * metrics, communities, plan, levers) is recomputed from the reduced set, so
 * nothing hidden can leak through a count, a score or a rank. Every item
 * carries the strictest marking of the evidence behind it; the profile's
 * `marking` is the strictest of all.
 */
import {
  analyseRecords,
  type AnalysisReport,
  type RecordsAnalysis,
  type GroupMapping,
  type NodeMetricField,
  type NodeMetrics,
} from '@ocgnet/analysis';
import { leversFor, planDisruption, type ActionRow, type DisruptionPlan } from '@ocgnet/disruption';
import type { NetworkGraph, PersonGraph } from '@ocgnet/graph';
import { OcgnetError } from '@ocgnet/schema';
import {
  DEFAULT_CLASSIFICATION,
  PUBLIC_MARKING,
  compareIds,
  copyMarking,
  entityMarking,
  strictestMarking,
  type Entity,
  type Marking,
  type RecordSet,
  type SafeguardingFlag,
} from '@ocgnet/schema';
import {
  audiencesHash,
  defaultAudiences,
  evidenceReleaseFor,
  mayView,
  recordsForAudience,
  type Audience,
  type AudienceConfig,
} from './audience.js';
import {
  WITHHELD_HOME_LABEL,
  protectionFlagsOf,
  safeguardingDisclosure,
  type SafeguardingDisclosure,
} from './safeguardingFacts.js';

export type ProfileErrorCode = 'SUBJECT_NOT_VISIBLE' | 'INVALID_SUBJECT';

/** A typed profile error. `SUBJECT_NOT_VISIBLE` says nothing about the subject. */
export class ProfileError extends OcgnetError<ProfileErrorCode> {
  override readonly name = 'ProfileError';
  constructor(code: ProfileErrorCode, message: string) {
    super(code, message);
  }
}

const NOT_VISIBLE_MESSAGE = 'no such subject for this audience';

export interface ProfileInput {
  records: RecordSet;
  audience: Audience;
  /** `ocg:ID` (an OCG or USG) or `person:ID`. */
  subject: string;
  /** Date (or date-time) the profile is produced; given, not read from the clock, so profiles are reproducible. */
  createdAt: string;
  manifestRef?: string;
  /** The force's audiences configuration `audience` comes from (lead agencies' audiences, and its hash in the banner); default the shipped one. */
  audiences?: AudienceConfig;
  /**
   * `analyseRecords(recordsForAudience(records, audience))`, when the caller already has it (a
   * server answering many profiles of one store for one audience); computed here otherwise. It must
   * be the analysis of exactly what this audience may see.
   */
  analysed?: RecordsAnalysis;
}

export interface Marked {
  marking: Marking;
}

export interface ProfileBanner extends Marked {
  classification: string;
  audience: string;
  date: string;
  manifestRef?: string;
  /** SHA-256 of the audiences configuration that decided what this profile holds. */
  audiences: string;
}

export interface ProfileSummary extends Marked {
  id: string;
  label: string;
  kind: string;
  ocgmBand?: string;
  ocgmScore?: number;
  morileScore?: number;
  lro?: string;
  threatAreas?: string[];
  /** Person: the group police have mapped them to, and the role. */
  mappedGroup?: string;
  mappedGroupLabel?: string;
  mappedRole?: string;
  /** OCG: visible mapped members. Location: persons linked to it. */
  members?: number;
  /** Location: premises type, area, and whether the address is cuckooed. */
  premisesType?: string;
  area?: string;
  cuckooed?: boolean;
}

/** The metrics of {@link NodeMetrics} a position row shows, in the order it lists them. */
const POSITION_METRICS = [
  'degree',
  'strength',
  'betweenness',
  'closeness',
  'eigenvector',
  'pagerank',
  'coreness',
  'community',
] as const satisfies readonly NodeMetricField[];

/** A member's position in the profile, with the analysis's values of {@link POSITION_METRICS}. */
export interface PositionItem
  extends
    Marked,
    Pick<NodeMetrics, 'id' | 'label' | (typeof POSITION_METRICS)[number] | 'articulation' | 'safeguarding'> {
  mappedRole?: string;
  likelyRole?: string;
  /** Rank by betweenness among the group's members in the profile (1 = highest). */
  rankInGroup?: number;
  groupSize?: number;
}

export interface RoleItem extends Marked {
  id: string;
  label: string;
  mappedRole?: string;
  likelyRole?: string;
}

export interface AssociateItem extends Marked {
  id: string;
  label: string;
  weight: number;
  channels: string[];
  /** Link ids of the evidence behind the tie(s). */
  links: string[];
  /** For an OCG: the members the associate is tied to. */
  via?: string[];
  safeguarding: boolean;
}

export interface BridgeItem extends Marked {
  /** `mapped`: a police-mapped group; `community`: a detected community. */
  by: 'mapped' | 'community';
  group: string;
  label?: string;
  /** Neighbours in that group through whom the subject reaches it. */
  through: { id: string; label: string }[];
}

export interface SafeguardingItem extends Marked {
  id: string;
  label: string;
  kind: 'person' | 'location';
  /** The flags this audience is told (its `safeguardingFacts`). */
  flags: SafeguardingFlag[];
  /** True when the subject has flags this audience is not told: the details go to the safeguarding partners. */
  withheld: boolean;
  /** Subject (or member) ids it is linked to. */
  linkedTo: string[];
}

export interface AssetLever {
  id: string;
  partner: string;
  power: string;
  strand: string;
  marking: Marking;
}

export interface AssetItem extends Marked {
  id: string;
  label: string;
  kind: 'business' | 'vehicle' | 'location';
  /** Subject (or member) ids it is linked to, and the link ids. */
  linkedTo: string[];
  links: string[];
  levers: AssetLever[];
}

export interface ActionItem extends Marked {
  target: { id: string; label: string };
  lever: string;
  power: string;
  leadAgency: string;
  strand: string;
  deltaF: number | null;
  evidence: { entity: string; label: string; links: string[] }[];
}

export interface Profile {
  banner: ProfileBanner;
  subject: { kind: SubjectKind; id: string };
  summary: ProfileSummary;
  position: PositionItem[];
  role: RoleItem[];
  keyAssociates: AssociateItem[];
  bridges: BridgeItem[];
  safeguarding: SafeguardingItem[];
  assets: AssetItem[];
  actionPlan: ActionItem[];
  egoSvg: { svg: string; nodes: number; edges: number; marking: Marking };
  /** Strictest marking of every item. */
  marking: Marking;
}

const MAX_ASSOCIATES = 10;

/** What a partnership profile can be about: a group (OCG or USG), a nominal, or a location. */
export type SubjectKind = 'ocg' | 'person' | 'location';

function parseSubject(subject: string): { kind: SubjectKind; id: string } {
  const match = /^(ocg|usg|person|location):(.+)$/s.exec(typeof subject === 'string' ? subject : '');
  if (match === null)
    throw new ProfileError('INVALID_SUBJECT', 'subject must be "ocg:ID", "usg:ID", "person:ID" or "location:ID"');
  // A street gang is profiled as a group, exactly as an OCG is.
  return { kind: match[1] === 'usg' ? 'ocg' : (match[1] as SubjectKind), id: match[2]! };
}

/** Persons linked to a location by any visible link, and those links' markings. */
function personsAt(network: NetworkGraph, location: string): { ids: string[]; markings: Marking[] } {
  const ids = new Set<string>();
  const markings: Marking[] = [];
  network.forEachEdge(location, (_edge, attributes, source, target) => {
    const other = source === location ? target : source;
    if (network.getNodeAttribute(other, 'kind') !== 'person') return;
    ids.add(other);
    markings.push(attributes.marking);
  });
  return { ids: [...ids].sort(compareIds), markings };
}

interface Context {
  network: NetworkGraph;
  persons: PersonGraph;
  report: AnalysisReport;
  mapping: GroupMapping;
  metrics: Map<string, NodeMetrics>;
  entity: (id: string) => Entity | undefined;
  /** The label this audience may read: a victim's home is withheld from audiences not told home addresses. */
  label: (id: string) => string;
  disclosure: SafeguardingDisclosure;
}

function contextOf(records: RecordSet, audience: Audience, analysed?: RecordsAnalysis): Context {
  const { network, persons, mapping, report } = analysed ?? analyseRecords(records);
  const metrics = new Map(report.nodes.map((node) => [node.id, node]));
  const entity = (id: string): Entity | undefined =>
    network.hasNode(id) ? network.getNodeAttribute(id, 'record') : undefined;
  const disclosure = safeguardingDisclosure(network, audience);
  const label = (id: string): string => (disclosure.homeWithheld(id) ? WITHHELD_HOME_LABEL : (entity(id)?.label ?? id));
  return { network, persons, report, mapping, metrics, entity, label, disclosure };
}

/** Builds the profile of one subject for one audience. */
export function buildProfile(input: ProfileInput): Profile {
  const subject = parseSubject(input.subject);
  const visible = recordsForAudience(input.records, input.audience);
  const subjectEntity = visible.entities.find((entity) => entity.id === subject.id);
  const kindOk =
    subject.kind === 'person'
      ? subjectEntity?.kind === 'person'
      : subject.kind === 'location'
        ? subjectEntity?.kind === 'location'
        : subjectEntity?.kind === 'ocg' || subjectEntity?.kind === 'usg';
  if (subjectEntity === undefined || !kindOk) throw new ProfileError('SUBJECT_NOT_VISIBLE', NOT_VISIBLE_MESSAGE);

  const audiences = input.audiences ?? defaultAudiences();
  const ctx = contextOf(visible, input.audience, input.analysed);
  const { network, persons, report, mapping, metrics } = ctx;
  const graphMarking = report.marking;

  // The persons the profile is about: the subject, the group's visible members, or the people at the location.
  const isLocation = subject.kind === 'location';
  const isGroup = subject.kind !== 'person';
  const atLocation = isLocation ? personsAt(network, subject.id) : undefined;
  const core: string[] = atLocation
    ? atLocation.ids
    : isGroup
      ? [...(mapping.membersOf[subject.id] ?? [])].sort(compareIds)
      : [subject.id];
  const coreSet = new Set(core);

  // -- summary
  const summaryMarkings: Marking[] = [entityMarking(subjectEntity)];
  const summary: ProfileSummary = {
    id: subject.id,
    label: ctx.label(subject.id),
    kind: subjectEntity.kind,
    marking: graphMarking,
  };
  if (subjectEntity.kind === 'ocg') {
    if (subjectEntity.ocgm_band !== undefined) summary.ocgmBand = subjectEntity.ocgm_band;
    if (subjectEntity.ocgm_score !== undefined) summary.ocgmScore = subjectEntity.ocgm_score;
    if (subjectEntity.morile_score !== undefined) summary.morileScore = subjectEntity.morile_score;
    if (subjectEntity.lro !== undefined) summary.lro = subjectEntity.lro;
  }
  if ((subjectEntity.kind === 'ocg' || subjectEntity.kind === 'usg') && subjectEntity.threat_areas !== undefined) {
    summary.threatAreas = [...subjectEntity.threat_areas];
  }
  if (subjectEntity.kind === 'location') {
    if (subjectEntity.premises_type !== undefined) summary.premisesType = subjectEntity.premises_type;
    if (subjectEntity.area !== undefined) summary.area = subjectEntity.area;
    // Whether an address is cuckooed is a safeguarding fact.
    if (ctx.disclosure.flags(subjectEntity).includes('cuckooed') || !ctx.disclosure.withheld(subjectEntity))
      summary.cuckooed = subjectEntity.cuckooed === true;
    summary.members = core.length;
    summaryMarkings.push(...atLocation!.markings);
  } else if (isGroup) {
    summary.members = core.length;
    network.forEachEdge(subject.id, (_edge, attributes) => {
      if (attributes.type === 'member_of') summaryMarkings.push(attributes.marking);
    });
  } else {
    const group = mapping.groupOf[subject.id];
    if (group !== undefined) {
      summary.mappedGroup = group;
      summary.mappedGroupLabel = ctx.label(group);
      const role = mapping.roleOf[subject.id];
      if (role !== undefined) summary.mappedRole = role;
      network.forEachEdge(subject.id, (_edge, attributes, _source, target) => {
        if (attributes.type === 'member_of' && target === group) {
          summaryMarkings.push(attributes.marking);
          summaryMarkings.push(network.getNodeAttribute(group, 'marking'));
        }
      });
    }
  }
  summary.marking = strictestMarking(summaryMarkings);

  // -- position and role (metrics depend on the whole visible graph)
  const inProjection = core.filter((id) => metrics.has(id));
  const byBetweenness = [...inProjection].sort(
    (a, b) => metrics.get(b)!.betweenness - metrics.get(a)!.betweenness || compareIds(a, b),
  );
  const position: PositionItem[] = byBetweenness.map((id, index) => {
    const m = metrics.get(id)!;
    const values = Object.fromEntries(POSITION_METRICS.map((field) => [field, m[field]])) as Pick<
      NodeMetrics,
      (typeof POSITION_METRICS)[number]
    >;
    const item: PositionItem = {
      id,
      label: m.label,
      ...values,
      articulation: m.articulation,
      safeguarding: m.safeguarding,
      marking: graphMarking,
    };
    if (m.mappedRole !== undefined) item.mappedRole = m.mappedRole;
    if (m.likelyRole !== undefined) item.likelyRole = m.likelyRole;
    if (isGroup) {
      item.rankInGroup = index + 1;
      item.groupSize = byBetweenness.length;
    }
    return item;
  });
  const role: RoleItem[] = core.map((id) => {
    const m = metrics.get(id);
    const item: RoleItem = { id, label: ctx.label(id), marking: graphMarking };
    const mappedRole = mapping.roleOf[id];
    if (mappedRole !== undefined) item.mappedRole = mappedRole;
    if (m?.likelyRole !== undefined) item.likelyRole = m.likelyRole;
    return item;
  });

  // -- key associates (projection neighbours outside the core)
  const associates = new Map<
    string,
    { weight: number; channels: Set<string>; links: Set<string>; via: Set<string>; markings: Marking[] }
  >();
  for (const id of inProjection) {
    persons.forEachEdge(id, (_edge, attributes, source, target) => {
      const other = source === id ? target : source;
      if (coreSet.has(other)) return;
      let entry = associates.get(other);
      if (entry === undefined)
        associates.set(
          other,
          (entry = { weight: 0, channels: new Set(), links: new Set(), via: new Set(), markings: [] }),
        );
      entry.weight += attributes.weight;
      for (const channel of attributes.channels) entry.channels.add(channel);
      for (const evidence of attributes.evidence) for (const link of evidence.links) entry.links.add(link);
      entry.via.add(id);
      entry.markings.push(attributes.marking);
    });
  }
  const allAssociates: AssociateItem[] = [...associates.entries()].map(([id, entry]) => {
    const item: AssociateItem = {
      id,
      label: ctx.label(id),
      weight: entry.weight,
      channels: [...entry.channels].sort(),
      links: [...entry.links].sort(compareIds),
      safeguarding: protectionFlagsOf(ctx.entity(id)).length > 0,
      marking: strictestMarking(entry.markings),
    };
    if (isGroup) item.via = [...entry.via].sort(compareIds);
    return item;
  });
  allAssociates.sort((a, b) => b.weight - a.weight || compareIds(a.id, b.id));
  const keyAssociates = allAssociates.slice(0, MAX_ASSOCIATES);

  // -- bridges: groups and communities of neighbours other than the subject's own
  const ownGroups = new Set<string>(isLocation ? [] : isGroup ? [subject.id] : (mapping.groupsOf[subject.id] ?? []));
  const ownCommunities = new Set<number>(inProjection.map((id) => metrics.get(id)!.community));
  const bridgeMap = new Map<
    string,
    { by: 'mapped' | 'community'; group: string; through: Set<string>; markings: Marking[] }
  >();
  const addBridge = (by: 'mapped' | 'community', group: string, through: string, marking: Marking): void => {
    const key = `${by}\u0000${group}`;
    let entry = bridgeMap.get(key);
    if (entry === undefined)
      bridgeMap.set(
        key,
        (entry = { by, group, through: new Set(), markings: by === 'community' ? [graphMarking] : [] }),
      );
    entry.through.add(through);
    entry.markings.push(marking);
  };
  for (const id of inProjection) {
    persons.forEachEdge(id, (_edge, attributes, source, target) => {
      const other = source === id ? target : source;
      if (coreSet.has(other)) return;
      const otherGroup = mapping.groupOf[other];
      if (otherGroup !== undefined && !ownGroups.has(otherGroup)) {
        addBridge(
          'mapped',
          otherGroup,
          other,
          strictestMarking([attributes.marking, ...membershipMarkings(network, other, otherGroup)]),
        );
      }
      const community = metrics.get(other)?.community;
      if (community !== undefined && !ownCommunities.has(community))
        addBridge('community', String(community), other, attributes.marking);
    });
  }
  const bridges: BridgeItem[] = [...bridgeMap.values()]
    .map((entry) => {
      const item: BridgeItem = {
        by: entry.by,
        group: entry.group,
        through: [...entry.through].sort(compareIds).map((id) => ({ id, label: ctx.label(id) })),
        marking: strictestMarking(entry.markings),
      };
      if (entry.by === 'mapped') item.label = ctx.label(entry.group);
      return item;
    })
    .sort(
      (a, b) =>
        (a.by === b.by ? 0 : a.by === 'mapped' ? -1 : 1) ||
        b.through.length - a.through.length ||
        compareIds(a.group, b.group),
    );

  // -- safeguarding: flagged core persons, flagged projection neighbours, cuckooed addresses
  const safeMap = new Map<string, { kind: 'person' | 'location'; linkedTo: Set<string>; markings: Marking[] }>();
  const addSafe = (id: string, kind: 'person' | 'location', linkedTo: string | undefined, marking: Marking): void => {
    let entry = safeMap.get(id);
    if (entry === undefined)
      safeMap.set(id, (entry = { kind, linkedTo: new Set(), markings: [network.getNodeAttribute(id, 'marking')] }));
    if (linkedTo !== undefined) entry.linkedTo.add(linkedTo);
    entry.markings.push(marking);
  };
  for (const id of core) {
    if (protectionFlagsOf(ctx.entity(id)).length > 0)
      addSafe(id, 'person', undefined, network.getNodeAttribute(id, 'marking'));
  }
  if (isLocation && protectionFlagsOf(subjectEntity).length > 0)
    addSafe(subject.id, 'location', undefined, strictestMarking([network.getNodeAttribute(subject.id, 'marking')]));
  for (const id of inProjection) {
    persons.forEachEdge(id, (_edge, attributes, source, target) => {
      const other = source === id ? target : source;
      if (protectionFlagsOf(ctx.entity(other)).length > 0) addSafe(other, 'person', id, attributes.marking);
    });
  }
  const subjectsForEntities = isGroup ? [subject.id, ...core] : core;
  for (const id of subjectsForEntities) {
    network.forEachEdge(id, (_edge, attributes, source, target) => {
      const other = source === id ? target : source;
      const entity = ctx.entity(other);
      if (entity?.kind === 'location' && protectionFlagsOf(entity).length > 0)
        addSafe(other, 'location', id, attributes.marking);
    });
  }
  const safeguarding: SafeguardingItem[] = [...safeMap.entries()]
    .map(([id, entry]) => ({
      id,
      label: ctx.label(id),
      kind: entry.kind,
      flags: ctx.disclosure.flags(ctx.entity(id)),
      withheld: ctx.disclosure.withheld(ctx.entity(id)),
      linkedTo: [...entry.linkedTo].sort(compareIds),
      marking: strictestMarking(entry.markings),
    }))
    .sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'person' ? -1 : 1) || compareIds(a.id, b.id));

  // -- assets: businesses, vehicles and addresses linked to the subject (or its members)
  const assetMap = new Map<
    string,
    { kind: AssetItem['kind']; linkedTo: Set<string>; links: Set<string>; markings: Marking[] }
  >();
  for (const id of subjectsForEntities) {
    network.forEachEdge(id, (edge, attributes, source, target) => {
      const other = source === id ? target : source;
      const entity = ctx.entity(other);
      if (
        entity === undefined ||
        (entity.kind !== 'business' && entity.kind !== 'vehicle' && entity.kind !== 'location')
      )
        return;
      let entry = assetMap.get(other);
      if (entry === undefined)
        assetMap.set(
          other,
          (entry = {
            kind: entity.kind,
            linkedTo: new Set(),
            links: new Set(),
            markings: [network.getNodeAttribute(other, 'marking')],
          }),
        );
      entry.linkedTo.add(id);
      entry.links.add(attributes.record.id ?? edge);
      entry.markings.push(attributes.marking);
    });
  }
  if (isLocation) {
    assetMap.set(subject.id, {
      kind: 'location',
      linkedTo: new Set(core),
      links: new Set(),
      markings: [network.getNodeAttribute(subject.id, 'marking'), ...atLocation!.markings],
    });
  }
  const release = evidenceReleaseFor(audiences);
  const assets: AssetItem[] = [...assetMap.entries()]
    .map(([id, entry]) => {
      // A lever is listed only on evidence its lead agency may receive.
      const levers: AssetLever[] = leversFor(network, id).flatMap((match) => {
        const evidence = match.evidence.filter((item) => release(match.lever.partner, item.marking) === 'released');
        if (evidence.length === 0) return [];
        return [
          {
            id: match.lever.id,
            partner: match.lever.partner,
            power: match.lever.power,
            strand: match.lever.strand,
            marking: strictestMarking(evidence.map((item) => item.marking)),
          },
        ];
      });
      return {
        id,
        label: ctx.label(id),
        kind: entry.kind,
        linkedTo: [...entry.linkedTo].sort(compareIds),
        links: [...entry.links].sort(compareIds),
        levers,
        marking: strictestMarking([...entry.markings, ...levers.map((lever) => lever.marking)]),
      };
    })
    .sort((a, b) => compareIds(a.kind, b.kind) || compareIds(a.id, b.id));

  // -- action plan: the group's plan; for a person or a location, the plans of their groups, filtered to them
  const planGroups = isLocation
    ? [...new Set(core.map((id) => mapping.groupOf[id]).filter((group): group is string => group !== undefined))].sort(
        compareIds,
      )
    : [isGroup ? subject.id : mapping.groupOf[subject.id]].filter((group): group is string => group !== undefined);
  const rows: ActionRow[] = [];
  for (const group of planGroups) {
    if (!network.hasNode(group)) continue;
    const plan: DisruptionPlan = planDisruption(network, persons, { ocg: group, mapping, evidenceRelease: release });
    rows.push(
      ...(isGroup && !isLocation ? plan.actionPlan : plan.actionPlan.filter((row) => coreSet.has(row.target.id))),
    );
  }
  const actionPlan: ActionItem[] = rows.map((row) => ({
    target: { id: row.target.id, label: row.target.label },
    lever: row.lever,
    power: row.power,
    leadAgency: row.leadAgency,
    strand: row.strand,
    deltaF: row.expectedImpact === null ? null : row.expectedImpact.deltaF,
    evidence: row.evidence.map((evidence) => ({
      entity: evidence.entity,
      label: ctx.label(evidence.entity),
      links: [...evidence.links],
    })),
    // Impacts are measured on the whole visible projection.
    marking: row.expectedImpact === null ? row.marking : strictestMarking([row.marking, graphMarking]),
  }));

  // -- ego network SVG
  const egoSvg = egoSvgOf(ctx, subject.id, isGroup);

  const banner: ProfileBanner = {
    classification: DEFAULT_CLASSIFICATION,
    audience: input.audience.id,
    date: input.createdAt,
    audiences: audiencesHash(audiences),
    marking: copyMarking(PUBLIC_MARKING),
  };
  if (input.manifestRef !== undefined) banner.manifestRef = input.manifestRef;

  const profile: Profile = {
    banner,
    subject,
    summary,
    position,
    role,
    keyAssociates,
    bridges,
    safeguarding,
    assets,
    actionPlan,
    egoSvg,
    marking: copyMarking(PUBLIC_MARKING),
  };
  const all: Marking[] = [
    summary.marking,
    egoSvg.marking,
    ...[position, role, keyAssociates, bridges, safeguarding, assets, actionPlan].flatMap((items: Marked[]) =>
      items.map((item) => item.marking),
    ),
  ];
  profile.marking = strictestMarking(all);
  banner.marking = profile.marking;
  // Defence in depth: the profile as a whole must be one this audience may see.
  if (!mayView(input.audience, profile.marking))
    throw new Error('@ocgnet/profiles: internal error: a profile item is marked beyond its audience');
  return profile;
}

function membershipMarkings(network: NetworkGraph, person: string, group: string): Marking[] {
  const markings: Marking[] = [];
  network.forEachEdge(person, (_edge, attributes, _source, target) => {
    if (attributes.type === 'member_of' && target === group) markings.push(attributes.marking);
  });
  return markings;
}

/** XML-escapes text for element content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const MAX_EGO_NODES = 40;

/**
 * The ego network at radius 1 as a small SVG. Person subject: the person and
 * their projection neighbours. OCG subject: the group and its members (network
 * neighbours), with the members' projected ties. Circular layout, alters in id
 * order; safeguarding subjects are drawn as dashed orange circles.
 */
function egoSvgOf(ctx: Context, centre: string, isGroup: boolean): Profile['egoSvg'] {
  const { network, persons } = ctx;
  const markings: Marking[] = [network.getNodeAttribute(centre, 'marking')];
  let alters: string[];
  const edges: [string, string][] = [];
  if (isGroup) {
    const set = new Set<string>();
    network.forEachEdge(centre, (_edge, attributes, source, target) => {
      set.add(source === centre ? target : source);
      markings.push(attributes.marking);
    });
    alters = [...set].sort(compareIds).slice(0, MAX_EGO_NODES);
    for (const alter of alters) edges.push([centre, alter]);
    const shown = new Set(alters);
    persons.forEachEdge((_edge, attributes, source, target) => {
      if (shown.has(source) && shown.has(target)) {
        edges.push([source, target]);
        markings.push(attributes.marking);
      }
    });
  } else {
    const set = new Set<string>();
    if (persons.hasNode(centre)) persons.forEachNeighbor(centre, (neighbour) => set.add(neighbour));
    alters = [...set].sort(compareIds).slice(0, MAX_EGO_NODES);
    const shown = new Set([centre, ...alters]);
    persons.forEachEdge((_edge, attributes, source, target) => {
      if (shown.has(source) && shown.has(target)) {
        edges.push([source, target]);
        markings.push(attributes.marking);
      }
    });
  }
  for (const alter of alters) markings.push(network.getNodeAttribute(alter, 'marking'));

  const size = 480;
  const mid = size / 2;
  const radius = 180;
  const position = new Map<string, [number, number]>([[centre, [mid, mid]]]);
  alters.forEach((alter, index) => {
    const angle = (2 * Math.PI * index) / Math.max(alters.length, 1) - Math.PI / 2;
    position.set(alter, [round(mid + radius * Math.cos(angle)), round(mid + radius * Math.sin(angle))]);
  });
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}" role="img" aria-label="${escapeXml(`Ego network of ${ctx.label(centre)}`)}">`,
  ];
  for (const [a, b] of edges) {
    const [x1, y1] = position.get(a)!;
    const [x2, y2] = position.get(b)!;
    parts.push(`<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="#888" stroke-width="1"/>`);
  }
  for (const id of [centre, ...alters]) {
    const [x, y] = position.get(id)!;
    const safe = protectionFlagsOf(ctx.entity(id)).length > 0;
    const fill = id === centre ? '#1f3b73' : safe ? '#ffd7a8' : '#cfd8e6';
    const stroke = safe
      ? ' stroke="#d35400" stroke-width="3" stroke-dasharray="4 2"'
      : ' stroke="#333" stroke-width="1"';
    const cls = safe ? 'safeguarding' : id === centre ? 'ego' : 'alter';
    parts.push(`<circle class="${cls}" cx="${x}" cy="${y}" r="${id === centre ? 12 : 8}" fill="${fill}"${stroke}/>`);
    parts.push(
      `<text x="${x}" y="${y - 14}" font-size="10" text-anchor="middle">${escapeXml(ctx.label(id) + (safe ? ' (safeguarding)' : ''))}</text>`,
    );
  }
  parts.push('</svg>');
  return { svg: parts.join(''), nodes: alters.length + 1, edges: edges.length, marking: strictestMarking(markings) };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

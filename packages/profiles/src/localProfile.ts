/**
 * The local profile: the area-wide picture partners share (threat areas,
 * OCGs by OCGM band, the busiest locations, people at risk), as one audience
 * may read it.
 *
 * As with partnership profiles the only gate is {@link recordsForAudience}:
 * the records are physically reduced first and every count is recomputed from
 * what is visible, so nothing hidden leaks through a number. Every item
 * carries the strictest marking of the records behind it; the profile's
 * `marking` is the strictest of all.
 */
import {
  DEFAULT_CLASSIFICATION,
  OCGM_BANDS,
  THREAT_AREAS,
  compareIds,
  entityMarking,
  isSafeguardingSubject,
  linkMarking,
  strictestMarking,
  type Entity,
  type Link,
  type Location,
  type Marking,
  type Person,
  type RecordSet,
  type SafeguardingFlag,
  type ThreatArea,
} from '@ocgnet/schema';
import { buildNetwork } from '@ocgnet/graph';
import { audiencesHash, defaultAudiences, recordsForAudience, type Audience, type AudienceConfig } from './audience.js';
import { WITHHELD_HOME_LABEL, safeguardingDisclosure } from './safeguardingFacts.js';
import { escapeXml, type Marked } from './profile.js';
import {
  csvText,
  escapeMarkdown,
  flagsText,
  htmlDocument,
  htmlTable,
  markingText,
  mdTable,
  renderWith,
  type ProfileFormat,
} from './render.js';

export interface LocalProfileInput {
  records: RecordSet;
  audience: Audience;
  /** Date (or date-time) the profile is produced; given, not read from the clock. */
  createdAt: string;
  /** How many locations to keep in `topLocations` (default 20). */
  topLocations?: number;
  /** The audiences configuration `audience` comes from (its hash goes in the banner); default the shipped one. */
  audiences?: AudienceConfig;
}

export interface LocalProfileBanner {
  classification: string;
  /** Audience id. */
  audience: string;
  date: string;
  /** SHA-256 of the audiences configuration that decided what this profile holds. */
  audiences: string;
}

export interface ThreatItem extends Marked {
  area: ThreatArea;
  /** Visible OCGs and USGs recording this threat area. */
  groups: number;
  ids: string[];
}

export type BandKey = (typeof OCGM_BANDS)[number] | 'unbanded';
export const LOCAL_PROFILE_BANDS: readonly BandKey[] = [...OCGM_BANDS, 'unbanded'];

export interface BandItem extends Marked {
  band: BandKey;
  ocgs: number;
  ids: string[];
}

/** Link types that tie a person to a location for `topLocations`. */
export const LOCATION_LINK_TYPES = ['lives_at', 'uses_address', 'owns'] as const;

export interface LocationItem extends Marked {
  id: string;
  label: string;
  /** Distinct persons linked by lives_at / uses_address / owns. */
  persons: number;
  personIds: string[];
  /** Link ids of the evidence. */
  links: string[];
  premisesType?: string;
  area?: string;
  /** Told only to audiences given the `cuckooed` safeguarding fact; otherwise false. */
  cuckooed: boolean;
}

export type AtRiskFlag = SafeguardingFlag;

export interface AtRiskItem extends Marked {
  id: string;
  label: string;
  /** The flags this audience is told. */
  flags: AtRiskFlag[];
  /** True when the person has flags this audience is not told. */
  withheld: boolean;
  /** Distinct OCG/USG members (persons with a visible member_of link) linked to this person directly. */
  ocgMembersLinked: number;
  memberIds: string[];
  /** Link ids of the direct ties to those members. */
  links: string[];
}

export interface LocalProfile extends Marked {
  banner: LocalProfileBanner;
  threats: ThreatItem[];
  ocgsByBand: BandItem[];
  topLocations: LocationItem[];
  atRisk: AtRiskItem[];
}

/** Builds the local profile from the records this audience may see. */
export function buildLocalProfile(input: LocalProfileInput): LocalProfile {
  const visible = recordsForAudience(input.records, input.audience);
  const disclosure = safeguardingDisclosure(buildNetwork(visible), input.audience);
  const entities = new Map<string, Entity>(visible.entities.map((e) => [e.id, e]));
  const eMark = (id: string): Marking[] => {
    const entity = entities.get(id);
    return entity === undefined ? [] : [entityMarking(entity)];
  };

  // Threat areas.
  const groups = visible.entities.filter(
    (e): e is Extract<Entity, { kind: 'ocg' | 'usg' }> => e.kind === 'ocg' || e.kind === 'usg',
  );
  const threats: ThreatItem[] = THREAT_AREAS.map((area) => {
    const recording = groups.filter((g) => (g.threat_areas ?? []).includes(area));
    return {
      area,
      groups: recording.length,
      ids: recording.map((g) => g.id).sort(compareIds),
      marking: strictestMarking(recording.map(entityMarking)),
    };
  });

  // OCGs by band.
  const ocgs = visible.entities.filter((e): e is Extract<Entity, { kind: 'ocg' }> => e.kind === 'ocg');
  const ocgsByBand: BandItem[] = LOCAL_PROFILE_BANDS.map((band) => {
    const inBand = ocgs.filter((o) => (o.ocgm_band ?? 'unbanded') === band);
    return {
      band,
      ocgs: inBand.length,
      ids: inBand.map((o) => o.id).sort(compareIds),
      marking: strictestMarking(inBand.map(entityMarking)),
    };
  });

  // Locations by distinct persons.
  const locationTypes = new Set<string>(LOCATION_LINK_TYPES);
  const atLocation = new Map<string, { persons: Set<string>; links: Link[] }>();
  for (const link of visible.links) {
    if (!locationTypes.has(link.type)) continue;
    const from = entities.get(link.from);
    const to = entities.get(link.to);
    if (from?.kind !== 'person' || to?.kind !== 'location') continue;
    const entry = atLocation.get(to.id) ?? { persons: new Set<string>(), links: [] };
    entry.persons.add(from.id);
    entry.links.push(link);
    atLocation.set(to.id, entry);
  }
  const limit = Math.max(0, Math.floor(input.topLocations ?? 20));
  const topLocations: LocationItem[] = [...atLocation.entries()]
    .map(([id, entry]): LocationItem => {
      const location = entities.get(id) as Location;
      const personIds = [...entry.persons].sort(compareIds);
      const item: LocationItem = {
        id,
        label: disclosure.homeWithheld(id) ? WITHHELD_HOME_LABEL : location.label,
        persons: personIds.length,
        personIds,
        links: entry.links.map((l) => l.id).sort(compareIds),
        cuckooed: disclosure.flags(location).includes('cuckooed'),
        marking: strictestMarking([
          entityMarking(location),
          ...entry.links.map(linkMarking),
          ...personIds.flatMap(eMark),
        ]),
      };
      if (location.premises_type !== undefined) item.premisesType = location.premises_type;
      if (location.area !== undefined) item.area = location.area;
      return item;
    })
    .sort((a, b) => b.persons - a.persons || compareIds(a.id, b.id))
    .slice(0, limit);

  // People at risk, and the OCG/USG members they are tied to directly.
  const membership = new Map<string, Link[]>();
  for (const link of visible.links) {
    if (link.type !== 'member_of') continue;
    const group = entities.get(link.to);
    if (group?.kind !== 'ocg' && group?.kind !== 'usg') continue;
    membership.set(link.from, [...(membership.get(link.from) ?? []), link]);
  }
  const atRisk: AtRiskItem[] = visible.entities
    .filter((e): e is Person => e.kind === 'person')
    .filter((person) => isSafeguardingSubject(person))
    .map((person): AtRiskItem => {
      const members = new Set<string>();
      const ties: Link[] = [];
      for (const link of visible.links) {
        const other = link.from === person.id ? link.to : link.to === person.id ? link.from : undefined;
        if (other === undefined || other === person.id) continue;
        if (entities.get(other)?.kind !== 'person' || !membership.has(other)) continue;
        members.add(other);
        ties.push(link);
      }
      const memberIds = [...members].sort(compareIds);
      return {
        id: person.id,
        label: person.label,
        flags: disclosure.flags(person),
        withheld: disclosure.withheld(person),
        ocgMembersLinked: memberIds.length,
        memberIds,
        links: ties.map((l) => l.id).sort(compareIds),
        marking: strictestMarking([
          entityMarking(person),
          ...ties.map(linkMarking),
          ...memberIds.flatMap(eMark),
          ...memberIds.flatMap((id) => (membership.get(id) ?? []).map(linkMarking)),
        ]),
      };
    })
    .sort((a, b) => compareIds(a.id, b.id));

  const marking = strictestMarking([...threats, ...ocgsByBand, ...topLocations, ...atRisk].map((item) => item.marking));
  return {
    banner: {
      classification: DEFAULT_CLASSIFICATION,
      audience: input.audience.id,
      date: input.createdAt,
      audiences: audiencesHash(input.audiences ?? defaultAudiences()),
    },
    marking,
    threats,
    ocgsByBand,
    topLocations,
    atRisk,
  };
}

// ---------- Rendering

interface Section {
  title: string;
  headers: string[];
  rows: string[][];
}

/** The four sections as plain-text tables, the same in Markdown and HTML. */
function sections(p: LocalProfile): Section[] {
  return [
    {
      title: 'Threat areas',
      headers: ['Threat area', 'Groups', 'Ids', 'Marking'],
      rows: p.threats.map((x) => [x.area, String(x.groups), x.ids.join(', '), markingText(x.marking)]),
    },
    {
      title: 'OCGs by OCGM band',
      headers: ['Band', 'OCGs', 'Ids', 'Marking'],
      rows: p.ocgsByBand.map((x) => [x.band, String(x.ocgs), x.ids.join(', '), markingText(x.marking)]),
    },
    {
      title: 'Top locations',
      headers: ['Location', 'Id', 'Persons', 'Premises type', 'Area', 'Cuckooed', 'Marking'],
      rows: p.topLocations.map((x) => [
        x.label,
        x.id,
        String(x.persons),
        x.premisesType ?? '',
        x.area ?? '',
        x.cuckooed ? 'yes' : '',
        markingText(x.marking),
      ]),
    },
    {
      title: 'People at risk',
      headers: ['Person', 'Id', 'Flags', 'OCG members linked', 'Marking'],
      rows: p.atRisk.map((x) => [
        x.label,
        x.id,
        flagsText(x.flags, x.withheld),
        String(x.ocgMembersLinked),
        markingText(x.marking),
      ]),
    },
  ];
}

function bannerText(p: LocalProfile): string {
  return `${p.banner.classification} | audience ${p.banner.audience} | ${p.banner.date} | audiences ${p.banner.audiences.slice(0, 12)} | marking ${markingText(p.marking)}`;
}

function renderMarkdown(p: LocalProfile): string {
  const e = escapeMarkdown;
  const banner = `**${e(p.banner.classification)}**: audience ${e(p.banner.audience)}, ${e(p.banner.date)}; marking ${e(markingText(p.marking))}`;
  const out: string[] = [banner, '', '# Local profile', ''];
  for (const s of sections(p)) {
    out.push(
      `## ${s.title}`,
      '',
      mdTable(
        s.headers.map(e),
        s.rows.map((row) => row.map(e)),
      ),
    );
  }
  out.push(banner, '');
  return out.join('\n');
}

function renderHtml(p: LocalProfile): string {
  const esc = escapeXml;
  const banner = `<div class="banner">${esc(bannerText(p))}</div>`;
  const body: string[] = [banner, '<h1>Local profile</h1>'];
  for (const s of sections(p)) body.push(`<h2>${esc(s.title)}</h2>`, htmlTable(s.headers, s.rows));
  body.push(banner);
  return htmlDocument(`${p.banner.classification}: local profile`, body);
}

function renderCsv(p: LocalProfile): string {
  const m = (x: Marking): [string, string] => [x.handling, x.conditions.join(' | ')];
  const rows: (string | number | null)[][] = [
    [
      'classification',
      p.banner.classification,
      'audience',
      p.banner.audience,
      'created',
      p.banner.date,
      'handling',
      p.marking.handling,
      'conditions',
      p.marking.conditions.join(' | '),
    ],
    ['section', 'key', 'label', 'count', 'ids', 'detail', 'handling', 'conditions'],
  ];
  for (const x of p.threats) rows.push(['threat', x.area, '', x.groups, x.ids.join(';'), '', ...m(x.marking)]);
  for (const x of p.ocgsByBand) rows.push(['ocgm_band', x.band, '', x.ocgs, x.ids.join(';'), '', ...m(x.marking)]);
  for (const x of p.topLocations) {
    const detail = [
      x.premisesType ? `premises=${x.premisesType}` : '',
      x.area ? `area=${x.area}` : '',
      x.cuckooed ? 'cuckooed' : '',
    ]
      .filter((d) => d !== '')
      .join(';');
    rows.push(['location', x.id, x.label, x.persons, x.personIds.join(';'), detail, ...m(x.marking)]);
  }
  for (const x of p.atRisk)
    rows.push([
      'at_risk',
      x.id,
      x.label,
      x.ocgMembersLinked,
      x.memberIds.join(';'),
      flagsText(x.flags, x.withheld),
      ...m(x.marking),
    ]);
  return csvText(rows);
}

/** Renders a local profile as JSON, Markdown, self-contained HTML (inline style, no script) or CSV. */
export function renderLocalProfile(profile: LocalProfile, format: ProfileFormat): string {
  return renderWith(profile, format, { markdown: renderMarkdown, html: renderHtml, csv: renderCsv }, 'local profile');
}

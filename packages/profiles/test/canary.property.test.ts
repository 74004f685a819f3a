/**
 * The canary test for partnership profiles: generated scenarios with a unique
 * token planted in every C-coded (and legacy R-coded) field and link. No
 * partner-agency profile, in any format, contains a token anywhere in its
 * bytes, and the partner profile equals the profile computed after the
 * hidden items have been physically deleted.
 *
 * The positive control: the police analyst, who may see everything, does find
 * the canaries each format must show, in the partnership profile and in the
 * local profile. A renderer (or a filter) that dropped everything would pass
 * the negative checks; it fails this one.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Entity, Grading, Link, RecordSet } from '@ocgnet/schema';
import { audienceById, defaultAudiences } from '../src/audience.js';
import { buildProfile, type Profile } from '../src/profile.js';
import { renderProfile } from '../src/render.js';
import { buildLocalProfile, renderLocalProfile } from '../src/localProfile.js';

const audiences = defaultAudiences();
const housing = audienceById(audiences, 'partner-agency:housing');
const analyst = audienceById(audiences, 'police-analyst');
const FORMATS = ['json', 'markdown', 'html', 'csv'] as const;
const P: Grading = { system: '3x5x2', source: '2', intelligence: 'B', handling: 'P' };

/**
 * Conditions that hide an item from Housing, each worded to fool a rule that
 * reads words: one names Housing to forbid it, one names Housing as if to
 * permit it, one says nothing of partners. None is released to Housing.
 */
const HIDING_CONDITIONS = [
  'NOT to be shared with Housing or any other partner agency',
  'May be shared with Housing for tenancy enforcement only',
  'Police use only',
] as const;

/** A grading that hides the item from Housing, carrying the token in its conditions or legacy code. */
function hidden(token: string, legacy: boolean): Grading {
  if (legacy) return { system: '5x5x5', recorded: token };
  const wording = HIDING_CONDITIONS[Number(token.slice(6, 10)) % HIDING_CONDITIONS.length]!;
  return { system: '3x5x2', source: '2', intelligence: 'B', handling: 'C', conditions: `${wording} ${token}` };
}

interface Scenario {
  records: RecordSet;
  tokens: string[];
}

/**
 * A small town: one OCG with members, associates, addresses and a business.
 * Each record independently is P, or hidden (C or R) with a fresh token
 * planted in its id, label, notes and grading.
 */
const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    persons: fc.integer({ min: 3, max: 9 }),
    hiddenEntity: fc.array(fc.boolean(), { minLength: 14, maxLength: 14 }),
    legacy: fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
    edges: fc.array(
      fc.tuple(fc.nat(8), fc.nat(8), fc.constantFrom('associate', 'family', 'co_offender'), fc.boolean()),
      { maxLength: 14 },
    ),
    homes: fc.array(fc.tuple(fc.nat(8), fc.nat(2), fc.boolean()), { maxLength: 8 }),
    members: fc.array(
      fc.tuple(fc.nat(8), fc.constantFrom('principal', 'lieutenant', 'runner', 'peripheral'), fc.boolean()),
      { minLength: 1, maxLength: 8 },
    ),
    vulnerable: fc.array(fc.boolean(), { minLength: 9, maxLength: 9 }),
  })
  .map(({ persons, hiddenEntity, legacy, edges, homes, members, vulnerable }) => {
    const tokens: string[] = [];
    let next = 0;
    const token = () => {
      const value = `CANARY${String(next++).padStart(4, '0')}X`;
      tokens.push(value);
      return value;
    };
    const entities: Entity[] = [
      { id: 'OCG1', kind: 'ocg', label: 'Test OCG', ocgm_band: '2A', threat_areas: ['drugs'] },
    ];
    const personIds: string[] = [];
    for (let i = 0; i < persons; i++) {
      if (hiddenEntity[i]) {
        const t = token();
        personIds.push(`P-${t}`);
        entities.push({
          id: `P-${t}`,
          kind: 'person',
          label: `Person ${t}`,
          notes: t,
          grading: hidden(t, legacy[i]!),
          vulnerable: vulnerable[i]!,
        });
      } else {
        personIds.push(`P${i}`);
        entities.push({ id: `P${i}`, kind: 'person', label: `Person ${i}`, grading: P, vulnerable: vulnerable[i]! });
      }
    }
    const places = [0, 1, 2].map((i) => {
      if (hiddenEntity[10 + i]) {
        const t = token();
        entities.push({
          id: `L-${t}`,
          kind: 'location',
          label: `Flat ${t}`,
          premises_type: 'social_housing',
          cuckooed: true,
          grading: hidden(t, legacy[10 + i]!),
        });
        return `L-${t}`;
      }
      entities.push({ id: `L${i}`, kind: 'location', label: `Flat ${i}`, premises_type: 'social_housing' });
      return `L${i}`;
    });
    const links: Link[] = [];
    const link = (type: Link['type'], from: string, to: string, secret: boolean, extra: Partial<Link> = {}) => {
      if (from === to) return;
      const t = secret ? token() : undefined;
      links.push({
        id: t ? `K-${t}` : `K${links.length}`,
        type,
        from,
        to,
        source: t ? `Report ${t}` : 'Report',
        date: '2024-05-01',
        grading: t ? hidden(t, legacy[20 + (links.length % 20)]!) : P,
        ...(t ? { notes: t } : {}),
        ...extra,
      });
    };
    for (const [person, role, secret] of members)
      link('member_of', personIds[person % persons]!, 'OCG1', secret, { role });
    for (const [a, b, type, secret] of edges) link(type, personIds[a % persons]!, personIds[b % persons]!, secret);
    for (const [person, place, secret] of homes) link('lives_at', personIds[person % persons]!, places[place]!, secret);
    // Duplicate link pairs are fine; duplicate member_of ids are not produced (ids are unique by construction).
    return { records: { entities, links }, tokens };
  });

/** Deleting every item Housing may not see, independently of recordsForAudience: by the planted tokens. */
function physicallyDeleted({ records, tokens }: Scenario): RecordSet {
  const secret = (text: string) => tokens.some((t) => text.includes(t));
  const entities = records.entities.filter((entity) => !secret(entity.id));
  const kept = new Set(entities.map((entity) => entity.id));
  const links = records.links.filter((link) => !secret(link.id) && kept.has(link.from) && kept.has(link.to));
  return { entities, links };
}

/** The profile without its banner, the safeguarding facts and the labels that depend on them. */
function withoutSafeguardingFacts(profile: Profile): unknown {
  const { banner: _banner, egoSvg: _ego, ...rest } = profile;
  return {
    ...rest,
    safeguarding: profile.safeguarding.map(({ flags: _f, withheld: _w, label: _l, ...item }) => item),
    assets: profile.assets.map(({ label: _l, ...item }) => item),
    actionPlan: profile.actionPlan.map(({ evidence, ...item }) => ({
      ...item,
      evidence: evidence.map(({ label: _l, ...piece }) => piece),
    })),
  };
}

describe('canary: partner profiles never carry hidden items', () => {
  it('no token in any format, and equal to the profile of the physically reduced records', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const partner = buildProfile({
          records: scenario.records,
          audience: housing,
          subject: 'ocg:OCG1',
          createdAt: '2026-01-01',
        });
        for (const format of FORMATS) {
          const bytes = renderProfile(partner, format);
          for (const t of scenario.tokens) if (bytes.includes(t)) throw new Error(`${format} leaks ${t}`);
        }
        const local = buildLocalProfile({ records: scenario.records, audience: housing, createdAt: '2026-01-01' });
        for (const format of FORMATS) {
          const bytes = renderLocalProfile(local, format);
          for (const t of scenario.tokens) if (bytes.includes(t)) throw new Error(`local ${format} leaks ${t}`);
        }
        // The hidden records change nothing: Housing's profile of the physically reduced records is the same.
        const deleted = physicallyDeleted(scenario);
        expect(
          buildProfile({ records: deleted, audience: housing, subject: 'ocg:OCG1', createdAt: '2026-01-01' }),
        ).toEqual(partner);
        // And it is the analyst's profile of them, but for the safeguarding facts Housing is not told.
        const reduced = buildProfile({
          records: deleted,
          audience: analyst,
          subject: 'ocg:OCG1',
          createdAt: '2026-01-01',
        });
        expect(withoutSafeguardingFacts(partner)).toEqual(withoutSafeguardingFacts(reduced));
      }),
      { numRuns: 2000 },
    );
  });
});

/**
 * The canaries the analyst's outputs must carry, worked out from how the
 * scenario was built (not from the profile code):
 * - the partnership profile of OCG1, in every format, lists its key associates
 *   with their evidence links: so every hidden person tied by a direct link to
 *   a member, who is not a member, and every hidden such link (at most eight
 *   associates, under the cap of ten);
 * - json, markdown and html also list every member (the Roles section): so
 *   every hidden person with a member_of link to OCG1;
 * - the local profile, in every format, lists every person at risk and every
 *   location a person lives at (three places, under the cap of twenty): so
 *   every hidden vulnerable person and every hidden place someone lives at.
 */
function analystMustSee({ records, tokens }: Scenario): {
  profile: Record<(typeof FORMATS)[number], Set<string>>;
  local: Set<string>;
} {
  const tokenOf = (id: string): string | undefined => tokens.find((t) => id.endsWith(`-${t}`));
  const members = new Set(records.links.filter((l) => l.type === 'member_of' && l.to === 'OCG1').map((l) => l.from));
  const associates = new Set<string>();
  for (const link of records.links) {
    if (link.type !== 'associate' && link.type !== 'family' && link.type !== 'co_offender') continue;
    for (const [member, other] of [
      [link.from, link.to],
      [link.to, link.from],
    ] as const) {
      if (!members.has(member) || members.has(other)) continue;
      associates.add(other);
      associates.add(link.id);
    }
  }
  const tokensOf = (ids: Iterable<string>): Set<string> =>
    new Set([...ids].map(tokenOf).filter((t): t is string => t !== undefined));
  const everywhere = tokensOf(associates);
  const withMembers = new Set([...everywhere, ...tokensOf(members)]);
  const vulnerable = records.entities.filter((e) => e.kind === 'person' && e.vulnerable === true).map((e) => e.id);
  const lived = records.links.filter((l) => l.type === 'lives_at').map((l) => l.to);
  return {
    profile: { json: withMembers, markdown: withMembers, html: withMembers, csv: everywhere },
    local: tokensOf([...vulnerable, ...lived]),
  };
}

describe('canary positive control: the analyst sees the canaries (the negative checks are not vacuous)', () => {
  it('every format of the partnership and the local profile carries every canary it must show', () => {
    // How often each output had something it must show: a property that never meets a canary would prove nothing.
    const met = { json: 0, markdown: 0, html: 0, csv: 0, local: 0 };
    const RUNS = 500;
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const must = analystMustSee(scenario);
        const profile = buildProfile({
          records: scenario.records,
          audience: analyst,
          subject: 'ocg:OCG1',
          createdAt: '2026-01-01',
        });
        for (const format of FORMATS) {
          const bytes = renderProfile(profile, format);
          for (const t of must.profile[format]) expect(bytes.includes(t), `analyst ${format} shows ${t}`).toBe(true);
          if (must.profile[format].size > 0) met[format]++;
        }
        const local = buildLocalProfile({ records: scenario.records, audience: analyst, createdAt: '2026-01-01' });
        for (const format of FORMATS) {
          const bytes = renderLocalProfile(local, format);
          for (const t of must.local) expect(bytes.includes(t), `analyst local ${format} shows ${t}`).toBe(true);
        }
        if (must.local.size > 0) met.local++;
      }),
      { numRuns: RUNS },
    );
    for (const [output, runs] of Object.entries(met))
      expect(runs, `${output}: runs with a canary to show`).toBeGreaterThan(RUNS / 4);
  });
});

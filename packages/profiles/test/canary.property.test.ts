/**
 * The canary test for partnership profiles: generated scenarios with a unique
 * token planted in every C-coded (and legacy R-coded) field and link. No
 * partner-agency profile, in any format, contains a token anywhere in its
 * bytes, and the partner profile equals the profile computed after the
 * hidden items have been physically deleted.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Entity, Grading, Link, RecordSet } from '@ocgnet/schema';
import { audienceById, defaultAudiences } from '../src/audience.js';
import { buildProfile } from '../src/profile.js';
import { renderProfile } from '../src/render.js';
import { buildLocalProfile, renderLocalProfile } from '../src/localProfile.js';

const audiences = defaultAudiences();
const housing = audienceById(audiences, 'partner-agency:housing');
const analyst = audienceById(audiences, 'police-analyst');
const FORMATS = ['json', 'markdown', 'html', 'csv'] as const;
const P: Grading = { system: '3x5x2', source: '2', intelligence: 'B', handling: 'P' };

/** A grading that hides the item from Housing, carrying the token in its conditions or legacy code. */
function hidden(token: string, legacy: boolean): Grading {
  return legacy ? { system: '5x5x5', recorded: token } : { system: '3x5x2', source: '2', intelligence: 'B', handling: 'C', conditions: `Police use only ${token}` };
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
    edges: fc.array(fc.tuple(fc.nat(8), fc.nat(8), fc.constantFrom('associate', 'family', 'co_offender'), fc.boolean()), { maxLength: 14 }),
    homes: fc.array(fc.tuple(fc.nat(8), fc.nat(2), fc.boolean()), { maxLength: 8 }),
    members: fc.array(fc.tuple(fc.nat(8), fc.constantFrom('principal', 'lieutenant', 'runner', 'peripheral'), fc.boolean()), { minLength: 1, maxLength: 8 }),
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
    const entities: Entity[] = [{ id: 'OCG1', kind: 'ocg', label: 'Test OCG', ocgm_band: '2A', threat_areas: ['drugs'] }];
    const personIds: string[] = [];
    for (let i = 0; i < persons; i++) {
      if (hiddenEntity[i]) {
        const t = token();
        personIds.push(`P-${t}`);
        entities.push({ id: `P-${t}`, kind: 'person', label: `Person ${t}`, notes: t, grading: hidden(t, legacy[i]!), vulnerable: vulnerable[i]! });
      } else {
        personIds.push(`P${i}`);
        entities.push({ id: `P${i}`, kind: 'person', label: `Person ${i}`, grading: P, vulnerable: vulnerable[i]! });
      }
    }
    const places = [0, 1, 2].map((i) => {
      if (hiddenEntity[10 + i]) {
        const t = token();
        entities.push({ id: `L-${t}`, kind: 'location', label: `Flat ${t}`, premises_type: 'social_housing', cuckooed: true, grading: hidden(t, legacy[10 + i]!) });
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
      } as Link);
    };
    for (const [person, role, secret] of members) link('member_of', personIds[person % persons]!, 'OCG1', secret, { role });
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

function withoutBanner<T extends { banner: unknown }>(profile: T): Omit<T, 'banner'> {
  const { banner: _banner, ...rest } = profile;
  return rest;
}

describe('canary: partner profiles never carry hidden items', () => {
  it('no token in any format, and equal to the profile of the physically reduced records', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const partner = buildProfile({ records: scenario.records, audience: housing, subject: 'ocg:OCG1', createdAt: '2026-01-01' });
        for (const format of FORMATS) {
          const bytes = renderProfile(partner, format);
          for (const t of scenario.tokens) if (bytes.includes(t)) throw new Error(`${format} leaks ${t}`);
        }
        const local = buildLocalProfile({ records: scenario.records, audience: housing, createdAt: '2026-01-01' });
        for (const format of FORMATS) {
          const bytes = renderLocalProfile(local, format);
          for (const t of scenario.tokens) if (bytes.includes(t)) throw new Error(`local ${format} leaks ${t}`);
        }
        const reduced = buildProfile({ records: physicallyDeleted(scenario), audience: analyst, subject: 'ocg:OCG1', createdAt: '2026-01-01' });
        expect(withoutBanner(partner)).toEqual(withoutBanner(reduced));
      }),
      { numRuns: 2000 },
    );
  });

  it('the analyst does see the tokens (the test is not vacuous)', () => {
    const [scenario] = fc.sample(scenarioArb.filter((s) => s.tokens.length > 3), { numRuns: 1, seed: 7 });
    const profile = buildProfile({ records: scenario!.records, audience: analyst, subject: 'ocg:OCG1', createdAt: '2026-01-01' });
    const bytes = renderProfile(profile, 'json');
    expect(scenario!.tokens.some((t) => bytes.includes(t))).toBe(true);
  });
});

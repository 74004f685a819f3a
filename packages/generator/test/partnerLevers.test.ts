import type { Entity, Person } from '@ocgnet/schema';
import { describe, expect, it } from 'vitest';
import { DEFAULT_END, DEFAULT_START, SMALL_TOWN_PROFILE } from '../src/scenario.js';
import { Calendar } from '../src/dates.js';
import { buildTown, type TownProfile, type TownRecords } from '../src/town.js';
import { collect, problems } from './helpers.js';

const PROFILE: TownProfile = SMALL_TOWN_PROFILE;

const ADDED_ATTRIBUTES = new Set(['benefit_claim', 'immigration_status', 'planning_breach']);

function town(seed: number, partnerLevers: boolean): TownRecords {
  return buildTown({
    name: 'Testbury',
    seed,
    idPrefix: '',
    serialPrefix: '',
    calendar: new Calendar(DEFAULT_START, DEFAULT_END),
    profile: PROFILE,
    phoneSerial: { value: 0 },
    partnerLevers,
  });
}

/** An entity without the attributes partner levers add. */
function withoutAdded(entity: Entity): Entity {
  const copy = structuredClone(entity);
  const kept = (copy.attributes ?? []).filter((attribute) => !ADDED_ATTRIBUTES.has(attribute.name));
  if (kept.length > 0) copy.attributes = kept;
  else delete copy.attributes;
  return copy;
}

describe('partner levers in the synthetic town', () => {
  for (const seed of [42, 7, -123456]) {
    it(`leave every other record byte for byte as it was (town seed ${seed})`, () => {
      const before = town(seed, false);
      const after = town(seed, true);
      expect(after.truth).toEqual(before.truth);
      // Existing records keep their place and content; new ones only follow them.
      expect(after.entities.length).toBeGreaterThan(before.entities.length);
      expect(after.links.length).toBeGreaterThan(before.links.length);
      before.entities.forEach((entity, index) =>
        expect(JSON.stringify(withoutAdded(after.entities[index]!))).toBe(JSON.stringify(entity)),
      );
      before.links.forEach((link, index) => expect(JSON.stringify(after.links[index])).toBe(JSON.stringify(link)));
      // Added attributes come after those the town already had.
      before.entities.forEach((entity, index) => {
        const had = entity.attributes ?? [];
        expect(after.entities[index]!.attributes?.slice(0, had.length) ?? []).toEqual(had);
      });
    });
  }

  it('give partners something to act on in the small scenario', () => {
    const s = collect({ size: 'small', seed: 42 });
    expect(problems(s)).toEqual([]);
    const byId = new Map(s.entities.map((entity) => [entity.id, entity]));
    const truth = new Map(s.truth.map((row) => [row.nominal_id, row]));
    const members = (role?: string) =>
      s.truth
        .filter((row) => row.group_kind === 'ocg' && (role === undefined || row.role === role))
        .map((row) => row.nominal_id);
    const attributeHolders = (name: string) =>
      s.entities.filter((entity) => (entity.attributes ?? []).some((attribute) => attribute.name === name));

    // Benefit claims on members of every OCG, never on a child or a victim.
    const claimants = attributeHolders('benefit_claim') as Person[];
    for (const ocg of s.entities.filter((entity) => entity.kind === 'ocg')) {
      expect(
        claimants.some((person) => truth.get(person.id)?.group_id === ocg.id),
        ocg.id,
      ).toBe(true);
    }
    for (const person of claimants) {
      if (truth.get(person.id)?.group_kind === 'ocg')
        expect(person.under_18 || person.exploited || person.vulnerable).toBeFalsy();
    }
    // An enforceable immigration status on a member.
    const statuses = attributeHolders('immigration_status');
    expect(
      statuses.some(
        (entity) =>
          members().includes(entity.id) &&
          ['overstayer', 'visa_conditions_breach'].includes(
            String(entity.attributes!.find((a) => a.name === 'immigration_status')!.value),
          ),
      ),
    ).toBe(true);
    // Social-housing or HMO tenancies held by adult members.
    const tenancies = s.links.filter((link) => {
      const place = byId.get(link.to);
      return (
        link.type === 'lives_at' &&
        members().includes(link.from) &&
        place?.kind === 'location' &&
        (place.premises_type === 'social_housing' || place.premises_type === 'hmo')
      );
    });
    expect(tenancies.length).toBeGreaterThanOrEqual(2);
    // A licensed pub owned by a member, at licensed premises.
    const pubs = s.links
      .filter((link) => link.type === 'owns' && members().includes(link.from) && byId.get(link.to)?.kind === 'business')
      .map((link) => byId.get(link.to)!);
    const pub = pubs.find(
      (business) =>
        business.kind === 'business' && business.business_type === 'licensed_premises' && business.licensed === true,
    );
    expect(pub).toBeDefined();
    const premises = s.links
      .filter((link) => link.type === 'uses_address' && link.from === pub!.id)
      .map((link) => byId.get(link.to));
    expect(premises.some((place) => place?.kind === 'location' && place.premises_type === 'licensed_premises')).toBe(
      true,
    );
    // A planning breach at a location a member uses or lives at.
    const breaches = new Set(
      attributeHolders('planning_breach')
        .filter((entity) => entity.kind === 'location')
        .map((entity) => entity.id),
    );
    expect(breaches.size).toBeGreaterThanOrEqual(1);
    expect(
      s.links.some(
        (link) =>
          (link.type === 'uses_address' || link.type === 'lives_at') &&
          breaches.has(link.to) &&
          members().includes(link.from),
      ),
    ).toBe(true);
  });
});

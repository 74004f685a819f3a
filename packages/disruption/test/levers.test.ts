import { readFileSync } from 'node:fs';
import { buildNetwork } from '@ocgnet/graph';
import { EntitySchema, LinkSchema, type Entity, type Grading, type Link } from '@ocgnet/schema';
import { describe, expect, it } from 'vitest';
import {
  LeverCatalogueSchema,
  LeverError,
  PARTNERS,
  defaultLeverCatalogue,
  type LeverPatternInput,
  leversFor,
  matchPattern,
  parseLeverCatalogue,
} from '../src/levers.js';
import { isVictimHome } from '../src/victimHome.js';

const CATALOGUE_FILE = new URL('../levers/catalogue.json', import.meta.url);
const rawCatalogue = () => JSON.parse(readFileSync(CATALOGUE_FILE, 'utf8')) as { levers: Record<string, unknown>[] };

const P: Grading = { system: '3x5x2', source: '2', intelligence: 'B', handling: 'P' };
const E: Grading = { system: '3x5x2', source: '3', intelligence: 'E', handling: 'P' };
const C = (conditions: string): Grading => ({
  system: '3x5x2',
  source: '1',
  intelligence: 'A',
  handling: 'C',
  conditions,
});
const LEGACY: Grading = { system: '5x5x5', recorded: 'B24' };

/**
 * A tiny town, written out: an adult with a council flat and a private home,
 * a licensed takeaway, an accountancy job and a car; a vulnerable adult with
 * a tenancy graded E and a lock-up with a planning breach; a child.
 */
const ENTITIES: Entity[] = [
  {
    id: 'P1',
    kind: 'person',
    label: 'Adam Adult',
    attributes: [
      {
        name: 'benefit_claim',
        value: 'housing_benefit',
        grading: C('May be shared with DWP and council benefit fraud for investigation only'),
      },
      { name: 'immigration_status', value: 'leave_to_remain', grading: P },
    ],
  },
  {
    id: 'P2',
    kind: 'person',
    label: 'Vera Vulnerable',
    vulnerable: true,
    attributes: [{ name: 'benefit_claim', value: 'universal_credit', grading: E }],
  },
  { id: 'P3', kind: 'person', label: 'Kid Young', under_18: true, exploited: true },
  { id: 'L1', kind: 'location', label: 'Flat 1, Council Row', premises_type: 'social_housing' },
  { id: 'L2', kind: 'location', label: '2 Private Road', premises_type: 'residential' },
  {
    id: 'L3',
    kind: 'location',
    label: 'Unit 3, Yard Lane',
    premises_type: 'storage',
    attributes: [{ name: 'planning_breach', value: 'Unauthorised change of use', grading: P }],
  },
  { id: 'L4', kind: 'location', label: 'Flat 4, Council Row', premises_type: 'social_housing' },
  { id: 'B1', kind: 'business', label: 'Chicken Hut', business_type: 'takeaway', licensed: true },
  { id: 'B2', kind: 'business', label: 'Ledger & Co', business_type: 'accountancy' },
  { id: 'V1', kind: 'vehicle', label: 'AB12 CDE Black Audi' },
];
const link = (id: string, type: Link['type'], from: string, to: string, grading: Grading = P): Link => ({
  id,
  type,
  from,
  to,
  source: 'Test',
  grading,
});
const LINKS: Link[] = [
  link('K1', 'lives_at', 'P1', 'L1'),
  link('K2', 'lives_at', 'P1', 'L2'),
  link('K3', 'owns', 'P1', 'B1'),
  link('K4', 'works_at', 'P1', 'B2', LEGACY),
  link('K5', 'uses_vehicle', 'P1', 'V1'),
  link('K6', 'lives_at', 'P2', 'L1', E),
  link('K7', 'uses_address', 'P2', 'L3'),
  link('K8', 'associate', 'P1', 'P2'),
  link('K9', 'lives_at', 'P1', 'L4'),
];

function tinyNetwork() {
  for (const entity of ENTITIES) EntitySchema.parse(entity);
  for (const item of LINKS) LinkSchema.parse(item);
  return buildNetwork({ entities: structuredClone(ENTITIES), links: structuredClone(LINKS) });
}

describe('lever catalogue', () => {
  it('validates, with unique ids, and gives every panel partner at least one lever', () => {
    const catalogue = defaultLeverCatalogue();
    expect(LeverCatalogueSchema.safeParse(rawCatalogue()).success).toBe(true);
    expect(new Set(catalogue.levers.map((lever) => lever.id)).size).toBe(catalogue.levers.length);
    for (const partner of PARTNERS)
      expect(
        catalogue.levers.some((lever) => lever.partner === partner),
        partner,
      ).toBe(true);
    for (const strand of ['pursue', 'protect', 'prevent'])
      expect(
        catalogue.levers.some((lever) => lever.strand === strand),
        strand,
      ).toBe(true);
    // Defaults are filled in: every hop has a direction.
    for (const lever of catalogue.levers) if (lever.applies.hop) expect(lever.applies.hop.direction).toBeDefined();
  });

  it('names the field when a partner is unknown', () => {
    const bad = rawCatalogue();
    bad.levers[3]!.partner = 'Parking Services';
    const parsed = LeverCatalogueSchema.safeParse(bad);
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((issue) => issue.path.join('.'))).toContain('levers.3.partner');
    try {
      parseLeverCatalogue(bad);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(LeverError);
      expect((error as LeverError).name).toBe('LeverError');
      expect((error as LeverError).code).toBe('INVALID_CATALOGUE');
      expect((error as LeverError).message).toMatch(
        /^@ocgnet\/disruption\/levers: invalid lever catalogue: levers\.3\.partner: /,
      );
      expect((error as LeverError).issues[0]!.path).toBe('levers.3.partner');
    }
  });

  it('names the field for a missing strand, a misspelt field, an impossible hop and a duplicate id', () => {
    const bad = rawCatalogue();
    delete bad.levers[0]!.strand;
    (bad.levers[1]!.applies as { hop: { where: unknown } }).hop.where = { premise_type: 'social_housing' };
    (bad.levers[2]!.applies as { hop: { links: string[] } }).hop.links = ['attended'];
    const paths = LeverCatalogueSchema.safeParse(bad).error!.issues.map(
      (issue) => `${issue.path.join('.')}: ${issue.message}`,
    );
    expect(paths.some((text) => text.startsWith('levers.0.strand:'))).toBe(true);
    expect(paths).toContain('levers.1.applies.hop.where.premise_type: location has no field "premise_type"');
    expect(
      paths.some((text) => text.startsWith('levers.2.applies.hop.links.0: attended cannot join person → location')),
    ).toBe(true);
    expect(() => parseLeverCatalogue(bad)).toThrow(
      /levers\.0\.strand: .*; levers\.1\.applies\.hop\.where\.premise_type: /,
    );
    // Ids are compared once every lever is sound on its own.
    const duplicate = rawCatalogue();
    duplicate.levers[4]!.id = duplicate.levers[5]!.id;
    expect(() => parseLeverCatalogue(duplicate)).toThrow(/levers\.5\.id: duplicate lever id/);
  });

  it('rejects a catalogue of the wrong version or with no levers', () => {
    expect(() => parseLeverCatalogue({ version: 2, levers: rawCatalogue().levers })).toThrow(/version/);
    expect(() => parseLeverCatalogue({ version: 1, levers: [] })).toThrow(/levers/);
    expect(() => parseLeverCatalogue('not a catalogue')).toThrow(LeverError);
  });
});

describe('pattern matcher', () => {
  const network = tinyNetwork();

  it('subject kind: matches only its own kind', () => {
    expect(matchPattern(network, 'P1', { kind: 'person' })).toHaveLength(1);
    expect(matchPattern(network, 'P1', { kind: 'location' })).toEqual([]);
    expect(matchPattern(network, 'L4', { kind: 'location' })[0]!.entity).toBe('L4');
  });

  it('subject fields: a value, a list, and an absent flag counting as false', () => {
    expect(matchPattern(network, 'P2', { kind: 'person', where: { vulnerable: true } })).toHaveLength(1);
    expect(matchPattern(network, 'P1', { kind: 'person', where: { vulnerable: true } })).toEqual([]);
    expect(matchPattern(network, 'P1', { kind: 'person', where: { vulnerable: false } })).toHaveLength(1);
    expect(matchPattern(network, 'P3', { kind: 'person', where: { under_18: true, exploited: true } })).toHaveLength(1);
    expect(matchPattern(network, 'P3', { kind: 'person', where: { under_18: true, vulnerable: true } })).toEqual([]);
    expect(
      matchPattern(network, 'L4', { kind: 'location', where: { premises_type: ['hmo', 'social_housing'] } }),
    ).toHaveLength(1);
    expect(
      matchPattern(network, 'L2', { kind: 'location', where: { premises_type: ['hmo', 'social_housing'] } }),
    ).toEqual([]);
    // A field the record leaves out does not match a non-false value.
    expect(matchPattern(network, 'B2', { kind: 'business', where: { licensed: true } })).toEqual([]);
  });

  it('graded attribute: by name, by value, and never on evidence graded E unless asked', () => {
    const byName = matchPattern(network, 'P1', { kind: 'person', attribute: { name: 'benefit_claim' } });
    expect(byName).toHaveLength(1);
    expect(byName[0]!.attributes).toEqual([{ entity: 'P1', name: 'benefit_claim', value: 'housing_benefit' }]);
    expect(byName[0]!.marking).toEqual({
      handling: 'C',
      conditions: ['May be shared with DWP and council benefit fraud for investigation only'],
    });
    expect(
      matchPattern(network, 'P1', {
        kind: 'person',
        attribute: { name: 'benefit_claim', value: ['housing_benefit', 'council_tax_reduction'] },
      }),
    ).toHaveLength(1);
    expect(
      matchPattern(network, 'P1', { kind: 'person', attribute: { name: 'immigration_status', value: ['overstayer'] } }),
    ).toEqual([]);
    expect(
      matchPattern(network, 'P1', {
        kind: 'person',
        attribute: { name: 'immigration_status', value: 'leave_to_remain' },
      }),
    ).toHaveLength(1);
    expect(matchPattern(network, 'P1', { kind: 'person', attribute: { name: 'firearms_access' } })).toEqual([]);
    expect(matchPattern(network, 'P2', { kind: 'person', attribute: { name: 'benefit_claim' } })).toEqual([]);
    expect(
      matchPattern(network, 'P2', { kind: 'person', attribute: { name: 'benefit_claim' } }, { excludeAssessments: [] }),
    ).toHaveLength(1);
  });

  it('one hop: link types and target fields, with the link and both entities as evidence', () => {
    const tenancy = matchPattern(network, 'P1', {
      kind: 'person',
      hop: { links: ['lives_at'], kind: 'location', where: { premises_type: ['social_housing', 'hmo'] } },
    });
    // Flat 1 is also Vera's home (she is vulnerable): a victim's home, so only Flat 4 is evidence.
    expect(tenancy).toEqual([
      {
        entity: 'L4',
        label: 'Flat 4, Council Row',
        entities: ['P1', 'L4'],
        links: ['K9'],
        attributes: [],
        marking: { handling: 'P', conditions: [] },
      },
    ]);
    // The E-graded tenancy of P2 is not evidence.
    expect(
      matchPattern(network, 'P2', {
        kind: 'person',
        hop: { links: ['lives_at'], kind: 'location', where: { premises_type: 'social_housing' } },
      }),
    ).toEqual([]);
    // A boolean field on the target.
    const licensed = matchPattern(network, 'P1', {
      kind: 'person',
      hop: { links: ['owns', 'works_at'], kind: 'business', where: { licensed: true } },
    });
    expect(licensed.map((item) => item.entity)).toEqual(['B1']);
    // Any business: both, the legacy-graded job marked R.
    const any = matchPattern(network, 'P1', { kind: 'person', hop: { links: ['owns', 'works_at'], kind: 'business' } });
    expect(any.map((item) => [item.entity, item.marking.handling])).toEqual([
      ['B1', 'P'],
      ['B2', 'R'],
    ]);
    // Wrong link type, or wrong target kind: nothing.
    expect(matchPattern(network, 'P1', { kind: 'person', hop: { links: ['uses_address'], kind: 'location' } })).toEqual(
      [],
    );
    expect(
      matchPattern(network, 'P1', { kind: 'person', hop: { links: ['uses_vehicle'], kind: 'vehicle' } }).map(
        (item) => item.links,
      ),
    ).toEqual([['K5']]);
  });

  it('one hop: a graded attribute on the target', () => {
    const planning: LeverPatternInput = {
      kind: 'person',
      hop: { links: ['owns', 'lives_at', 'uses_address'], kind: 'location', attribute: { name: 'planning_breach' } },
    };
    const found = matchPattern(network, 'P2', planning);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      entity: 'L3',
      entities: ['P2', 'L3'],
      links: ['K7'],
      attributes: [{ entity: 'L3', name: 'planning_breach' }],
    });
    expect(matchPattern(network, 'P1', planning)).toEqual([]);
  });

  it('one hop: direction out, in or any; undirected links go both ways', () => {
    // From the location's side, lives_at comes in.
    expect(
      matchPattern(network, 'L4', {
        kind: 'location',
        hop: { links: ['lives_at'], direction: 'in', kind: 'person' },
      }).map((item) => item.entity),
    ).toEqual(['P1']);
    expect(
      matchPattern(network, 'L4', {
        kind: 'location',
        hop: { links: ['lives_at'], direction: 'any', kind: 'person' },
      }).map((item) => item.entity),
    ).toEqual(['P1']);
    expect(() =>
      matchPattern(network, 'L1', { kind: 'location', hop: { links: ['lives_at'], kind: 'person' } }),
    ).toThrow(/hop\.links\.0: lives_at cannot join location → person/);
    expect(() =>
      matchPattern(network, 'P1', { kind: 'person', hop: { links: ['lives_at'], direction: 'in', kind: 'location' } }),
    ).toThrow(/person ← location/);
    expect(
      matchPattern(network, 'P1', {
        kind: 'person',
        hop: { links: ['lives_at'], direction: 'any', kind: 'location' },
      }).map((item) => item.entity),
    ).toEqual(['L2', 'L4']);
    for (const [from, to] of [
      ['P1', 'P2'],
      ['P2', 'P1'],
    ]) {
      expect(
        matchPattern(network, from!, {
          kind: 'person',
          hop: { links: ['associate'], kind: 'person', where: { vulnerable: true } },
        }).map((item) => item.entity),
      ).toEqual(to === 'P2' ? ['P2'] : []);
    }
  });

  it('subject conditions and a hop together', () => {
    expect(
      matchPattern(network, 'P1', {
        kind: 'person',
        where: { vulnerable: false },
        attribute: { name: 'benefit_claim' },
        hop: { links: ['uses_vehicle'], kind: 'vehicle' },
      }),
    ).toMatchObject([
      {
        entity: 'V1',
        entities: ['P1', 'V1'],
        links: ['K5'],
        attributes: [{ entity: 'P1', name: 'benefit_claim' }],
        marking: { handling: 'C' },
      },
    ]);
    expect(
      matchPattern(network, 'P2', {
        kind: 'person',
        where: { vulnerable: true },
        hop: { links: ['uses_vehicle'], kind: 'vehicle' },
      }),
    ).toEqual([]);
  });
});

describe("never a victim's home", () => {
  const network = tinyNetwork();
  const anyLocation: LeverPatternInput = {
    kind: 'person',
    hop: { links: ['lives_at', 'uses_address', 'owns'], kind: 'location' },
  };

  it('refuses a location where a safeguarding subject lives, even on intelligence graded E', () => {
    // Flat 1: Adam's tenancy, and Vera's home (she is vulnerable; her tenancy is graded E, and still protects her).
    expect(isVictimHome(network, 'L1')).toBe(true);
    expect(isVictimHome(network, 'L4')).toBe(false);
    expect(matchPattern(network, 'P1', anyLocation).map((item) => item.entity)).not.toContain('L1');
    expect(matchPattern(network, 'L1', { kind: 'location' })).toEqual([]);
    expect(leversFor(network, 'P1').flatMap((match) => match.evidence.map((item) => item.entity))).not.toContain('L1');
  });

  it("refuses a cuckooed address, and the tenancy-fraud lever on a victim's flat is never proposed", () => {
    const entities: Entity[] = [
      ...structuredClone(ENTITIES),
      { id: 'P9', kind: 'person', label: 'Larry Lieutenant' },
      { id: 'L9', kind: 'location', label: 'Flat 9, Council Row', premises_type: 'social_housing', cuckooed: true },
    ];
    const links: Link[] = [
      ...structuredClone(LINKS),
      link('K90', 'uses_address', 'P9', 'L9'),
      link('K91', 'owns', 'P9', 'L2'),
    ];
    const town = buildNetwork({ entities, links });
    expect(isVictimHome(town, 'L9')).toBe(true);
    const ids = leversFor(town, 'P9').map((match) => match.lever.id);
    expect(ids).not.toContain('housing-tenancy-fraud');
    expect(leversFor(town, 'P9').flatMap((match) => match.evidence.map((item) => item.entity))).not.toContain('L9');
    // Without the flag the same flat is fair evidence: the rule, not the data, removed it.
    const unflagged = buildNetwork({
      entities: entities.map((entity) => (entity.id === 'L9' ? { ...entity, cuckooed: false } : entity)),
      links,
    });
    expect(leversFor(unflagged, 'P9').map((match) => match.lever.id)).toContain('housing-tenancy-fraud');
  });
});

describe('leversFor', () => {
  const network = tinyNetwork();

  it('lists the catalogue levers that apply, with evidence and the strictest marking', () => {
    const levers = leversFor(network, 'P1');
    const ids = levers.map((match) => match.lever.id);
    for (const id of [
      'housing-tenancy',
      'licensing-review-business',
      'trading-standards-business',
      'hmrc-business',
      'hmrc-aml-supervision',
      'environmental-health-business',
      'fire-business',
      'dvsa-dvla-vehicle',
      'dwp-benefit-fraud',
      'council-benefit-fraud',
    ]) {
      expect(ids, id).toContain(id);
    }
    // Lawful status, no planning breach, no safeguarding flags.
    for (const id of [
      'immigration-enforcement',
      'planning-enforcement',
      'asc-safeguarding',
      'childrens-services-exploitation',
    ])
      expect(ids, id).not.toContain(id);
    const hmrc = levers.find((match) => match.lever.id === 'hmrc-business')!;
    expect(hmrc.evidence.map((item) => item.entity)).toEqual(['B1', 'B2']);
    expect(hmrc.marking.handling).toBe('R');
    const tenancy = levers.find((match) => match.lever.id === 'housing-tenancy')!;
    expect(tenancy.lever.partner).toBe('Housing');
    expect(tenancy.marking).toEqual({ handling: 'P', conditions: [] });
  });

  it('gives a vulnerable person safeguarding levers, and filters by strand', () => {
    expect(leversFor(network, 'P2').map((match) => match.lever.id)).toEqual(
      expect.arrayContaining(['asc-safeguarding', 'planning-enforcement', 'police-premises-warrant']),
    );
    expect(leversFor(network, 'P2', { strands: ['protect', 'prevent'] }).map((match) => match.lever.id)).toEqual([
      'asc-safeguarding',
    ]);
    const child = leversFor(network, 'P3').map((match) => match.lever.id);
    expect(child).toEqual(['childrens-services-exploitation', 'police-nrm-referral', 'prevent-diversion']);
  });

  it('throws a typed error for an unknown entity or something that is not a network', () => {
    expect(() => leversFor(network, 'P404')).toThrow(
      expect.objectContaining({ name: 'LeverError', code: 'UNKNOWN_ENTITY' }),
    );
    expect(() => leversFor({} as never, 'P1')).toThrow(expect.objectContaining({ code: 'NOT_A_NETWORK' }));
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defaultLeverCatalogue } from '@ocgnet/disruption';
import {
  entityMarking,
  linkMarking,
  markingOfGrading,
  strictestMarking,
  type Entity,
  type Grading,
  type GradedAttribute,
  type Link,
  type RecordSet,
} from '@ocgnet/schema';
import { entityArb, gradingArb, linkArb } from '../../schema/test/records.fixtures.js';
import {
  AudienceSchema,
  audienceById,
  audiencesHash,
  defaultAudiences,
  evidenceReleaseFor,
  leadAgencyAudience,
  loadAudiences,
  mayView,
  partnerAgencyAudience,
  recordsForAudience,
  researchUseOf,
  unknownReleaseAudiences,
  unmappedConditions,
} from '../src/audience.js';
import { loadSmall } from './profiles.fixtures.js';

const config = defaultAudiences();
const analyst = audienceById(config, 'police-analyst');
const housing = partnerAgencyAudience(config, 'Housing');

describe('audiences configuration', () => {
  it('ships the default audiences: one for every lead agency of the lever catalogue', () => {
    const kinds = config.audiences.map((audience) => audience.kind);
    for (const kind of ['police-analyst', 'police-partner', 'public', 'researcher'])
      expect(kinds.filter((k) => k === kind)).toHaveLength(1);
    expect(housing).toMatchObject({ kind: 'partner-agency', agency: 'Housing' });
    for (const lever of defaultLeverCatalogue().levers)
      expect(leadAgencyAudience(config, lever.partner), lever.partner).toBeDefined();
    expect(leadAgencyAudience(config, 'Police')?.kind).toBe('police-analyst');
    expect(leadAgencyAudience(config, 'Parking Services')).toBeUndefined();
  });

  it('names the offending field in a malformed configuration', () => {
    const bad = JSON.stringify({
      schema_version: 2,
      audiences: [{ id: 'housing', kind: 'partner-agency', agency: 'Housing', safeguardingFacts: ['shoe_size'] }],
    });
    let caught: unknown;
    try {
      loadAudiences(bad);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(z.ZodError);
    const paths = (caught as z.ZodError).issues.map((issue) => issue.path.join('.'));
    expect(paths).toContain('audiences.0.safeguardingFacts.0');
  });

  it('refuses a version-1 file, whose keyword rules let condition wording decide, and says what to change', () => {
    const v1 = {
      schema_version: 1,
      audiences: [
        { id: 'housing', kind: 'partner-agency', agency: 'Housing', permittedConditions: [{ keyword: 'Housing' }] },
      ],
    };
    expect(() => loadAudiences(v1)).toThrow(/permittedConditions.*release_to/s);
    // Nor does version 2 accept the old rules.
    expect(() => loadAudiences({ ...v1, schema_version: 2 })).toThrow(/permittedConditions/);
  });

  it('hashes the rules, not the layout of the file', () => {
    const text = JSON.stringify(defaultAudiences());
    const spaced = JSON.stringify(defaultAudiences(), null, 4);
    expect(audiencesHash(loadAudiences(text))).toBe(audiencesHash(loadAudiences(spaced)));
    const changed = defaultAudiences();
    changed.audiences = changed.audiences.filter((audience) => audience.id !== 'partner-agency:hmrc');
    expect(audiencesHash(changed)).not.toBe(audiencesHash(config));
    expect(audiencesHash(config)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a partner agency without an agency, unknown fields and duplicate ids', () => {
    const issuesOf = (value: unknown): string[] => {
      const result = z.safeParse(z.any().pipe(AudienceSchema), value);
      return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}`);
    };
    expect(issuesOf({ id: 'x', kind: 'partner-agency' })).toContain('agency');
    expect(() => loadAudiences({ schema_version: 2, audiences: [{ id: 'a', kind: 'public', sees: 'all' }] })).toThrow(
      /sees/,
    );
    expect(() =>
      loadAudiences({
        schema_version: 2,
        audiences: [
          { id: 'a', kind: 'public' },
          { id: 'a', kind: 'researcher' },
        ],
      }),
    ).toThrow(/duplicate audience id/);
    expect(() => loadAudiences({ schema_version: 3, audiences: [{ id: 'a', kind: 'public' }] })).toThrow(
      /schema_version/,
    );
  });
});

describe('mayView', () => {
  const partner = AudienceSchema.parse({ id: 'pp', kind: 'police-partner' });
  const C = (conditions: string, releaseTo?: string[]) =>
    markingOfGrading({
      system: '3x5x2',
      source: '2',
      intelligence: 'B',
      handling: 'C',
      conditions,
      ...(releaseTo ? { release_to: releaseTo } : {}),
    });

  it('shows P to every audience that receives records, R to police analysts only', () => {
    for (const audience of [analyst, housing, partner])
      expect(mayView(audience, { handling: 'P', conditions: [] })).toBe(true);
    expect(mayView(analyst, { handling: 'R', conditions: [] })).toBe(true);
    expect(mayView(housing, { handling: 'R', conditions: [] })).toBe(false);
    expect(mayView(partner, { handling: 'R', conditions: [] })).toBe(false);
    for (const id of ['public', 'researcher'])
      expect(mayView(audienceById(config, id), { handling: 'P', conditions: [] })).toBe(false);
  });

  it('shows C only when the structured release names the audience; the wording decides nothing', () => {
    const housingOnly = 'May be shared with Housing for tenancy enforcement only';
    expect(mayView(housing, C(housingOnly, [housing.id]))).toBe(true);
    // Worded for Housing, but not released to it: police analysts only.
    expect(mayView(housing, C(housingOnly))).toBe(false);
    // Worded against Housing: the wording is shown, and the release decides (here: nobody outside police).
    expect(mayView(housing, C('NOT to be shared with Housing or any other partner agency'))).toBe(false);
    expect(mayView(housing, C('Any wording at all', [housing.id]))).toBe(true);
    expect(mayView(housing, C(housingOnly, ['partner-agency:dwp']))).toBe(false);
    expect(mayView(partner, C(housingOnly, [housing.id]))).toBe(false);
    expect(mayView(partner, C('x', ['pp']))).toBe(true);
    expect(mayView(analyst, C('Police use only'))).toBe(true);
    // A derived item goes only where every piece of its C evidence may go.
    const both = strictestMarking([C('a', [housing.id, 'partner-agency:dwp']), C('b', [housing.id])]);
    expect(both.releasableTo).toEqual([housing.id]);
    expect(mayView(housing, both)).toBe(true);
    expect(mayView(housing, strictestMarking([C('a', [housing.id]), C('b')]))).toBe(false);
    expect(mayView(housing, strictestMarking([C('a', [housing.id]), { handling: 'R', conditions: [] }]))).toBe(false);
    expect(mayView(housing, { handling: 'C', conditions: [] })).toBe(false);
  });

  it('lets the lead agency of a lever receive only evidence released to it, and says when it has no audience', () => {
    const release = evidenceReleaseFor(config);
    const hmrcOnly = C('HMRC only', ['partner-agency:hmrc']);
    expect(release('HMRC', hmrcOnly)).toBe('released');
    expect(release('Trading Standards', hmrcOnly)).toBe('not-released');
    expect(release('Trading Standards', { handling: 'P', conditions: [] })).toBe('released');
    expect(release('Police', hmrcOnly)).toBe('released');
    const noTradingStandards = defaultAudiences();
    noTradingStandards.audiences = noTradingStandards.audiences.filter(
      (audience) => audience.id !== 'partner-agency:trading-standards',
    );
    expect(evidenceReleaseFor(noTradingStandards)('Trading Standards', { handling: 'P', conditions: [] })).toBe(
      'no-audience',
    );
  });

  it('allows research use of P, of C only when released to a researcher audience, and never of R', () => {
    const research = researchUseOf(config);
    expect(research({ handling: 'P', conditions: [] })).toBe(true);
    expect(research(C('Research use permitted'))).toBe(false);
    expect(research(C('x', ['researcher']))).toBe(true);
    expect(research({ handling: 'R', conditions: [] })).toBe(false);
  });

  it('gives public and researcher audiences no records at all', () => {
    const records: RecordSet = { entities: [{ id: 'E1', kind: 'person', label: 'Someone' }], links: [] };
    for (const id of ['public', 'researcher'])
      expect(recordsForAudience(records, audienceById(config, id))).toEqual({ entities: [], links: [] });
  });
});

// --- Canary property test -------------------------------------------------

const PERMITTED_CONDITION = 'May be shared with Housing for tenancy enforcement only';
const HOUSING_ID = 'partner-agency:housing';
const CANARY = 'CANARY-';

let tokenCounter = 0;
const nextToken = (): string => `${CANARY}${++tokenCounter}`;

/**
 * Plants a fresh token in a hidden grading. The generated C gradings are split
 * by their condition's length: a third are released to Housing (whatever they
 * say, even "not for Housing"), a third are worded *for* Housing without being
 * released to it, a third police-only; the hidden ones carry a token.
 */
function retoken(grading: Grading): Grading {
  if (grading.system === '5x5x5') return { system: '5x5x5', recorded: nextToken() };
  if (grading.handling === 'P') return grading;
  if (grading.release_to?.includes(HOUSING_ID)) return grading;
  const { release_to: _dropped, ...rest } = grading;
  void _dropped;
  switch ((grading.conditions ?? '').length % 3) {
    case 0:
      return {
        ...rest,
        conditions: 'NOT to be shared with Housing or any other partner agency',
        release_to: [HOUSING_ID],
      };
    case 1:
      return { ...rest, conditions: `${PERMITTED_CONDITION} ${nextToken()}` };
    default:
      return { ...rest, conditions: `${nextToken()} police use only` };
  }
}

const isHiddenGrading = (grading: Grading | undefined): boolean =>
  grading !== undefined &&
  (grading.system === '5x5x5' || (grading.handling === 'C' && !(grading.release_to ?? []).includes(HOUSING_ID)));

const attributeArb: fc.Arbitrary<GradedAttribute> = fc.record({
  name: fc.constantFrom('lifestyle', 'tenancy', 'vehicle_use'),
  value: fc.constantFrom<string | number | boolean>('cash', 'arrears', 1, true),
  grading: gradingArb,
});

const entityWithAttributesArb: fc.Arbitrary<Entity> = fc
  .tuple(entityArb, fc.option(fc.array(attributeArb, { maxLength: 3 }), { nil: undefined }), fc.nat({ max: 50 }))
  .map(([entity, attributes, n]) => ({ ...entity, id: `E${n}`, ...(attributes !== undefined ? { attributes } : {}) }));

/** A small record set whose links join its own entities (and sometimes an id that does not exist). */
const rawRecordSetArb: fc.Arbitrary<RecordSet> = fc
  .uniqueArray(entityWithAttributesArb, { maxLength: 6, selector: (entity) => entity.id })
  .chain((entities) => {
    const ids = [...entities.map((entity) => entity.id), 'NOT-AN-ENTITY'];
    return fc.record({
      entities: fc.constant(entities),
      links: fc.uniqueArray(
        fc
          .tuple(linkArb, fc.nat(), fc.nat())
          .map(([link, a, b]) => ({ ...link, from: ids[a % ids.length]!, to: ids[b % ids.length]! })),
        { maxLength: 10, selector: (link) => link.id },
      ),
    });
  })
  .map(({ entities, links }) => ({ entities, links: links.filter((link) => link.from !== link.to) }));

/** Plants a unique token in every hidden item: the ids and text of hidden entities, attributes and links. */
function plant(records: RecordSet): RecordSet {
  const renamed = new Map<string, string>();
  const entities: Entity[] = records.entities.map((entity) => {
    const result: Record<string, unknown> = { ...entity };
    if (entity.grading !== undefined) result.grading = retoken(entity.grading);
    if (isHiddenGrading(result.grading as Grading | undefined)) {
      const token = nextToken();
      renamed.set(entity.id, `${entity.id}-${token}`);
      Object.assign(result, { id: `${entity.id}-${token}`, label: token, notes: token, source: token });
    }
    if (entity.attributes !== undefined) {
      result.attributes = entity.attributes.map((attribute) => {
        const graded = { ...attribute, grading: retoken(attribute.grading) };
        return isHiddenGrading(graded.grading) ? { ...graded, value: nextToken(), source: nextToken() } : graded;
      });
    }
    return result as Entity;
  });
  const links: Link[] = records.links.map((link) => {
    const result: Link = {
      ...link,
      from: renamed.get(link.from) ?? link.from,
      to: renamed.get(link.to) ?? link.to,
      grading: retoken(link.grading),
    };
    return isHiddenGrading(result.grading)
      ? { ...result, id: `${link.id}-${nextToken()}`, source: nextToken(), notes: nextToken() }
      : result;
  });
  return { entities, links };
}

const recordSetArb = rawRecordSetArb.map(plant);

/** The independent reference: delete the hidden items from the "files", as a clerk would. */
function physicallyDelete(records: RecordSet): RecordSet {
  const entities: Entity[] = [];
  for (const entity of records.entities) {
    if (isHiddenGrading(entity.grading)) continue;
    if (entity.attributes === undefined) {
      entities.push(entity);
      continue;
    }
    const kept = entity.attributes.filter((attribute) => !isHiddenGrading(attribute.grading));
    if (kept.length === entity.attributes.length) entities.push(entity);
    else {
      const copy: Record<string, unknown> = { ...entity };
      delete copy.attributes;
      if (kept.length > 0) copy.attributes = kept;
      entities.push(copy as Entity);
    }
  }
  const ids = new Set(entities.map((entity) => entity.id));
  const links = records.links.filter(
    (link) => !isHiddenGrading(link.grading) && ids.has(link.from) && ids.has(link.to),
  );
  return { entities, links };
}

describe('recordsForAudience: canary property', () => {
  it('releases no hidden token to Housing, and equals physical deletion', () => {
    fc.assert(
      fc.property(recordSetArb, (records) => {
        const before = structuredClone(records);
        const released = recordsForAudience(records, housing);
        expect(records).toEqual(before); // no mutation
        expect(JSON.stringify(released)).not.toContain(CANARY);
        const deleted = physicallyDelete(records);
        expect(JSON.stringify(deleted)).not.toContain(CANARY);
        expect(released).toEqual(deleted);
        expect(recordsForAudience(deleted, housing)).toEqual(deleted);
        // Police analysts see everything (links to ids that do not exist are not records).
        const ids = new Set(records.entities.map((entity) => entity.id));
        expect(recordsForAudience(records, analyst)).toEqual({
          entities: records.entities,
          links: records.links.filter((link) => ids.has(link.from) && ids.has(link.to)),
        });
      }),
      { numRuns: 1000 },
    );
  });
});

// --- The small fixture ------------------------------------------------------

const gradingsOf = (records: RecordSet): Grading[] => [
  ...records.entities.flatMap((entity) => [
    ...(entity.grading ? [entity.grading] : []),
    ...(entity.attributes ?? []).map((attribute) => attribute.grading),
  ]),
  ...records.links.map((link) => link.grading),
];

describe('recordsForAudience on the small fixture', () => {
  it('keeps everything for police analysts', async () => {
    const records = await loadSmall();
    expect(recordsForAudience(records, analyst)).toEqual(records);
  });

  it('gives Housing no R items, only C items released to Housing (none worded against it), and the independently counted links', async () => {
    const records = await loadSmall();
    const all = gradingsOf(records);
    const against = 'NOT to be shared with Housing or any other partner agency';
    // The fixture exercises every case, including a condition that names Housing to forbid it.
    expect(all.some((grading) => grading.system === '5x5x5')).toBe(true);
    expect(
      all.some(
        (grading) => grading.system === '3x5x2' && grading.handling === 'C' && grading.release_to?.includes(HOUSING_ID),
      ),
    ).toBe(true);
    expect(
      all.some((grading) => grading.system === '3x5x2' && grading.handling === 'C' && grading.release_to === undefined),
    ).toBe(true);
    expect(all.some((grading) => grading.system === '3x5x2' && grading.conditions === against)).toBe(true);

    const released = recordsForAudience(records, housing);
    for (const grading of gradingsOf(released)) {
      expect(grading.system).toBe('3x5x2');
      if (grading.system === '3x5x2' && grading.handling === 'C') expect(grading.release_to).toContain(HOUSING_ID);
    }
    for (const entity of released.entities) expect(mayView(housing, entityMarking(entity))).toBe(true);
    // The leak count of the condition worded against Housing: 0.
    expect(JSON.stringify(released).split(against).length - 1).toBe(0);

    // Independent count: an item is visible when ungraded, P, or C with Housing in its release_to column.
    const visible = (grading: Grading | undefined): boolean =>
      grading === undefined ||
      (grading.system === '3x5x2' && (grading.handling === 'P' || (grading.release_to ?? []).includes(HOUSING_ID)));
    const visibleIds = new Set(records.entities.filter((entity) => visible(entity.grading)).map((entity) => entity.id));
    const expectedLinks = records.links.filter(
      (link) => visible(link.grading) && visibleIds.has(link.from) && visibleIds.has(link.to),
    ).length;
    expect(released.links.length).toBe(expectedLinks);
    expect(released.entities.length).toBe(visibleIds.size);
    expect(released.links.length).toBeLessThan(records.links.length);
    expect(released.links.every((link) => mayView(housing, linkMarking(link)))).toBe(true);
  });
});

describe('the dissemination report', () => {
  it('lists each C condition that decides nothing until mapped, and release_to ids the configuration does not hold', async () => {
    const records = await loadSmall();
    const unmapped = unmappedConditions(records);
    const texts = unmapped.map((entry) => entry.condition);
    expect(texts).toContain('NOT to be shared with Housing or any other partner agency');
    expect(texts).not.toContain(PERMITTED_CONDITION);
    // Independent count from the gradings themselves.
    const expected = gradingsOf(records).filter(
      (grading) => grading.system === '3x5x2' && grading.handling === 'C' && grading.release_to === undefined,
    ).length;
    expect(unmapped.reduce((sum, entry) => sum + entry.items.length, 0)).toBe(expected);
    expect(unknownReleaseAudiences(records, config)).toEqual([]);
    const withTypo: RecordSet = {
      entities: [],
      links: [
        {
          id: 'K1',
          type: 'associate',
          from: 'A',
          to: 'B',
          source: 'Test',
          grading: {
            system: '3x5x2',
            source: '2',
            intelligence: 'B',
            handling: 'C',
            conditions: 'x',
            release_to: ['partner-agency:housnig'],
          },
        },
      ],
    };
    expect(unknownReleaseAudiences(withTypo, config)).toEqual([{ audience: 'partner-agency:housnig', items: ['K1'] }]);
  });
});

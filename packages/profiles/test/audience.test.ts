import { createReadStream } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { RecordCollector, readRecordCsv } from '@ocgnet/io';
import { entityMarking, linkMarking, type Entity, type Grading, type GradedAttribute, type Link, type RecordSet } from '@ocgnet/schema';
import { entityArb, gradingArb, linkArb } from '../../schema/test/records.fixtures.js';
import {
  AudienceSchema,
  audienceById,
  defaultAudiences,
  loadAudiences,
  mayView,
  partnerAgencyAudience,
  recordsForAudience,
} from '../src/audience.js';

const SMALL_FIXTURE = join(dirname(fileURLToPath(import.meta.url)), '../../../fixtures/small');

const config = defaultAudiences();
const analyst = audienceById(config, 'police-analyst');
const housing = partnerAgencyAudience(config, 'Housing');

describe('audiences configuration', () => {
  it('ships the default audiences', () => {
    expect(config.audiences.map((audience) => audience.kind).sort()).toEqual(
      ['partner-agency', 'partner-agency', 'partner-agency', 'partner-agency', 'police-analyst', 'police-partner', 'public', 'researcher'].sort(),
    );
    expect(housing).toMatchObject({ kind: 'partner-agency', agency: 'Housing' });
  });

  it('names the offending field in a malformed configuration', () => {
    const bad = JSON.stringify({
      schema_version: 1,
      audiences: [{ id: 'housing', kind: 'partner-agency', agency: 'Housing', permittedConditions: [{ keyword: 7 }] }],
    });
    let caught: unknown;
    try {
      loadAudiences(bad);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(z.ZodError);
    const paths = (caught as z.ZodError).issues.map((issue) => issue.path.join('.'));
    expect(paths.some((path) => path.startsWith('audiences.0.permittedConditions.0'))).toBe(true);
    expect(String((caught as Error).message)).toContain('permittedConditions');
  });

  it('refuses a partner agency without an agency, unknown fields and duplicate ids', () => {
    const issuesOf = (value: unknown): string[] => {
      const result = z.safeParse(z.any().pipe(AudienceSchema), value);
      return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}`);
    };
    expect(issuesOf({ id: 'x', kind: 'partner-agency', permittedConditions: [] })).toContain('agency');
    expect(() => loadAudiences({ schema_version: 1, audiences: [{ id: 'a', kind: 'public', sees: 'all' }] })).toThrow(/sees/);
    expect(() =>
      loadAudiences({ schema_version: 1, audiences: [{ id: 'a', kind: 'public' }, { id: 'a', kind: 'researcher' }] }),
    ).toThrow(/duplicate audience id/);
    expect(() => loadAudiences({ schema_version: 2, audiences: [{ id: 'a', kind: 'public' }] })).toThrow(/schema_version/);
  });
});

describe('mayView', () => {
  const partner = AudienceSchema.parse({
    id: 'pp',
    kind: 'police-partner',
    permittedConditions: ['Exact wording agreed', { keyword: 'partners', unless: ['not for disclosure to partners'] }],
  });

  it('shows P to every audience that receives records, R to police analysts only', () => {
    for (const audience of [analyst, housing, partner]) expect(mayView(audience, { handling: 'P', conditions: [] })).toBe(true);
    expect(mayView(analyst, { handling: 'R', conditions: [] })).toBe(true);
    expect(mayView(housing, { handling: 'R', conditions: [] })).toBe(false);
    expect(mayView(partner, { handling: 'R', conditions: [] })).toBe(false);
    for (const id of ['public', 'researcher']) expect(mayView(audienceById(config, id), { handling: 'P', conditions: [] })).toBe(false);
  });

  it('shows C only when every condition is permitted', () => {
    const housingOnly = 'May be shared with Housing for tenancy enforcement only';
    expect(mayView(housing, { handling: 'C', conditions: [housingOnly] })).toBe(true);
    expect(mayView(housing, { handling: 'C', conditions: ['housing USE only'] })).toBe(true);
    expect(mayView(housing, { handling: 'C', conditions: ['Rehousing panel only'] })).toBe(false);
    expect(mayView(housing, { handling: 'C', conditions: [housingOnly, 'Police use only; not for disclosure to partners'] })).toBe(false);
    expect(mayView(housing, { handling: 'C', conditions: [] })).toBe(false);
    expect(mayView(partner, { handling: 'C', conditions: ['Exact wording agreed'] })).toBe(true);
    expect(mayView(partner, { handling: 'C', conditions: ['exact wording agreed'] })).toBe(false);
    expect(mayView(partner, { handling: 'C', conditions: ['May be shared with partners'] })).toBe(true);
    expect(mayView(partner, { handling: 'C', conditions: ['Police use only; not for disclosure to partners'] })).toBe(false);
    // Default police-partner permits no conditions until a force lists them.
    expect(mayView(audienceById(config, 'police-partner'), { handling: 'C', conditions: [housingOnly] })).toBe(false);
  });

  it('gives public and researcher audiences no records at all', () => {
    const records: RecordSet = { entities: [{ id: 'E1', kind: 'person', label: 'Someone' }], links: [] };
    for (const id of ['public', 'researcher']) expect(recordsForAudience(records, audienceById(config, id))).toEqual({ entities: [], links: [] });
  });
});

// --- Canary property test -------------------------------------------------

const PERMITTED_CONDITION = 'May be shared with Housing for tenancy enforcement only';
const CANARY = 'CANARY-';

let tokenCounter = 0;
const nextToken = (): string => `${CANARY}${++tokenCounter}`;

/**
 * Plants a fresh token in a hidden grading. The generated C gradings are split
 * by the parity of their condition's length: even ones become the condition
 * Housing may see, odd ones a police-only condition carrying a token.
 */
function retoken(grading: Grading): Grading {
  if (grading.system === '5x5x5') return { system: '5x5x5', recorded: nextToken() };
  if (grading.handling === 'P') return grading;
  if (grading.conditions === PERMITTED_CONDITION || (grading.conditions ?? '').length % 2 === 0) return { ...grading, conditions: PERMITTED_CONDITION };
  return { ...grading, conditions: `${nextToken()} police use only` };
}

const isHiddenGrading = (grading: Grading | undefined): boolean =>
  grading !== undefined && (grading.system === '5x5x5' || (grading.handling === 'C' && grading.conditions !== PERMITTED_CONDITION));

const attributeArb: fc.Arbitrary<GradedAttribute> = fc.record({
  name: fc.constantFrom('lifestyle', 'tenancy', 'vehicle_use'),
  value: fc.constantFrom<string | number | boolean>('cash', 'arrears', 1, true),
  grading: gradingArb,
});

const entityWithAttributesArb: fc.Arbitrary<Entity> = fc
  .tuple(entityArb, fc.option(fc.array(attributeArb, { maxLength: 3 }), { nil: undefined }), fc.nat({ max: 50 }))
  .map(([entity, attributes, n]) => ({ ...entity, id: `E${n}`, ...(attributes !== undefined ? { attributes } : {}) }) as Entity);

/** A small record set whose links join its own entities (and sometimes an id that does not exist). */
const rawRecordSetArb: fc.Arbitrary<RecordSet> = fc
  .uniqueArray(entityWithAttributesArb, { maxLength: 6, selector: (entity) => entity.id })
  .chain((entities) => {
    const ids = [...entities.map((entity) => entity.id), 'NOT-AN-ENTITY'];
    return fc.record({
      entities: fc.constant(entities),
      links: fc.uniqueArray(
        fc.tuple(linkArb, fc.nat(), fc.nat()).map(([link, a, b]) => ({ ...link, from: ids[a % ids.length]!, to: ids[b % ids.length]! }) as Link),
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
    const result: Link = { ...link, from: renamed.get(link.from) ?? link.from, to: renamed.get(link.to) ?? link.to, grading: retoken(link.grading) };
    return isHiddenGrading(result.grading) ? { ...result, id: `${link.id}-${nextToken()}`, source: nextToken(), notes: nextToken() } : result;
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
  const links = records.links.filter((link) => !isHiddenGrading(link.grading) && ids.has(link.from) && ids.has(link.to));
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

async function loadSmallFixture(): Promise<RecordSet> {
  const collector = new RecordCollector();
  for (const file of ['entities.csv', 'links.csv']) await readRecordCsv(createReadStream(join(SMALL_FIXTURE, file)), file, collector);
  const outcome = collector.finish();
  if (!outcome.ok) throw new Error(`small fixture: ${JSON.stringify(outcome.issues.slice(0, 3))}`);
  return outcome.records;
}

const gradingsOf = (records: RecordSet): Grading[] => [
  ...records.entities.flatMap((entity) => [...(entity.grading ? [entity.grading] : []), ...(entity.attributes ?? []).map((attribute) => attribute.grading)]),
  ...records.links.map((link) => link.grading),
];

describe('recordsForAudience on the small fixture', () => {
  it('keeps everything for police analysts', async () => {
    const records = await loadSmallFixture();
    expect(recordsForAudience(records, analyst)).toEqual(records);
  });

  it('gives Housing no R items, only C items naming Housing, and the independently counted links', async () => {
    const records = await loadSmallFixture();
    const all = gradingsOf(records);
    // The fixture exercises every case.
    expect(all.some((grading) => grading.system === '5x5x5')).toBe(true);
    expect(all.some((grading) => grading.system === '3x5x2' && grading.handling === 'C' && /housing/i.test(grading.conditions ?? ''))).toBe(true);
    expect(all.some((grading) => grading.system === '3x5x2' && grading.handling === 'C' && !/housing/i.test(grading.conditions ?? ''))).toBe(true);

    const released = recordsForAudience(records, housing);
    for (const grading of gradingsOf(released)) {
      expect(grading.system).toBe('3x5x2');
      if (grading.system === '3x5x2' && grading.handling === 'C') expect(grading.conditions).toMatch(/housing/i);
    }
    for (const entity of released.entities) expect(mayView(housing, entityMarking(entity))).toBe(true);

    // Independent count: an item is visible when ungraded, P, or C naming Housing.
    const visible = (grading: Grading | undefined): boolean =>
      grading === undefined || (grading.system === '3x5x2' && (grading.handling === 'P' || /\bhousing\b/i.test(grading.conditions ?? '')));
    const visibleIds = new Set(records.entities.filter((entity) => visible(entity.grading)).map((entity) => entity.id));
    const expectedLinks = records.links.filter((link) => visible(link.grading) && visibleIds.has(link.from) && visibleIds.has(link.to)).length;
    expect(released.links.length).toBe(expectedLinks);
    expect(released.entities.length).toBe(visibleIds.size);
    expect(released.links.length).toBeLessThan(records.links.length);
    expect(released.links.every((link) => mayView(housing, linkMarking(link)))).toBe(true);
  });
});


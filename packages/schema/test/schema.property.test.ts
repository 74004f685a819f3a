/**
 * Property tests: the schema accepts every valid record the arbitraries can
 * build, and rejects each kind of invalid one, naming the field at fault.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EntitySchema, LinkSchema, GradingSchema, issuesFromZod } from '../src/index.js';
import { entityArb, gradingArb, linkArb } from './records.fixtures.js';

const RUNS = { numRuns: 500 };

function fieldsAtFault(schema: typeof EntitySchema | typeof LinkSchema, value: unknown): string[] {
  const result = schema.safeParse(value);
  if (result.success) return [];
  return issuesFromZod(result.error, 'test', 1).map((issue) => issue.field);
}

describe('valid records', () => {
  it('accepts every valid entity, unchanged', () => {
    fc.assert(
      fc.property(entityArb, (entity) => {
        const result = EntitySchema.safeParse(entity);
        expect(result.success).toBe(true);
        expect(result.data).toEqual(entity);
      }),
      RUNS,
    );
  });
  it('accepts every valid link, unchanged', () => {
    fc.assert(
      fc.property(linkArb, (link) => {
        const result = LinkSchema.safeParse(link);
        expect(result.success).toBe(true);
        expect(result.data).toEqual(link);
      }),
      RUNS,
    );
  });
  it('keeps a legacy 5x5x5 code exactly as recorded', () => {
    fc.assert(
      fc.property(gradingArb, (grading) => {
        expect(GradingSchema.parse(grading)).toEqual(grading);
      }),
      RUNS,
    );
  });
});

/** Each kind of invalid entity, as a mutation of a valid one and the field it must be blamed on. */
const entityMutations: [string, (entity: Record<string, unknown>) => Record<string, unknown>, string][] = [
  ['unknown kind', (e) => ({ ...e, kind: 'spaceship' }), 'kind'],
  ['empty id', (e) => ({ ...e, id: '' }), 'id'],
  ['id with surrounding whitespace', (e) => ({ ...e, id: ` ${String(e.id)}` }), 'id'],
  ['id that names an Object.prototype member', (e) => ({ ...e, id: 'valueOf' }), 'id'],
  ['id with a control character', (e) => ({ ...e, id: `${String(e.id)}\u0007` }), 'id'],
  ['missing label', ({ label: _label, ...e }) => e, 'label'],
  ['overlong label', (e) => ({ ...e, label: 'x'.repeat(5000) }), 'label'],
  ['unknown field', (e) => ({ ...e, favourite_colour: 'blue' }), 'favourite_colour'],
  [
    'C handling without conditions',
    (e) => ({ ...e, grading: { system: '3x5x2', source: '2', intelligence: 'B', handling: 'C' } }),
    'grading.conditions',
  ],
  [
    'C handling with blank conditions',
    (e) => ({ ...e, grading: { system: '3x5x2', source: '2', intelligence: 'B', handling: 'C', conditions: '   ' } }),
    'grading.conditions',
  ],
  [
    'P handling with conditions',
    (e) => ({ ...e, grading: { system: '3x5x2', source: '2', intelligence: 'B', handling: 'P', conditions: 'x' } }),
    'grading.conditions',
  ],
  [
    'source evaluation out of range',
    (e) => ({ ...e, grading: { system: '3x5x2', source: '4', intelligence: 'B', handling: 'P' } }),
    'grading.source',
  ],
  [
    'assessment out of range',
    (e) => ({ ...e, grading: { system: '3x5x2', source: '1', intelligence: 'F', handling: 'P' } }),
    'grading.intelligence',
  ],
  ['unknown grading system', (e) => ({ ...e, grading: { system: '4x4', source: '1' } }), 'grading.system'],
  ['empty legacy code', (e) => ({ ...e, grading: { system: '5x5x5', recorded: '' } }), 'grading.recorded'],
  [
    'graded attribute with reserved name',
    (e) => ({
      ...e,
      attributes: [
        { name: 'constructor', value: 1, grading: { system: '3x5x2', source: '1', intelligence: 'A', handling: 'P' } },
      ],
    }),
    'attributes.0.name',
  ],
  [
    'graded attribute without grading',
    (e) => ({ ...e, attributes: [{ name: 'tenancy', value: 'social' }] }),
    'attributes.0.grading',
  ],
];

describe('invalid entities', () => {
  for (const [name, mutate, field] of entityMutations) {
    it(`rejects ${name}, blaming ${field}`, () => {
      fc.assert(
        fc.property(entityArb, (entity) => {
          expect(fieldsAtFault(EntitySchema, mutate(entity as Record<string, unknown>))).toContain(field);
        }),
        { numRuns: 100 },
      );
    });
  }

  it('rejects a flag that is not a boolean, a bad date, a bad band, a bad threat area', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ id: 'p', kind: 'person', label: 'P', vulnerable: 'yes' }, 'vulnerable'],
      [{ id: 'p', kind: 'person', label: 'P', date_of_birth: '2024-02-30' }, 'date_of_birth'],
      [{ id: 'o', kind: 'ocg', label: 'O', ocgm_band: '4A' }, 'ocgm_band'],
      [{ id: 'o', kind: 'ocg', label: 'O', threat_areas: ['jaywalking'] }, 'threat_areas.0'],
      [{ id: 'o', kind: 'ocg', label: 'O', ocgm_score: -1 }, 'ocgm_score'],
      [{ id: 'e', kind: 'event', label: 'E' }, 'event_type'],
      [{ id: 'l', kind: 'location', label: 'L', premises_type: 'castle' }, 'premises_type'],
      [{ id: 'p', kind: 'person', label: 'P', ocgm_band: '1A' }, 'ocgm_band'],
      // Lone surrogates: a store writing UTF-8 would turn them into U+FFFD and lose the record's id.
      [{ id: 'p\ud800', kind: 'person', label: 'P' }, 'id'],
      [{ id: 'p', kind: 'person', label: 'P\udc00' }, 'label'],
      [{ id: 'p', kind: 'person', label: 'P', notes: '\ud83d' }, 'notes'],
    ];
    for (const [value, field] of cases)
      expect(fieldsAtFault(EntitySchema, value), JSON.stringify(value)).toContain(field);
  });
});

const linkMutations: [string, (link: Record<string, unknown>) => Record<string, unknown>, string][] = [
  ['unknown type', (l) => ({ ...l, type: 'knows_of' }), 'type'],
  ['missing source', ({ source: _source, ...l }) => l, 'source'],
  ['missing grading', ({ grading: _grading, ...l }) => l, 'grading'],
  ['self link', (l) => ({ ...l, to: l.from }), 'to'],
  ['non-integer count', ({ weight: _weight, ...l }) => ({ ...l, count: 1.5 }), 'count'],
  ['zero weight', ({ count: _count, ...l }) => ({ ...l, weight: 0 }), 'weight'],
  ['bad date', ({ first_seen: _f, last_seen: _l, ...l }) => ({ ...l, date: '2024-13-01' }), 'date'],
  [
    'date and first_seen together',
    ({ last_seen: _l, ...l }) => ({ ...l, date: '2024-01-01', first_seen: '2024-01-01' }),
    'date',
  ],
  [
    'last_seen before first_seen',
    ({ date: _d, ...l }) => ({ ...l, first_seen: '2024-05-01', last_seen: '2024-01-01' }),
    'last_seen',
  ],
  ['member_of without role', ({ role: _role, ...l }) => ({ ...l, type: 'member_of' }), 'role'],
  ['role on another type', (l) => ({ ...l, type: 'associate', role: 'principal' }), 'role'],
  ['unknown role', (l) => ({ ...l, type: 'member_of', role: 'mastermind' }), 'role'],
  [
    'C handling without conditions',
    (l) => ({ ...l, grading: { system: '3x5x2', source: '1', intelligence: 'A', handling: 'C' } }),
    'grading.conditions',
  ],
];

describe('invalid links', () => {
  for (const [name, mutate, field] of linkMutations) {
    it(`rejects ${name}, blaming ${field}`, () => {
      fc.assert(
        fc.property(linkArb, (link) => {
          expect(fieldsAtFault(LinkSchema, mutate(link as Record<string, unknown>))).toContain(field);
        }),
        { numRuns: 100 },
      );
    });
  }
});

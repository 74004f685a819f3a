/**
 * fast-check arbitraries for valid records of every kind, shared by the
 * schema's property tests and by importer tests elsewhere.
 */
import fc from 'fast-check';
import {
  INTELLIGENCE_ASSESSMENTS,
  LINK_TYPES,
  OCGM_BANDS,
  SOURCE_EVALUATIONS,
  THREAT_AREAS,
  type Entity,
  type Grading,
  type Link,
} from '../src/index.js';
import { BUSINESS_TYPES, EVENT_TYPES, PHONE_KINDS, PREMISES_TYPES } from '../src/entities.js';
import { MEMBER_ROLES } from '../src/links.js';

/** Ids: printable, no surrounding whitespace, including awkward characters. */
export const idArb = fc
  .string({ unit: fc.constantFrom(...'abcXYZ019-_:./\'"`{}[]()<>&; éü漢'.split('')), minLength: 1, maxLength: 20 })
  .filter((id) => id.trim() === id && id.length > 0);

export const labelArb = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 40 })
  .filter((text) => !/[\u0000-\u001f\u007f]/.test(text) && text.length > 0);

export const dateArb = fc
  .date({ min: new Date('1950-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true })
  .map((date) => date.toISOString().slice(0, 10));

export const gradingArb: fc.Arbitrary<Grading> = fc.oneof(
  fc.record({
    system: fc.constant('3x5x2' as const),
    source: fc.constantFrom(...SOURCE_EVALUATIONS),
    intelligence: fc.constantFrom(...INTELLIGENCE_ASSESSMENTS),
    handling: fc.constant('P' as const),
  }),
  fc.record({
    system: fc.constant('3x5x2' as const),
    source: fc.constantFrom(...SOURCE_EVALUATIONS),
    intelligence: fc.constantFrom(...INTELLIGENCE_ASSESSMENTS),
    handling: fc.constant('C' as const),
    conditions: labelArb.filter((text) => text.trim() !== ''),
  }),
  fc.record({
    system: fc.constant('5x5x5' as const),
    recorded: fc.string({ unit: fc.constantFrom(...'ABCDE12345 x'.split('')), minLength: 1, maxLength: 6 }),
  }),
);

const common = {
  id: idArb,
  label: labelArb,
  source: fc.option(labelArb, { nil: undefined }),
  grading: fc.option(gradingArb, { nil: undefined }),
};

// An empty list and no list mean the same; files write neither.
const threatAreas = fc.option(fc.uniqueArray(fc.constantFrom(...THREAT_AREAS), { minLength: 1, maxLength: 4 }), {
  nil: undefined,
});
const flag = fc.option(fc.boolean(), { nil: undefined });

/** Drops undefined fields, as a file would simply not mention them. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}

export const entityArb: fc.Arbitrary<Entity> = fc
  .oneof(
    fc.record({
      ...common,
      kind: fc.constant('person' as const),
      vulnerable: flag,
      under_18: flag,
      exploited: flag,
      cuckooed: flag,
      iom: flag,
      date_of_birth: fc.option(dateArb, { nil: undefined }),
    }),
    fc.record({
      ...common,
      kind: fc.constant('ocg' as const),
      ocgm_band: fc.option(fc.constantFrom(...OCGM_BANDS), { nil: undefined }),
      ocgm_score: fc.option(fc.integer({ min: 0, max: 500 }), { nil: undefined }),
      morile_score: fc.option(fc.double({ min: 0, max: 1000, noNaN: true }), { nil: undefined }),
      lro: fc.option(labelArb, { nil: undefined }),
      threat_areas: threatAreas,
    }),
    fc.record({ ...common, kind: fc.constant('usg' as const), threat_areas: threatAreas }),
    fc.record({
      ...common,
      kind: fc.constant('location' as const),
      premises_type: fc.option(fc.constantFrom(...PREMISES_TYPES), { nil: undefined }),
      cuckooed: flag,
    }),
    fc.record({ ...common, kind: fc.constant('vehicle' as const), vrm: fc.option(labelArb, { nil: undefined }) }),
    fc.record({
      ...common,
      kind: fc.constant('phone' as const),
      phone_kind: fc.option(fc.constantFrom(...PHONE_KINDS), { nil: undefined }),
    }),
    fc.record({
      ...common,
      kind: fc.constant('business' as const),
      business_type: fc.option(fc.constantFrom(...BUSINESS_TYPES), { nil: undefined }),
      licensed: flag,
    }),
    fc.record({
      ...common,
      kind: fc.constant('event' as const),
      event_type: fc.constantFrom(...EVENT_TYPES),
      date: fc.option(dateArb, { nil: undefined }),
    }),
  )
  .map((entity) => compact(entity) as Entity);

export const linkArb: fc.Arbitrary<Link> = fc
  .record({
    id: idArb,
    type: fc.constantFrom(...LINK_TYPES),
    from: idArb,
    to: idArb,
    role: fc.constantFrom(...MEMBER_ROLES),
    dates: fc.oneof(
      fc.record({ date: dateArb }),
      fc
        .tuple(dateArb, dateArb)
        .map(([a, b]) => (a <= b ? { first_seen: a, last_seen: b } : { first_seen: b, last_seen: a })),
      fc.record({ first_seen: dateArb }),
      fc.constant({}),
    ),
    source: labelArb,
    strength: fc.oneof(
      fc.record({ count: fc.integer({ min: 1, max: 1000 }) }),
      fc.record({ weight: fc.double({ min: 0.001, max: 100, noNaN: true }) }),
      fc.constant({}),
    ),
    grading: gradingArb,
  })
  .filter((link) => link.from !== link.to)
  .map(
    ({ role, dates, strength, ...link }) =>
      compact({ ...link, ...dates, ...strength, role: link.type === 'member_of' ? role : undefined }) as Link,
  );

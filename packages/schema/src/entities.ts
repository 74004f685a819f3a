/**
 * Entities: the things intelligence is about. Field names are snake_case and
 * identical in CSV columns, JSON and NDJSON, so one table documents all three.
 */
import { z } from 'zod';
import { GradingSchema } from './grading.js';
import { LIMITS, FORBIDDEN_KEYS } from './limits.js';

export const ENTITY_KINDS = ['person', 'ocg', 'usg', 'location', 'vehicle', 'phone', 'business', 'event'] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

export const THREAT_AREAS = [
  'drugs',
  'cse',
  'trafficking',
  'fraud',
  'firearms',
  'cyber',
  'acquisitive',
  'counterfeit',
] as const;
export type ThreatArea = (typeof THREAT_AREAS)[number];

/** OCGM bands: 1 highest harm … 3 lowest, each split A–C. */
export const OCGM_BANDS = ['1A', '1B', '1C', '2A', '2B', '2C', '3A', '3B', '3C'] as const;

export const PREMISES_TYPES = [
  'residential',
  'hmo',
  'social_housing',
  'licensed_premises',
  'takeaway',
  'car_wash',
  'nail_bar',
  'shop',
  'garage',
  'storage',
  'industrial',
  'other',
] as const;

export const PHONE_KINDS = ['personal', 'deal_line', 'burner', 'landline', 'unknown'] as const;

export const BUSINESS_TYPES = [
  'car_wash',
  'nail_bar',
  'takeaway',
  'barber',
  'licensed_premises',
  'shop',
  'garage',
  'lettings',
  'accountancy',
  'solicitors',
  'haulage',
  'other',
] as const;

export const EVENT_TYPES = ['incident', 'stop', 'arrest', 'intelligence_report', 'call'] as const;

const CONTROL_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/**
 * A lone UTF-16 surrogate is not Unicode text: no file can carry it, and a
 * store writing UTF-8 would turn it into U+FFFD, so a record could not be
 * found again by the id it was stored under.
 */
const LONE_SURROGATE = /\p{Cs}/u;
const isUnicodeText = (text: string) => !LONE_SURROGATE.test(text);
const NOT_UNICODE = 'must be valid Unicode text (it holds a lone surrogate)';

/**
 * Names of Object.prototype members. graphology keeps adjacency in plain
 * objects, so a node keyed `valueOf` or `constructor` breaks edge insertion;
 * such ids are refused at the door rather than failing deep inside analysis.
 */
const OBJECT_MEMBER_NAMES: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));

/**
 * A stable identifier. Any printable text is allowed (ids arrive from many
 * systems and must be stored byte for byte), but not control characters or
 * surrounding whitespace, which are almost always transcription errors.
 */
export const IdSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(LIMITS.maxIdLength)
  .refine((id) => !CONTROL_CHARS.test(id) && !/[\r\n]/.test(id), 'must not contain control characters')
  .refine(isUnicodeText, NOT_UNICODE)
  .refine((id) => id.trim() === id, 'must not start or end with whitespace')
  .refine((id) => !OBJECT_MEMBER_NAMES.has(id), 'is a reserved name (it collides with JavaScript object internals)');

export const LabelSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(LIMITS.maxLabelLength)
  .refine((text) => !CONTROL_CHARS.test(text), 'must not contain control characters')
  .refine(isUnicodeText, NOT_UNICODE);

export const NoteSchema = z.string().max(LIMITS.maxNoteLength).refine(isUnicodeText, NOT_UNICODE);

/** A calendar date (YYYY-MM-DD) or an ISO 8601 date-time with offset. */
export const DateSchema = z.union([z.iso.date(), z.iso.datetime({ offset: true })], {
  error: 'must be an ISO date (YYYY-MM-DD) or date-time',
});

/**
 * An attribute that came from intelligence, with its own grading, so that a
 * partner who may see the entity need not see everything said about it.
 */
export const GradedAttributeSchema = z
  .object({
    name: z
      .string()
      .min(1)
      .max(100)
      .regex(/^[a-z][a-z0-9_]*$/, 'must be snake_case letters, digits and _')
      .refine((name) => !FORBIDDEN_KEYS.has(name), 'is a reserved name'),
    value: z.union([
      z.string().max(LIMITS.maxLabelLength).refine(isUnicodeText, NOT_UNICODE),
      z.number().finite(),
      z.boolean(),
    ]),
    grading: GradingSchema,
    source: LabelSchema.optional(),
    date: DateSchema.optional(),
  })
  .strict();
export type GradedAttribute = z.infer<typeof GradedAttributeSchema>;

const entityBase = {
  id: IdSchema,
  label: LabelSchema,
  /** The agency, system or report the record comes from. */
  source: LabelSchema.optional(),
  /** The grading of the record as a whole, when it came from intelligence. */
  grading: GradingSchema.optional(),
  attributes: z.array(GradedAttributeSchema).max(LIMITS.maxAttributes).optional(),
  notes: NoteSchema.optional(),
  /** When the record is due for review under retention rules. */
  review_date: z.iso.date().optional(),
};

const threatAreas = z.array(z.enum(THREAT_AREAS)).max(LIMITS.maxListItems);

export const PersonSchema = z
  .object({
    ...entityBase,
    kind: z.literal('person'),
    date_of_birth: z.iso.date().optional(),
    aliases: z.array(LabelSchema).max(LIMITS.maxListItems).optional(),
    vulnerable: z.boolean().optional(),
    under_18: z.boolean().optional(),
    /** Exploited by the network, for example as a runner. */
    exploited: z.boolean().optional(),
    /** The person's home has been taken over by the network. */
    cuckooed: z.boolean().optional(),
    /** Managed under Integrated Offender Management. */
    iom: z.boolean().optional(),
  })
  .strict();

export const OcgSchema = z
  .object({
    ...entityBase,
    kind: z.literal('ocg'),
    ocgm_band: z.enum(OCGM_BANDS).optional(),
    ocgm_score: z.number().finite().min(0).optional(),
    morile_score: z.number().finite().min(0).optional(),
    /** Lead responsible officer. */
    lro: LabelSchema.optional(),
    threat_areas: threatAreas.optional(),
  })
  .strict();

export const UsgSchema = z
  .object({
    ...entityBase,
    kind: z.literal('usg'),
    territory: LabelSchema.optional(),
    threat_areas: threatAreas.optional(),
  })
  .strict();

export const LocationSchema = z
  .object({
    ...entityBase,
    kind: z.literal('location'),
    premises_type: z.enum(PREMISES_TYPES).optional(),
    cuckooed: z.boolean().optional(),
    /** Neighbourhood or beat; the level locations generalise to in research exports. */
    area: LabelSchema.optional(),
    address: LabelSchema.optional(),
  })
  .strict();

export const VehicleSchema = z
  .object({
    ...entityBase,
    kind: z.literal('vehicle'),
    vrm: LabelSchema.optional(),
    make: LabelSchema.optional(),
    model: LabelSchema.optional(),
    colour: LabelSchema.optional(),
  })
  .strict();

export const PhoneSchema = z
  .object({
    ...entityBase,
    kind: z.literal('phone'),
    number: LabelSchema.optional(),
    phone_kind: z.enum(PHONE_KINDS).optional(),
  })
  .strict();

export const BusinessSchema = z
  .object({
    ...entityBase,
    kind: z.literal('business'),
    business_type: z.enum(BUSINESS_TYPES).optional(),
    company_number: LabelSchema.optional(),
    /** Holds a premises licence (alcohol, late-night refreshment …). */
    licensed: z.boolean().optional(),
  })
  .strict();

export const EventSchema = z
  .object({
    ...entityBase,
    kind: z.literal('event'),
    event_type: z.enum(EVENT_TYPES),
    date: DateSchema.optional(),
  })
  .strict();

export const EntitySchema = z.discriminatedUnion('kind', [
  PersonSchema,
  OcgSchema,
  UsgSchema,
  LocationSchema,
  VehicleSchema,
  PhoneSchema,
  BusinessSchema,
  EventSchema,
]);

export type Person = z.infer<typeof PersonSchema>;
export type Ocg = z.infer<typeof OcgSchema>;
export type Usg = z.infer<typeof UsgSchema>;
export type Location = z.infer<typeof LocationSchema>;
export type Vehicle = z.infer<typeof VehicleSchema>;
export type Phone = z.infer<typeof PhoneSchema>;
export type Business = z.infer<typeof BusinessSchema>;
export type Event = z.infer<typeof EventSchema>;
export type Entity = z.infer<typeof EntitySchema>;

/** Person flags that mark someone to be protected rather than targeted (`cuckooed` also marks a location). */
export const SAFEGUARDING_FLAGS = ['vulnerable', 'under_18', 'exploited', 'cuckooed'] as const;
export type SafeguardingFlag = (typeof SAFEGUARDING_FLAGS)[number];

/** The safeguarding flags set on a record or a node's attributes, in {@link SAFEGUARDING_FLAGS} order. */
export function safeguardingFlagsOf(fields: object | undefined): SafeguardingFlag[] {
  if (fields === undefined || fields === null) return [];
  const record = fields as Record<string, unknown>;
  return SAFEGUARDING_FLAGS.filter((flag) => record[flag] === true);
}

/** Person flags that mark someone to be protected rather than targeted. */
export function isSafeguardingSubject(person: Person): boolean {
  return safeguardingFlagsOf(person).length > 0;
}

/**
 * The same rule for a graph node, whose flags are either its own attributes
 * (the person projection, a viewer bundle) or those of the record it carries
 * (the multimodal network).
 */
export function isSafeguardingNode(attributes: object | undefined): boolean {
  if (attributes === undefined || attributes === null) return false;
  const record = (attributes as { record?: unknown }).record;
  return (
    safeguardingFlagsOf(attributes).length > 0 ||
    (typeof record === 'object' && safeguardingFlagsOf(record ?? undefined).length > 0)
  );
}

/** How every output marks a safeguarding subject: a person to protect, never a target. */
export const SAFEGUARDING_MARK = 'SAFEGUARDING: protect, do not target';

/**
 * Audiences: who is reading, and which records they may see.
 *
 * Audiences are configuration, not code. `audiences/default.json` holds the
 * defaults and is validated by `AudienceConfigSchema`; a force can load its own
 * file with `loadAudiences`. What a C handling code's conditions allow is never
 * guessed in code: each audience lists its `permittedConditions`, either exact
 * condition strings or simple keyword rules.
 *
 * Kinds:
 * - `police-analyst`: everything (P, C and legacy 5x5x5, marked R);
 * - `police-partner`: P, and C where every condition is permitted; R never;
 * - `partner-agency` (one audience per `agency`): as `police-partner`, with
 *   rules naming that agency;
 * - `public`, `researcher`: no records at all. What they may read comes from
 *   the anonymiser, never from this filter, so `recordsForAudience` returns an
 *   empty record set for them.
 */
import { z } from 'zod';
import { markingOfGrading, entityMarking, linkMarking, type Entity, type GradedAttribute, type Link, type Marking, type RecordSet } from '@ocgnet/schema';
import defaultAudiencesJson from '../audiences/default.json' with { type: 'json' };

export const AUDIENCE_CONFIG_VERSION = 1;

export const AUDIENCE_KINDS = ['police-analyst', 'police-partner', 'partner-agency', 'public', 'researcher'] as const;
export type AudienceKind = (typeof AUDIENCE_KINDS)[number];

const TextSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(2000)
  .refine((text) => text.trim() !== '', 'must not be blank');

/**
 * A keyword rule: a condition is permitted when it contains `keyword` as a
 * whole word or phrase, ignoring case ("Housing" matches "May be shared with
 * housing", not "Rehousing"), and contains none of the `unless` phrases.
 */
export const KeywordRuleSchema = z
  .object({
    keyword: TextSchema,
    /** Phrases that veto the rule, for example "not to be shared with Housing". */
    unless: z.array(TextSchema).max(100).optional(),
  })
  .strict();
export type KeywordRule = z.infer<typeof KeywordRuleSchema>;

/** An exact condition string (compared byte for byte), or a keyword rule. */
export const ConditionRuleSchema = z.union([TextSchema, KeywordRuleSchema]);
export type ConditionRule = z.infer<typeof ConditionRuleSchema>;

const IdSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/, 'must be letters, digits and _ . : -');

const description = TextSchema.optional();
const permittedConditions = z.array(ConditionRuleSchema).max(1000).default([]);

export const AudienceSchema = z.discriminatedUnion('kind', [
  z.object({ id: IdSchema, kind: z.literal('police-analyst'), description }).strict(),
  z.object({ id: IdSchema, kind: z.literal('police-partner'), description, permittedConditions }).strict(),
  z
    .object({
      id: IdSchema,
      kind: z.literal('partner-agency'),
      /** The agency, e.g. "Housing", "DWP", "HMRC", "Licensing". */
      agency: z.string().min(1).max(100).refine((text) => text.trim() === text && text !== '', 'must not be blank or padded'),
      description,
      permittedConditions,
    })
    .strict(),
  z.object({ id: IdSchema, kind: z.literal('public'), description }).strict(),
  z.object({ id: IdSchema, kind: z.literal('researcher'), description }).strict(),
]);
export type Audience = z.infer<typeof AudienceSchema>;
/** What a caller may write: `permittedConditions` may be left out. */
export type AudienceInput = z.input<typeof AudienceSchema>;

export const AudienceConfigSchema = z
  .object({
    schema_version: z.literal(AUDIENCE_CONFIG_VERSION),
    audiences: z.array(AudienceSchema).min(1).max(1000),
  })
  .strict()
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    config.audiences.forEach((audience, index) => {
      if (seen.has(audience.id)) {
        ctx.addIssue({ code: 'custom', path: ['audiences', index, 'id'], message: `duplicate audience id ${JSON.stringify(audience.id)}` });
      }
      seen.add(audience.id);
    });
  });
export type AudienceConfig = z.infer<typeof AudienceConfigSchema>;

/**
 * Validates an audiences configuration: a JSON string or an already-parsed
 * value. Throws a `z.ZodError` whose issues name the offending field (for
 * example `audiences.2.permittedConditions.0.keyword`), or a `SyntaxError`
 * for text that is not JSON.
 */
export function loadAudiences(json: string | unknown): AudienceConfig {
  const value: unknown = typeof json === 'string' ? JSON.parse(json) : json;
  return AudienceConfigSchema.parse(value);
}

/** The shipped defaults (`audiences/default.json`), freshly parsed on each call. */
export function defaultAudiences(): AudienceConfig {
  return loadAudiences(defaultAudiencesJson);
}

/** The audience with this id; throws when there is none. */
export function audienceById(config: AudienceConfig, id: string): Audience {
  const audience = config.audiences.find((candidate) => candidate.id === id);
  if (audience === undefined) throw new Error(`no audience with id ${JSON.stringify(id)}`);
  return audience;
}

/** The partner-agency audience for an agency (case-insensitive); throws when there is none. */
export function partnerAgencyAudience(config: AudienceConfig, agency: string): Audience {
  const wanted = agency.toLowerCase();
  const audience = config.audiences.find((candidate) => candidate.kind === 'partner-agency' && candidate.agency.toLowerCase() === wanted);
  if (audience === undefined) throw new Error(`no partner-agency audience for ${JSON.stringify(agency)}`);
  return audience;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Whole-word, case-insensitive containment; whitespace inside a phrase matches any run of whitespace. */
function containsPhrase(text: string, phrase: string): boolean {
  const body = phrase
    .trim()
    .split(/\s+/)
    .map(escapeRegExp)
    .join('\\s+');
  return new RegExp(`(?<![\\p{L}\\p{N}])${body}(?![\\p{L}\\p{N}])`, 'iu').test(text);
}

/** True when one rule permits one condition. */
export function rulePermits(rule: ConditionRule, condition: string): boolean {
  if (typeof rule === 'string') return rule === condition;
  if (!containsPhrase(condition, rule.keyword)) return false;
  return !(rule.unless ?? []).some((phrase) => containsPhrase(condition, phrase));
}

/** True when the audience's rules permit one C condition. */
export function conditionPermitted(audience: Audience, condition: string): boolean {
  if (audience.kind === 'police-analyst') return true;
  if (audience.kind !== 'police-partner' && audience.kind !== 'partner-agency') return false;
  return audience.permittedConditions.some((rule) => rulePermits(rule, condition));
}

/**
 * May this audience see an item with this marking? P: every audience that
 * receives records at all. C: only when **every** condition is permitted (a
 * derived item carries the union of its evidence's conditions); a C marking
 * with no conditions is not shared outside police. R: police analysts only.
 */
export function mayView(audience: Audience, marking: Marking): boolean {
  switch (audience.kind) {
    case 'police-analyst':
      return true;
    case 'public':
    case 'researcher':
      return false;
    case 'police-partner':
    case 'partner-agency':
      if (marking.handling === 'P') return true;
      if (marking.handling === 'R') return false;
      return marking.conditions.length > 0 && marking.conditions.every((condition) => conditionPermitted(audience, condition));
  }
}

/**
 * The entity as this audience may see it: undefined when its own record-level
 * grading is hidden; otherwise a copy with the hidden graded attributes
 * removed (the `attributes` field is left out when none remain of a non-empty
 * list, as a file with those attributes deleted would read).
 */
export function entityForAudience(entity: Entity, audience: Audience): Entity | undefined {
  if (!mayView(audience, markingOfGrading(entity.grading))) return undefined;
  let result: Entity = entity;
  if (entity.attributes !== undefined) {
    const visible: GradedAttribute[] = entity.attributes.filter((attribute) => mayView(audience, markingOfGrading(attribute.grading)));
    if (visible.length !== entity.attributes.length) {
      const { attributes: _hidden, ...rest } = entity;
      void _hidden;
      result = (visible.length > 0 ? { ...rest, attributes: visible } : rest) as Entity;
    }
  }
  // Defence in depth: the entity as released must be visible as a whole.
  return mayView(audience, entityMarking(result)) ? result : undefined;
}

/**
 * The records this audience may see, **physically** filtered: hidden entities,
 * hidden graded attributes, hidden links, and every link whose endpoint is not
 * among the released entities (including endpoints that never existed, whose
 * ids would otherwise leak) are removed. The result is what the source files
 * would hold had the hidden items been deleted, so any analysis recomputed on
 * it (counts, degrees, paths) reveals nothing about them. Order is kept.
 *
 * Pure: the input is not mutated. Released items that needed no change are
 * shared with the input, not copied; treat the result as read-only.
 *
 * `public` and `researcher` receive an empty record set: what they may read is
 * produced by the anonymiser, not by this filter.
 */
export function recordsForAudience(records: RecordSet, audience: Audience): RecordSet {
  if (audience.kind === 'public' || audience.kind === 'researcher') return { entities: [], links: [] };
  const entities: Entity[] = [];
  const released = new Set<string>();
  for (const entity of records.entities) {
    const visible = entityForAudience(entity, audience);
    if (visible === undefined) continue;
    entities.push(visible);
    released.add(visible.id);
  }
  const links: Link[] = records.links.filter(
    (link) => released.has(link.from) && released.has(link.to) && mayView(audience, linkMarking(link)),
  );
  return { entities, links };
}

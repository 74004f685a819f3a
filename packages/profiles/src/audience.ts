/**
 * Audiences: who is reading, and which records they may see.
 *
 * Audiences are configuration the force owns, not code. `audiences/default.json`
 * holds the defaults and is validated by `AudienceConfigSchema`; a force loads
 * its own file with `loadAudiences` (the CLI's `--audiences FILE`). The audience
 * ids form the controlled list that a C item's structured `release_to` names.
 *
 * Who may receive a C item is decided by that structured field alone, never
 * by the wording of its conditions: the wording is kept and shown to those
 * who may see the item. What is not explicitly released is denied, so a C
 * item without `release_to` reaches police analysts only.
 *
 * Kinds:
 * - `police-analyst`: everything (P, C and legacy 5x5x5, marked R);
 * - `police-partner`: P, and C released to this audience; R never;
 * - `partner-agency` (one audience per `agency` and purpose): as `police-partner`;
 * - `public`, `researcher`: no records at all. What they may read comes from
 *   the anonymiser, never from this filter, so `recordsForAudience` returns an
 *   empty record set for them. A C item released to a researcher audience may
 *   be used in a research export (see `researchUseOf`).
 *
 * Each audience also says which safeguarding facts it needs
 * (`safeguardingFacts`): Children's Services and Adult Social Care do, HMRC
 * does not. Profiles still protect every safeguarding subject for every
 * audience; they only withhold the facts.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from '@ocgnet/audit';
import {
  AudienceIdSchema,
  SAFEGUARDING_FLAGS,
  markingOfGrading,
  entityMarking,
  linkMarking,
  type Entity,
  type GradedAttribute,
  type Grading,
  type Link,
  type Marking,
  type RecordSet,
} from '@ocgnet/schema';
import defaultAudiencesJson from '../audiences/default.json' with { type: 'json' };

export const AUDIENCE_CONFIG_VERSION = 2;

export const AUDIENCE_KINDS = ['police-analyst', 'police-partner', 'partner-agency', 'public', 'researcher'] as const;
export type AudienceKind = (typeof AUDIENCE_KINDS)[number];

/**
 * Safeguarding facts an audience may be told: the person flags, and the home
 * address of a safeguarding subject.
 */
export const SAFEGUARDING_FACTS = [...SAFEGUARDING_FLAGS, 'home_address'] as const;
export type SafeguardingFact = (typeof SAFEGUARDING_FACTS)[number];

const TextSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(2000)
  .refine((text) => text.trim() !== '', 'must not be blank');

const description = TextSchema.optional();
/** What the audience receives data for; an audience is a recipient and a purpose. */
const purpose = TextSchema.optional();
const safeguardingFacts = z
  .array(z.enum(SAFEGUARDING_FACTS))
  .max(SAFEGUARDING_FACTS.length)
  .refine((facts) => new Set(facts).size === facts.length, 'lists a fact twice')
  .default([]);
const IdSchema = AudienceIdSchema;

export const AudienceSchema = z.discriminatedUnion('kind', [
  z.object({ id: IdSchema, kind: z.literal('police-analyst'), description }).strict(),
  z.object({ id: IdSchema, kind: z.literal('police-partner'), description, purpose, safeguardingFacts }).strict(),
  z
    .object({
      id: IdSchema,
      kind: z.literal('partner-agency'),
      /** The agency, e.g. "Housing", "DWP", "HMRC", "Licensing": the lead agency names of the lever catalogue. */
      agency: z
        .string()
        .min(1)
        .max(100)
        .refine((text) => text.trim() === text && text !== '', 'must not be blank or padded'),
      description,
      purpose,
      safeguardingFacts,
    })
    .strict(),
  z.object({ id: IdSchema, kind: z.literal('public'), description }).strict(),
  z.object({ id: IdSchema, kind: z.literal('researcher'), description, purpose }).strict(),
]);
export type Audience = z.infer<typeof AudienceSchema>;
/** What a caller may write: `safeguardingFacts` may be left out. */
export type AudienceInput = z.input<typeof AudienceSchema>;

export const AudienceConfigSchema = z
  .object({
    schema_version: z.literal(AUDIENCE_CONFIG_VERSION),
    audiences: z.array(AudienceSchema).min(1).max(1000),
  })
  .strict()
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    const agencies = new Map<string, number>();
    config.audiences.forEach((audience, index) => {
      if (seen.has(audience.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['audiences', index, 'id'],
          message: `duplicate audience id ${JSON.stringify(audience.id)}`,
        });
      }
      seen.add(audience.id);
      if (audience.kind === 'partner-agency' && audience.purpose === undefined) {
        // Two audiences of one agency must differ by purpose, or lead-agency lookup would be ambiguous.
        const key = audience.agency.toLowerCase();
        if (agencies.has(key)) {
          ctx.addIssue({
            code: 'custom',
            path: ['audiences', index, 'agency'],
            message: `a second audience for ${JSON.stringify(audience.agency)} without a purpose`,
          });
        }
        agencies.set(key, index);
      }
    });
  });
export type AudienceConfig = z.infer<typeof AudienceConfigSchema>;

/**
 * Validates an audiences configuration: a JSON string or an already-parsed
 * value. Throws a `z.ZodError` whose issues name the offending field (for
 * example `audiences.2.agency`), or a `SyntaxError` for text that is not JSON.
 * A version-1 file (which let keyword rules over condition text decide)
 * is refused with an issue that says what to change.
 */
export function loadAudiences(json: string | unknown): AudienceConfig {
  const value: unknown = typeof json === 'string' ? JSON.parse(json) : json;
  if (value !== null && typeof value === 'object' && (value as { schema_version?: unknown }).schema_version === 1) {
    throw new z.ZodError([
      {
        code: 'custom',
        path: ['schema_version'],
        input: 1,
        message:
          'version 1 let words in condition text (permittedConditions) decide who receives C items, which ocgnet no longer does: remove every permittedConditions, set schema_version to 2, and give each C item a release_to naming the audience ids it may go to',
      },
    ]);
  }
  return AudienceConfigSchema.parse(value);
}

/** The shipped defaults (`audiences/default.json`), freshly parsed on each call. */
export function defaultAudiences(): AudienceConfig {
  return loadAudiences(defaultAudiencesJson);
}

/**
 * SHA-256 of the configuration's canonical JSON (defaults filled in): the
 * same rules give the same hash whatever the file's layout. Recorded in audit
 * events and profiles, so a reader can tell which rules decided what they saw.
 */
export function audiencesHash(config: AudienceConfig): string {
  return createHash('sha256').update(canonicalJson(config), 'utf8').digest('hex');
}

/** The audience with this id; throws when there is none. */
export function audienceById(config: AudienceConfig, id: string): Audience {
  const audience = config.audiences.find((candidate) => candidate.id === id);
  if (audience === undefined) throw new Error(`no audience with id ${JSON.stringify(id)}`);
  return audience;
}

/** The partner-agency audience for an agency (case-insensitive); throws when there is none. */
export function partnerAgencyAudience(config: AudienceConfig, agency: string): Audience {
  const audience = leadAgencyAudience(config, agency);
  if (audience === undefined) throw new Error(`no partner-agency audience for ${JSON.stringify(agency)}`);
  return audience;
}

/**
 * The audience that receives a lever's evidence when `agency` leads it:
 * police analysts for "Police", else the agency's partner-agency audience
 * (case-insensitive; the first one, when several serve different purposes).
 * Undefined when the force has configured none: then no evidence may go to it.
 */
export function leadAgencyAudience(config: AudienceConfig, agency: string): Audience | undefined {
  if (agency === 'Police') return config.audiences.find((candidate) => candidate.kind === 'police-analyst');
  const wanted = agency.toLowerCase();
  return config.audiences.find(
    (candidate) => candidate.kind === 'partner-agency' && candidate.agency.toLowerCase() === wanted,
  );
}

/**
 * The planner's check (`evidenceRelease` of @ocgnet/disruption): may the
 * lead agency of a lever receive a piece of evidence with this marking?
 */
export function evidenceReleaseFor(
  config: AudienceConfig,
): (partner: string, marking: Marking) => 'released' | 'not-released' | 'no-audience' {
  return (partner, marking) => {
    const audience = leadAgencyAudience(config, partner);
    if (audience === undefined) return 'no-audience';
    return mayView(audience, marking) ? 'released' : 'not-released';
  };
}

/** The safeguarding facts this audience may be told (police analysts: all). */
export function safeguardingFactsFor(audience: Audience): ReadonlySet<SafeguardingFact> {
  if (audience.kind === 'police-analyst') return new Set(SAFEGUARDING_FACTS);
  if (audience.kind === 'public') return new Set();
  return new Set('safeguardingFacts' in audience ? audience.safeguardingFacts : []);
}

/**
 * May this audience see an item with this marking? P: every audience that
 * receives records at all. C: only when the marking's structured release
 * (the audiences **every** piece of its C evidence is released to) names this
 * audience; the conditions' wording is never read. R: police analysts only.
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
      return (marking.releasableTo ?? []).includes(audience.id);
  }
}

/**
 * May this item be used in a research export? P: yes. C: only when released
 * to one of the configuration's researcher audiences. R: never.
 */
export function researchUseOf(config: AudienceConfig): (marking: Marking) => boolean {
  const researchers = config.audiences
    .filter((audience) => audience.kind === 'researcher')
    .map((audience) => audience.id);
  return (marking) =>
    marking.handling === 'P' ||
    (marking.handling === 'C' && researchers.some((id) => (marking.releasableTo ?? []).includes(id)));
}

/** Calls `visit` with every grading in the records and the item it grades (`entity#attribute` for an attribute). */
function forEachGrading(records: RecordSet, visit: (grading: Grading, item: string) => void): void {
  for (const entity of records.entities) {
    if (entity.grading !== undefined) visit(entity.grading, entity.id);
    for (const attribute of entity.attributes ?? []) visit(attribute.grading, `${entity.id}#${attribute.name}`);
  }
  for (const link of records.links) visit(link.grading, link.id);
}

/** A C condition text that decides nothing until it is mapped to audiences (`release_to`). */
export interface UnmappedCondition {
  /** The condition text as recorded. */
  condition: string;
  /** Entities, links and graded attributes (`entity#attribute`) carrying it without `release_to`. */
  items: string[];
}

/**
 * The C conditions in these records that carry no structured release, so go to
 * police analysts only whatever they say, each with the items carrying it
 * (sorted by condition text). Import and validate report these.
 */
export function unmappedConditions(records: RecordSet): UnmappedCondition[] {
  const found = new Map<string, string[]>();
  forEachGrading(records, (grading, item) => {
    if (grading.system !== '3x5x2' || grading.handling !== 'C' || grading.release_to !== undefined) return;
    const condition = grading.conditions ?? '';
    let items = found.get(condition);
    if (items === undefined) found.set(condition, (items = []));
    items.push(item);
  });
  return [...found.entries()]
    .map(([condition, items]) => ({ condition, items }))
    .sort((a, b) => (a.condition < b.condition ? -1 : a.condition > b.condition ? 1 : 0));
}

/** An audience id named in `release_to` that the configuration does not hold: those releases reach no one. */
export interface UnknownReleaseAudience {
  audience: string;
  /** Items naming it. */
  items: string[];
}

/** The `release_to` ids in these records that are not audiences of `config`, each with the items naming it (sorted by id). */
export function unknownReleaseAudiences(records: RecordSet, config: AudienceConfig): UnknownReleaseAudience[] {
  const known = new Set(config.audiences.map((audience) => audience.id));
  const found = new Map<string, string[]>();
  forEachGrading(records, (grading, item) => {
    if (grading.system !== '3x5x2') return;
    for (const audience of grading.release_to ?? []) {
      if (known.has(audience)) continue;
      let items = found.get(audience);
      if (items === undefined) found.set(audience, (items = []));
      items.push(item);
    }
  });
  return [...found.entries()]
    .map(([audience, items]) => ({ audience, items }))
    .sort((a, b) => (a.audience < b.audience ? -1 : a.audience > b.audience ? 1 : 0));
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
    const visible: GradedAttribute[] = entity.attributes.filter((attribute) =>
      mayView(audience, markingOfGrading(attribute.grading)),
    );
    if (visible.length !== entity.attributes.length) {
      const { attributes: _hidden, ...rest } = entity;
      void _hidden;
      result = visible.length > 0 ? { ...rest, attributes: visible } : rest;
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

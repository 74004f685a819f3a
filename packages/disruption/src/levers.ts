/**
 * Partner levers: which partner holds a power over a subject, and on what
 * evidence (the "Achilles heel" approach of the Serious and Organised Crime
 * Strategy: tenancy enforcement, licence review, planning enforcement, trading
 * standards, benefit, tax, vehicle and immigration enforcement …).
 *
 * The catalogue is data (`levers/catalogue.json`), checked by
 * {@link LeverCatalogueSchema}. Each lever names a `partner`, the `power` it
 * holds, its 4P `strand`, and `applies`: a pattern over the records saying
 * which entity it bites on.
 *
 * ## The pattern language
 *
 * ```jsonc
 * {
 *   "kind": "person",                       // the subject's entity kind
 *   "where": { "vulnerable": true },        // optional: field matches on the subject
 *   "attribute": { "name": "benefit_claim", // optional: a graded attribute on the subject,
 *                  "value": ["housing_benefit"] }   //  with an optional value or list of values
 *   "hop": {                                // optional: one link from the subject
 *     "links": ["lives_at"],                //   any of these link types
 *     "direction": "out",                   //   out (subject → target, default), in, or any
 *     "kind": "location",                   //   the target's entity kind
 *     "where": { "premises_type": ["social_housing", "hmo"] },
 *     "attribute": { "name": "planning_breach" }
 *   }
 * }
 * ```
 *
 * - A `where` entry matches when the entity's field equals the value, or one
 *   of the values when a list is given. A field the record leaves out does not
 *   match, except that an absent boolean flag counts as `false`.
 * - An `attribute` matches a graded attribute of that name (and value).
 * - Every condition must hold (AND); alternatives are separate levers.
 * - The lever **bites on** the hop's target when there is a hop (the tenancy,
 *   the business, the vehicle), else on the subject itself.
 * - Field names are checked against the record model of the kind, and each
 *   hop link type against the kinds it can join, so a typo in the catalogue
 *   is an error rather than a lever that silently never applies.
 *
 * ## Evidence and markings
 * Each match carries the entity ids (subject, then target), the link id and
 * the graded attributes it rests on, with the strictest marking
 * (`strictestMarking`) of the subject's and target's own record gradings, the
 * link's grading and the matched attributes' gradings. Other attributes of the
 * same entity do not count: a C-coded CHIS report on a person does not make
 * their tenancy C. Evidence graded with an excluded intelligence assessment
 * (default E, suspected false, as in the person projection) is never used.
 *
 * ## Never a victim's home
 * No lever bites on a victim's home (victimHome.ts: a cuckooed address, or
 * where a safeguarding subject lives): a tenancy power against the flat a
 * dealer took over punishes the tenant, not the dealer.
 */
import { z } from 'zod';
import {
  ENTITY_KINDS,
  EntitySchema,
  INTELLIGENCE_ASSESSMENTS,
  LINK_TYPE_RULES,
  LINK_TYPES,
  markingOfGrading,
  strictestMarking,
  type Entity,
  type GradedAttribute,
  type Grading,
  type Link,
  type LinkType,
  type Marking,
} from '@ocgnet/schema';
import type { AbstractGraph } from 'graphology-types';
import catalogueJson from '../levers/catalogue.json' with { type: 'json' };
import { isVictimHome } from './victimHome.js';
import { OcgnetError } from '@ocgnet/schema';

const ORIGIN = '@ocgnet/disruption/levers';

/** Partners who hold levers: the disruption panel's agencies and the safeguarding services. */
export const PARTNERS = [
  'Housing',
  'Licensing',
  'Trading Standards',
  'HMRC',
  'Gambling Commission',
  'Environmental Health',
  'Fire and Rescue',
  'DVSA/DVLA',
  'DWP',
  'Council benefit fraud',
  'Border Force/Immigration Enforcement',
  'Planning enforcement',
  'Police',
  'Adult Social Care',
  "Children's Services",
] as const;
export type Partner = (typeof PARTNERS)[number];

/** The four strands of the Serious and Organised Crime Strategy. */
export const STRANDS = ['pursue', 'prevent', 'protect', 'prepare'] as const;
export type Strand = (typeof STRANDS)[number];

type IntelligenceAssessment = (typeof INTELLIGENCE_ASSESSMENTS)[number];

/** Default of `excludeAssessments`: E, intelligence suspected to be false. */
export const DEFAULT_EXCLUDED_ASSESSMENTS: readonly IntelligenceAssessment[] = Object.freeze([
  'E',
] as IntelligenceAssessment[]);

const NAME = /^[a-z][a-z0-9_]*$/;
const ScalarSchema = z.union([z.string(), z.number(), z.boolean()]);
const ValueMatchSchema = z.union([ScalarSchema, z.array(ScalarSchema).min(1)]);
const WhereSchema = z.record(z.string().regex(NAME, 'field names are snake_case'), ValueMatchSchema);

const AttributeMatchSchema = z
  .object({
    name: z.string().regex(NAME, 'attribute names are snake_case'),
    value: ValueMatchSchema.optional(),
  })
  .strict();

const HopSchema = z
  .object({
    links: z.array(z.enum(LINK_TYPES as [LinkType, ...LinkType[]])).min(1),
    direction: z.enum(['out', 'in', 'any']).default('out'),
    kind: z.enum(ENTITY_KINDS),
    where: WhereSchema.optional(),
    attribute: AttributeMatchSchema.optional(),
  })
  .strict();

/** Record fields a `where` may name, per entity kind (graded attributes go through `attribute`). */
const FIELDS_OF: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  EntitySchema.options.map((schema) => [
    String(schema.shape.kind.value),
    new Set(Object.keys(schema.shape).filter((field) => field !== 'attributes' && field !== 'kind')),
  ]),
);

/** A pattern over the records: see the module header. */
export const LeverPatternSchema = z
  .object({
    kind: z.enum(ENTITY_KINDS),
    where: WhereSchema.optional(),
    attribute: AttributeMatchSchema.optional(),
    hop: HopSchema.optional(),
  })
  .strict()
  .superRefine((pattern, ctx) => {
    checkFields(pattern.kind, pattern.where, ['where'], ctx);
    const hop = pattern.hop;
    if (hop === undefined) return;
    checkFields(hop.kind, hop.where, ['hop', 'where'], ctx);
    hop.links.forEach((type, index) => {
      const rule = LINK_TYPE_RULES[type];
      const from: readonly string[] = rule.from;
      const to: readonly string[] = rule.to;
      const out = from.includes(pattern.kind) && to.includes(hop.kind);
      const back = from.includes(hop.kind) && to.includes(pattern.kind);
      const joins = hop.direction === 'out' ? out : hop.direction === 'in' ? back : out || back;
      if (!joins) {
        ctx.addIssue({
          code: 'custom',
          path: ['hop', 'links', index],
          message: `${type} cannot join ${pattern.kind} ${hop.direction === 'in' ? '←' : '→'} ${hop.kind} (it runs ${from.join('/')} → ${to.join('/')})`,
        });
      }
    });
  });

function checkFields(
  kind: string,
  where: Record<string, unknown> | undefined,
  path: (string | number)[],
  ctx: z.RefinementCtx,
): void {
  const known = FIELDS_OF.get(kind);
  for (const field of Object.keys(where ?? {})) {
    if (known !== undefined && !known.has(field)) {
      ctx.addIssue({
        code: 'custom',
        path: [...path, field],
        message: `${kind} has no field ${JSON.stringify(field)}`,
      });
    }
  }
}

/** One lever: a partner's power, its strand, and the pattern it applies to. */
export const LeverSchema = z
  .object({
    /** Stable identifier, kebab-case. */
    id: z.string().regex(/^[a-z][a-z0-9-]*$/, 'lever ids are kebab-case'),
    /** The lead agency. */
    partner: z.enum(PARTNERS),
    /** What the partner can do, as a panel would write it. */
    power: z.string().min(1).max(300),
    /** The legislation or guidance behind the power. */
    basis: z.string().min(1).max(300).optional(),
    strand: z.enum(STRANDS),
    applies: LeverPatternSchema,
  })
  .strict();

/** The catalogue file: `{ "version": 1, "source"?: "…", "levers": [...] }`, lever ids unique. */
export const LeverCatalogueSchema = z
  .object({
    version: z.literal(1),
    source: z.string().optional(),
    levers: z.array(LeverSchema).min(1),
  })
  .strict()
  .superRefine((catalogue, ctx) => {
    const seen = new Set<string>();
    catalogue.levers.forEach((lever, index) => {
      if (seen.has(lever.id))
        ctx.addIssue({
          code: 'custom',
          path: ['levers', index, 'id'],
          message: `duplicate lever id ${JSON.stringify(lever.id)}`,
        });
      seen.add(lever.id);
    });
  });

export type LeverPattern = z.infer<typeof LeverPatternSchema>;
/** A pattern as written, before defaults (`hop.direction`) are filled in. */
export type LeverPatternInput = z.input<typeof LeverPatternSchema>;
export type Lever = z.infer<typeof LeverSchema>;
export type LeverCatalogue = z.infer<typeof LeverCatalogueSchema>;
type ValueMatch = z.infer<typeof ValueMatchSchema>;
type AttributeMatch = z.infer<typeof AttributeMatchSchema>;

/** One problem in a catalogue: where (`levers.3.partner`) and why. */
export interface CatalogueIssue {
  path: string;
  message: string;
}

export type LeverErrorCode = 'INVALID_CATALOGUE' | 'NOT_A_NETWORK' | 'UNKNOWN_ENTITY';

/** A malformed catalogue or misuse. The message starts with "@ocgnet/disruption/levers: ". */
export class LeverError extends OcgnetError<LeverErrorCode> {
  override readonly name: string = 'LeverError';
  constructor(
    code: LeverErrorCode,
    message: string,
    /** For INVALID_CATALOGUE: every problem, with its path. */
    readonly issues: readonly CatalogueIssue[] = [],
  ) {
    super(code, message, { origin: ORIGIN });
  }
}

/**
 * Checks a catalogue (parsed JSON) and returns it with defaults filled in.
 * @throws {LeverError} `INVALID_CATALOGUE`, naming each bad field by path,
 *   e.g. `levers.3.partner: Invalid option: expected one of "Housing"|…`.
 *   For issues as values, call `LeverCatalogueSchema.safeParse` instead.
 */
export function parseLeverCatalogue(input: unknown): LeverCatalogue {
  const parsed = LeverCatalogueSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message: issue.message,
  }));
  const shown = issues.slice(0, 5).map((issue) => `${issue.path}: ${issue.message}`);
  const more = issues.length > shown.length ? ` (and ${issues.length - shown.length} more)` : '';
  throw new LeverError('INVALID_CATALOGUE', `invalid lever catalogue: ${shown.join('; ')}${more}`, issues);
}

let defaultCatalogue: LeverCatalogue | undefined;

/** The catalogue shipped in `levers/catalogue.json`, checked on first use. */
export function defaultLeverCatalogue(): LeverCatalogue {
  defaultCatalogue ??= parseLeverCatalogue(catalogueJson);
  return defaultCatalogue;
}

/** Options of {@link leversFor} and {@link matchPattern}. */
export interface LeverOptions {
  /** The catalogue to apply; default {@link defaultLeverCatalogue}. */
  catalogue?: LeverCatalogue;
  /** Intelligence assessments whose evidence is never used; default `['E']`. */
  excludeAssessments?: readonly IntelligenceAssessment[];
  /** Only levers of these strands; default all. */
  strands?: readonly Strand[];
}

/** A graded attribute a match rests on. */
export interface AttributeEvidence {
  entity: string;
  name: string;
  value: string | number | boolean;
}

/** One way a pattern matched. */
export interface LeverEvidence {
  /** What the lever bites on: the hop's target, else the subject. */
  entity: string;
  /** That entity's label (plain text from the record). */
  label: string;
  /** Entity ids behind the match: the subject, then the hop's target if any. */
  entities: string[];
  /** The hop's link id, if any. */
  links: string[];
  /** The graded attributes matched, if any. */
  attributes: AttributeEvidence[];
  /** Strictest marking of the gradings of all of the above. */
  marking: Marking;
}

/** A lever that applies to a subject, with every piece of evidence for it. */
export interface LeverMatch {
  lever: Lever;
  /** Non-empty, in network order (subject attributes, then the subject's edges). */
  evidence: LeverEvidence[];
  /** Strictest marking over all the evidence: what sharing the whole row requires. */
  marking: Marking;
}

/** The node and edge attributes levers read: those `buildNetwork` (@ocgnet/graph) writes. */
interface RecordNode {
  record: Entity;
}
interface RecordEdge {
  record: Link;
}

/**
 * The levers of the catalogue that apply to one entity (usually a person),
 * in catalogue order, each with its evidence.
 *
 * @param network the multimodal network (`buildNetwork` of @ocgnet/graph).
 * @example
 * leversFor(network, 'P000001'); // [{ lever: { id: 'housing-tenancy', partner: 'Housing', … }, evidence: [{ entity: 'L000001', links: ['K0000001'], … }], marking }]
 * @throws {LeverError} `UNKNOWN_ENTITY` when the id is not in the network.
 */
export function leversFor(network: AbstractGraph, subject: string, options: LeverOptions = {}): LeverMatch[] {
  const catalogue = options.catalogue ?? defaultLeverCatalogue();
  const context = contextOf(network, subject, options);
  const matches: LeverMatch[] = [];
  for (const lever of catalogue.levers) {
    if (options.strands !== undefined && !options.strands.includes(lever.strand)) continue;
    const evidence = matchWith(context, lever.applies);
    if (evidence.length === 0) continue;
    matches.push({ lever, evidence, marking: strictestMarking(evidence.map((item) => item.marking)) });
  }
  return matches;
}

/**
 * Every way `pattern` matches with `subject` as its subject; empty when it
 * does not apply. The pattern is checked against {@link LeverPatternSchema} first.
 * @throws {LeverError} `INVALID_CATALOGUE` for a malformed pattern, `UNKNOWN_ENTITY` for an unknown subject.
 */
export function matchPattern(
  network: AbstractGraph,
  subject: string,
  pattern: LeverPatternInput,
  options: Pick<LeverOptions, 'excludeAssessments'> = {},
): LeverEvidence[] {
  const parsed = LeverPatternSchema.safeParse(pattern);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.') || '(root)',
      message: issue.message,
    }));
    throw new LeverError(
      'INVALID_CATALOGUE',
      `invalid pattern: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`,
      issues,
    );
  }
  return matchWith(contextOf(network, subject, options), parsed.data);
}

interface MatchContext {
  network: AbstractGraph<RecordNode, RecordEdge>;
  subject: string;
  record: Entity;
  excluded: ReadonlySet<string>;
}

function contextOf(
  network: AbstractGraph,
  subject: string,
  options: Pick<LeverOptions, 'excludeAssessments'>,
): MatchContext {
  if (network === null || typeof network !== 'object' || typeof network.hasNode !== 'function') {
    throw new LeverError('NOT_A_NETWORK', 'expected the multimodal network built by buildNetwork (@ocgnet/graph).');
  }
  if (!network.hasNode(subject))
    throw new LeverError('UNKNOWN_ENTITY', `no entity ${JSON.stringify(subject)} in the network.`);
  const record = (network.getNodeAttributes(subject) as Partial<RecordNode>).record;
  if (record === undefined)
    throw new LeverError(
      'NOT_A_NETWORK',
      `node ${JSON.stringify(subject)} carries no record: expected the network built by buildNetwork.`,
    );
  return {
    network: network as AbstractGraph<RecordNode, RecordEdge>,
    subject,
    record,
    excluded: new Set(options.excludeAssessments ?? DEFAULT_EXCLUDED_ASSESSMENTS),
  };
}

function matchWith(context: MatchContext, pattern: LeverPattern): LeverEvidence[] {
  const { network, subject, record, excluded } = context;
  if (record.kind !== pattern.kind || !usable(record.grading, excluded) || !fieldsMatch(record, pattern.where))
    return [];
  if (record.kind === 'location' && isVictimHome(network, subject)) return [];
  const subjectAttributes = attributeOptions(record, pattern.attribute, excluded);
  if (subjectAttributes.length === 0) return [];
  const found: LeverEvidence[] = [];
  const hop = pattern.hop;
  if (hop === undefined) {
    for (const attribute of subjectAttributes) {
      found.push(evidenceOf(record, [subject], [], [[subject, attribute]], [record.grading]));
    }
    return found;
  }
  const types: ReadonlySet<string> = new Set(hop.links);
  network.forEachEdge(subject, (edge, attributes, source, target) => {
    const link = attributes.record;
    if (!types.has(link.type) || !usable(link.grading, excluded)) return;
    const undirected = !network.isDirected(edge);
    const out = source === subject;
    if (!undirected && hop.direction === 'out' && !out) return;
    if (!undirected && hop.direction === 'in' && out) return;
    const other = out ? target : source;
    const entity = network.getNodeAttributes(other).record;
    if (entity.kind !== hop.kind || !usable(entity.grading, excluded) || !fieldsMatch(entity, hop.where)) return;
    if (entity.kind === 'location' && isVictimHome(network, other)) return;
    for (const targetAttribute of attributeOptions(entity, hop.attribute, excluded)) {
      for (const subjectAttribute of subjectAttributes) {
        found.push(
          evidenceOf(
            entity,
            [subject, other],
            [link.id],
            [
              [subject, subjectAttribute],
              [other, targetAttribute],
            ],
            [record.grading, link.grading, entity.grading],
          ),
        );
      }
    }
  });
  return found;
}

/**
 * The attributes a match may rest on: `[undefined]` when the pattern asks for
 * none (one way to match, resting on no attribute), else the entity's usable
 * attributes of that name and value, one way to match each.
 */
function attributeOptions(
  entity: Entity,
  match: AttributeMatch | undefined,
  excluded: ReadonlySet<string>,
): (GradedAttribute | undefined)[] {
  if (match === undefined) return [undefined];
  return (entity.attributes ?? []).filter(
    (attribute) =>
      attribute.name === match.name &&
      usable(attribute.grading, excluded) &&
      (match.value === undefined || valueMatches(attribute.value, match.value)),
  );
}

function evidenceOf(
  entity: Entity,
  entities: string[],
  links: string[],
  attributes: [string, GradedAttribute | undefined][],
  gradings: (Grading | undefined)[],
): LeverEvidence {
  const markings = gradings.map(markingOfGrading);
  const used: AttributeEvidence[] = [];
  for (const [owner, attribute] of attributes) {
    if (attribute === undefined) continue;
    used.push({ entity: owner, name: attribute.name, value: attribute.value });
    markings.push(markingOfGrading(attribute.grading));
  }
  return {
    entity: entity.id,
    label: entity.label,
    entities,
    links,
    attributes: used,
    marking: strictestMarking(markings),
  };
}

function usable(grading: Grading | undefined, excluded: ReadonlySet<string>): boolean {
  return grading === undefined || grading.system !== '3x5x2' || !excluded.has(grading.intelligence);
}

function fieldsMatch(entity: Entity, where: Record<string, ValueMatch> | undefined): boolean {
  if (where === undefined) return true;
  const fields = entity as unknown as Record<string, unknown>;
  for (const [field, expected] of Object.entries(where)) {
    let actual = Object.hasOwn(fields, field) ? fields[field] : undefined;
    // An absent flag is an unset flag.
    if (actual === undefined && (expected === false || (Array.isArray(expected) && expected.includes(false))))
      actual = false;
    if (
      actual === undefined ||
      typeof actual === 'object' ||
      !valueMatches(actual as string | number | boolean, expected)
    )
      return false;
  }
  return true;
}

function valueMatches(actual: string | number | boolean, expected: ValueMatch): boolean {
  return Array.isArray(expected) ? expected.includes(actual) : actual === expected;
}

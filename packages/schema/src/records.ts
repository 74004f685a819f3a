/**
 * A record set: the entities and links of one import, and the checks that
 * need both (a link must join entities that exist, of the kinds its type allows).
 */
import { z } from 'zod';
import { EntitySchema, type Entity } from './entities.js';
import { LinkSchema, LINK_TYPE_RULES, type Link } from './links.js';
import { markingOfGrading, strictestMarking, type Marking } from './grading.js';
import type { InputIssue } from './issues.js';

/** Version of the record model. Every file states the version it was written for. */
export const SCHEMA_VERSION = 1;
export const SUPPORTED_SCHEMA_VERSIONS: readonly number[] = [1];

export interface RecordSet {
  entities: Entity[];
  links: Link[];
}

/** The JSON file shape: `{ "schema_version": 1, "entities": [...], "links": [...] }`. */
export const RecordFileSchema = z
  .object({
    schema_version: z.literal(SCHEMA_VERSION),
    entities: z.array(EntitySchema).default([]),
    links: z.array(LinkSchema).default([]),
  })
  .strict();

/** The strictest marking of an entity's own grading and of every graded attribute on it. */
export function entityMarking(entity: Entity): Marking {
  const markings = [markingOfGrading(entity.grading)];
  for (const attribute of entity.attributes ?? []) markings.push(markingOfGrading(attribute.grading));
  return strictestMarking(markings);
}

/** The marking of a link: its grading's. */
export function linkMarking(link: Link): Marking {
  return markingOfGrading(link.grading);
}

/**
 * Reasons a link cannot stand in this record set: a missing endpoint, or an
 * endpoint of a kind its type does not join. Empty when the link is sound.
 */
export function linkEndpointProblems(
  link: Link,
  lookup: (id: string) => Pick<Entity, 'kind'> | undefined,
): { field: 'from' | 'to'; reason: string }[] {
  const rule = LINK_TYPE_RULES[link.type];
  const problems: { field: 'from' | 'to'; reason: string }[] = [];
  for (const end of ['from', 'to'] as const) {
    const entity = lookup(link[end]);
    const allowed: readonly string[] = rule[end];
    if (entity === undefined) {
      problems.push({ field: end, reason: `no entity with id ${JSON.stringify(link[end])}` });
    } else if (!allowed.includes(entity.kind)) {
      problems.push({
        field: end,
        reason: `${link.type} ${end === 'from' ? 'starts at' : 'ends at'} ${allowed.join(' or ')}, not ${entity.kind} ${JSON.stringify(link[end])}`,
      });
    }
  }
  return problems;
}

/**
 * Turns zod's issues into ocgnet issues at a file and line. `fieldName` maps a
 * zod path to the name the user wrote (a CSV column, say).
 */
export function issuesFromZod(
  error: z.ZodError,
  file: string,
  line: number,
  fieldName: (path: PropertyKey[]) => string = (path) => path.map(String).join('.'),
): InputIssue[] {
  return error.issues.map((issue) => ({
    file,
    line,
    // An unknown key is reported at the key itself, not at its parent object.
    field: fieldName(issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys.join(', ')] : issue.path),
    reason: describeZodIssue(issue),
  }));
}

function describeZodIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return 'unknown field';
  if (issue.code === 'invalid_value') {
    return `must be one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
  }
  return issue.message;
}

/**
 * Collects records from any number of files into one record set, and decides
 * at the end whether the import stands.
 *
 * The rules, in the order they apply:
 * 1. every record is checked by the zod schema where it is read;
 * 2. a repeated id merges only when every field recorded twice agrees; a
 *    conflict is an issue naming both places (no fuzzy merging);
 * 3. every link must join entities that exist, of the kinds its type allows;
 * 4. all-or-nothing by default: one issue fails the whole import. With
 *    `skipInvalid` the bad records are set aside as rejects, with every
 *    record that depended on them, and nothing is dropped unreported.
 */
import {
  EntitySchema,
  LinkSchema,
  SCHEMA_VERSION,
  issuesFromZod,
  linkEndpointProblems,
  type Entity,
  type InputIssue,
  type Link,
  type RecordSet,
} from '@ocgnet/schema';
import { printable } from '../utf8.js';

/** Where a record was read: the file and 1-based line. */
export interface RecordOrigin {
  file: string;
  line: number;
}

/** A record that could not be accepted, kept whole so nothing is lost. */
export interface RejectedRecord extends RecordOrigin {
  kind: 'entity' | 'link';
  reasons: { field: string; reason: string }[];
  raw: unknown;
}

export interface CollectorOptions {
  /** Keep the valid records and set the invalid ones aside instead of failing. */
  skipInvalid: boolean;
}

export const DEFAULT_COLLECTOR_OPTIONS: CollectorOptions = { skipInvalid: false };

export type ImportOutcome =
  | { ok: true; records: RecordSet; rejects: RejectedRecord[]; origins: ImportOrigins }
  | { ok: false; issues: InputIssue[] };

/** Where each accepted record came from (every place, when a duplicate merged). */
export interface ImportOrigins {
  entities: Map<string, RecordOrigin[]>;
  links: Map<string, RecordOrigin[]>;
}

interface Held<T> {
  record: T;
  raw: unknown;
  origins: RecordOrigin[];
  problems: { field: string; reason: string; origin: RecordOrigin }[];
}

/** Deep equality of JSON-like values: the test for "consistent" duplicates. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  return keysA.every((key) => sameValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

/** Fields recorded in both copies with different values. */
function conflictingFields(a: object, b: object): string[] {
  const fields: string[] = [];
  for (const [field, value] of Object.entries(b)) {
    const existing = (a as Record<string, unknown>)[field];
    if (existing !== undefined && value !== undefined && !sameValue(existing, value)) fields.push(field);
  }
  return fields;
}

export class RecordCollector {
  readonly #options: CollectorOptions;
  readonly #entities = new Map<string, Held<Entity>>();
  readonly #links = new Map<string, Held<Link>>();
  /** Records that failed their own schema; they have no trustworthy id. */
  readonly #invalid: RejectedRecord[] = [];
  readonly #fileIssues: InputIssue[] = [];
  /** Files that could not be read whole: the records they hold are not all known. */
  readonly #incompleteFiles = new Set<string>();

  constructor(options: Partial<CollectorOptions> = {}) {
    this.#options = { ...DEFAULT_COLLECTOR_OPTIONS, ...options };
  }

  /**
   * A problem with a file as a whole (unreadable, wrong version, malformed):
   * always fatal. `incomplete` says the read stopped (malformed CSV or JSON,
   * a bad header, a record over the size limit), so some of the file's
   * records were never seen: a link to one of them is then not reported as
   * "no entity with id", which would only repeat the first error.
   */
  addFileIssue(issue: InputIssue, { incomplete = false }: { incomplete?: boolean } = {}): void {
    this.#fileIssues.push(issue);
    if (incomplete) this.#incompleteFiles.add(issue.file);
  }

  /**
   * Offers one candidate record. `preProblems` are problems found before zod
   * (a cell that is not a number, say); `fieldName` maps zod paths to the
   * names the user wrote.
   */
  add(
    kind: 'entity' | 'link',
    candidate: unknown,
    origin: RecordOrigin,
    preProblems: { field: string; reason: string }[] = [],
    fieldName?: (path: PropertyKey[]) => string,
    { schema = true, raw = null }: { schema?: boolean; raw?: unknown } = {},
  ): void {
    const problems = [...preProblems];
    if (!schema) {
      // The candidate is unsafe to walk (too deep, reserved keys) or cannot be read as a record: report what was found, nothing more.
      this.#invalid.push({ ...origin, kind, reasons: problems, raw });
      return;
    }
    const parsed = kind === 'entity' ? EntitySchema.safeParse(candidate) : LinkSchema.safeParse(candidate);
    if (!parsed.success) {
      for (const issue of issuesFromZod(parsed.error, origin.file, origin.line, fieldName)) {
        // A cell already reported before zod would be reported twice otherwise.
        if (!problems.some((problem) => problem.field === issue.field)) problems.push(issue);
      }
    }
    if (problems.length > 0 || !parsed.success) {
      this.#invalid.push({ ...origin, kind, reasons: problems, raw: candidate });
      return;
    }
    if (kind === 'entity') this.#hold(this.#entities, parsed.data as Entity, candidate, origin);
    else this.#hold(this.#links, parsed.data as Link, candidate, origin);
  }

  #hold<T extends Entity | Link>(store: Map<string, Held<T>>, record: T, raw: unknown, origin: RecordOrigin): void {
    const held = store.get(record.id);
    if (held === undefined) {
      store.set(record.id, { record, raw, origins: [origin], problems: [] });
      return;
    }
    const conflicts = conflictingFields(held.record, record);
    if (conflicts.length === 0) {
      held.record = { ...held.record, ...record };
      held.origins.push(origin);
      return;
    }
    const first = held.origins[0]!;
    for (const field of conflicts) {
      const before = JSON.stringify((held.record as Record<string, unknown>)[field]);
      const after = JSON.stringify((record as Record<string, unknown>)[field]);
      held.problems.push({
        field,
        reason: `duplicate id ${JSON.stringify(record.id)} conflicts with ${first.file}:${first.line} (${before} there, ${after} here)`,
        origin,
      });
    }
    held.origins.push(origin);
  }

  /** Decides the import: the record set, or every issue found. */
  finish(): ImportOutcome {
    const issues: InputIssue[] = [...this.#fileIssues];
    const rejects: RejectedRecord[] = [...this.#invalid];
    for (const invalid of this.#invalid) {
      for (const reason of invalid.reasons) issues.push({ file: invalid.file, line: invalid.line, ...reason });
    }

    const entities = new Map<string, Entity>();
    // Entities set aside, so links to them can say why rather than "no entity".
    const rejectedEntityIds = new Set<string>();
    for (const invalid of this.#invalid) {
      const id = (invalid.raw as { id?: unknown } | null)?.id;
      if (invalid.kind === 'entity' && typeof id === 'string') rejectedEntityIds.add(id);
    }
    for (const [id, held] of this.#entities) {
      if (held.problems.length > 0) {
        rejectedEntityIds.add(id);
        for (const problem of held.problems)
          issues.push({ ...problem.origin, field: problem.field, reason: problem.reason });
        rejects.push(this.#rejectAll('entity', held));
      } else entities.set(id, held.record);
    }

    const links: Link[] = [];
    const linkOrigins = new Map<string, RecordOrigin[]>();
    for (const [id, held] of this.#links) {
      if (held.problems.length > 0) {
        for (const problem of held.problems)
          issues.push({ ...problem.origin, field: problem.field, reason: problem.reason });
        rejects.push(this.#rejectAll('link', held));
        continue;
      }
      const endpointProblems = linkEndpointProblems(held.record, (entityId) => entities.get(entityId))
        .map((problem) =>
          rejectedEntityIds.has(held.record[problem.field]) && !entities.has(held.record[problem.field])
            ? {
                ...problem,
                reason: `entity ${JSON.stringify(held.record[problem.field])} was rejected (see its own error)`,
              }
            : problem,
        )
        // With a file unread past its first error, a missing entity may well be in the part not read.
        .filter(
          (problem) =>
            this.#incompleteFiles.size === 0 ||
            entities.has(held.record[problem.field]) ||
            rejectedEntityIds.has(held.record[problem.field]),
        );
      if (endpointProblems.length > 0) {
        const origin = held.origins[0]!;
        for (const problem of endpointProblems) issues.push({ ...origin, ...problem });
        rejects.push({ ...origin, kind: 'link', reasons: endpointProblems, raw: held.raw });
        continue;
      }
      links.push(held.record);
      linkOrigins.set(id, held.origins);
    }

    if (this.#fileIssues.length > 0 || (issues.length > 0 && !this.#options.skipInvalid)) {
      return { ok: false, issues: sortIssues(issues) };
    }
    const entityOrigins = new Map<string, RecordOrigin[]>();
    for (const id of entities.keys()) entityOrigins.set(id, this.#entities.get(id)!.origins);
    return {
      ok: true,
      records: { entities: [...entities.values()], links },
      rejects: rejects.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line),
      origins: { entities: entityOrigins, links: linkOrigins },
    };
  }

  #rejectAll(kind: 'entity' | 'link', held: Held<Entity | Link>): RejectedRecord {
    const origin = held.origins[0]!;
    return {
      ...origin,
      kind,
      reasons: held.problems.map(({ field, reason }) => ({ field, reason })),
      raw: { ...held.record, duplicate_origins: held.origins },
    };
  }
}

/** Issues in file, line, field order, their text printable (a byte that is not UTF-8, quoted in a field name or message, as \xHH). */
function sortIssues(issues: InputIssue[]): InputIssue[] {
  return issues
    .map((issue) => ({ ...issue, field: printable(issue.field), reason: printable(issue.reason) }))
    .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.field.localeCompare(b.field));
}

/** The schema version this build writes and reads. */
export const RECORD_SCHEMA_VERSION = SCHEMA_VERSION;

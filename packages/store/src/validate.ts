/**
 * The checks an import must pass against what is already stored, shared by
 * every store so that both refuse the same records for the same reasons.
 */
import { EntitySchema, LinkSchema, linkEndpointProblems, type EntityKind, type RecordSet } from '@ocgnet/schema';
import { canonicalRecordText } from './content.js';
import { StoreError, type StoreIssue } from './errors.js';

/** Ids that the records' links name but the records do not hold: the store must say what kind they are. */
export function referencedIds(records: RecordSet): string[] {
  const incoming = new Set(records.entities.map((entity) => entity.id));
  const referenced = new Set<string>();
  for (const link of records.links) {
    if (!incoming.has(link.from)) referenced.add(link.from);
    if (!incoming.has(link.to)) referenced.add(link.to);
  }
  return [...referenced];
}

/**
 * Every reason the records cannot be imported: a record that fails the schema,
 * one id given twice with different content, an entity whose stored kind
 * differs, a link to an entity that is neither imported nor stored or of a
 * kind its type does not join. `storedKinds` maps the ids of stored entities
 * among the incoming ones and {@link referencedIds} to their kinds.
 */
export function importProblems(records: RecordSet, storedKinds: ReadonlyMap<string, EntityKind>): StoreIssue[] {
  const issues: StoreIssue[] = [];
  const kinds = new Map<string, EntityKind>(storedKinds);
  const seen = { entity: new Map<string, string>(), link: new Map<string, string>() };

  for (const entity of records.entities) {
    const parsed = EntitySchema.safeParse(entity);
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        issues.push({ record: 'entity', id: String(entity.id), field: issue.path.join('.'), reason: issue.message });
      continue;
    }
    const text = canonicalRecordText(entity);
    const earlier = seen.entity.get(entity.id);
    if (earlier !== undefined && earlier !== text) {
      issues.push({
        record: 'entity',
        id: entity.id,
        field: 'id',
        reason: 'given twice in this import with different content',
      });
    }
    seen.entity.set(entity.id, text);
    const stored = storedKinds.get(entity.id);
    if (stored !== undefined && stored !== entity.kind) {
      issues.push({
        record: 'entity',
        id: entity.id,
        field: 'kind',
        reason: `stored as ${stored}; an amendment cannot change it to ${entity.kind}`,
      });
    }
    kinds.set(entity.id, entity.kind);
  }

  for (const link of records.links) {
    const parsed = LinkSchema.safeParse(link);
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        issues.push({ record: 'link', id: String(link.id), field: issue.path.join('.'), reason: issue.message });
      continue;
    }
    const text = canonicalRecordText(link);
    const earlier = seen.link.get(link.id);
    if (earlier !== undefined && earlier !== text) {
      issues.push({
        record: 'link',
        id: link.id,
        field: 'id',
        reason: 'given twice in this import with different content',
      });
    }
    seen.link.set(link.id, text);
    for (const problem of linkEndpointProblems(link, (id) => {
      const kind = kinds.get(id);
      return kind === undefined ? undefined : { kind };
    })) {
      issues.push({
        record: 'link',
        id: link.id,
        field: problem.field,
        reason: problem.reason.replace('no entity with id', 'no entity, imported or stored, with id'),
      });
    }
  }
  return issues;
}

/** Refuses what is not a record set before any check of its records: not `{ entities: [...], links: [...] }`, or a record that is not an object. */
export function checkRecordSetShape(records: RecordSet): void {
  if (
    records === null ||
    typeof records !== 'object' ||
    !Array.isArray(records.entities) ||
    !Array.isArray(records.links)
  ) {
    throw new StoreError('USAGE', 'records: must be { entities: [...], links: [...] }');
  }
  for (const [list, kind] of [
    [records.entities, 'entity'],
    [records.links, 'link'],
  ] as const) {
    const bad = list.findIndex((record) => record === null || typeof record !== 'object' || Array.isArray(record));
    if (bad >= 0)
      throw new StoreError('CONFLICT', `1 record(s) cannot be imported; nothing was changed`, [
        { record: kind, id: `#${bad}`, field: '(record)', reason: 'is not an object' },
      ]);
  }
}

/**
 * What both stores do alike around an act: the audit subject of a read, the
 * order of a review list, the check of an analysis to write back, and how
 * detail text is hashed or cut to fit the audit trail.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { LIMITS, OcgnetError, compareIds, type HandlingMarking } from '@ocgnet/schema';
import { AuditEventSchema, type AuditAction, type AuditEvent, type AuditSealer } from '@ocgnet/audit';
import {
  ABSENT_IDS_LISTED,
  type AbsentRecords,
  type AnalysisWriteBack,
  type RecordQuery,
  type RecordReadOptions,
  type ReviewItem,
  type StoreActor,
  type StoreImportResult,
} from './contract.js';
import type { RecordSet } from '@ocgnet/schema';
import { StoreError, type StoreIssue } from './errors.js';

export const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** Text cut to the longest an audit detail may hold. */
export const detailText = (text: string): string =>
  text.length <= LIMITS.maxLabelLength ? text : text.slice(0, LIMITS.maxLabelLength - 1) + '…';

const ActorSchema = AuditEventSchema.pick({
  who: true,
  audience: true,
  justification: true,
  reason: true,
  audiences: true,
});

/** Checks an actor before a store opens and returns a copy: one the audit trail would refuse is a usage error naming the field. */
export function checkActor(actor: StoreActor): StoreActor {
  const checked = ActorSchema.safeParse(actor);
  if (checked.success) {
    // The schema's optional fields may come back present but undefined; a StoreActor leaves them out.
    const { reason, audiences, ...required } = checked.data;
    return {
      ...required,
      ...(reason !== undefined ? { reason } : {}),
      ...(audiences !== undefined ? { audiences } : {}),
    };
  }
  const issue = checked.error.issues[0];
  throw new StoreError('USAGE', `actor.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
}

/** The audit event of one store act by `actor`, with the actor's own reason and the audiences configuration in force when the actor gives them. */
export function actEvent(
  actor: StoreActor,
  action: AuditAction,
  subject: string,
  detail: AuditEvent['detail'],
  justification = actor.justification,
): AuditEvent {
  const event: AuditEvent = {
    action,
    who: actor.who,
    at: new Date().toISOString(),
    audience: actor.audience,
    subject,
    justification,
    recipients: [],
    detail,
  };
  if (actor.reason !== undefined) event.reason = actor.reason;
  if (actor.audiences !== undefined) event.audiences = actor.audiences;
  return event;
}

/** Review order: date, then id (JavaScript order), then entities before links. */
export function byReview(a: ReviewItem, b: ReviewItem): number {
  if (a.review_date !== b.review_date) return a.review_date < b.review_date ? -1 : 1;
  if (a.id !== b.id) return compareIds(a.id, b.id);
  return a.record === b.record ? 0 : a.record === 'entity' ? -1 : 1;
}

/** The audit subject of a read: the entity ids (or their sealed tokens) asked for, joined, cut to fit `max` characters. */
export function subjectOf(ids: readonly string[] | undefined, max: number = LIMITS.maxIdLength): string {
  if (ids === undefined) return '*';
  const unique = [...new Set(ids)];
  if (unique.length === 0) return '(none)';
  const joined = unique.join(',');
  if (joined.length <= max) return joined;
  let out = '';
  let taken = 0;
  for (const id of unique) {
    const candidate = taken === 0 ? id : `${out},${id}`;
    if (candidate.length + `,…+${unique.length - taken - 1}`.length > max) break;
    out = candidate;
    taken++;
  }
  return taken === 0 ? `${unique.length} entities` : `${out},…+${unique.length - taken}`;
}

const IsoDateTime = z.iso.datetime({ offset: true });
const IsoDate = z.iso.date();

/** Checks the date `dueForReview` takes. */
export function checkReviewDate(asOf: string): void {
  if (typeof asOf !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(asOf) || !IsoDate.safeParse(asOf).success) {
    throw new StoreError('USAGE', `asOf: must be a date YYYY-MM-DD, not ${JSON.stringify(asOf)}`);
  }
}

/** The handling codes a read with `maxHandling` may return. */
export const HANDLING_AT_MOST: Readonly<Record<HandlingMarking, readonly HandlingMarking[]>> = {
  P: ['P'],
  C: ['P', 'C'],
  R: ['P', 'C', 'R'],
};

/** Checks an analysis before it is written back; `reserved` are metric names the store keeps for itself. */
export function checkAnalysis(run: AnalysisWriteBack, reserved: ReadonlySet<string>): void {
  const usage = (message: string) => new StoreError('USAGE', `analysis: ${message}`);
  if (typeof run.runId !== 'string' || run.runId === '') throw usage('runId: must be a non-empty string');
  if (typeof run.at !== 'string' || !IsoDateTime.safeParse(run.at).success)
    throw usage(`at: must be an ISO date-time with offset, not ${JSON.stringify(run.at)}`);
  if (typeof run.engine !== 'string' || run.engine === '') throw usage('engine: must be a non-empty string');
  if (
    run.marking === null ||
    typeof run.marking !== 'object' ||
    !['P', 'C', 'R'].includes(run.marking.handling) ||
    !Array.isArray(run.marking.conditions)
  ) {
    throw usage('marking: must be { handling: P|C|R, conditions: [...] }');
  }
  if (
    run.metrics === null ||
    typeof run.metrics !== 'object' ||
    run.communities === null ||
    typeof run.communities !== 'object'
  ) {
    throw usage('metrics and communities: must be objects keyed by entity id');
  }
  for (const [id, metrics] of Object.entries(run.metrics)) {
    for (const [name, value] of Object.entries(metrics)) {
      if (reserved.has(name)) throw usage(`metrics.${id}.${name}: "${name}" is reserved`);
      if (value !== null && (typeof value !== 'number' || !Number.isFinite(value)))
        throw usage(`metrics.${id}.${name}: must be a finite number or null`);
    }
  }
  for (const [id, community] of Object.entries(run.communities)) {
    if (typeof community !== 'number' || !Number.isFinite(community))
      throw usage(`communities.${id}: must be a finite number`);
  }
}

/**
 * The subject and detail of a read: the entity ids asked for as sealed tokens
 * (`tokens`, in the order of `query.entityIds`), the query without them, and the
 * counts the caller says it disclosed (`disclose`), beside the counts the store selected.
 */
export function readEventParts(
  query: RecordQuery,
  tokens: readonly string[] | undefined,
  selected: RecordSet,
  disclosed: RecordSet | undefined,
): { subject: string; detail: NonNullable<AuditEvent['detail']> } {
  const { entityIds, ...rest } = query;
  const detail: NonNullable<AuditEvent['detail']> = {
    entities: (disclosed ?? selected).entities.length,
    links: (disclosed ?? selected).links.length,
    query: detailText(JSON.stringify(rest)),
  };
  if (entityIds !== undefined) detail.entities_named = new Set(entityIds).size;
  if (disclosed !== undefined) {
    detail.disclosed = true;
    detail.selected_entities = selected.entities.length;
    detail.selected_links = selected.links.length;
  }
  return { subject: subjectOf(tokens), detail };
}

/** The records a read hands back: what the caller disclosed, else what was selected. */
export function disclosedOf(selected: RecordSet, options: RecordReadOptions): RecordSet | undefined {
  if (options.disclose === undefined) return undefined;
  const disclosed = options.disclose(selected);
  if (
    disclosed === null ||
    typeof disclosed !== 'object' ||
    !Array.isArray(disclosed.entities) ||
    !Array.isArray(disclosed.links)
  ) {
    throw new StoreError('USAGE', 'disclose: must return { entities: [...], links: [...] }');
  }
  return disclosed;
}

/** The `source` values of an import's records, sorted: the sources it speaks for. */
export function sourcesOf(records: RecordSet): string[] {
  const sources = new Set<string>();
  for (const record of [...records.entities, ...records.links])
    if (typeof record.source === 'string' && record.source !== '') sources.add(record.source);
  return [...sources].sort();
}

/** The result's account of the absent records of an import (ids sorted, listed up to ABSENT_IDS_LISTED). */
export function absentRecords(
  sources: string[],
  entityIds: string[],
  linkIds: string[],
  removed: boolean,
): AbsentRecords {
  const ids = [
    ...[...entityIds].sort(compareIds).map((id) => ({ record: 'entity' as const, id })),
    ...[...linkIds].sort(compareIds).map((id) => ({ record: 'link' as const, id })),
  ].slice(0, ABSENT_IDS_LISTED);
  return { sources, entities: entityIds.length, links: linkIds.length, ids, removed };
}

/** The import event's account of absent records; removed ids as sealed tokens, cut to fit. */
export function absentDetail(
  absent: AbsentRecords,
  removedTokens: readonly string[],
): NonNullable<AuditEvent['detail']> {
  const detail: NonNullable<AuditEvent['detail']> = { entities_absent: absent.entities, links_absent: absent.links };
  if (absent.removed) {
    detail.replace_source = true;
    detail.entities_removed = absent.entities;
    detail.links_removed = absent.links;
    if (removedTokens.length > 0) detail.removed = subjectOf(removedTokens, LIMITS.maxLabelLength);
  }
  return detail;
}

/** The conflict of a replacing import that would leave links without an end. */
export function danglingError(
  links: { id: string; from: string; to: string }[],
  removed: ReadonlySet<string>,
): StoreError {
  return new StoreError(
    'CONFLICT',
    `${links.length} link(s) would lose an end the import removes from its source (--replace-source); nothing was changed`,
    links.slice(0, 100).map((link) => ({
      record: 'link',
      id: link.id,
      field: removed.has(link.from) ? 'from' : 'to',
      reason: `its end ${JSON.stringify(removed.has(link.from) ? link.from : link.to)} is absent from this import of its source, so would be removed; import the link's removal too, or keep the entity`,
    })),
  );
}

/** The import event's detail: what the import added, updated and left unchanged, its source and absent records. */
export function importDetail(
  result: StoreImportResult,
  sourceDescription: string | undefined,
  removedTokens: readonly string[],
): NonNullable<AuditEvent['detail']> {
  const { importId, entities, links, absent } = result;
  const detail: NonNullable<AuditEvent['detail']> = {
    import_id: importId,
    entities_added: entities.added,
    entities_updated: entities.updated,
    entities_unchanged: entities.unchanged,
    links_added: links.added,
    links_updated: links.updated,
    links_unchanged: links.unchanged,
  };
  if (sourceDescription !== undefined && sourceDescription !== '') detail.source = detailText(sourceDescription);
  return Object.assign(detail, absentDetail(absent, removedTokens));
}

/** The entity ids an analysis writes to: those with metrics or a community. */
export function analysisEntityIds(run: AnalysisWriteBack): string[] {
  return [...new Set([...Object.keys(run.metrics), ...Object.keys(run.communities)])];
}

/** Refuses an analysis that names entities the store does not hold (`stored`: the ids it found). */
export function refuseMissingEntities(ids: readonly string[], stored: { has(id: string): boolean }): void {
  const missing = ids.filter((id) => !stored.has(id));
  if (missing.length === 0) return;
  throw new StoreError(
    'NOT_FOUND',
    `${missing.length} entit${missing.length === 1 ? 'y' : 'ies'} of the analysis ${missing.length === 1 ? 'is' : 'are'} not stored: ${missing
      .slice(0, 20)
      .map((id) => JSON.stringify(id))
      .join(', ')}${missing.length > 20 ? ', …' : ''}`,
    missing.map((id): StoreIssue => ({
      record: 'entity',
      id,
      field: 'id',
      reason: 'no entity with this id is stored',
    })),
  );
}

/** The analyse event's detail. */
export function analyseDetail(run: AnalysisWriteBack, entitiesWritten: number): NonNullable<AuditEvent['detail']> {
  return {
    run_id: detailText(run.runId),
    engine: detailText(run.engine),
    entities_written: entitiesWritten,
    handling: run.marking.handling,
  };
}

/**
 * After a commit: the act stands and is audited in the store, whatever happens
 * to the witness; a checkpoint that cannot be published is said as such.
 */
export function publishCheckpoints(sealer: AuditSealer, checkpoints: readonly string[], location: string): void {
  try {
    sealer.publish(checkpoints);
  } catch (error) {
    const reason =
      error instanceof OcgnetError ? error.userMessage : error instanceof Error ? error.message : String(error);
    throw new StoreError(
      'UNAVAILABLE',
      `${location}: the act was committed and audited in the store, but its checkpoint could not be published: ${reason}`,
      [],
      { cause: error },
    );
  }
}

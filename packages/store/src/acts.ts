/**
 * What both stores do alike around an act: the audit subject of a read, the
 * order of a review list, the check of an analysis to write back, and how
 * detail text is hashed or cut to fit the audit trail.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { LIMITS } from '@ocgnet/schema';
import { AuditEventSchema, type AuditAction, type AuditEvent } from '@ocgnet/audit';
import type { AnalysisWriteBack, ReviewItem, StoreActor } from './contract.js';
import { StoreError } from './errors.js';

export const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** Text cut to the longest an audit detail may hold. */
export const detailText = (text: string): string => (text.length <= LIMITS.maxLabelLength ? text : text.slice(0, LIMITS.maxLabelLength - 1) + '…');

const ActorSchema = AuditEventSchema.pick({ who: true, audience: true, justification: true, audiences: true });

/** Checks an actor before a store opens and returns a copy: one the audit trail would refuse is a usage error naming the field. */
export function checkActor(actor: StoreActor): StoreActor {
  const checked = ActorSchema.safeParse(actor);
  if (checked.success) return checked.data;
  const issue = checked.error.issues[0];
  throw new StoreError('usage', `actor.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
}

/** The audit event of one store act by `actor`, with the audiences configuration in force when the actor names one. */
export function actEvent(actor: StoreActor, action: AuditAction, subject: string, detail: AuditEvent['detail'], justification = actor.justification): AuditEvent {
  const event: AuditEvent = { action, who: actor.who, at: new Date().toISOString(), audience: actor.audience, subject, justification, recipients: [], detail };
  if (actor.audiences !== undefined) event.audiences = actor.audiences;
  return event;
}

/** Review order: date, then id (JavaScript order), then entities before links. */
export function byReview(a: ReviewItem, b: ReviewItem): number {
  if (a.review_date !== b.review_date) return a.review_date < b.review_date ? -1 : 1;
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  return a.record === b.record ? 0 : a.record === 'entity' ? -1 : 1;
}

/** The audit subject of a read: the entity ids asked for, joined, cut to fit. */
export function subjectOf(ids: readonly string[] | undefined): string {
  if (ids === undefined) return '*';
  const unique = [...new Set(ids)];
  if (unique.length === 0) return '(none)';
  const max = LIMITS.maxIdLength;
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

/** Checks an analysis before it is written back; `reserved` are metric names the store keeps for itself. */
export function checkAnalysis(run: AnalysisWriteBack, reserved: ReadonlySet<string>): void {
  const usage = (message: string) => new StoreError('usage', `analysis: ${message}`);
  if (typeof run.runId !== 'string' || run.runId === '') throw usage('runId: must be a non-empty string');
  if (typeof run.at !== 'string' || !IsoDateTime.safeParse(run.at).success) throw usage(`at: must be an ISO date-time with offset, not ${JSON.stringify(run.at)}`);
  if (typeof run.engine !== 'string' || run.engine === '') throw usage('engine: must be a non-empty string');
  if (run.marking === null || typeof run.marking !== 'object' || !['P', 'C', 'R'].includes(run.marking.handling) || !Array.isArray(run.marking.conditions)) {
    throw usage('marking: must be { handling: P|C|R, conditions: [...] }');
  }
  if (run.metrics === null || typeof run.metrics !== 'object' || run.communities === null || typeof run.communities !== 'object') {
    throw usage('metrics and communities: must be objects keyed by entity id');
  }
  for (const [id, metrics] of Object.entries(run.metrics)) {
    for (const [name, value] of Object.entries(metrics)) {
      if (reserved.has(name)) throw usage(`metrics.${id}.${name}: "${name}" is reserved`);
      if (value !== null && (typeof value !== 'number' || !Number.isFinite(value))) throw usage(`metrics.${id}.${name}: must be a finite number or null`);
    }
  }
  for (const [id, community] of Object.entries(run.communities)) {
    if (typeof community !== 'number' || !Number.isFinite(community)) throw usage(`communities.${id}: must be a finite number`);
  }
}

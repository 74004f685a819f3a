/**
 * Re-sealing a legacy trail (a plain SHA-256 chain written by an older
 * ocgnet) under the audit key. The legacy chain must verify as such; every
 * event is kept exactly as it was and chained afresh under the key with a new
 * log id, and a last `migrate` event records who did it, why, and the legacy
 * head. Since a legacy chain is a function of its events alone, anyone can
 * recompute that head from the re-sealed events and confirm nothing changed
 * at the migration; what the events were before it, no one can prove.
 */
import type { KeyObject } from 'node:crypto';
import {
  appendRecord,
  formatRecordLine,
  isLegacyLine,
  newLogId,
  verifyLegacyChain,
  type AuditEvent,
  type AuditRecord,
} from './chain.js';
import { AuditError } from './errors.js';
import { lastWitnessCheckpoint } from './witness.js';

/** Who re-seals a legacy trail, and why: the `migrate` event records it. */
export interface AuditMigrationActor {
  who: string;
  audience: string;
  justification: string;
  audiences?: string;
}

/** What a migration did. */
export interface AuditMigration {
  /** Legacy events re-sealed. */
  events: number;
  /** The legacy chain's head. */
  legacyHead: string;
  log: string;
  head: string;
  /** Events in the trail now: the legacy ones and the `migrate` event. */
  count: number;
  /** Where the legacy log was kept (a file log only). */
  legacyCopy?: string;
}

/** The `migrate` event of a re-sealing. */
export function migrationEvent(actor: AuditMigrationActor, legacy: { count: number; head: string }): AuditEvent {
  return {
    action: 'migrate',
    who: actor.who,
    at: new Date().toISOString(),
    audience: actor.audience,
    subject: '*',
    justification: actor.justification,
    recipients: [],
    ...(actor.audiences === undefined ? {} : { audiences: actor.audiences }),
    detail: { legacy_events: legacy.count, legacy_head: legacy.head },
  };
}

/** Refuses a witness that already holds checkpoints: they would be another log's. */
export function requireFreshWitness(witness: string | undefined): void {
  if (witness !== undefined && lastWitnessCheckpoint(witness).line !== undefined) {
    throw new AuditError(
      'AUDIT_WITNESS',
      witness,
      `${witness}: already holds checkpoints of another log; move it aside first (nothing was migrated)`,
    );
  }
}

/**
 * The re-sealed lines of legacy `lines` (of the trail `name`), and the last
 * record and log id. Throws an AuditError if the trail is not legacy or its
 * legacy chain is broken.
 */
export function resealLegacy(
  name: string,
  lines: readonly string[],
  actor: AuditMigrationActor,
  key: KeyObject,
): { lines: string[]; last: AuditRecord; log: string; migration: AuditMigration } {
  if (lines.length === 0 || !isLegacyLine(lines[0]))
    throw new AuditError('AUDIT_CORRUPT', name, `${name}: not a legacy audit trail; nothing to migrate`);
  const legacy = verifyLegacyChain(lines);
  if (!legacy.ok) {
    throw new AuditError(
      'AUDIT_CORRUPT',
      name,
      `${name}: event ${legacy.line}: the legacy chain is broken (${legacy.reason}: ${legacy.detail}), so it cannot be vouched for; nothing was migrated`,
    );
  }
  const log = newLogId();
  let last: AuditRecord | undefined;
  const resealed: string[] = [];
  for (const event of [...legacy.records.map((old) => old.event), migrationEvent(actor, legacy)]) {
    last = appendRecord(last, event, key, log);
    resealed.push(formatRecordLine(last));
  }
  return {
    lines: resealed,
    last: last!,
    log,
    migration: { events: legacy.count, legacyHead: legacy.head, log, head: last!.mac, count: resealed.length },
  };
}

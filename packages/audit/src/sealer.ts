/**
 * The keys and checkpoints of one trail, wherever its records are kept: what
 * the log file and both stores do alike around their own file, SQL or Cypher
 * I/O.
 *
 * A store also keeps the latest signed checkpoint of its trail, replaced in
 * the same transaction as each event it appends, so it can never lag or run
 * ahead of the trail. Only the latest is kept: to hide removed events,
 * someone who can write the store would need a checkpoint of the shorter
 * trail signed earlier, which no longer exists anywhere in it. When a witness
 * file is configured (always, for a log file), every checkpoint is also
 * appended there, and to the mirror, once the event is durable: that copy,
 * kept apart, is what still shows a rollback of the whole trail.
 */
import type { KeyObject } from 'node:crypto';
import { LEGACY_DETAIL, appendRecord, parseRecordLine, type AuditEvent, type AuditRecord } from './chain.js';
import { signCheckpoint, type Checkpoint } from './checkpoint.js';
import { AuditError } from './errors.js';
import { loadAuditKey, loadSigner, loadVerifyKey, type AuditFiles, type AuditSigner } from './keys.js';
import { requireFreshWitness, resealLegacy, type AuditMigration, type AuditMigrationActor } from './migrate.js';
import {
  auditFault,
  checkBeforeAppend,
  checkpointLineFor,
  describeAuditFault,
  publishCheckpoint,
  verifyTrail,
  type AuditVerifyOptions,
  type AuditVerifyResult,
  type CheckpointSource,
  type LatestCheckpoint,
} from './trail.js';
import { lastWitnessCheckpoint, readWitnessLines } from './witness.js';

/** The trail as its keeper reads it, in one consistent snapshot. */
export interface StoredTrail {
  /** Every record line, oldest first. */
  lines: readonly string[];
  /** The store's own latest checkpoint line, if it holds one (a log file holds none). */
  checkpoint: string | undefined;
  /** Records (entities and links) the store holds; 0 for a log file. */
  records: number;
}

export class AuditSealer {
  #writer: { key: KeyObject; signer: AuditSigner } | undefined;

  /**
   * `name` is the log file or store location, as messages give it. A store
   * keeps a checkpoint of its own (`ownCheckpoint`); a log file does not.
   */
  constructor(
    readonly name: string,
    readonly files: AuditFiles,
    readonly ownCheckpoint: boolean,
  ) {}

  /** How messages name the store's own checkpoint. */
  get storeCheckpointName(): string {
    return `${this.name} (its own checkpoint)`;
  }

  /** The writer's keys; made only for a trail that is still empty. */
  #writerKeys(trailEmpty: boolean): { key: KeyObject; signer: AuditSigner } {
    this.#writer ??= {
      key: loadAuditKey(this.files.key, { create: trailEmpty }),
      signer: loadSigner(this.files, { create: trailEmpty }),
    };
    return this.#writer;
  }

  #latestCheckpoints(storedCheckpoint: string | undefined): LatestCheckpoint[] {
    const sources: LatestCheckpoint[] = this.ownCheckpoint
      ? [{ kind: 'store', name: this.storeCheckpointName, exists: true, line: storedCheckpoint }]
      : [];
    if (this.files.witness !== undefined) {
      const witness = lastWitnessCheckpoint(this.files.witness);
      sources.push({ kind: 'witness', name: this.files.witness, exists: witness.exists, line: witness.line });
    }
    return sources;
  }

  /**
   * Before anything is written (inside a store's write transaction): checks
   * the trail's last record and the checkpoints (throws an AuditError naming
   * what is wrong), and returns the record to write and the checkpoint of it,
   * to keep in the store and to publish once the record is durable.
   */
  seal(
    trail: { firstLine: string | undefined; lastLine: string | undefined; checkpoint: string | undefined },
    event: AuditEvent,
  ): { record: AuditRecord; checkpoint: string } {
    const { key, signer } = this.#writerKeys(trail.lastLine === undefined);
    const { previous, log } = checkBeforeAppend({
      name: this.name,
      keyPath: this.files.key,
      key,
      signer,
      firstLine: trail.firstLine,
      lastLine: trail.lastLine,
      sources: this.#latestCheckpoints(trail.checkpoint),
    });
    const record = appendRecord(previous, event, key);
    return { record, checkpoint: checkpointLineFor(record, log, signer) };
  }

  /**
   * The records of the trail's lines, as stored: a listing, not a proof (the
   * MACs are not checked here; `verify` does that). A legacy or damaged line
   * is an AuditError.
   */
  records(lines: readonly string[]): AuditRecord[] {
    return lines.map((line, index) => {
      const parsed = parseRecordLine(line);
      if (!parsed.ok)
        throw new AuditError(
          'AUDIT_CORRUPT',
          this.name,
          `${this.name}: audit record ${index + 1} is damaged (${parsed.reason}: ${parsed.detail})`,
        );
      if (parsed.format === 'legacy')
        throw new AuditError('AUDIT_LEGACY', this.name, `${this.name}: the audit trail was ${LEGACY_DETAIL}`);
      return parsed.record;
    });
  }

  /** Once the records are durable (a store's transaction committed): the checkpoints go to the witness and the mirror. */
  publish(checkpoints: readonly string[]): void {
    for (const line of checkpoints) publishCheckpoint(line, this.files);
  }

  /** Verifies the trail under the key, against the store's checkpoint and the witness. Faults are returned, not thrown. */
  verify(trail: StoredTrail, options: AuditVerifyOptions = {}): AuditVerifyResult {
    const sources: CheckpointSource[] = this.ownCheckpoint
      ? [
          {
            kind: 'store',
            name: this.storeCheckpointName,
            lines: trail.checkpoint === undefined ? [] : [trail.checkpoint],
          },
        ]
      : [];
    if (this.files.witness !== undefined) {
      let lines: string[] | undefined;
      try {
        lines = readWitnessLines(this.files.witness);
      } catch (error) {
        if (error instanceof AuditError)
          return auditFault(error.path, 0, 'missing', error.message.replace(/^@ocgnet\/audit: [^:]*: /, ''));
        throw error;
      }
      sources.push({ kind: 'witness', name: this.files.witness, lines });
    }
    if (trail.lines.length === 0 && trail.checkpoint === undefined && trail.records > 0) {
      return auditFault(
        this.name,
        0,
        'no-trail',
        `holds ${trail.records} record(s) but no audit trail: every import is audited, so the trail was deleted`,
      );
    }
    return verifyTrail({
      name: this.name,
      lines: trail.lines,
      key: () => loadAuditKey(this.files.key, { create: false }),
      verifyKey: () => loadVerifyKey(this.files),
      sources,
      ...options,
    });
  }

  /**
   * A fresh checkpoint of the head, after verifying the trail (a missing
   * witness is accepted here): for starting a witness afresh. The caller
   * keeps it in the store, if it is one, and then publishes it.
   */
  reanchor(trail: StoredTrail): { checkpoint: Checkpoint; line: string } {
    const result = this.verify(trail, { allowMissingWitness: true });
    if (!result.ok)
      throw new AuditError('AUDIT_CORRUPT', result.file, `${describeAuditFault(result)}; no checkpoint was written`);
    if (result.count === 0)
      throw new AuditError('AUDIT_CORRUPT', this.name, `${this.name}: no audit events to checkpoint`);
    const signer = loadSigner(this.files, { create: false });
    const checkpoint: Checkpoint = {
      log: result.log!,
      seq: result.count,
      head: result.head,
      at: new Date().toISOString(),
    };
    return { checkpoint, line: signCheckpoint(checkpoint, signer) };
  }

  /**
   * Re-seals a legacy trail (see `migrate.ts`): every new record line, to
   * replace the old ones at once, and the checkpoint to keep and publish.
   */
  migrate(
    trail: StoredTrail,
    actor: AuditMigrationActor,
  ): { lines: string[]; checkpoint: string; migration: AuditMigration } {
    requireFreshWitness(this.files.witness);
    const { key, signer } = this.#writerKeys(true);
    const { lines, last, log, migration } = resealLegacy(this.name, trail.lines, actor, key);
    return { lines, checkpoint: checkpointLineFor(last, log, signer), migration };
  }
}

/**
 * The audit trail in a file: one record per line, appended and synced before
 * `append` resolves, each record sealed under the audit key, and after each
 * one a signed checkpoint of the new head appended to the log's witness
 * (default `<log>.witness`) and to the mirror, if there is one. An export must
 * not go out if `append` rejects.
 *
 * Before chaining on, `append` checks the last record under the key and the
 * witness's latest checkpoint against the log, and refuses to write after
 * events that were removed or rewritten. `verify` fails closed: a missing or
 * empty log, a missing key, or a missing witness is a failure, never a pass.
 *
 * Concurrency: calls are serialised within this process by a promise queue.
 * Appends from two processes to the same file are NOT coordinated (both could
 * chain from the same last record, which `verify` would then report); a trail
 * written by several processes belongs in a store, which orders them.
 */
import {
  closeSync,
  constants as fsConstants,
  fdatasyncSync,
  fstatSync,
  linkSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { AuditEventSchema, formatRecordLine, splitLogText, type AuditEvent, type AuditRecord } from './chain.js';
import type { Checkpoint } from './checkpoint.js';
import { AuditError, describeIoError } from './errors.js';
import { resolveAuditFiles, syncDirectory, type AuditFiles, type AuditFilesOptions } from './keys.js';
import type { AuditMigration, AuditMigrationActor } from './migrate.js';
import { AuditSealer, type StoredTrail } from './sealer.js';
import { auditFault, type AuditVerifyOptions, type AuditVerifyResult } from './trail.js';

const TAIL_CHUNK = 64 * 1024;

function readExactly(fd: number, length: number, position: number): Buffer {
  const buffer = Buffer.alloc(length);
  let read = 0;
  while (read < length) {
    const n = readSync(fd, buffer, read, length - read, position + read);
    if (n <= 0) throw new Error(`short read at offset ${position + read}`);
    read += n;
  }
  return buffer;
}

/** The first and last lines of the log (without newlines), both undefined if it is empty. */
function readEnds(fd: number, path: string): { firstLine?: string; lastLine?: string } {
  const { size } = fstatSync(fd);
  if (size === 0) return {};
  if (readExactly(fd, 1, size - 1)[0] !== 0x0a) {
    throw new AuditError(
      'AUDIT_CORRUPT',
      path,
      `${path}: last record has no newline (torn or truncated write); run ocgnet audit verify`,
    );
  }
  const chunks: Buffer[] = [];
  let end = size - 1;
  while (end > 0) {
    const start = Math.max(0, end - TAIL_CHUNK);
    const body = readExactly(fd, end - start, start);
    const newline = body.lastIndexOf(0x0a);
    if (newline >= 0) {
      chunks.unshift(body.subarray(newline + 1));
      break;
    }
    chunks.unshift(body);
    end = start;
  }
  const lastLine = Buffer.concat(chunks).toString('utf8');
  const head: Buffer[] = [];
  for (let start = 0; start < size; start += TAIL_CHUNK) {
    const body = readExactly(fd, Math.min(TAIL_CHUNK, size - start), start);
    const newline = body.indexOf(0x0a);
    if (newline >= 0) {
      head.push(body.subarray(0, newline));
      break;
    }
    head.push(body);
  }
  return { firstLine: Buffer.concat(head).toString('utf8'), lastLine };
}

function writeAll(fd: number, bytes: Buffer): void {
  let written = 0;
  while (written < bytes.length) {
    const n = writeSync(fd, bytes, written, bytes.length - written);
    if (n <= 0) throw new Error('write made no progress');
    written += n;
  }
}

export class AuditLog {
  readonly path: string;
  /** The keys, witness and mirror of this log. */
  readonly files: AuditFiles & { witness: string };
  readonly #sealer: AuditSealer;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(
    path: string,
    options: AuditFilesOptions = {},
    env: Readonly<Record<string, string | undefined>> = process.env,
  ) {
    this.path = path;
    this.files = resolveAuditFiles(options, `${path}.witness`, env) as AuditFiles & { witness: string };
    this.#sealer = new AuditSealer(path, this.files, false);
  }

  /**
   * Validate `event` (rejects with a ZodError, writing nothing, if invalid),
   * chain it onto the last record, write it and sync it, then checkpoint the
   * new head. Rejects with an AuditError if it could not be written, or if the
   * log disagrees with its witness; the caller must then refuse the export.
   */
  async append(event: AuditEvent): Promise<AuditRecord> {
    const parsed = AuditEventSchema.parse(event);
    return this.#serialised(() => this.#appendNow(parsed));
  }

  /** Verify the whole log against its key and its witness. Never throws for what it finds: a fault says it. */
  async verify(options: AuditVerifyOptions = {}): Promise<AuditVerifyResult> {
    return this.#serialised(() => this.#verifyNow(options));
  }

  /**
   * Sign a checkpoint of the current head into the witness after verifying
   * the chain (a missing witness is accepted here). For starting a witness
   * afresh after it was lost: removal of events before now goes unseen.
   */
  async checkpoint(): Promise<Checkpoint> {
    return this.#serialised(() => {
      const { checkpoint, line } = this.#sealer.reanchor(this.#trail());
      this.#sealer.publish([line]);
      return checkpoint;
    });
  }

  /**
   * Re-seal a legacy (plain SHA-256) log under the audit key (see
   * `migrate.ts`). The legacy file is kept as `<log>.legacy`.
   */
  async migrate(actor: AuditMigrationActor): Promise<AuditMigration> {
    return this.#serialised(() => this.#migrateNow(actor));
  }

  #serialised<T>(work: () => T): Promise<T> {
    const run = this.#queue.then(work);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** The log as the sealer reads it; throws an AuditError if it cannot be read or its last line is torn. */
  #trail(): StoredTrail {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      throw new AuditError(
        'AUDIT_CORRUPT',
        this.path,
        `${this.path}: cannot read the log (${describeIoError(error)})`,
        { cause: error },
      );
    }
    const { lines, torn } = splitLogText(text);
    if (torn) throw new AuditError('AUDIT_CORRUPT', this.path, `${this.path}:${torn.line}: ${torn.detail}`);
    return { lines, checkpoint: undefined, records: 0 };
  }

  #verifyNow(options: AuditVerifyOptions): AuditVerifyResult {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      return auditFault(
        this.path,
        0,
        'missing',
        missing
          ? 'no such audit log; a missing log fails verification'
          : `cannot read the log (${describeIoError(error)})`,
      );
    }
    const { lines, torn } = splitLogText(text);
    const result = this.#sealer.verify({ lines, checkpoint: undefined, records: 0 }, options);
    if (torn && (result.ok || result.reason === 'truncated'))
      return auditFault(this.path, torn.line, 'missing-newline', torn.detail);
    if (result.ok && result.count === 0)
      return auditFault(this.path, 0, 'empty', 'the log has no events; an empty log fails verification');
    return result;
  }

  #appendNow(event: AuditEvent): AuditRecord {
    const { path } = this;
    let fd: number;
    try {
      // O_APPEND: every write lands at the end, whatever else has the file open.
      fd = openSync(path, fsConstants.O_RDWR | fsConstants.O_APPEND | fsConstants.O_CREAT, 0o600);
    } catch (error) {
      throw new AuditError('AUDIT_UNWRITABLE', path, `cannot open ${path} for append (${describeIoError(error)})`, {
        cause: error,
      });
    }
    try {
      let ends: { firstLine?: string; lastLine?: string };
      try {
        ends = readEnds(fd, path);
      } catch (error) {
        if (error instanceof AuditError) throw error;
        throw new AuditError('AUDIT_UNWRITABLE', path, `cannot read ${path} (${describeIoError(error)})`, {
          cause: error,
        });
      }
      const { record, checkpoint } = this.#sealer.seal(
        { firstLine: ends.firstLine, lastLine: ends.lastLine, checkpoint: undefined },
        event,
      );
      try {
        writeAll(fd, Buffer.from(formatRecordLine(record) + '\n', 'utf8'));
        fdatasyncSync(fd);
      } catch (error) {
        throw new AuditError('AUDIT_UNWRITABLE', path, `cannot write to ${path} (${describeIoError(error)})`, {
          cause: error,
        });
      }
      if (ends.lastLine === undefined) syncDirectory(dirname(path));
      this.#sealer.publish([checkpoint]);
      return record;
    } finally {
      closeSync(fd);
    }
  }

  #migrateNow(actor: AuditMigrationActor): AuditMigration {
    const { path } = this;
    const { lines, checkpoint, migration } = this.#sealer.migrate(this.#trail(), actor);
    const legacyCopy = `${path}.legacy`;
    const temporary = `${path}.migrating`;
    try {
      const fd = openSync(temporary, 'wx', 0o600);
      try {
        writeAll(fd, Buffer.from(lines.join('\n') + '\n', 'utf8'));
        fdatasyncSync(fd);
      } finally {
        closeSync(fd);
      }
      // The legacy file keeps its bytes under a second name (EEXIST if one is there), then the new log takes the name.
      linkSync(path, legacyCopy);
      renameSync(temporary, path);
      syncDirectory(dirname(path));
    } catch (error) {
      try {
        unlinkSync(temporary);
      } catch {
        // not made, or already renamed
      }
      throw new AuditError(
        'AUDIT_UNWRITABLE',
        path,
        `${path}: cannot write the migrated log (${describeIoError(error)}); the legacy log is unchanged`,
        { cause: error },
      );
    }
    this.#sealer.publish([checkpoint]);
    return { ...migration, legacyCopy };
  }
}

/**
 * The audit trail on disk: one file, one record per line, appended and synced
 * before `append` resolves. An export must not go out if `append` rejects.
 *
 * Concurrency: appends are serialised within this process by a promise queue.
 * Appends from two processes to the same file are NOT coordinated (both could
 * chain from the same last record, which `verify` would then report); a later
 * issue moves the audit trail into the store, which will own that ordering.
 */
import { constants as fsConstants } from 'node:fs';
import { open, readFile, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  AuditEventSchema,
  appendRecord,
  formatRecordLine,
  parseRecordLine,
  verifyLogText,
  type AuditEvent,
  type AuditRecord,
  type AuditVerifyResult,
} from './chain.js';

export type AuditErrorCode =
  /** The event could not be written and synced (read-only file or directory, ENOSPC, ENOTDIR, EIO…). */
  | 'AUDIT_UNWRITABLE'
  /** The log's last record is damaged, so there is nothing sound to chain from. */
  | 'AUDIT_CORRUPT';

export class AuditError extends Error {
  override readonly name = 'AuditError';
  readonly code: AuditErrorCode;
  readonly path: string;

  constructor(code: AuditErrorCode, path: string, message: string, options?: { cause?: unknown }) {
    super(`@ocgnet/profiles/audit: ${message}`, options);
    this.code = code;
    this.path = path;
  }
}

const TAIL_CHUNK = 64 * 1024;

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}

/** The last line of the file (without its newline), or undefined if the file is empty. */
async function readLastLine(handle: FileHandle, path: string): Promise<string | undefined> {
  const { size } = await handle.stat();
  if (size === 0) return undefined;
  const chunks: Buffer[] = [];
  let end = size;
  let first = true;
  while (end > 0) {
    const start = Math.max(0, end - TAIL_CHUNK);
    const buffer = Buffer.alloc(end - start);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, start);
    if (bytesRead !== buffer.length) throw new Error(`short read at offset ${start}`);
    let body = buffer;
    if (first) {
      if (body[body.length - 1] !== 0x0a) {
        throw new AuditError('AUDIT_CORRUPT', path, `${path}: last record has no newline (torn or truncated write); run audit verify`);
      }
      body = body.subarray(0, body.length - 1);
      first = false;
    }
    const newline = body.lastIndexOf(0x0a);
    if (newline >= 0) {
      chunks.unshift(body.subarray(newline + 1));
      break;
    }
    chunks.unshift(body);
    end = start;
  }
  return Buffer.concat(chunks).toString('utf8');
}

export class AuditLog {
  readonly path: string;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(path: string) {
    this.path = path;
  }

  /**
   * Validate `event` (rejects with a ZodError, writing nothing, if invalid),
   * chain it onto the last record, write it and sync it. Rejects with an
   * AuditError if it could not be written; the caller must then refuse the export.
   */
  async append(event: AuditEvent): Promise<AuditRecord> {
    const parsed = AuditEventSchema.parse(event);
    const run = this.#queue.then(() => this.#appendNow(parsed));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Verify the whole file. A missing file is an empty, valid log. */
  async verify(): Promise<AuditVerifyResult> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return verifyLogText('');
      throw error;
    }
    return verifyLogText(text);
  }

  async #appendNow(event: AuditEvent): Promise<AuditRecord> {
    let handle: FileHandle;
    try {
      // O_APPEND: every write lands at the end, whatever else has the file open.
      handle = await open(this.path, fsConstants.O_RDWR | fsConstants.O_APPEND | fsConstants.O_CREAT, 0o600);
    } catch (error) {
      throw new AuditError('AUDIT_UNWRITABLE', this.path, `cannot open ${this.path} for append (${describe(error)})`, {
        cause: error,
      });
    }
    try {
      let lastLine: string | undefined;
      try {
        lastLine = await readLastLine(handle, this.path);
      } catch (error) {
        if (error instanceof AuditError) throw error;
        throw new AuditError('AUDIT_UNWRITABLE', this.path, `cannot read ${this.path} (${describe(error)})`, {
          cause: error,
        });
      }
      let previous: AuditRecord | undefined;
      if (lastLine !== undefined) {
        const parsed = parseRecordLine(lastLine);
        if (!parsed.ok) {
          throw new AuditError(
            'AUDIT_CORRUPT',
            this.path,
            `${this.path}: last record is damaged (${parsed.reason}: ${parsed.detail}); run audit verify`,
          );
        }
        previous = parsed.record;
      }
      const record = appendRecord(previous, event);
      const bytes = Buffer.from(formatRecordLine(record) + '\n', 'utf8');
      try {
        let written = 0;
        while (written < bytes.length) {
          const { bytesWritten } = await handle.write(bytes, written, bytes.length - written);
          if (bytesWritten <= 0) throw new Error('write made no progress');
          written += bytesWritten;
        }
        await handle.datasync();
      } catch (error) {
        throw new AuditError('AUDIT_UNWRITABLE', this.path, `cannot write to ${this.path} (${describe(error)})`, {
          cause: error,
        });
      }
      if (previous === undefined) await syncDirectory(dirname(this.path));
      return record;
    } finally {
      await handle.close().catch(() => undefined);
    }
  }
}

/**
 * After creating the log, sync its directory so the file itself survives a
 * crash. Best effort: some platforms and file systems refuse to open or sync a
 * directory, and the record is already synced.
 */
async function syncDirectory(path: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'r');
    await handle.sync();
  } catch {
    // best effort, see above
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

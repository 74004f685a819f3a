/**
 * Why the audit trail refused to write, or could not load what it needs. The
 * message is one line that names the file and the reason; a caller that was
 * about to release something must not release it.
 */
import { OcgnetError } from '@ocgnet/schema';

export type AuditErrorCode =
  /** The event or its checkpoint could not be written and synced (read-only file or directory, ENOSPC, ENOTDIR, EIO…). */
  | 'AUDIT_UNWRITABLE'
  /** The trail is damaged, or disagrees with its checkpoints (events removed or rewritten), so there is nothing sound to chain from. */
  | 'AUDIT_CORRUPT'
  /** A key file is missing, unreadable, malformed or open to other users. */
  | 'AUDIT_KEY'
  /** The witness file is missing, or was signed by another key, while the trail has events it should vouch for. */
  | 'AUDIT_WITNESS'
  /** The trail was written by an older ocgnet as a plain SHA-256 chain; `ocgnet audit migrate` re-seals it. */
  | 'AUDIT_LEGACY';

export class AuditError extends OcgnetError<AuditErrorCode> {
  override readonly name = 'AuditError';
  /** The file (or store location) the error is about. */
  readonly path: string;

  constructor(code: AuditErrorCode, path: string, message: string, options: { cause?: unknown } = {}) {
    super(code, message, { origin: '@ocgnet/audit', ...options });
    this.path = path;
  }
}

/** An errno error as `CODE: message`, for one-line reports. */
export function describeIoError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}

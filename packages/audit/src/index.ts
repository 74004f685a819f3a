/**
 * @ocgnet/audit: the append-only audit trail, sealed under a secret audit key
 * and checkpointed under a signing key. `chain.ts` is the record format,
 * `checkpoint.ts` the signed statements of a head, `keys.ts` where the keys
 * live, `witness.ts` the files that keep checkpoints, `trail.ts` verification
 * of a chain against its checkpoints, `migrate.ts` the re-sealing of legacy
 * trails, `logFile.ts` a trail in a file and `sealer.ts` the part of a
 * store's trail that is not SQL or Cypher.
 * Stores keep the same records in their own transactions.
 */

// Audit records: events, their canonical form and their lines.
export {
  AuditEventSchema,
  canonicalJson,
  formatRecordLine,
  legacyHashRecordBody,
  parseRecordLine,
  type AuditAction,
  type AuditEvent,
  type AuditRecord,
} from './chain.js';

// Signed checkpoints of a head.
export { parseCheckpointLine, type Checkpoint } from './checkpoint.js';

// Where the keys and the witness live.
export { resolveAuditFiles, type AuditFiles, type AuditFilesOptions } from './keys.js';

// Verifying a trail, and re-sealing a legacy one.
export { describeAuditFault, type AuditVerifyOptions, type AuditVerifyResult } from './trail.js';
export type { AuditMigration } from './migrate.js';

// A trail in a file, and the sealer of a store's trail.
export { AuditLog } from './logFile.js';
export { AuditSealer, type StoredTrail } from './sealer.js';

// Errors, with a stable code.
export { AuditError, type AuditErrorCode } from './errors.js';

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
export * from './chain.js';
export * from './checkpoint.js';
export * from './errors.js';
export * from './keys.js';
export * from './trail.js';
export * from './witness.js';
export * from './migrate.js';
export * from './sealer.js';
export { AuditLog } from './logFile.js';

/**
 * @ocgnet/audit: the append-only, hash-chained audit trail. `chain.ts` is the
 * record format and its verification; `logFile.ts` keeps a chain in a file.
 * Stores keep the same records in their own transactions.
 */
export * from './chain.js';
export * from './logFile.js';

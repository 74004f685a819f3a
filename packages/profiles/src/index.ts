/**
 * @ocgnet/profiles: what may a partner read?
 * So far: the append-only, hash-chained audit trail and the audiences that
 * decide what each reader may see. Partnership profiles build on these.
 */
export * from './audit.js';
export * from './auditFile.js';
export * from './audience.js';
export * from './profile.js';
export * from './render.js';
export * from './localProfile.js';

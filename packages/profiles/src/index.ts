/**
 * @ocgnet/profiles: what may a partner read?
 * So far: the append-only, hash-chained audit trail and the audiences that
 * decide what each reader may see. Partnership profiles build on these.
 */
// The audit trail lives in @ocgnet/audit; re-exported for profile callers.
export * from '@ocgnet/audit';
export * from './audience.js';
export * from './profile.js';
export * from './render.js';
export * from './localProfile.js';
export * from './safeguardingFacts.js';

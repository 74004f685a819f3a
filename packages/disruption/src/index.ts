/**
 * @ocgnet/disruption: what happens if we act?
 */
export * from './fragmentation.js';

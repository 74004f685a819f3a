/**
 * @ocgnet/disruption: what happens if we act?
 */
export * from './fragmentation.js';
export * from './strategies.js';
export * from './simulate.js';

/**
 * @ocgnet/server: `ocgnet serve`, the viewer and an authenticated, audited,
 * audience-redacted HTTP API over a store. The viewer bundle it serves is
 * @ocgnet/bundle's.
 */
export * from './users.js';
export * from './server.js';
export * from './access.js';
export * from './stores.js';

/**
 * @ocgnet/server: `ocgnet serve`, the viewer and an authenticated, audited,
 * audience-redacted HTTP API over a store; and the viewer bundle contract.
 */
export * from './bundle.js';
export * from './users.js';
export * from './server.js';
export * from './access.js';

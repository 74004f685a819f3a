/**
 * @ocgnet/server: `ocgnet serve`, the viewer and an authenticated, audited,
 * audience-redacted HTTP API over a store. The viewer bundle it serves is
 * @ocgnet/bundle's.
 */

// The server, and the Content-Security-Policy it sends with every response.
export { CONTENT_SECURITY_POLICY, createServer, type RunningServer } from './server.js';

// The users file and its tokens.
export { UsersConfigError, loadUsersConfig, newToken, parseUsersConfig } from './users.js';

/**
 * @ocgnet/io: what goes in and out, as strings and streams.
 * Importers and exporters for intelligence records, the ocgnet graph file and
 * the research formats. No file system access: callers pass streams.
 *
 * This entry is for Node. `@ocgnet/io/browser` (browser.ts) is the part
 * that runs in a browser: all of this except the readers built on csv-parse
 * and Node streams.
 */
export * from './browser.js';
export * from './research/index.js';
export * from './records/index.js';

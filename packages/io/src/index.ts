/**
 * @ocgnet/io: what goes in and out, as strings and streams.
 * Importers and exporters for intelligence records, the ocgnet graph file and
 * the research formats. No file system access: callers pass streams.
 */
export * from './research/index.js';
export * from './records/index.js';
export * from './graphFile.js';
export * from './lines.js';
export * from './csvText.js';

/**
 * @ocgnet/schema: what is a valid record?
 * The zod record model of ocgnet; every type is inferred from its schema.
 */
export * from './errors.js';
export * from './ids.js';
export * from './issues.js';
export * from './limits.js';
export * from './grading.js';
export * from './entities.js';
export * from './links.js';
export * from './records.js';

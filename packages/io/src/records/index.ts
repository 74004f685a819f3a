export * from './columns.js';
export * from './collector.js';
export * from './readers.js';
export * from './writers.js';

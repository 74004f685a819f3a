/**
 * @ocgnet/store: where records live. One contract (`contract.ts`), the
 * embedded SQLite store (the default) and the Neo4j store. The analysis
 * inside Neo4j (GDS) is the package `@ocgnet/gds`, which runs on the
 * driver a Neo4j store lends it (`runsInDatabase`, `inDatabase`).
 */
export * from './contract.js';
export * from './errors.js';
export * from './content.js';
export * from './select.js';
export * from './validate.js';
export * from './open.js';
export { openEmbeddedStore, type EmbeddedStoreOptions } from './embedded/sqliteStore.js';
export { openNeo4jStore, runsInDatabase, type InDatabase, type Neo4jStoreOptions } from './neo4j/neo4jStore.js';

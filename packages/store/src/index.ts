/**
 * @ocgnet/store: where records live. One contract (`contract.ts`), the
 * embedded SQLite store (the default) and the Neo4j store. The analysis
 * inside Neo4j (GDS) is the package `@ocgnet/gds`, which runs on the
 * driver a Neo4j store lends it (`runsInDatabase`, `inDatabase`).
 */

// The contract every store keeps, and the shapes of what goes in and comes out.
export type {
  AbsentRecords,
  AnalysisWriteBack,
  ImportCounts,
  ImportPhase,
  RecordQuery,
  Store,
  StoreActor,
  StoreImportOptions,
} from './contract.js';

// Opening a store: by location, or the embedded or Neo4j store itself.
export { isServerLocation, openStore } from './open.js';
export { openEmbeddedStore } from './embedded/sqliteStore.js';
export { openNeo4jStore, runsInDatabase } from './neo4j/neo4jStore.js';

// Errors, with a code and a message for the user.
export { StoreError, formatStoreIssue } from './errors.js';

// The reference semantics both stores are checked against: the record query and the content hash.
export { selectRecords } from './select.js';
export { contentHashOf } from './content.js';

/**
 * @ocgnet/gds: the analysis of `@ocgnet/analysis` run inside Neo4j by the
 * Graph Data Science library, on the graph the Neo4j store of
 * `@ocgnet/store` writes. The caller brings the driver (the store's
 * `inDatabase`); see README.md for what runs where and the tolerances.
 */

// The analysis inside the database, and the node count up to which its betweenness is exact.
export { EXACT_BETWEENNESS_LIMIT, analyseInDatabase } from './analyseInDatabase.js';

/**
 * @ocgnet/gds: the analysis of `@ocgnet/analysis` run inside Neo4j by the
 * Graph Data Science library, on the graph the Neo4j store of
 * `@ocgnet/store` writes. The caller brings the driver (the store's
 * `inDatabase`); see README.md for what runs where and the tolerances.
 */
export { analyseInDatabase, EXACT_BETWEENNESS_LIMIT, type AnalyseInDatabaseOptions } from './analyseInDatabase.js';
export { projectionCypher, type ProjectionQueryMode } from './projectionCypher.js';

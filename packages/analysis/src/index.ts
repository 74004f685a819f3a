/**
 * @ocgnet/analysis: who is central, and which groups exist?
 * One algorithm per module, each on the shared typed-array snapshot (csr.ts).
 */
export * from './csr.js';
export * from './csrFromEdges.js';
export * from './metrics/degree.js';
export * from './metrics/betweenness.js';
export * from './metrics/closeness.js';
export * from './metrics/harmonic.js';
export * from './parallel/centrality.js';
export type { ParallelOptions } from './parallel/pool.js';
export * from './metrics/eigenvector.js';
export * from './metrics/pagerank.js';
export * from './metrics/coreness.js';
export * from './metrics/clustering.js';
export * from './metrics/components.js';
export * from './metrics/efficiency.js';
export * from './metrics/structuralHoles.js';
export { CentralityError, ConvergenceError, DEFAULT_PATH_OPTIONS, type DistanceMode, type PathOptions } from './metrics/paths.js';
export * from './groups/louvain.js';
export * from './groups/louvainCsr.js';
export * from './groups/compare.js';
export * from './groups/roles.js';
export * from './groups/brokerage.js';
export * from './navigation/index.js';
export * from './analyse.js';
export * from './analyseLarge.js';
export * from './analyseRecords.js';

/**
 * @ocgnet/analysis: who is central, and which groups exist?
 * One algorithm per module, each on the shared typed-array snapshot (csr.ts).
 */

// The whole analysis of a person projection, of a record set, and of a graph too large for graphology.
export {
  DEFAULT_ANALYSE_OPTIONS,
  NODE_METRIC_FIELDS,
  analyse,
  analysisGraphExport,
  type AnalyseOptions,
  type AnalysisReport,
  type NodeMetricField,
  type NodeMetrics,
} from './analyse.js';
export { analyseRecords, recordsGraphs, type RecordsAnalysis, type RecordsGraphs } from './analyseRecords.js';
export {
  analyseLarge,
  DEFAULT_LARGE_ANALYSIS_OPTIONS,
  LARGE_ANALYSIS_SKIPPED,
  topNodes,
  type LargeAnalysis,
  type LargeAnalysisOptions,
  type LargeAnalysisProgress,
  type RankedNode,
} from './analyseLarge.js';

// The typed-array snapshot every algorithm runs on: from a graph, from edge arrays, and induced.
export { csrOf, inducedCsr, isGraphologyGraph, toCsr, valuesWithout, type CsrGraph } from './csr.js';
export { csrFromEdgeArrays } from './csrFromEdges.js';

// Per-node metrics, on a graphology graph or on the snapshot.
export { degree, degreeCountsOnCsr, degreeOnCsr, strengthOnCsr } from './metrics/degree.js';
export {
  BETWEENNESS_SAMPLING_DEFAULT,
  betweenness,
  betweennessOnCsr,
  defaultBetweennessSample,
  samplePivots,
} from './metrics/betweenness.js';
export { closenessAndHarmonicOnCsr, closenessOnCsr } from './metrics/closeness.js';
export { harmonicOnCsr } from './metrics/harmonic.js';
export { betweennessOnCsrParallel, closenessAndHarmonicOnCsrParallel } from './parallel/centrality.js';
export { pagerank, pagerankOnCsr } from './metrics/pagerank.js';
export { CONVERGENCE_RULES, type ConvergenceRule } from './metrics/paths.js';
export { corenessOnCsr } from './metrics/coreness.js';
export {
  articulationPointsOnCsr,
  connectedComponents,
  connectedComponentsOnCsr,
  type CsrComponents,
} from './metrics/components.js';
export { globalEfficiencyOnCsr } from './metrics/efficiency.js';

// Groups: Leiden (or Louvain) communities, and how they compare with the mapped OCGs.
export {
  COMMUNITY_ALGORITHMS,
  communities,
  partitionModularity,
  renumberPartition,
  seededRandom,
  type CommunityAlgorithm,
} from './groups/louvain.js';
export { louvainOnCsr, modularityOnCsr } from './groups/louvainCsr.js';
export { leidenOnCsr } from './groups/leidenCsr.js';
export {
  ROLE_RANK,
  compareWithMapping,
  mappingFromMemberships,
  mappingFromNetwork,
  type GroupMapping,
} from './groups/compare.js';

// Navigation: the paths between two nominals and the ego network of one.
export {
  NavigationError,
  allShortestPaths,
  egoNetwork,
  egoSummary,
  kShortestPaths,
  type AssociationPath,
} from './navigation/index.js';

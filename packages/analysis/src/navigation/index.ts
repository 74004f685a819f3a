/**
 * Navigation: "how is A connected to B?" (all shortest paths, the k shortest
 * loopless paths) and ego networks, with the evidence and handling marking
 * behind every hop.
 */
export { NavigationError, type NavigationErrorCode } from './errors.js';
export { DEFAULT_PATH_SEARCH_OPTIONS, type PathDistance, type PathSearchOptions } from './search.js';
export type { AssociationPath, PathEvidence, PathHop } from './hops.js';
export {
  allShortestPaths,
  DEFAULT_SHORTEST_PATHS_OPTIONS,
  type ShortestPathsOptions,
  type ShortestPathsResult,
} from './shortestPaths.js';
export { kShortestPaths, DEFAULT_K_SHORTEST_OPTIONS, type KShortestOptions } from './kShortest.js';
export {
  egoNetwork,
  egoSummary,
  DEFAULT_EGO_OPTIONS,
  MAX_EGO_RADIUS,
  type EgoNetwork,
  type EgoOptions,
  type EgoSummary,
} from './ego.js';

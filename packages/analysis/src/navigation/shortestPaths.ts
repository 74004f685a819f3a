/**
 * All shortest paths between two nodes: "how is A connected to B?".
 *
 * Unweighted, breadth-first search; weighted, Dijkstra (Dijkstra 1959) with a
 * binary heap; both on the CSR snapshot, stopping once the target is settled.
 * The predecessors of every node on a shortest path form a DAG, which is
 * counted and then enumerated in lexicographic order of node keys, up to
 * `maxPaths`: a dense graph can have exponentially many shortest paths.
 *
 * As a set, the paths equal networkx's `all_shortest_paths(G, a, b, weight)`
 * (with `weight=None` unweighted, or the weight attribute when `distance` is
 * `'weight'`); see `search.ts` for how distances tie.
 */
import type { AbstractGraph } from 'graphology-types';
import { checkNode, invalidOption } from './errors.js';
import { describePath, type AssociationPath } from './hops.js';
import {
  DEFAULT_PATH_SEARCH_OPTIONS,
  resolvePathSearchOptions,
  edgesAlong,
  searchSpaceOf,
  shortestPathDag,
  stripUndefined,
  type PathSearchOptions,
} from './search.js';

/** Options of {@link allShortestPaths}. */
export interface ShortestPathsOptions extends PathSearchOptions {
  /** Most paths to return; `Infinity` for all. */
  maxPaths: number;
}

/** Defaults of {@link allShortestPaths}: those of every path search, and at most 1000 paths. */
export const DEFAULT_SHORTEST_PATHS_OPTIONS: Readonly<ShortestPathsOptions> = Object.freeze({
  ...DEFAULT_PATH_SEARCH_OPTIONS,
  maxPaths: 1000,
});

/** What {@link allShortestPaths} found. */
export interface ShortestPathsResult {
  source: string;
  target: string;
  /** The shortest paths, in lexicographic order of node keys; empty when none exists. */
  paths: AssociationPath[];
  /** How many shortest paths exist (more than `paths.length` when truncated). */
  count: number;
  /** Whether `maxPaths` cut the list short. */
  truncated: boolean;
  /** Shortest distance (hops when unweighted); null when the nodes are not connected. */
  distance: number | null;
}

/**
 * Every shortest path from `source` to `target`, each with the detail of its
 * hops and the strictest marking along it. Direction is ignored and parallel
 * edges are merged, as in the CSR snapshot. Unknown node ids throw a
 * `NavigationError` (`UNKNOWN_NODE`); unconnected nodes give no paths.
 */
export function allShortestPaths(
  graph: AbstractGraph,
  source: string,
  target: string,
  options: Partial<ShortestPathsOptions> = {},
): ShortestPathsResult {
  checkNode(graph, source, 'source');
  checkNode(graph, target, 'target');
  const { maxPaths = DEFAULT_SHORTEST_PATHS_OPTIONS.maxPaths, ...rest } = stripUndefined(options);
  if (typeof maxPaths !== 'number' || !(maxPaths === Infinity || (Number.isInteger(maxPaths) && maxPaths >= 1))) {
    throw invalidOption(`maxPaths must be a whole number ≥ 1 or Infinity, not ${String(maxPaths)}`);
  }
  const resolved = resolvePathSearchOptions(rest);
  const space = searchSpaceOf(graph, resolved);
  const dag = shortestPathDag(space, space.csr.index.get(source)!, space.csr.index.get(target)!);
  if (dag === null) return { source, target, paths: [], count: 0, truncated: false, distance: null };
  const paths = dag
    .enumerate(maxPaths)
    .map((nodes) =>
      describePath(graph, space, { nodes, edges: edgesAlong(space.csr, nodes) }, resolved.weightAttribute),
    );
  return { source, target, paths, count: dag.count, truncated: paths.length < dag.count, distance: dag.distance };
}

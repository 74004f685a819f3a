/**
 * The k shortest loopless paths between two nodes, by Yen's algorithm
 * (J. Y. Yen, "Finding the K shortest loopless paths in a network",
 * Management Science 17(11), 1971): each next path leaves an earlier one at
 * some spur node, along the least spur path that avoids the earlier path's
 * root and every edge the earlier paths take from that root.
 *
 * Order: paths are ranked by distance (hops when unweighted), then by hop
 * count, then by the lexicographic order of their node keys (code units).
 * Every spur search is least under the same order, so the result is exactly
 * the first k of all loopless paths sorted that way: deterministic, whatever
 * the order in which the graph was built.
 *
 * networkx's `shortest_simple_paths` yields the same sequence of lengths;
 * within a run of equal lengths its order (and, for the last run, its choice)
 * may differ.
 */
import type { AbstractGraph } from 'graphology-types';
import { checkNode, invalidOption } from './errors.js';
import { Heap } from './heap.js';
import { describePath, type AssociationPath } from './hops.js';
import {
  DEFAULT_PATH_SEARCH_OPTIONS,
  SpurSearch,
  compareDistances,
  pathDistance,
  resolvePathSearchOptions,
  searchSpaceOf,
  type IndexPath,
  type PathSearchOptions,
  type SearchSpace,
} from './search.js';

/** Options of {@link kShortestPaths}: those of every path search. */
export type KShortestOptions = PathSearchOptions;

/** Defaults of {@link kShortestPaths}: unweighted; when weighted, distance 1/w. */
export const DEFAULT_K_SHORTEST_OPTIONS: Readonly<KShortestOptions> = DEFAULT_PATH_SEARCH_OPTIONS;

interface Candidate extends IndexPath {
  distance: number;
}

/**
 * The `k` shortest loopless paths from `source` to `target`, shortest first
 * (fewer when fewer exist; none when the nodes are not connected), each with
 * the detail of its hops. Direction is ignored and parallel edges are merged,
 * as in the CSR snapshot. Unknown node ids throw a `NavigationError`
 * (`UNKNOWN_NODE`); `k` must be a whole number ≥ 1 (`INVALID_OPTION`).
 */
export function kShortestPaths(
  graph: AbstractGraph,
  source: string,
  target: string,
  k: number,
  options: Partial<KShortestOptions> = {},
): AssociationPath[] {
  checkNode(graph, source, 'source');
  checkNode(graph, target, 'target');
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1)
    throw invalidOption(`k must be a whole number ≥ 1, not ${String(k)}`);
  const resolved = resolvePathSearchOptions(options);
  const space = searchSpaceOf(graph, resolved);
  const s = space.csr.index.get(source)!;
  const t = space.csr.index.get(target)!;
  return yen(space, s, t, k).map((path) => describePath(graph, space, path, resolved.weightAttribute));
}

/** Yen's algorithm on the snapshot. */
function yen(space: SearchSpace, source: number, target: number, k: number): Candidate[] {
  if (source === target) return [{ nodes: [source], edges: [], distance: 0 }];
  const search = new SpurSearch(space);
  const first = search.search(source, target);
  if (first === null) return [];
  const compare = (a: Candidate, b: Candidate) => comparePaths(space, a, b);
  const accepted: Candidate[] = [{ ...first, distance: pathDistance(space, first.edges) }];
  const candidates = new Heap<Candidate>(compare);
  const seen = new Set<string>([first.nodes.join(',')]);
  const { blockedNode, blockedEdge } = search;

  while (accepted.length < k) {
    const last = accepted[accepted.length - 1]!;
    for (let i = 0; i + 1 < last.nodes.length; i++) {
      const spur = last.nodes[i]!;
      // Edges that earlier paths sharing this root take next; the root's own nodes.
      const blocked: number[] = [];
      for (const path of accepted) {
        if (path.nodes.length > i + 1 && sharesRoot(path.nodes, last.nodes, i)) {
          const e = path.edges[i]!;
          if (blockedEdge[e] === 0) {
            blockedEdge[e] = 1;
            blocked.push(e);
          }
        }
      }
      for (let j = 0; j < i; j++) blockedNode[last.nodes[j]!] = 1;
      const spurPath = search.search(spur, target);
      for (let j = 0; j < i; j++) blockedNode[last.nodes[j]!] = 0;
      for (const e of blocked) blockedEdge[e] = 0;
      if (spurPath === null) continue;
      const nodes = last.nodes.slice(0, i).concat(spurPath.nodes);
      const key = nodes.join(',');
      if (seen.has(key)) continue;
      seen.add(key);
      const edges = last.edges.slice(0, i).concat(spurPath.edges);
      candidates.push({ nodes, edges, distance: pathDistance(space, edges) });
    }
    const next = candidates.pop();
    if (next === undefined) break;
    accepted.push(next);
  }
  return accepted;
}

/** Whether `a` and `b` agree on their first `i + 1` nodes. */
function sharesRoot(a: readonly number[], b: readonly number[], i: number): boolean {
  for (let j = i; j >= 0; j--) if (a[j] !== b[j]) return false;
  return true;
}

/** The ranking order: distance (within the tolerance), hops, node keys. */
function comparePaths(space: SearchSpace, a: Candidate, b: Candidate): number {
  const byDistance = compareDistances(a.distance, b.distance, space.tolerance);
  if (byDistance !== 0) return byDistance;
  if (a.nodes.length !== b.nodes.length) return a.nodes.length - b.nodes.length;
  const { rank } = space;
  for (let j = 0; j < a.nodes.length; j++) {
    const difference = rank[a.nodes[j]!]! - rank[b.nodes[j]!]!;
    if (difference !== 0) return difference;
  }
  return 0;
}

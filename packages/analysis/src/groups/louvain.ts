/**
 * Communities by modularity optimisation: Leiden (the default) or Louvain.
 *
 * Modularity with a resolution γ as in Reichardt & Bornholdt (2006):
 * Q = Σ_c [ L_c / m − γ (d_c / 2m)² ], L_c the weight inside c, d_c its total degree.
 * - Leiden: Traag, Waltman & van Eck (2019), "From Louvain to Leiden:
 *   guaranteeing well-connected communities", Sci. Rep. 9:5233
 *   (`leidenOnCsr`, leidenCsr.ts). Every community is connected.
 * - Louvain: Blondel, Guillaume, Lambiotte & Lefebvre (2008), "Fast unfolding
 *   of communities in large networks", J. Stat. Mech. P10008
 *   (`louvainOnCsr`, louvainCsr.ts). A community can fall apart inside.
 *
 * Both run on the undirected simple view of the graph (the same view as
 * every other analysis, see `csrOf`): parallel edges merged with their
 * weights summed, self-loops left out, direction ignored. Unweighted, every
 * merged pair counts 1. graphology-communities-louvain was the engine before;
 * it stays as the benchmark's peer and a test oracle.
 *
 * Determinism and randomness: each run visits the nodes in a seeded random
 * order (Mersenne Twister, `pure-rand`) of the nodes sorted by id, so the
 * same graph and the same seed give the same partition, whichever file and
 * node order it came from.
 *
 * Both are heuristics: `runs` (default 5) runs one with seeds seed,
 * seed + 1, … and keeps the partition of highest modularity (ties: the
 * earliest run). Set `runs: 1` on very large graphs.
 *
 * Communities are then renumbered: 0 is the largest; ties go to the community
 * whose smallest member key (UTF-16 code-unit order) comes first.
 */
import { UndirectedGraph } from 'graphology';
import type { AbstractGraph } from 'graphology-types';
import modularityOf from 'graphology-metrics/graph/modularity.js';
import { csrOf } from '../csr.js';
import { compareIds } from '@ocgnet/schema';
import { louvainOnCsr } from './louvainCsr.js';
import { leidenOnCsr } from './leidenCsr.js';

export { seededRandom } from './louvainCsr.js';

export const COMMUNITY_ALGORITHMS = ['leiden', 'louvain'] as const;
export type CommunityAlgorithm = (typeof COMMUNITY_ALGORITHMS)[number];

/**
 * The snapshot search of an algorithm (both take { seed, resolution }).
 *
 * @throws RangeError for a name that is neither
 */
export function communitySearch(algorithm: CommunityAlgorithm): typeof leidenOnCsr {
  if (!COMMUNITY_ALGORITHMS.includes(algorithm)) {
    throw new RangeError(
      `@ocgnet/analysis/groups: the community algorithm must be ${COMMUNITY_ALGORITHMS.join(' or ')}, not ${JSON.stringify(algorithm)}`,
    );
  }
  return algorithm === 'leiden' ? leidenOnCsr : louvainOnCsr;
}

export interface CommunityOptions {
  /** Leiden (connected communities, the default) or Louvain. */
  algorithm: CommunityAlgorithm;
  /** Resolution γ: above 1 gives more, smaller communities; below 1 fewer, larger ones. */
  resolution: number;
  /** Seed of the generator that orders the node visits. */
  seed: number;
  /** Runs, with seeds seed, seed + 1, …; the partition of highest modularity is kept. */
  runs: number;
  /** Use edge weights (from `weightAttribute`); false counts every associated pair once. */
  weighted: boolean;
  /** Edge attribute read when `weighted`. */
  weightAttribute: string;
}

export const DEFAULT_COMMUNITY_OPTIONS: CommunityOptions = {
  algorithm: 'leiden',
  resolution: 1,
  seed: 1,
  runs: 5,
  weighted: true,
  weightAttribute: 'weight',
};

export interface Communities {
  /** Node key → community number, 0 the largest community. */
  communityOf: Record<string, number>;
  /** Number of communities (isolated nodes are communities of one). */
  count: number;
  /** Modularity of this partition, at the same resolution and weighting; NaN when the graph has no edges. */
  modularity: number;
  /** members[c]: the node keys of community c, sorted. */
  members: string[][];
}

/**
 * The undirected simple view as a graphology graph, which is what Louvain and
 * the modularity function run on. Edge attribute `weight` holds the merged
 * weight, or 1 when unweighted. Nodes are added in `order` (CSR indices) when
 * given, else in the graph's order.
 */
export function simpleUndirectedView(
  graph: AbstractGraph,
  options: Pick<CommunityOptions, 'weighted' | 'weightAttribute'>,
  order?: ArrayLike<number>,
): UndirectedGraph {
  const csr = csrOf(graph, { weightAttribute: options.weighted ? options.weightAttribute : null });
  const view = new UndirectedGraph();
  if (order === undefined) for (const id of csr.ids) view.addNode(id);
  else for (let k = 0; k < order.length; k++) view.addNode(csr.ids[order[k]!]!);
  for (let e = 0; e < csr.m; e++) {
    view.addEdge(csr.ids[csr.edgeSource[e]!]!, csr.ids[csr.edgeTarget[e]!]!, {
      weight: options.weighted ? csr.edgeWeight[e]! : 1,
    });
  }
  return view;
}

/**
 * Renumbers a partition: communities by size descending, then by their
 * smallest member key; members sorted by key.
 */
export function renumberPartition(labels: Record<string, number | string>): {
  communityOf: Record<string, number>;
  members: string[][];
} {
  const byLabel = new Map<number | string, string[]>();
  for (const node of Object.keys(labels)) {
    const label = labels[node]!;
    let list = byLabel.get(label);
    if (list === undefined) byLabel.set(label, (list = []));
    list.push(node);
  }
  const members = [...byLabel.values()].map((list) => list.sort(compareIds));
  members.sort((a, b) => b.length - a.length || compareIds(a[0]!, b[0]!));
  const communityOf: Record<string, number> = Object.create(null);
  members.forEach((list, c) => {
    for (const node of list) communityOf[node] = c;
  });
  return { communityOf, members };
}

/**
 * Modularity of a partition of `graph`'s undirected simple view (graphology-metrics),
 * NaN when there are no edges.
 */
export function partitionModularity(
  graph: AbstractGraph,
  communityOf: Record<string, number | string>,
  options: Partial<Pick<CommunityOptions, 'resolution' | 'weighted' | 'weightAttribute'>> = {},
): number {
  const { resolution, weighted, weightAttribute } = { ...DEFAULT_COMMUNITY_OPTIONS, ...options };
  return modularityOfView(simpleUndirectedView(graph, { weighted, weightAttribute }), communityOf, resolution);
}

function modularityOfView(
  view: UndirectedGraph,
  communityOf: Record<string, number | string>,
  resolution: number,
): number {
  if (view.size === 0) return Number.NaN;
  return modularityOf(view, {
    getNodeCommunity: (node: string) => {
      const c = communityOf[node];
      if (c === undefined)
        throw new Error(`@ocgnet/analysis/groups/louvain: node ${JSON.stringify(node)} has no community`);
      return c;
    },
    getEdgeWeight: 'weight',
    resolution,
  });
}

/**
 * Communities of `graph`, by Leiden unless `algorithm: 'louvain'`.
 *
 * @example
 * const { communityOf, members, modularity } = communities(personGraph, { seed: 7 });
 */
export function communities(graph: AbstractGraph, options: Partial<CommunityOptions> = {}): Communities {
  if (
    graph === null ||
    typeof graph !== 'object' ||
    typeof (graph as { forEachNode?: unknown }).forEachNode !== 'function'
  ) {
    throw new TypeError('@ocgnet/analysis/groups/louvain: expected a graphology graph');
  }
  const settings = { ...DEFAULT_COMMUNITY_OPTIONS, ...options };
  if (!Number.isFinite(settings.resolution) || settings.resolution <= 0) {
    throw new RangeError(
      `@ocgnet/analysis/groups/louvain: resolution must be finite and positive, not ${settings.resolution}`,
    );
  }
  if (!Number.isInteger(settings.runs) || settings.runs < 1) {
    throw new RangeError(`@ocgnet/analysis/groups/louvain: runs must be a positive integer, not ${settings.runs}`);
  }
  const search = communitySearch(settings.algorithm);
  const csr = csrOf(graph, { weightAttribute: settings.weighted ? settings.weightAttribute : null });
  let best: Communities | undefined;
  const leiden = settings.algorithm === 'leiden';
  for (let run = 0; run < (leiden ? 1 : settings.runs); run++) {
    const found = leiden
      ? leidenOnCsr(csr, { seed: settings.seed, resolution: settings.resolution, runs: settings.runs })
      : search(csr, { seed: settings.seed + run, resolution: settings.resolution });
    // NaN (no edges) never beats the first run, which is then kept.
    if (best !== undefined && !(found.modularity > best.modularity)) continue;
    const labels: Record<string, number> = Object.create(null);
    for (let v = 0; v < csr.n; v++) labels[csr.ids[v]!] = found.membership[v]!;
    const { communityOf, members } = renumberPartition(labels);
    best = { communityOf, count: members.length, modularity: found.modularity, members };
  }
  return best!;
}

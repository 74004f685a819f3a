/**
 * Ego networks: a nominal and everyone within a few hops of them, the view a
 * partnership profile of one individual starts from.
 *
 * Breadth-first search on the unweighted CSR snapshot (direction ignored),
 * then a graphology subgraph of the nodes reached, with their attributes and
 * every edge between them. Node and edge sets equal networkx's
 * `ego_graph(G, centre, radius)` on the undirected graph.
 */
import type { AbstractGraph } from 'graphology-types';
import { compareIds, isSafeguardingNode } from '@ocgnet/schema';
import { csrOf } from '../csr.js';
import { checkNode, invalidOption } from './errors.js';
import { stripUndefined } from './search.js';

/** Options of {@link egoNetwork}. */
export interface EgoOptions {
  /** Hops from the centre: 1, 2 or 3. */
  radius: number;
  /**
   * Keep edges between alters at the same distance from the centre. When
   * false, only edges joining consecutive distances are kept (at radius 1,
   * the star of the centre's own associations).
   */
  includeEdgesBetweenAlters: boolean;
}

/** Defaults of {@link egoNetwork}: radius 1, every edge among the nodes reached. */
export const DEFAULT_EGO_OPTIONS: Readonly<EgoOptions> = Object.freeze({ radius: 1, includeEdgesBetweenAlters: true });

/** Radii an ego network may have: beyond 3 hops it is most of a network, not one person's. */
export const MAX_EGO_RADIUS = 3;

/** An ego network. */
export interface EgoNetwork<G extends AbstractGraph = AbstractGraph> {
  centre: string;
  radius: number;
  /**
   * The subgraph: same type and options as the source graph, the same node
   * and edge keys, and shallow copies of graph, node and edge attributes (in
   * the source graph's node order).
   */
  graph: G;
  /** Hops from the centre to each node of the subgraph (0 for the centre). */
  distance: Record<string, number>;
}

/**
 * The nodes within `radius` hops of `centre` and the edges between them.
 * Unknown ids throw a `NavigationError` (`UNKNOWN_NODE`), a radius other than
 * 1, 2 or 3 one with code `INVALID_OPTION`.
 */
export function egoNetwork<G extends AbstractGraph>(
  graph: G,
  centre: string,
  options: Partial<EgoOptions> = {},
): EgoNetwork<G> {
  checkNode(graph, centre, 'centre');
  const { radius, includeEdgesBetweenAlters } = { ...DEFAULT_EGO_OPTIONS, ...stripUndefined(options) };
  checkRadius(radius);
  if (typeof includeEdgesBetweenAlters !== 'boolean')
    throw invalidOption('includeEdgesBetweenAlters must be true or false');

  const csr = csrOf(graph, { weightAttribute: null });
  const hops = new Int32Array(csr.n).fill(-1);
  const start = csr.index.get(centre)!;
  hops[start] = 0;
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const u = queue[head]!;
    if (hops[u]! === radius) continue;
    for (let slot = csr.offsets[u]!; slot < csr.offsets[u + 1]!; slot++) {
      const v = csr.targets[slot]!;
      if (hops[v] !== -1) continue;
      hops[v] = hops[u]! + 1;
      queue.push(v);
    }
  }

  const sub = graph.nullCopy() as G;
  const distance: Record<string, number> = Object.create(null);
  const members = queue.slice().sort((a, b) => a - b);
  for (const i of members) {
    const key = csr.ids[i]!;
    sub.addNode(key, { ...graph.getNodeAttributes(key) });
    distance[key] = hops[i]!;
  }
  for (const i of members) {
    const key = csr.ids[i]!;
    graph.forEachEdge(key, (edge, attributes, source, target, _s, _t, undirected) => {
      if (sub.hasEdge(edge)) return;
      const other = source === key ? target : source;
      const d = distance[other];
      if (d === undefined) return;
      if (!includeEdgesBetweenAlters && Math.abs(d - hops[i]!) !== 1) return;
      if (undirected) sub.addUndirectedEdgeWithKey(edge, source, target, { ...attributes });
      else sub.addDirectedEdgeWithKey(edge, source, target, { ...attributes });
    });
  }
  return { centre, radius, graph: sub, distance };
}

/** Basic metrics of an ego network. */
export interface EgoSummary {
  centre: string;
  radius: number;
  /** Nodes, the centre included. */
  size: number;
  /** Edges of the subgraph (as graphology counts them). */
  edges: number;
  /** Distinct linked pairs over possible pairs, n(n − 1)/2; self-loops and direction ignored; 0 below two nodes. */
  density: number;
  /** Distinct neighbours of the centre within the ego network. */
  centreDegree: number;
  /** Alters at each distance: `alters[d - 1]` at distance d. */
  alters: number[];
  /**
   * Alters flagged `vulnerable`: present only when some node of the ego network
   * records the attribute, so that "none recorded" never reads as "none".
   */
  vulnerableAlters?: number;
  /** Alters flagged `under_18`, present on the same terms. */
  under18Alters?: number;
  /**
   * Keys of the safeguarding subjects among the alters (vulnerable, under 18,
   * exploited or cuckooed: `isSafeguardingNode`), sorted, to be protected and
   * shown; present when the graph records vulnerable or under 18, or when an
   * alter is flagged.
   */
  safeguardingAlters?: string[];
}

/**
 * Size, edges, density, the centre's degree and the alters by distance of the
 * ego network of `centre` at `radius` (default 1), with the vulnerable and
 * under-18 alters when the graph records those flags (as the person
 * projection does).
 */
export function egoSummary(
  graph: AbstractGraph,
  centre: string,
  radius: number = DEFAULT_EGO_OPTIONS.radius,
): EgoSummary {
  const ego = egoNetwork(graph, centre, { radius });
  const sub = ego.graph;
  const csr = csrOf(sub, { weightAttribute: null });
  const size = sub.order;
  const alters = new Array<number>(radius).fill(0);
  let recordsVulnerable = false;
  let recordsUnder18 = false;
  let vulnerable = 0;
  let under18 = 0;
  const safeguarding: string[] = [];
  sub.forEachNode((key, attributes) => {
    if ('vulnerable' in attributes) recordsVulnerable = true;
    if ('under_18' in attributes) recordsUnder18 = true;
    if (key === centre) return;
    alters[ego.distance[key]! - 1]!++;
    const isVulnerable = flagged(attributes.vulnerable);
    const isUnder18 = flagged(attributes.under_18);
    if (isVulnerable) vulnerable++;
    if (isUnder18) under18++;
    if (isVulnerable || isUnder18 || isSafeguardingNode(attributes)) safeguarding.push(key);
  });
  const c = csr.index.get(centre)!;
  const summary: EgoSummary = {
    centre,
    radius,
    size,
    edges: sub.size,
    density: size < 2 ? 0 : csr.m / ((size * (size - 1)) / 2),
    centreDegree: csr.offsets[c + 1]! - csr.offsets[c]!,
    alters,
  };
  if (recordsVulnerable) summary.vulnerableAlters = vulnerable;
  if (recordsUnder18) summary.under18Alters = under18;
  if (recordsVulnerable || recordsUnder18 || safeguarding.length > 0)
    summary.safeguardingAlters = safeguarding.sort(compareIds);
  return summary;
}

function checkRadius(radius: unknown): asserts radius is number {
  if (typeof radius !== 'number' || !Number.isInteger(radius) || radius < 1 || radius > MAX_EGO_RADIUS) {
    throw invalidOption(`radius must be 1, 2 or ${MAX_EGO_RADIUS}, not ${String(radius)}`);
  }
}

/** True for `true`, and for the strings and numbers research files use for it. */
function flagged(value: unknown): boolean {
  if (value === true || value === 1) return true;
  if (typeof value === 'string') return ['true', '1', 'yes', 'y'].includes(value.trim().toLowerCase());
  return false;
}

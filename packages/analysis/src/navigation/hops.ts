/**
 * From a path on the snapshot back to what an analyst reads: node keys, and
 * for each hop the association behind it (edge keys, weight, channels,
 * evidence, handling marking), with the strictest marking along the path.
 */
import type { AbstractGraph, Attributes } from 'graphology-types';
import { compareIds, strictestMarking, type Marking } from '@ocgnet/schema';
import { pathDistance, type IndexPath, type SearchSpace } from './search.js';

/**
 * One piece of evidence behind an association, as the person projection
 * records it (`@ocgnet/graph`'s `Evidence`): link ids and intermediate entity
 * ids read from the edge's source to its target, whichever way the path runs.
 */
export interface PathEvidence {
  channel: string;
  links: string[];
  via: string[];
  contribution: number;
}

/** One step of a path: the association between two consecutive nodes. */
export interface PathHop {
  from: string;
  to: string;
  /** Key of the edge joining them (the least in code-unit order, when several do). */
  edge: string;
  /** Keys of every edge joining them, sorted: parallel edges, or arcs both ways in a directed graph. */
  edges: string[];
  /** Association weight: the sum of `weightAttribute` over those edges (1 where absent). */
  weight: number;
  /** What the hop cost the search: 1 unweighted, else 1/w or w. */
  distance: number;
  /** Channels of the evidence, sorted, when the edges record them. */
  channels?: string[];
  /** Copies of the evidence items, when the edges record them. */
  evidence?: PathEvidence[];
  /** Strictest marking of the edges; an edge without one counts as P. */
  marking: Marking;
}

/** A path from one node to another, with the detail of every hop. */
export interface AssociationPath {
  /** Node keys from the first node to the last. */
  nodes: string[];
  hops: PathHop[];
  /** Number of hops. */
  length: number;
  /** Sum of the hop distances, in path order (equals `length` when unweighted). */
  distance: number;
  /** Strictest marking of the hops (P for a path of no hops): where the whole path may be shared. */
  marking: Marking;
}

/** Maps an index path back to keys and attaches each hop's edge attributes. */
export function describePath(
  graph: AbstractGraph,
  space: SearchSpace,
  path: IndexPath,
  weightAttribute: string,
): AssociationPath {
  const { csr, cost } = space;
  const nodes = path.nodes.map((i) => csr.ids[i]!);
  const hops: PathHop[] = [];
  for (let h = 0; h < path.edges.length; h++) {
    hops.push(describeHop(graph, nodes[h]!, nodes[h + 1]!, cost === null ? 1 : cost[path.edges[h]!]!, weightAttribute));
  }
  return {
    nodes,
    hops,
    length: hops.length,
    distance: pathDistance(space, path.edges),
    marking: strictestMarking(hops.map((hop) => hop.marking)),
  };
}

function describeHop(
  graph: AbstractGraph,
  from: string,
  to: string,
  distance: number,
  weightAttribute: string,
): PathHop {
  const keys =
    graph.type === 'undirected'
      ? graph.edges(from, to)
      : [...new Set([...graph.edges(from, to), ...graph.edges(to, from)])];
  if (keys.length > 1) keys.sort(compareIds);
  let weight = 0;
  const channels = new Set<string>();
  let hasChannels = false;
  const evidence: PathEvidence[] = [];
  let hasEvidence = false;
  const markings: Marking[] = [];
  for (const key of keys) {
    const attributes: Attributes = graph.getEdgeAttributes(key);
    const value = attributes[weightAttribute];
    weight += value === undefined ? 1 : Number(value);
    if (Array.isArray(attributes.channels)) {
      hasChannels = true;
      for (const channel of attributes.channels) channels.add(String(channel));
    }
    if (Array.isArray(attributes.evidence)) {
      hasEvidence = true;
      for (const item of attributes.evidence) evidence.push(copyEvidence(item));
    }
    if (isMarking(attributes.marking)) markings.push(attributes.marking);
  }
  const hop: PathHop = { from, to, edge: keys[0]!, edges: keys, weight, distance, marking: strictestMarking(markings) };
  if (hasChannels) hop.channels = [...channels].sort();
  if (hasEvidence) hop.evidence = evidence;
  return hop;
}

/** A copy the caller may change without changing the graph. */
function copyEvidence(item: unknown): PathEvidence {
  return structuredClone(item) as PathEvidence;
}

function isMarking(value: unknown): value is Marking {
  if (typeof value !== 'object' || value === null) return false;
  const { handling, conditions } = value as Partial<Marking>;
  return (handling === 'P' || handling === 'C' || handling === 'R') && Array.isArray(conditions);
}

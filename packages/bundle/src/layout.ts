/**
 * The layout a bundle carries, so that the viewer opens on a finished picture
 * and runs no layout of its own (issue 20: a 5,000-nominal town took minutes
 * of ForceAtlas2 in the browser).
 *
 * One starting layout, used here and by the viewer when a bundle has none:
 * community (or group) centres laid out by the ties between them, members
 * scattered around their centre by a hash of their id, so the same graph
 * always starts the same way. Then
 * ForceAtlas2 (graphology-layout-forceatlas2, the viewer's own engine) runs
 * synchronously on the person projection, and again on the multimodal
 * network with the persons pinned where the projection put them: a person
 * sits in the same place in both views. No randomness is drawn anywhere, so a
 * bundle's layout is a function of its graphs and the iteration count.
 */
import Graph from 'graphology';
import type { Attributes } from 'graphology-types';
import forceAtlas2 from 'graphology-layout-forceatlas2';
import type { SerializedGraph, ViewerBundle, ViewerLayout } from './contract.js';

/** A number in [0, 1) from a string: FNV-1a, salted, so a node's place does not depend on the node order. */
function hashUnit(text: string, salt: number): number {
  let h = 2166136261 ^ salt;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return ((h >>> 0) % 100_000) / 100_000;
}

/** How far a group's members are scattered from its centre. */
function groupSpread(size: number): number {
  return 10 + 3 * Math.sqrt(size);
}

/**
 * Where each group's centre goes: ForceAtlas2 on the graph of groups (one
 * node per group, as large as its members' disc, edges weighted by the ties
 * between groups), started from a circle, with sizes kept apart. Groups that
 * share many ties start next to each other, and a network of thousands of
 * communities does not start as one ring.
 */
function groupCentres(
  graph: Graph,
  groupOf: (node: string, attributes: Attributes) => string,
  sizes: ReadonlyMap<string, number>,
): Map<string, readonly [number, number]> {
  const order = [...sizes.keys()].sort();
  const groups = new Graph({ type: 'undirected', multi: false, allowSelfLoops: false });
  order.forEach((group, i) => {
    const angle = (2 * Math.PI * i) / order.length;
    groups.addNode(group, {
      x: Math.cos(angle) * 100,
      y: Math.sin(angle) * 100,
      size: groupSpread(sizes.get(group)!),
    });
  });
  graph.forEachEdge((_edge, _attributes, source, target, sourceAttributes, targetAttributes) => {
    const from = groupOf(source, sourceAttributes);
    const to = groupOf(target, targetAttributes);
    if (from === to) return;
    groups.updateEdge(from, to, (attributes) => ({ weight: ((attributes.weight as number | undefined) ?? 0) + 1 }));
  });
  if (groups.order > 1 && groups.size > 0) {
    const settings = {
      ...forceAtlas2.inferSettings(groups),
      adjustSizes: true,
      barnesHutOptimize: groups.order > 1000,
    };
    forceAtlas2.assign(groups, { iterations: 100, settings, getEdgeWeight: 'weight' });
  }
  const centres = new Map<string, readonly [number, number]>();
  groups.forEachNode((group, { x, y }) => centres.set(group, [x as number, y as number]));
  return centres;
}

/** A deterministic starting layout: group centres laid out by their ties, members scattered around them. */
export function seedPositions(graph: Graph, groupOf: (node: string, attributes: Attributes) => string): void {
  const sizes = new Map<string, number>();
  graph.forEachNode((node, attributes) => {
    const group = groupOf(node, attributes);
    sizes.set(group, (sizes.get(group) ?? 0) + 1);
  });
  const centres = groupCentres(graph, groupOf, sizes);
  graph.forEachNode((node, attributes) => {
    const group = groupOf(node, attributes);
    const [cx, cy] = centres.get(group)!;
    const angle = hashUnit(node, 1) * 2 * Math.PI;
    const radius = Math.sqrt(hashUnit(node, 2)) * groupSpread(sizes.get(group)!);
    graph.mergeNodeAttributes(node, { x: cx + Math.cos(angle) * radius, y: cy + Math.sin(angle) * radius });
  });
}

/** How a person is grouped for the starting layout: its community, else its mapped group. */
export function personGroup(_node: string, attributes: Attributes): string {
  return String(attributes.community ?? attributes.mappedGroup ?? '');
}

export interface BundleLayoutOptions {
  /** Most ForceAtlas2 iterations on each graph (fewer on large graphs: see {@link LAYOUT_WORK}). */
  iterations: number;
}

export const DEFAULT_BUNDLE_LAYOUT_OPTIONS: BundleLayoutOptions = { iterations: 300 };

/**
 * Node-iterations one graph's ForceAtlas2 may spend: a graph of n nodes gets
 * min(iterations, max(30, LAYOUT_WORK / n)). ForceAtlas2 with Barnes–Hut
 * costs about 2.5 ms per 1,000 nodes per iteration here, so the medium town
 * (4,939 persons, 18,218 entities) took 57 s at 300 iterations on both
 * graphs; with this budget the persons get 122 and the network 33.
 */
export const LAYOUT_WORK = 600_000;

function iterationsFor(graph: Graph, most: number): number {
  return Math.min(most, Math.max(30, Math.ceil(LAYOUT_WORK / Math.max(1, graph.order))));
}

/**
 * Places each entity of the network that is not a person at the mean of its
 * placed neighbours (persons first, then outwards), with a small jitter from
 * its id, so ForceAtlas2 starts from entities already among the people who
 * share them and needs few iterations. Entities with no placed neighbour keep
 * their seeded place.
 */
function placeAmongNeighbours(network: Graph, placed: Set<string>): void {
  let frontier = [...placed];
  while (frontier.length > 0) {
    const next = new Set<string>();
    for (const node of frontier)
      network.forEachNeighbor(node, (neighbour) => {
        if (!placed.has(neighbour)) next.add(neighbour);
      });
    for (const node of next) {
      let x = 0;
      let y = 0;
      let count = 0;
      network.forEachNeighbor(node, (neighbour, attributes) => {
        if (!placed.has(neighbour)) return;
        x += attributes.x as number;
        y += attributes.y as number;
        count++;
      });
      const angle = hashUnit(node, 3) * 2 * Math.PI;
      network.mergeNodeAttributes(node, { x: x / count + Math.cos(angle), y: y / count + Math.sin(angle) });
    }
    for (const node of next) placed.add(node);
    frontier = [...next];
  }
}

/** The nodes and edges of a serialized graph as a simple undirected graph, the shape ForceAtlas2 lays out. */
function layoutGraph(serialized: SerializedGraph): Graph {
  const graph = new Graph({ type: 'undirected', multi: false, allowSelfLoops: false });
  for (const node of serialized.nodes) graph.mergeNode(node.key, { ...(node.attributes ?? {}) });
  for (const edge of serialized.edges) {
    if (edge.source !== edge.target && graph.hasNode(edge.source) && graph.hasNode(edge.target))
      graph.mergeEdge(edge.source, edge.target);
  }
  return graph;
}

function runForceAtlas2(graph: Graph, most: number): number {
  if (graph.order === 0 || most === 0) return 0;
  const iterations = iterationsFor(graph, most);
  const settings = { ...forceAtlas2.inferSettings(graph), barnesHutOptimize: graph.order > 1000, adjustSizes: false };
  forceAtlas2.assign(graph, { iterations, settings, getEdgeWeight: null });
  return iterations;
}

/**
 * The ForceAtlas2 layout of a bundle's two graphs: positions for every person
 * of `bundle.graph` and every entity of `bundle.network`, by node key.
 */
export function layoutBundle(
  bundle: ViewerBundle,
  options: Partial<BundleLayoutOptions> = {},
  onProgress?: (done: number, total: number, step: 'persons' | 'network') => void,
): ViewerLayout {
  const { iterations } = { ...DEFAULT_BUNDLE_LAYOUT_OPTIONS, ...options };
  if (!(Number.isInteger(iterations) && iterations >= 0))
    throw new RangeError(`@ocgnet/bundle/layout: iterations must be a whole number, not ${iterations}`);
  onProgress?.(0, 2, 'persons');
  const persons = layoutGraph(bundle.graph);
  seedPositions(persons, personGroup);
  const personIterations = runForceAtlas2(persons, iterations);
  onProgress?.(1, 2, 'network');

  const network = layoutGraph(bundle.network);
  seedPositions(network, (node, attributes) =>
    persons.hasNode(node) ? personGroup(node, persons.getNodeAttributes(node)) : String(attributes.kind ?? ''),
  );
  // Persons stay where the projection put them; the other entities settle around them.
  const pinned = new Set<string>();
  network.forEachNode((node) => {
    if (!persons.hasNode(node)) return;
    network.mergeNodeAttributes(node, {
      x: persons.getNodeAttribute(node, 'x'),
      y: persons.getNodeAttribute(node, 'y'),
      fixed: true,
    });
    pinned.add(node);
  });
  placeAmongNeighbours(network, pinned);
  runForceAtlas2(network, iterations);
  onProgress?.(2, 2, 'network');

  const positions: Record<string, [number, number]> = {};
  for (const graph of [network, persons])
    graph.forEachNode((node, { x, y }) => {
      positions[node] = [x as number, y as number];
    });
  // The persons' count: the view the viewer opens on, and what it adds its own iterations to.
  return { algorithm: 'forceatlas2', iterations: personIterations, positions };
}

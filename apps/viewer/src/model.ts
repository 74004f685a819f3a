/**
 * What the viewer holds once a bundle is open: the two graphs (person
 * projection and multimodal network) ready for sigma, the choices the
 * filters offer, and the pure functions that turn a ViewState into what is
 * visible and into live fragmentation figures.
 */
import Graph, { MultiGraph } from 'graphology';
import type { Attributes } from 'graphology-types';
import { csrFromEdgeArrays } from '@ocgnet/analysis';
import { connectivity, distanceConnectivity } from '@ocgnet/disruption';
import type { ViewerBundle } from '@ocgnet/bundle';
import { personGroup, seedPositions } from '@ocgnet/bundle/layout';
import { METRICS, dayOf, type MetricName, type ViewName, type ViewState } from './state.js';
import { VisibilityIndex } from './visibilityIndex.js';

export const UNMAPPED = '(unmapped)';
export const UNDATED_NOTE = 'Undated links are shown only when the window covers the full range.';
/** Live efficiency (one BFS per node) is computed up to this many nodes. */
export const EFFICIENCY_LIMIT = 2500;

export interface Loaded {
  bundle: ViewerBundle;
  /** Where it came from: a file name, or "server". */
  source: string;
  served: boolean;
  persons: Graph;
  network: Graph;
  /** Choices for the filters. */
  linkTypes: { persons: string[]; network: string[] };
  handling: string[];
  /** Grading filter items present in the bundle (see {@link gradingItems}), in a fixed order. */
  gradings: string[];
  groups: string[];
  kinds: string[];
  /** Day range over every dated edge of both graphs; null when nothing is dated. */
  range: [number, number] | null;
  metricRange: Record<MetricName, [number, number]>;
  /** Edge intervals in days, per graph, by edge key. */
  intervals: Map<Graph, Map<string, [number | undefined, number | undefined]>>;
  /** Person → mapped group (or UNMAPPED). */
  groupOf: Map<string, string>;
  /** What the filters read of each graph, as class ids: built once, read on every view change. */
  indexes: Map<Graph, VisibilityIndex>;
  /** Search index: lower-case "label id aliases" per node of either graph. */
  search: { id: string; label: string; kind: string; aliases: string[]; haystack: string }[];
}

function importGraph(serialized: ViewerBundle['graph'], multi: boolean): Graph {
  const graph = multi
    ? new MultiGraph({ type: 'mixed', allowSelfLoops: true })
    : new Graph({ type: 'mixed', allowSelfLoops: true });
  for (const node of serialized.nodes) graph.mergeNode(node.key, { ...(node.attributes ?? {}) });
  for (const edge of serialized.edges) {
    const attributes = { ...(edge.attributes ?? {}) };
    if (!graph.hasNode(edge.source) || !graph.hasNode(edge.target)) continue;
    const undirected = edge.undirected !== false || serialized.options?.type === 'undirected';
    if (edge.key !== undefined && graph.hasEdge(edge.key)) continue;
    if (!multi && graph.hasEdge(edge.source, edge.target)) continue;
    if (edge.key !== undefined) {
      if (undirected) graph.addUndirectedEdgeWithKey(edge.key, edge.source, edge.target, attributes);
      else graph.addDirectedEdgeWithKey(edge.key, edge.source, edge.target, attributes);
    } else if (undirected) graph.addUndirectedEdge(edge.source, edge.target, attributes);
    else graph.addDirectedEdge(edge.source, edge.target, attributes);
  }
  return graph;
}

/** Label as text: whatever the data holds, the viewer shows a string. */
function text(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? fallback : String(value);
}

/** The handling code of a node or edge: its `handling`, else its marking's; unmarked (research data) counts as P. */
export function handlingOf(attributes: Attributes): string {
  return text(attributes.handling ?? (attributes.marking as { handling?: string } | undefined)?.handling, 'P');
}

export const LEGACY_GRADING = 'legacy 5x5x5';
const GRADING_ORDER = [
  'source 1',
  'source 2',
  'source 3',
  'intelligence A',
  'intelligence B',
  'intelligence C',
  'intelligence D',
  'intelligence E',
  LEGACY_GRADING,
];

/**
 * The filter items a grading string (as `formatGrading` writes it) belongs to:
 * "2B P" (3x5x2) → ["source 2", "intelligence B"]; "5x5x5:…" → ["legacy 5x5x5"];
 * anything else → [] (never filtered).
 */
export function gradingItems(grading: unknown): string[] {
  if (typeof grading !== 'string') return [];
  if (grading.startsWith('5x5x5')) return [LEGACY_GRADING];
  const match = /^([123])([A-E])\b/.exec(grading);
  return match ? [`source ${match[1]}`, `intelligence ${match[2]}`] : [];
}

/** The grading strings of an edge: a network link's `grading`, or a person edge's `gradings` (its evidence links'). */
function gradingsOf(graph: Graph, loaded: Pick<Loaded, 'persons'>, attributes: Attributes): string[] {
  if (graph === loaded.persons)
    return Array.isArray(attributes.gradings) ? (attributes.gradings as unknown[]).map(String) : [];
  return typeof attributes.grading === 'string' ? [attributes.grading] : [];
}

export function loadBundle(bundle: ViewerBundle, source: string, served: boolean): Loaded {
  const persons = importGraph(bundle.graph, false);
  const network = importGraph(bundle.network, true);
  const groupOf = new Map<string, string>();
  persons.forEachNode((node, attributes) => {
    groupOf.set(node, typeof attributes.mappedGroup === 'string' ? attributes.mappedGroup : UNMAPPED);
    persons.mergeNodeAttributes(node, { label: text(attributes.label, node), kind: 'person' });
  });
  network.forEachNode((node, attributes) => {
    network.mergeNodeAttributes(node, { label: text(attributes.label, node), kind: text(attributes.kind, 'entity') });
    if (attributes.kind === 'person' && !groupOf.has(node)) groupOf.set(node, UNMAPPED);
  });

  const positions = bundle.layout?.positions;
  seedPositions(persons, personGroup);
  seedPositions(network, (node, attributes) =>
    persons.hasNode(node) ? personGroup(node, persons.getNodeAttributes(node)) : text(attributes.kind, ''),
  );
  // Persons sit where they sit in the projection, in both views.
  network.forEachNode((node) => {
    if (persons.hasNode(node))
      network.mergeNodeAttributes(node, {
        x: persons.getNodeAttribute(node, 'x'),
        y: persons.getNodeAttribute(node, 'y'),
      });
  });
  if (positions) {
    for (const graph of [persons, network]) {
      graph.forEachNode((node) => {
        const at = positions[node];
        if (at) graph.mergeNodeAttributes(node, { x: at[0], y: at[1] });
      });
    }
  }

  const intervals = new Map<Graph, Map<string, [number | undefined, number | undefined]>>();
  let low = Infinity;
  let high = -Infinity;
  const linkTypes = { persons: new Set<string>(), network: new Set<string>() };
  const handling = new Set<string>();
  const gradings = new Set<string>();
  for (const [graph, startKey, endKey] of [
    [persons, 'firstSeen', 'lastSeen'],
    [network, 'start', 'end'],
  ] as const) {
    const byEdge = new Map<string, [number | undefined, number | undefined]>();
    graph.forEachEdge((edge, attributes) => {
      const start = dayOf(attributes[startKey]);
      const end = dayOf(attributes[endKey]);
      byEdge.set(edge, [start, end]);
      for (const day of [start, end]) {
        if (day === undefined) continue;
        if (day < low) low = day;
        if (day > high) high = day;
      }
      handling.add(handlingOf(attributes));
      for (const grading of gradingsOf(graph, { persons }, attributes))
        for (const item of gradingItems(grading)) gradings.add(item);
      if (graph === persons)
        for (const type of Array.isArray(attributes.linkTypes) ? attributes.linkTypes : [])
          linkTypes.persons.add(String(type));
      else if (attributes.type !== undefined) linkTypes.network.add(String(attributes.type));
    });
    intervals.set(graph, byEdge);
    // Entities are marked too (an event from a CHIS report, a C-graded attribute): the filter offers their codes.
    graph.forEachNode((_node, attributes) => handling.add(handlingOf(attributes)));
  }

  const metricRange = Object.create(null) as Record<MetricName, [number, number]>;
  for (const metric of METRICS) {
    let min = Infinity;
    let max = -Infinity;
    persons.forEachNode((_node, attributes) => {
      const value = attributes[metric];
      if (typeof value === 'number' && Number.isFinite(value)) {
        if (value < min) min = value;
        if (value > max) max = value;
      }
    });
    metricRange[metric] = Number.isFinite(min) ? [min, max] : [0, 0];
  }

  const search: Loaded['search'] = [];
  const seen = new Set<string>();
  for (const graph of [persons, network]) {
    graph.forEachNode((node, attributes) => {
      if (seen.has(node)) return;
      seen.add(node);
      const label = text(attributes.label, node);
      // Aliases come only in bundles built for an audience that may see them (packages/bundle build.ts).
      const aliases = Array.isArray(attributes.aliases) ? (attributes.aliases as unknown[]).map(String) : [];
      search.push({
        id: node,
        label,
        kind: text(attributes.kind, ''),
        aliases,
        haystack: [label, node, ...aliases].join('\u0000').toLowerCase(),
      });
    });
  }
  const indexes = new Map<Graph, VisibilityIndex>();
  for (const graph of [persons, network]) {
    const byEdge = intervals.get(graph)!;
    indexes.set(
      graph,
      new VisibilityIndex(
        graph,
        (node, attributes) => ({
          kind: text(attributes.kind, 'entity'),
          // The group filter hides persons only.
          group: attributes.kind === 'person' ? (groupOf.get(node) ?? UNMAPPED) : null,
          handling: handlingOf(attributes),
        }),
        (edge, attributes) => ({
          handling: handlingOf(attributes),
          gradings: gradingsOf(graph, { persons }, attributes),
          types: linkTypesOf(graph, { persons }, attributes),
          start: byEdge.get(edge)?.[0],
          end: byEdge.get(edge)?.[1],
        }),
      ),
    );
  }

  const kinds = new Set<string>();
  network.forEachNode((_node, attributes) => kinds.add(text(attributes.kind, 'entity')));
  if (network.order === 0) kinds.add('person');

  return {
    bundle,
    source,
    served,
    persons,
    network,
    linkTypes: { persons: [...linkTypes.persons].sort(), network: [...linkTypes.network].sort() },
    handling: [...handling].sort(),
    gradings: GRADING_ORDER.filter((item) => gradings.has(item)),
    groups: [...new Set(groupOf.values())].sort(),
    kinds: [...kinds].sort(),
    range: Number.isFinite(low) ? [low, high] : null,
    metricRange,
    intervals,
    groupOf,
    indexes,
    search,
  };
}

export function graphOf(loaded: Loaded, view: ViewName): Graph {
  return view === 'network' && loaded.network.order > 0 ? loaded.network : loaded.persons;
}

export interface Visibility {
  graph: Graph;
  nodes: Set<string>;
  edges: Set<string>;
  removed: Set<string>;
  /** Nodes and edges on the highlighted shortest path; empty when none. */
  pathNodes: Set<string>;
  pathEdges: Set<string>;
  /** Why a requested path is missing, if it is. */
  pathNote: string | null;
}

/**
 * Grading rule: a network link is hidden when any item of its grading (its source
 * or its intelligence grade, or "legacy 5x5x5") is hidden; a person edge is hidden
 * when every one of its evidence links' gradings is. Edges without a grading are never hidden.
 */
export function gradingPasses(gradings: readonly string[], hidden: ReadonlySet<string>): boolean {
  if (hidden.size === 0 || gradings.length === 0) return true;
  return gradings.some((grading) => gradingItems(grading).every((item) => !hidden.has(item)));
}

/**
 * Link-type rule: a person edge is hidden when every one of its link types is hidden; a network
 * link when its type is (an edge without types is never hidden).
 */
function linkTypesOf(graph: Graph, loaded: Pick<Loaded, 'persons'>, attributes: Attributes): string[] {
  if (graph === loaded.persons)
    return Array.isArray(attributes.linkTypes) ? (attributes.linkTypes as unknown[]).map(String) : [];
  return [String(attributes.type)];
}

function bfs(
  graph: Graph,
  start: string,
  nodes: Set<string>,
  edges: Set<string>,
  limit: number,
): Map<string, { depth: number; via: string | null; edge: string | null }> {
  const reached = new Map<string, { depth: number; via: string | null; edge: string | null }>([
    [start, { depth: 0, via: null, edge: null }],
  ]);
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head]!;
    const depth = reached.get(node)!.depth;
    if (depth >= limit) continue;
    graph.forEachEdge(node, (edge, _attributes, source, target) => {
      if (!edges.has(edge)) return;
      const other = source === node ? target : source;
      if (reached.has(other) || !nodes.has(other)) return;
      reached.set(other, { depth: depth + 1, via: node, edge });
      queue.push(other);
    });
  }
  return reached;
}

/** What the current state shows. O(n + m). */
export function computeVisibility(loaded: Loaded, state: ViewState): Visibility {
  const graph = graphOf(loaded, state.view);
  const removed = new Set(state.removed.filter((node) => graph.hasNode(node)));
  // The handling filter hides marked entities as it hides marked links; their links go with them.
  const { nodes, edges } = loaded.indexes.get(graph)!.visible(
    {
      hiddenKinds: new Set(graph === loaded.network ? state.hiddenKinds : []),
      hiddenGroups: new Set(state.hiddenGroups),
      hiddenHandling: new Set(state.hiddenHandling),
      hiddenGradings: new Set(state.hiddenGradings),
      hiddenLinkTypes: new Set(state.hiddenLinkTypes),
      window: state.window,
      removed,
    },
    gradingPasses,
  );
  if (state.focus && nodes.has(state.focus.node)) {
    const reached = bfs(graph, state.focus.node, nodes, edges, state.focus.radius);
    for (const node of [...nodes]) if (!reached.has(node)) nodes.delete(node);
    for (const edge of [...edges])
      if (!nodes.has(graph.source(edge)) || !nodes.has(graph.target(edge))) edges.delete(edge);
  }
  const pathNodes = new Set<string>();
  const pathEdges = new Set<string>();
  let pathNote: string | null = null;
  if (state.path) {
    const { from, to } = state.path;
    if (!nodes.has(from) || !nodes.has(to)) pathNote = 'one end of the path is hidden by the filters';
    else {
      const reached = bfs(graph, from, nodes, edges, Infinity);
      if (!reached.has(to)) pathNote = 'no path between them in the network as shown';
      else {
        for (let node: string | null = to; node !== null;) {
          const step: { via: string | null; edge: string | null } = reached.get(node)!;
          pathNodes.add(node);
          if (step.edge) pathEdges.add(step.edge);
          node = step.via;
        }
      }
    }
  }
  return { graph, nodes, edges, removed, pathNodes, pathEdges, pathNote };
}

export interface Fragmentation {
  nodes: number;
  remaining: number;
  lcc: number;
  components: number;
  fragmentation: number;
  /** NaN above EFFICIENCY_LIMIT nodes. */
  efficiency: number;
}

/**
 * Fragmentation of the network as shown (filters applied) with and without
 * the what-if removals, by @ocgnet/disruption's own measures.
 */
export function fragmentationOf(visibility: Visibility): { before: Fragmentation; after: Fragmentation } {
  const ids = [...visibility.nodes];
  const index = new Map(ids.map((id, i) => [id, i]));
  const sources: number[] = [];
  const targets: number[] = [];
  const graph = visibility.graph;
  const add = (edge: string) => {
    sources.push(index.get(graph.source(edge))!);
    targets.push(index.get(graph.target(edge))!);
  };
  for (const edge of visibility.edges) add(edge);
  // Edges of removed nodes count before removal: take them back from the graph.
  for (const node of visibility.removed) {
    if (!visibility.nodes.has(node)) continue;
    graph.forEachEdge(node, (edge, _attributes, source, target) => {
      if (visibility.nodes.has(source) && visibility.nodes.has(target) && !visibility.edges.has(edge)) add(edge);
    });
  }
  // Repeated pairs are one tie and self-loops are left out, as in the simple graph the measures assume.
  const csr = csrFromEdgeArrays(ids, Int32Array.from(sources), Int32Array.from(targets), null);
  const none = new Uint8Array(csr.n);
  const mask = new Uint8Array(csr.n);
  for (const node of visibility.removed) {
    const index = csr.index.get(node);
    if (index !== undefined) mask[index] = 1;
  }
  const measure = (removed: Uint8Array): Fragmentation => {
    const state = connectivity(csr, removed);
    return {
      nodes: csr.n,
      remaining: state.remaining,
      lcc: state.lcc,
      components: state.components,
      fragmentation: state.fragmentation,
      efficiency: state.remaining <= EFFICIENCY_LIMIT ? distanceConnectivity(csr, removed).efficiency : Number.NaN,
    };
  };
  const before = measure(none);
  return { before, after: visibility.removed.size > 0 ? measure(mask) : before };
}

/** The alias of a search hit that `query` matched, when its label and id did not. */
export function matchedAlias(hit: Loaded['search'][number], query: string): string | null {
  const needle = query.trim().toLowerCase();
  if (needle === '' || `${hit.label}\u0000${hit.id}`.toLowerCase().includes(needle)) return null;
  return hit.aliases.find((alias) => alias.toLowerCase().includes(needle)) ?? null;
}

/** Nodes whose label, id or alias contains `query` (case-insensitive), labels starting with it first. */
export function searchNodes(loaded: Loaded, query: string, limit = 20): Loaded['search'] {
  const needle = query.trim().toLowerCase();
  if (needle === '') return [];
  const hits = loaded.search.filter((entry) => entry.haystack.includes(needle));
  hits.sort(
    (a, b) =>
      Number(!a.haystack.startsWith(needle)) - Number(!b.haystack.startsWith(needle)) || a.label.localeCompare(b.label),
  );
  return hits.slice(0, limit);
}

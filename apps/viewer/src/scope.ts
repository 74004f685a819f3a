/**
 * Which of the three ways of looking at the network the view state asks for, as one
 * Visibility for the renderer: subject first (expand.ts), the community overview
 * (overview.ts), or the whole graph (model.ts). The overview gives way to an ego
 * network or a path, which are drawn on the persons themselves.
 */
import type Graph from 'graphology';
import { subjectScope, type SubjectScope } from './expand.js';
import { UNMAPPED, computeVisibility, graphOf, type Loaded, type Visibility } from './model.js';
import { OVERVIEW_THRESHOLD, buildOverview } from './overview.js';
import { DEFAULT_VIEW, type ViewState } from './state.js';

export interface ScopedVisibility extends Visibility {
  /** The overview graph when it is drawn. */
  overview: Graph | null;
  subject: SubjectScope | null;
  /**
   * What the what-if figures and strategies measure: in the overview, the persons under the
   * filters (never community nodes); otherwise what is shown.
   */
  measured: Visibility;
}

const overviewCache = new WeakMap<Loaded, { key: string; graph: Graph }>();

function overviewGraph(loaded: Loaded, state: ViewState, base: Visibility): Graph {
  const key = JSON.stringify([
    state.openCommunities,
    state.hiddenLinkTypes,
    state.hiddenHandling,
    state.hiddenGradings,
    state.hiddenGroups,
    state.window,
    state.removed,
  ]);
  const cached = overviewCache.get(loaded);
  if (cached?.key === key) return cached.graph;
  const graph = buildOverview(loaded.persons, {
    nodes: base.nodes,
    edges: base.edges,
    open: new Set(state.openCommunities),
    groupOf: (person) => loaded.groupOf.get(person) ?? UNMAPPED,
    unmapped: UNMAPPED,
  });
  overviewCache.set(loaded, { key, graph });
  return graph;
}

export function showsOverview(state: ViewState): boolean {
  return state.overview && state.subject === null && state.focus === null && state.path === null;
}

export function scopedVisibility(loaded: Loaded, state: ViewState): ScopedVisibility {
  if (state.subject !== null && graphOf(loaded, state.view).hasNode(state.subject)) {
    const base = computeVisibility(loaded, state);
    const subject = subjectScope(base.graph, state.subject, state.expanded, base.nodes, base.edges);
    const nodes = new Set([...base.nodes].filter((node) => subject.shown.has(node)));
    nodes.add(state.subject);
    const edges = new Set(
      [...base.edges].filter((edge) => nodes.has(base.graph.source(edge)) && nodes.has(base.graph.target(edge))),
    );
    const shown = { ...base, nodes, edges };
    return { ...shown, overview: null, subject, measured: shown };
  }
  if (showsOverview(state)) {
    const base = computeVisibility(loaded, { ...state, view: 'persons' });
    const graph = overviewGraph(loaded, state, base);
    const nodes = new Set(graph.nodes());
    const edges = new Set(graph.edges());
    return {
      ...base,
      graph,
      nodes,
      edges,
      pathNodes: new Set(),
      pathEdges: new Set(),
      overview: graph,
      subject: null,
      measured: base,
    };
  }
  const visibility = computeVisibility(loaded, state);
  return { ...visibility, overview: null, subject: null, measured: visibility };
}

/** The view a bundle opens on: the overview above OVERVIEW_THRESHOLD persons (a subject in the address comes after, audited). */
export function initialView(loaded: Loaded): ViewState {
  return { ...DEFAULT_VIEW, overview: loaded.persons.order > OVERVIEW_THRESHOLD };
}

/** `state` opened on `node`: the persons view for a nominal, the network for any other entity; null when absent. */
export function subjectView(loaded: Loaded, state: ViewState, node: string): ViewState | null {
  const inPersons = loaded.persons.hasNode(node);
  if (!inPersons && !loaded.network.hasNode(node)) return null;
  return {
    ...state,
    view: inPersons ? 'persons' : 'network',
    subject: node,
    expanded: [],
    focus: null,
    path: null,
  };
}

/**
 * Sigma on the current graph. Nothing is ever dropped from the graphs:
 * filters, focus, paths and removals are applied by sigma's reducers from a
 * precomputed Visibility, so ForceAtlas2 keeps running on a stable graph.
 * Labels are drawn on canvas by sigma (never as HTML).
 */
import Sigma from 'sigma';
import type { Attributes } from 'graphology-types';
import { createNodeBorderProgram } from '@sigma/node-border';
import { LayoutRunner } from './layoutRunner.js';
import { UNMAPPED, type Loaded, type Visibility } from './model.js';
import { CATEGORY_PALETTE, OTHER_COLOUR } from './palette.js';
import { communityColours, communityOf, groupColours } from './communities.js';
import { communitySize, largestCommunity } from './overview.js';
import { LabelCollisions } from './labels.js';
import type { ViewState } from './state.js';

/** Nodes + edges up to which zIndex ordering is on and edges stay drawn while panning. */
export const SMALL_GRAPH = 10_000;
/** Above SMALL_GRAPH a running layout is drawn at most this often, leaving the CPU to the worker. */
export const LARGE_GRAPH_DRAW_EVERY_MS = 250;

/** Community and group colours: palette.ts (colour-blind safe, none shared with the colours below). */
export const PALETTE = CATEGORY_PALETTE;
export const SAFEGUARDING_COLOUR = '#e6007e';
export const CUCKOOED_COLOUR = '#ff7f0e';
export const REMOVED_COLOUR = '#d0d0d0';
export const PATH_COLOUR = '#d62728';
export const DIM_COLOUR = '#eceef0';
/** Removed (what-if) nodes keep a dark ring and a "(removed)" label; dimmed ones are only paler, unlabelled. */
export const REMOVED_RING = '#4a545e';
export const UNMAPPED_COLOUR = '#b0b7bf';
export const KIND_COLOURS: Record<string, string> = {
  person: '#1f77b4',
  ocg: '#393b79',
  usg: '#9467bd',
  location: '#2ca02c',
  vehicle: '#8c564b',
  phone: '#17becf',
  business: '#bcbd22',
  event: '#7f7f7f',
};

export function isSafeguarding(attributes: Attributes): boolean {
  return (
    attributes.safeguarding === true ||
    attributes.vulnerable === true ||
    attributes.under_18 === true ||
    attributes.exploited === true ||
    (attributes.kind === 'person' && attributes.cuckooed === true)
  );
}

export function isCuckooedAddress(attributes: Attributes): boolean {
  return attributes.kind !== 'person' && attributes.cuckooed === true;
}

export interface Style {
  loaded: Loaded;
  state: ViewState;
  visibility: Visibility;
  selected: string | null;
  hovered: string | null;
}

export function groupColour(loaded: Loaded, group: string): string {
  if (group === UNMAPPED) return UNMAPPED_COLOUR;
  return groupColours(loaded.groupOf, UNMAPPED).colourOf.get(group) ?? OTHER_COLOUR;
}

export function nodeColour(style: Style, node: string, attributes: Attributes): string {
  const { loaded, state } = style;
  if (attributes.kind === 'community') return groupColour(loaded, String(attributes.dominantGroup));
  if (state.colourBy === 'kind' || (attributes.kind !== undefined && attributes.kind !== 'person'))
    return KIND_COLOURS[String(attributes.kind)] ?? '#555555';
  if (state.colourBy === 'group') return groupColour(loaded, loaded.groupOf.get(node) ?? UNMAPPED);
  const community = loaded.persons.hasNode(node) ? loaded.persons.getNodeAttribute(node, 'community') : undefined;
  return typeof community === 'number'
    ? (communityColours(loaded.persons).colourOf.get(communityOf({ community })) ?? OTHER_COLOUR)
    : UNMAPPED_COLOUR;
}

export function nodeSize(style: Style, node: string, attributes: Attributes): number {
  const { loaded, state } = style;
  if (attributes.kind === 'community')
    return communitySize(Number(attributes.members), largestCommunity(style.visibility.graph));
  const source = loaded.persons.hasNode(node) ? loaded.persons.getNodeAttributes(node) : null;
  if (!source) return attributes.kind === 'ocg' || attributes.kind === 'usg' ? 8 : 3;
  return metricSize(source[state.sizeBy], loaded.metricRange[state.sizeBy]);
}

/** A person's disc for a metric value within its range (also the size legend's discs). */
export function metricSize(value: unknown, [min, max]: [number, number]): number {
  const unit = typeof value === 'number' && Number.isFinite(value) && max > min ? (value - min) / (max - min) : 0;
  return 3 + 12 * Math.sqrt(unit);
}

/**
 * Whether a new style differs from the old only in what is visible or removed (and the
 * selection): colours and sizes of everything else are unchanged, so only the nodes and links
 * that changed need new display data. A highlighted path recolours every node: not this case.
 */
function onlyVisibilityChanged(before: Style, after: Style): boolean {
  return (
    before.state.colourBy === after.state.colourBy &&
    before.state.sizeBy === after.state.sizeBy &&
    before.visibility.pathNodes.size === 0 &&
    after.visibility.pathNodes.size === 0
  );
}

/** The nodes shown, hidden, removed or restored, and the links shown or hidden, between two visibilities of one graph. */
export function visibilityChanges(before: Visibility, after: Visibility): { nodes: string[]; edges: string[] } {
  const nodes: string[] = [];
  const edges: string[] = [];
  after.graph.forEachNode((node) => {
    if (before.nodes.has(node) !== after.nodes.has(node) || before.removed.has(node) !== after.removed.has(node))
      nodes.push(node);
  });
  after.graph.forEachEdge((edge) => {
    if (before.edges.has(edge) !== after.edges.has(edge)) edges.push(edge);
  });
  return { nodes, edges };
}

export class GraphRenderer {
  readonly sigma: Sigma;
  #style: Style;
  readonly labels = new LabelCollisions();
  #layout: LayoutRunner | null = null;
  onLayout: (() => void) | null = null;
  #lastReport = 0;
  /** The panel needs no more than a few updates a second. */
  #reportLayout = () => {
    const now = performance.now();
    if (now - this.#lastReport > 200) {
      this.#lastReport = now;
      this.onLayout?.();
    }
  };

  /** ForceAtlas2 iterations run on this renderer's graphs. */
  get iterations(): number {
    return this.#iterationsBefore + (this.#layout?.iterations ?? 0);
  }
  #iterationsBefore = 0;

  constructor(container: HTMLElement, style: Style) {
    this.#style = style;
    this.sigma = new Sigma(style.visibility.graph, container, {
      defaultNodeType: 'circle',
      nodeProgramClasses: {
        // Safeguarding subjects and cuckooed addresses: a thick ring, whatever the colour mode.
        ringed: createNodeBorderProgram({
          borders: [
            { size: { value: 0.38 }, color: { attribute: 'ringColor' } },
            { size: { fill: true }, color: { attribute: 'color' } },
          ],
          drawLabel: this.labels.draw,
        }),
      },
      labelRenderedSizeThreshold: 9,
      labelDensity: 0.4,
      defaultDrawNodeLabel: this.labels.draw,
      // zIndex sorting costs ~10x a refresh on medium graphs (500 ms vs 50 ms for 5k nodes and 22k
      // edges): only small graphs get rings and the path drawn on top.
      zIndex: style.visibility.graph.order + style.visibility.graph.size <= SMALL_GRAPH,
      hideEdgesOnMove: style.visibility.graph.size > SMALL_GRAPH,
      renderEdgeLabels: false,
      minEdgeThickness: 0.6,
      nodeReducer: (node, data) => this.#node(node, data),
      edgeReducer: (edge) => this.#edge(edge),
    });
    this.labels.attach(this.sigma);
    this.sigma.on('enterNode', ({ node }) => this.#focusOn({ hovered: node }));
    this.sigma.on('leaveNode', () => this.#focusOn({ hovered: null }));
  }

  #node(node: string, data: Attributes): Attributes {
    const style = this.#style;
    const { visibility } = style;
    if (!visibility.graph.hasNode(node)) return { ...data, type: 'circle', hidden: true };
    const attributes = visibility.graph.getNodeAttributes(node);
    // Built from scratch, never spread from data: a data attribute named `type`, `color` or
    // `size` (any GEXF can carry one) must not choose sigma's program or styling.
    const result: Attributes = {
      x: data.x,
      y: data.y,
      label: String(attributes.label ?? node),
      type: 'circle',
      size: 3,
      color: UNMAPPED_COLOUR,
      zIndex: 1,
    };
    if (!visibility.nodes.has(node)) {
      result.hidden = true;
      return result;
    }
    result.color = nodeColour(style, node, attributes);
    result.size = nodeSize(style, node, attributes);
    const personAttributes = style.loaded.persons.hasNode(node)
      ? style.loaded.persons.getNodeAttributes(node)
      : attributes;
    if (isSafeguarding(personAttributes) || isSafeguarding(attributes)) {
      result.type = 'ringed';
      result.ringColor = SAFEGUARDING_COLOUR;
      result.zIndex = 2;
      result.size = Math.max(result.size as number, 5);
    } else if (isCuckooedAddress(attributes)) {
      result.type = 'ringed';
      result.ringColor = CUCKOOED_COLOUR;
      result.zIndex = 2;
      result.size = Math.max(result.size as number, 5);
    }
    if (visibility.removed.has(node)) {
      result.color = REMOVED_COLOUR;
      result.label = `${attributes.label} (removed)`;
      result.zIndex = 0;
      if (result.type !== 'ringed') {
        result.type = 'ringed';
        result.ringColor = REMOVED_RING;
      }
    }
    if (visibility.pathNodes.size > 0) {
      if (visibility.pathNodes.has(node)) {
        result.highlighted = true;
        result.zIndex = 3;
        result.forceLabel = true;
      } else if (result.type !== 'ringed') {
        result.color = DIM_COLOUR;
        result.label = null;
      }
    }
    if (node === style.selected) {
      result.highlighted = true;
      result.forceLabel = true;
      result.zIndex = 4;
    }
    if (node === style.hovered) result.zIndex = 5;
    return result;
  }

  #edge(edge: string): Attributes {
    const { visibility, hovered, selected } = this.#style;
    // As for nodes: the data's own `type` (a link type in the network view) never reaches sigma.
    if (!visibility.edges.has(edge) || !visibility.graph.hasEdge(edge) || this.#edgesPaused)
      return { type: 'line', hidden: true, size: 0.6, color: '#b4bcc5' };
    const result: Attributes = {
      type: visibility.graph.isDirected(edge) ? 'arrow' : 'line',
      color: '#b4bcc5',
      size: 0.6,
      zIndex: 1,
    };
    if (visibility.pathEdges.has(edge)) {
      result.color = PATH_COLOUR;
      result.size = 3;
      result.zIndex = 2;
    } else if (visibility.pathEdges.size > 0) result.color = '#eef0f2';
    const focus = hovered ?? selected;
    if (focus !== null && !visibility.pathEdges.has(edge)) {
      const graph = visibility.graph;
      if (graph.source(edge) === focus || graph.target(edge) === focus) {
        result.color = '#555d66';
        result.size = 1.2;
      }
    }
    return result;
  }

  /** New state: swap graphs if the view changed, then redraw through the reducers. */
  update(style: Style): void {
    const graphChanged = style.visibility.graph !== this.#style.visibility.graph;
    if (!graphChanged && style.visibility === this.#style.visibility && style.state === this.#style.state) {
      // Only the selection moved: redraw the nodes and links it touches, not the whole graph.
      this.#focusOn({ selected: style.selected });
      return;
    }
    const before = this.#style;
    this.#style = { ...style, hovered: before.hovered };
    if (!graphChanged && onlyVisibilityChanged(before, style)) {
      // Only what was shown or hidden, removed or restored, or (de)selected goes through the reducers again.
      const { nodes, edges } = visibilityChanges(before.visibility, style.visibility);
      for (const node of [before.selected, style.selected])
        if (node !== null && style.visibility.graph.hasNode(node)) {
          nodes.push(node);
          style.visibility.graph.forEachEdge(node, (edge) => void edges.push(edge));
        }
      this.sigma.refresh({ partialGraph: { nodes, edges } });
      return;
    }
    if (graphChanged) {
      this.stopLayout();
      const graph = style.visibility.graph;
      this.sigma.setGraph(graph);
      this.sigma.setSetting('zIndex', graph.order + graph.size <= SMALL_GRAPH);
      this.sigma.setSetting('hideEdgesOnMove', graph.size > SMALL_GRAPH);
    } else this.sigma.refresh();
  }

  /**
   * A new hovered or selected node changes only the look of the old and new
   * one and of their links: sigma re-reduces just those (a partial refresh),
   * where a full refresh re-reduces and re-indexes every node and link.
   */
  #focusOn(change: Partial<Pick<Style, 'hovered' | 'selected'>>): void {
    const before = this.#style;
    const after = { ...before, ...change };
    this.#style = after;
    const graph = this.sigma.getGraph();
    const nodes = new Set<string>();
    for (const node of [before.hovered, before.selected, after.hovered, after.selected])
      if (node !== null && graph.hasNode(node)) nodes.add(node);
    const edges = new Set<string>();
    for (const node of nodes) graph.forEachEdge(node, (edge) => void edges.add(edge));
    // Small graphs sort by zIndex (the selection on top), which only a full refresh redoes.
    if (this.sigma.getSetting('zIndex')) this.sigma.refresh({ skipIndexation: true });
    else this.sigma.refresh({ partialGraph: { nodes: [...nodes], edges: [...edges] }, skipIndexation: true });
  }

  /** Visible edges as sigma holds them (what tests read). */
  visibleEdgeCount(): number {
    let count = 0;
    this.sigma.getGraph().forEachEdge((edge) => {
      if (!this.sigma.getEdgeDisplayData(edge)?.hidden) count += 1;
    });
    return count;
  }

  get layoutRunning(): boolean {
    return this.#layout?.running ?? false;
  }

  /** On large graphs links are not drawn while ForceAtlas2 runs: redrawing them after every iteration is what limits its speed. */
  #edgesPaused = false;

  /** True while links are hidden for a running layout. */
  get edgesPaused(): boolean {
    return this.#edgesPaused;
  }

  #pauseEdges(paused: boolean): void {
    const pause = paused && this.#style.visibility.graph.size > SMALL_GRAPH;
    if (pause === this.#edgesPaused) return;
    this.#edgesPaused = pause;
    this.sigma.refresh();
  }

  startLayout(): void {
    const graph = this.#style.visibility.graph;
    if (this.#layout?.graph !== graph) {
      this.#iterationsBefore += this.#layout?.iterations ?? 0;
      this.#layout?.kill();
      // The worker iterates freely; positions reach the graph (and sigma) at most once a frame.
      this.#layout = new LayoutRunner(graph);
      this.#layout.onPositions = this.#reportLayout;
      if (graph.order + graph.size > SMALL_GRAPH) this.#layout.drawEveryMs = LARGE_GRAPH_DRAW_EVERY_MS;
    }
    this.#pauseEdges(true);
    this.#layout.start();
    this.onLayout?.();
  }

  stopLayout(): void {
    this.#layout?.stop();
    this.#pauseEdges(false);
    this.onLayout?.();
  }

  /** Positions of every node of both graphs, for saving. */
  positions(): Record<string, [number, number]> {
    const positions: Record<string, [number, number]> = Object.create(null);
    for (const graph of [this.#style.loaded.network, this.#style.loaded.persons]) {
      graph.forEachNode((node, attributes) => {
        if (typeof attributes.x === 'number' && typeof attributes.y === 'number')
          positions[node] = [attributes.x, attributes.y];
      });
    }
    return positions;
  }

  kill(): void {
    this.#layout?.kill();
    this.sigma.kill();
  }
}

/**
 * The filters' view of one graph, computed once per bundle: each node's kind,
 * group and handling code and each edge's handling code, grading list, link
 * types and dates, as small integer class ids in typed arrays. A filter click
 * then decides once per class (a few dozen) whether it passes, and the pass
 * over the graph is array lookups, with no attribute read, string built or
 * regex run per edge.
 */
import type Graph from 'graphology';
import type { Attributes } from 'graphology-types';
import { edgeInWindow } from './state.js';

/** What the filters read of a node. `group` is null for nodes the group filter never hides. */
export interface NodeClass {
  kind: string;
  group: string | null;
  handling: string;
}

/** What the filters read of an edge. An edge is hidden by the type filter when it has types and every one is hidden. */
export interface EdgeClass {
  handling: string;
  gradings: readonly string[];
  types: readonly string[];
  start: number | undefined;
  end: number | undefined;
}

export interface IndexFilters {
  hiddenKinds: ReadonlySet<string>;
  hiddenGroups: ReadonlySet<string>;
  hiddenHandling: ReadonlySet<string>;
  hiddenGradings: ReadonlySet<string>;
  hiddenLinkTypes: ReadonlySet<string>;
  window: [number, number] | null;
  removed: ReadonlySet<string>;
}

/** The grading rule (model.ts states it): whether an edge with these gradings passes the hidden items. */
export type GradingRule = (gradings: readonly string[], hidden: ReadonlySet<string>) => boolean;

/** Interns values: equal values (by key) get one id. */
class Classes<T> {
  readonly values: T[] = [];
  #ids = new Map<string, number>();
  id(value: T, key: string): number {
    let id = this.#ids.get(key);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value);
      this.#ids.set(key, id);
    }
    return id;
  }
}

const listKey = (list: readonly string[]) => list.join('\u0000');

export class VisibilityIndex {
  readonly nodes: string[] = [];
  readonly edges: string[] = [];
  readonly #position = new Map<string, number>();
  readonly #kinds = new Classes<string>();
  readonly #groups = new Classes<string>();
  readonly #handling = new Classes<string>();
  readonly #gradings = new Classes<readonly string[]>();
  readonly #types = new Classes<readonly string[]>();
  readonly #nodeKind: Int32Array;
  /** -1: never hidden by the group filter. */
  readonly #nodeGroup: Int32Array;
  readonly #nodeHandling: Int32Array;
  readonly #source: Int32Array;
  readonly #target: Int32Array;
  readonly #edgeHandling: Int32Array;
  readonly #edgeGradings: Int32Array;
  readonly #edgeTypes: Int32Array;
  /** NaN for an open end. */
  readonly #start: Float64Array;
  readonly #end: Float64Array;

  constructor(
    graph: Graph,
    nodeClass: (node: string, attributes: Attributes) => NodeClass,
    edgeClass: (edge: string, attributes: Attributes) => EdgeClass,
  ) {
    this.#nodeKind = new Int32Array(graph.order);
    this.#nodeGroup = new Int32Array(graph.order);
    this.#nodeHandling = new Int32Array(graph.order);
    graph.forEachNode((node, attributes) => {
      const i = this.nodes.length;
      const { kind, group, handling } = nodeClass(node, attributes);
      this.nodes.push(node);
      this.#position.set(node, i);
      this.#nodeKind[i] = this.#kinds.id(kind, kind);
      this.#nodeGroup[i] = group === null ? -1 : this.#groups.id(group, group);
      this.#nodeHandling[i] = this.#handling.id(handling, handling);
    });
    const m = graph.size;
    this.#source = new Int32Array(m);
    this.#target = new Int32Array(m);
    this.#edgeHandling = new Int32Array(m);
    this.#edgeGradings = new Int32Array(m);
    this.#edgeTypes = new Int32Array(m);
    this.#start = new Float64Array(m);
    this.#end = new Float64Array(m);
    graph.forEachEdge((edge, attributes, source, target) => {
      const j = this.edges.length;
      const { handling, gradings, types, start, end } = edgeClass(edge, attributes);
      this.edges.push(edge);
      this.#source[j] = this.#position.get(source)!;
      this.#target[j] = this.#position.get(target)!;
      this.#edgeHandling[j] = this.#handling.id(handling, handling);
      this.#edgeGradings[j] = this.#gradings.id(gradings, listKey(gradings));
      this.#edgeTypes[j] = this.#types.id(types, listKey(types));
      this.#start[j] = start ?? Number.NaN;
      this.#end[j] = end ?? Number.NaN;
    });
  }

  /** The nodes and edges the filters let through (removed nodes stay shown, their edges do not). */
  visible(filters: IndexFilters, gradingPasses: GradingRule): { nodes: Set<string>; edges: Set<string> } {
    const handlingPasses = this.#handling.values.map((code) => !filters.hiddenHandling.has(code));
    const kindPasses = this.#kinds.values.map((kind) => !filters.hiddenKinds.has(kind));
    const groupPasses = this.#groups.values.map((group) => !filters.hiddenGroups.has(group));
    const gradingClassPasses = this.#gradings.values.map((gradings) => gradingPasses(gradings, filters.hiddenGradings));
    const typeClassPasses = this.#types.values.map(
      (types) => types.length === 0 || !types.every((type) => filters.hiddenLinkTypes.has(type)),
    );

    const shown = new Uint8Array(this.nodes.length);
    const nodes = new Set<string>();
    for (let i = 0; i < this.nodes.length; i++) {
      const group = this.#nodeGroup[i]!;
      if (!kindPasses[this.#nodeKind[i]!] || !handlingPasses[this.#nodeHandling[i]!]) continue;
      if (group >= 0 && !groupPasses[group]) continue;
      shown[i] = 1;
      nodes.add(this.nodes[i]!);
    }
    // Edges of removed nodes are hidden: treat the removed as not shown for the edge pass.
    const ends = shown.slice();
    for (const node of filters.removed) {
      const i = this.#position.get(node);
      if (i !== undefined) ends[i] = 0;
    }
    const edges = new Set<string>();
    const window = filters.window;
    for (let j = 0; j < this.edges.length; j++) {
      if (!ends[this.#source[j]!] || !ends[this.#target[j]!]) continue;
      if (!handlingPasses[this.#edgeHandling[j]!] || !gradingClassPasses[this.#edgeGradings[j]!]) continue;
      if (!typeClassPasses[this.#edgeTypes[j]!]) continue;
      if (window !== null) {
        const start = this.#start[j]!;
        const end = this.#end[j]!;
        if (!edgeInWindow(Number.isNaN(start) ? undefined : start, Number.isNaN(end) ? undefined : end, window))
          continue;
      }
      edges.add(this.edges[j]!);
    }
    return { nodes, edges };
  }
}

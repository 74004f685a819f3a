/**
 * The labelled view of a graph that the re-identification measures compare:
 * nodes by index, each with its released node attributes, its distinct
 * neighbours (direction ignored, self-loops apart) and, for every adjacent
 * pair, the released attributes of the tie in each direction.
 *
 * A released attribute may be the wildcard `*` (suppressed: it matches any
 * original value). Where a release replaced a weight that differed within an
 * orbit by 1 (`weightWildcard`, automorphism.ts), a released weight of 1
 * matches any original weight too.
 */
import type { AbstractGraph } from 'graphology-types';

/** Node attributes a release may carry, in the order the views hold them. */
export const NODE_FIELDS = ['age_band', 'area'] as const;
/** Edge attributes a release may carry, in the order the views hold them (weight first). */
export const EDGE_FIELDS = ['weight', 'channels', 'assessment', 'first_seen', 'last_seen'] as const;
/** A suppressed value: consistent with any original value. */
export const WILDCARD = '*';

/** The ties between an ordered pair (x, y): an undirected tie, an arc x → y, an arc y → x, each with its fields. */
export interface PairLabel {
  both?: string[];
  out?: string[];
  in?: string[];
  /** Equal labels of one view share one object and id; ids are unique across views. */
  id?: number;
  /** Index of the label within its view (0, 1, …). */
  local?: number;
}

let nextLabelId = 1;

export interface GraphView {
  n: number;
  /** Ties (edges) of the graph viewed. */
  size: number;
  ids: string[];
  index: Map<string, number>;
  /** Node attribute values, in NODE_FIELDS order ('' when absent). */
  node: string[][];
  /** Distinct other neighbours of each node, ascending. */
  neighbours: Int32Array[];
  degree: Int32Array;
  /** Ties of each ordered adjacent pair (x, y), keyed x·n + y; self-loops under x·n + x. */
  pairs: Map<number, PairLabel>;
  /** Per node: for each neighbour (in `neighbours` order), how many other neighbours of the node it is adjacent to. */
  localDegree: (Int32Array | undefined)[];
  /** Per node: its neighbours' degrees, descending. */
  neighbourDegrees: (Int32Array | undefined)[];
  /** Per node: its ties with each neighbour, in `neighbours` order. */
  ties: ((PairLabel | undefined)[] | undefined)[];
  /** Per node: `localDegree`, descending. */
  sortedLocalDegree: (Int32Array | undefined)[];
}

const views = new WeakMap<AbstractGraph, GraphView>();

function fieldsOf(attributes: Record<string, unknown>): string[] {
  return EDGE_FIELDS.map((field) =>
    attributes[field] === undefined || attributes[field] === null ? '' : String(attributes[field]),
  );
}

/** The view of a graph (cached per graph object: build it once the graph is final). */
export function graphView(graph: AbstractGraph): GraphView {
  const cached = views.get(graph);
  // A graph changed since (nodes or ties added) is viewed again; change no attribute of a graph once measured.
  if (cached !== undefined && cached.n === graph.order && cached.size === graph.size) return cached;
  const ids = graph.nodes();
  const n = ids.length;
  const index = new Map(ids.map((id, i) => [id, i]));
  const node = ids.map((id) => {
    const attributes = graph.getNodeAttributes(id);
    return NODE_FIELDS.map((field) =>
      attributes[field] === undefined || attributes[field] === null ? '' : String(attributes[field]),
    );
  });
  const pairs = new Map<number, PairLabel>();
  const sets = ids.map(() => new Set<number>());
  const slot = (x: number, y: number): PairLabel => {
    let label = pairs.get(x * n + y);
    if (label === undefined) pairs.set(x * n + y, (label = {}));
    return label;
  };
  graph.forEachEdge((_edge, attributes, source, target, _sa, _ta, undirected) => {
    const x = index.get(source)!;
    const y = index.get(target)!;
    const fields = fieldsOf(attributes);
    if (x === y) {
      const label = slot(x, x);
      if (undirected) label.both = fields;
      else label.out = label.in = fields;
      return;
    }
    sets[x]!.add(y);
    sets[y]!.add(x);
    if (undirected) {
      slot(x, y).both = fields;
      slot(y, x).both = fields;
    } else {
      slot(x, y).out = fields;
      slot(y, x).in = fields;
    }
  });
  // One object per distinct label, so that comparisons can be remembered.
  const interned = new Map<string, PairLabel>();
  for (const [key, label] of pairs) {
    const text = pairText(label, true);
    let shared = interned.get(text);
    if (shared === undefined) interned.set(text, (shared = { ...label, id: nextLabelId++, local: interned.size }));
    pairs.set(key, shared);
  }
  const neighbours = sets.map((set) => Int32Array.from([...set].sort((a, b) => a - b)));
  const degree = Int32Array.from(neighbours.map((list) => list.length));
  const view: GraphView = {
    n,
    size: graph.size,
    ids,
    index,
    node,
    neighbours,
    degree,
    pairs,
    localDegree: new Array(n),
    neighbourDegrees: new Array(n),
    ties: new Array(n),
    sortedLocalDegree: new Array(n),
  };
  views.set(graph, view);
  return view;
}

export function adjacent(view: GraphView, x: number, y: number): boolean {
  return view.pairs.has(x * view.n + y) && x !== y;
}

/** For each neighbour of x, how many other neighbours of x it is tied to. */
export function localDegrees(view: GraphView, x: number): Int32Array {
  let cached = view.localDegree[x];
  if (cached !== undefined) return cached;
  const around = view.neighbours[x]!;
  cached = new Int32Array(around.length);
  for (let i = 0; i < around.length; i++) {
    for (let j = i + 1; j < around.length; j++) {
      if (adjacent(view, around[i]!, around[j]!)) {
        cached[i]!++;
        cached[j]!++;
      }
    }
  }
  view.localDegree[x] = cached;
  return cached;
}

/** x's local degrees, descending. */
export function sortedLocalDegrees(view: GraphView, x: number): Int32Array {
  let cached = view.sortedLocalDegree[x];
  if (cached === undefined)
    view.sortedLocalDegree[x] = cached = Int32Array.from(localDegrees(view, x)).sort().reverse();
  return cached;
}

/** Whether b dominates a term by term (both descending; b may be longer); equal when `exact`. */
export function dominates(a: Int32Array, b: Int32Array, exact: boolean): boolean {
  if (exact ? a.length !== b.length : a.length > b.length) return false;
  for (let i = 0; i < a.length; i++) if (exact ? b[i] !== a[i] : b[i]! < a[i]!) return false;
  return true;
}

/** The degrees of x's neighbours, descending. */
export function neighbourDegrees(view: GraphView, x: number): Int32Array {
  let cached = view.neighbourDegrees[x];
  if (cached === undefined) {
    cached = Int32Array.from(view.neighbours[x]!, (y) => view.degree[y]!)
      .sort()
      .reverse();
    view.neighbourDegrees[x] = cached;
  }
  return cached;
}

/** How an original value may appear in a release. */
export interface LabelRules {
  /** A released weight of 1 may stand for any weight (orbit suppression). */
  weightWildcard: boolean;
  /** Remembered comparisons of interned labels (see `labelRules`). */
  memo?: Map<number, number[]>[];
}

/** Label rules that remember comparisons of interned labels. */
export function labelRules(weightWildcard: boolean): LabelRules {
  return { weightWildcard, memo: [new Map(), new Map(), new Map(), new Map()] };
}

/** Released edge fields consistent with original ones. */
export function edgeFieldsCompatible(
  original: readonly string[],
  released: readonly string[],
  rules: LabelRules,
): boolean {
  for (let i = 0; i < original.length; i++) {
    const value = released[i]!;
    if (value === original[i] || value === WILDCARD) continue;
    if (i === 0 && rules.weightWildcard && value === '1') continue;
    return false;
  }
  return true;
}

/** Released node fields consistent with original ones. */
export function nodeFieldsCompatible(original: readonly string[], released: readonly string[]): boolean {
  for (let i = 0; i < original.length; i++) if (released[i] !== original[i] && released[i] !== WILDCARD) return false;
  return true;
}

const SLOTS = ['both', 'out', 'in'] as const;

/**
 * Released ties of a pair consistent with the original ties. `exact`: no tie
 * was added (each released tie is an original one); else ties may have been
 * added. `labelled`: the ties' attributes must agree too, not just their presence.
 */
export function pairCompatible(
  original: PairLabel | undefined,
  released: PairLabel | undefined,
  exact: boolean,
  labelled: boolean,
  rules: LabelRules,
): boolean {
  if (rules.memo !== undefined && original?.id !== undefined && released?.id !== undefined) {
    const memo = rules.memo[(exact ? 2 : 0) + (labelled ? 1 : 0)]!;
    // Keyed by the original label's id and the released label's view and index.
    let row = memo.get(original.id);
    if (row === undefined) memo.set(original.id, (row = []));
    const slot = released.local!;
    const known = row[slot];
    if (known !== undefined && Math.floor(known / 2) === released.id) return known % 2 === 1;
    const result = comparePairs(original, released, exact, labelled, rules);
    row[slot] = released.id * 2 + (result ? 1 : 0);
    return result;
  }
  return comparePairs(original, released, exact, labelled, rules);
}

function comparePairs(
  original: PairLabel | undefined,
  released: PairLabel | undefined,
  exact: boolean,
  labelled: boolean,
  rules: LabelRules,
): boolean {
  for (const slot of SLOTS) {
    const o = original?.[slot];
    const r = released?.[slot];
    if (o !== undefined) {
      if (r === undefined) return false;
      if (labelled && !edgeFieldsCompatible(o, r, rules)) return false;
    } else if (exact && r !== undefined) return false;
  }
  return true;
}

/** A pair's ties as text (for exact keys). */
export function pairText(label: PairLabel | undefined, labelled: boolean): string {
  if (label === undefined) return '';
  return SLOTS.map((slot) => (label[slot] === undefined ? '-' : labelled ? label[slot].join('\u0001') : '+')).join(
    '\u0002',
  );
}

/** The ties of x with each of its neighbours, in `neighbours` order. */
export function incidentPairs(view: GraphView, x: number): (PairLabel | undefined)[] {
  let cached = view.ties[x];
  if (cached === undefined)
    view.ties[x] = cached = Array.from(view.neighbours[x]!, (y) => view.pairs.get(x * view.n + y));
  return cached;
}

/**
 * Whether there is a matching of every left item to a distinct right item
 * that `fits` (Kuhn's augmenting paths; the lists are small).
 */
export function hasMatching(left: number, right: number, fits: (i: number, j: number) => boolean): boolean {
  if (left > right) return false;
  const options: number[][] = [];
  for (let i = 0; i < left; i++) {
    const list: number[] = [];
    for (let j = 0; j < right; j++) if (fits(i, j)) list.push(j);
    if (list.length === 0) return false;
    options.push(list);
  }
  return matchingFromOptions(options, right);
}

/** Kuhn's algorithm on precomputed options; true when every left item is matched. */
export function matchingFromOptions(options: readonly (readonly number[])[], right: number): boolean {
  const left = options.length;
  if (left > right) return false;
  const owner = new Int32Array(right).fill(-1);
  const seen = new Int32Array(right).fill(-1);
  // Iterative augmenting paths: a stack of (left item, next option index).
  const stackItem = new Int32Array(left + 1);
  const stackNext = new Int32Array(left + 1);
  const via = new Int32Array(left + 1);
  for (let start = 0; start < left; start++) {
    if (options[start]!.length === 0) return false;
    let top = 0;
    stackItem[0] = start;
    stackNext[0] = 0;
    let augmented = false;
    while (top >= 0) {
      const item = stackItem[top]!;
      const list = options[item]!;
      if (stackNext[top]! >= list.length) {
        top--;
        continue;
      }
      const j = list[stackNext[top]!++]!;
      if (seen[j] === start) continue;
      seen[j] = start;
      via[top] = j;
      if (owner[j] === -1) {
        // Flip the path: each item on the stack takes the right item it went through.
        for (let level = top; level >= 0; level--) owner[via[level]!] = stackItem[level]!;
        augmented = true;
        break;
      }
      top++;
      stackItem[top] = owner[j]!;
      stackNext[top] = 0;
    }
    if (!augmented) return false;
  }
  return true;
}

/**
 * Brokerage between groups: who joins one group to another.
 *
 * ## Brokerage roles
 * Gould & Fernandez (1989), "Structures of mediation: a formal approach to
 * brokerage in transaction networks", Sociological Methodology 19: 89–126.
 * A broker b sits on an open two-path a → b → c (a ≠ c, no tie a → c). With
 * g(x) the group of x, the path is b's
 *
 * | role | groups |
 * |---|---|
 * | coordinator | g(a) = g(b) = g(c) |
 * | itinerant (consultant) | g(a) = g(c) ≠ g(b) |
 * | representative | g(a) = g(b) ≠ g(c): b carries its group's business out |
 * | gatekeeper | g(b) = g(c) ≠ g(a): b lets outsiders into its group |
 * | liaison | g(a), g(b), g(c) all different |
 *
 * **Directed** graphs (the default for `graph.type === 'directed'`) use edge
 * direction; an undirected edge in a mixed graph counts both ways.
 *
 * **Undirected** graphs: an open two-path a – b – c is one path, not two. It
 * is read as G&F read a symmetric network (both a → b → c and c → b → a),
 * with every count halved so that each path counts once in `total`:
 * coordinator, itinerant and liaison paths count 1; a path where b shares a
 * group with exactly one end is half gatekeeper and half representative (b
 * gatekeeps for one end and represents the other), so in undirected graphs
 * `gatekeeper === representative` and their sum is the number of such paths.
 *
 * Nodes without a group: by default (`ungrouped: 'singleton'`) each is a group
 * of its own, as G&F need a partition of every node; an unmapped nominal who
 * links two OCGs is then a liaison. With `'ignore'`, two-paths touching an
 * ungrouped node are not counted.
 *
 * ## Cut points between groups
 * An articulation point (Hopcroft & Tarjan 1973, iterative DFS here) whose
 * removal leaves grouped nodes of different groups in different pieces, on
 * the undirected simple view (`csrOf`). The groups in each piece are listed by
 * distinct-element queries on the DFS preorder (a piece is one or a few
 * preorder ranges), in O((n + m) + output · log n).
 */
import type { AbstractGraph } from 'graphology-types';
import { csrOf } from '../csr.js';
import { compareIds } from '@ocgnet/schema';
import { compareGroupLabels, type Partition } from './partition.js';

export interface BrokerageCounts {
  coordinator: number;
  itinerant: number;
  representative: number;
  gatekeeper: number;
  liaison: number;
  /** Open two-paths through the node: the sum of the five roles. */
  total: number;
}

export interface BrokerageOptions {
  /** Use edge direction. Default: true when `graph.type === 'directed'`. */
  directed?: boolean;
  /** Nodes with no group: a group of their own each, or left out of every two-path. */
  ungrouped: 'singleton' | 'ignore';
}

export const DEFAULT_BROKERAGE_OPTIONS: BrokerageOptions = { ungrouped: 'singleton' };

function zeroCounts(): BrokerageCounts {
  return { coordinator: 0, itinerant: 0, representative: 0, gatekeeper: 0, liaison: 0, total: 0 };
}

/** Group label per node index as small integers; -1 for ignored nodes. */
function groupCodes(ids: readonly string[], groupOf: Partition, ungrouped: 'singleton' | 'ignore'): Int32Array {
  const codes = new Int32Array(ids.length);
  const code = new Map<string | number, number>();
  let next = 0;
  ids.forEach((id, i) => {
    const group = groupOf[id];
    if (group === undefined) {
      codes[i] = ungrouped === 'singleton' ? next++ : -1;
      return;
    }
    let c = code.get(group);
    if (c === undefined) code.set(group, (c = next++));
    codes[i] = c;
  });
  return codes;
}

/** Sorted, de-duplicated lists to a CSR pair. */
function packLists(lists: number[][]): { offsets: Int32Array; targets: Int32Array } {
  const offsets = new Int32Array(lists.length + 1);
  lists.forEach((list, i) => {
    list.sort((x, y) => x - y);
    let w = 0;
    for (let r = 0; r < list.length; r++) if (r === 0 || list[r] !== list[r - 1]) list[w++] = list[r]!;
    list.length = w;
    offsets[i + 1] = offsets[i]! + w;
  });
  const targets = new Int32Array(offsets[lists.length]!);
  lists.forEach((list, i) => targets.set(list, offsets[i]));
  return { offsets, targets };
}

function hasTarget(offsets: Int32Array, targets: Int32Array, from: number, to: number): boolean {
  let lo = offsets[from]!;
  let hi = offsets[from + 1]! - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const t = targets[mid]!;
    if (t === to) return true;
    if (t < to) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/**
 * Gould & Fernandez brokerage counts of every node, given each node's group.
 *
 * @example
 * const counts = brokerage(personGraph, communities(personGraph).communityOf);
 * counts['P000017'].liaison;
 */
export function brokerage(
  graph: AbstractGraph,
  groupOf: Partition,
  options: Partial<BrokerageOptions> = {},
): Record<string, BrokerageCounts> {
  const { ungrouped } = { ...DEFAULT_BROKERAGE_OPTIONS, ...options };
  const directed = options.directed ?? graph.type === 'directed';
  const result: Record<string, BrokerageCounts> = Object.create(null);

  if (!directed) {
    const csr = csrOf(graph, { weightAttribute: null });
    const g = groupCodes(csr.ids, groupOf, ungrouped);
    const { offsets, targets } = csr;
    for (let b = 0; b < csr.n; b++) {
      const counts = zeroCounts();
      result[csr.ids[b]!] = counts;
      const gb = g[b]!;
      if (gb < 0) continue;
      const end = offsets[b + 1]!;
      for (let x = offsets[b]!; x < end; x++) {
        const a = targets[x]!;
        const ga = g[a]!;
        if (ga < 0) continue;
        for (let y = x + 1; y < end; y++) {
          const c = targets[y]!;
          const gc = g[c]!;
          if (gc < 0 || hasTarget(offsets, targets, a, c)) continue;
          counts.total++;
          if (ga === gc) {
            if (ga === gb) counts.coordinator++;
            else counts.itinerant++;
          } else if (ga === gb || gc === gb) {
            counts.gatekeeper += 0.5;
            counts.representative += 0.5;
          } else counts.liaison++;
        }
      }
    }
    return result;
  }

  const ids = graph.nodes();
  const index = new Map<string, number>();
  ids.forEach((id, i) => index.set(id, i));
  const outLists: number[][] = ids.map(() => []);
  const inLists: number[][] = ids.map(() => []);
  graph.forEachEdge((_edge, _attributes, source, target, _sa, _ta, undirected) => {
    const s = index.get(source)!;
    const t = index.get(target)!;
    if (s === t) return;
    outLists[s]!.push(t);
    inLists[t]!.push(s);
    if (undirected) {
      outLists[t]!.push(s);
      inLists[s]!.push(t);
    }
  });
  const out = packLists(outLists);
  const into = packLists(inLists);
  const g = groupCodes(ids, groupOf, ungrouped);
  for (let b = 0; b < ids.length; b++) {
    const counts = zeroCounts();
    result[ids[b]!] = counts;
    const gb = g[b]!;
    if (gb < 0) continue;
    for (let x = into.offsets[b]!; x < into.offsets[b + 1]!; x++) {
      const a = into.targets[x]!;
      const ga = g[a]!;
      if (ga < 0) continue;
      for (let y = out.offsets[b]!; y < out.offsets[b + 1]!; y++) {
        const c = out.targets[y]!;
        const gc = g[c]!;
        if (c === a || gc < 0 || hasTarget(out.offsets, out.targets, a, c)) continue;
        counts.total++;
        if (ga === gc) {
          if (ga === gb) counts.coordinator++;
          else counts.itinerant++;
        } else if (ga === gb) counts.representative++;
        else if (gc === gb) counts.gatekeeper++;
        else counts.liaison++;
      }
    }
  }
  return result;
}

export interface Broker {
  node: string;
  group: string | number | null;
  /** liaison + gatekeeper + representative: the two-paths on which the node joins different groups. */
  score: number;
  counts: BrokerageCounts;
}

/**
 * Nodes that broker between groups (liaison, gatekeeper or representative
 * count above 0), by score descending, then liaison count, then node key.
 */
export function brokers(graph: AbstractGraph, groupOf: Partition, options: Partial<BrokerageOptions> = {}): Broker[] {
  const counts = brokerage(graph, groupOf, options);
  const list: Broker[] = [];
  for (const node of Object.keys(counts)) {
    const c = counts[node]!;
    const score = c.liaison + c.gatekeeper + c.representative;
    if (score > 0) list.push({ node, group: groupOf[node] ?? null, score, counts: c });
  }
  return list.sort((x, y) => y.score - x.score || y.counts.liaison - x.counts.liaison || compareIds(x.node, y.node));
}

/** One piece of the graph left by removing a cut point. */
export interface CutPiece {
  /** Nodes in the piece. */
  size: number;
  /** Nodes in the piece that have a group. */
  grouped: number;
  /** Distinct groups in the piece. */
  groups: (string | number)[];
}

export interface GroupCutPoint {
  node: string;
  group: string | number | null;
  /** The pieces of the node's component once it is removed: most grouped nodes first, then larger, then by groups. */
  pieces: CutPiece[];
  /** Grouped nodes outside the piece with the most grouped nodes: how many are cut off. */
  separated: number;
  /** Groups with members in two or more pieces: groups the node also splits. */
  splitsGroups: (string | number)[];
}

/** Most grouped nodes first, then larger, then by group labels; so the order does not depend on the DFS. */
export function comparePieces(x: CutPiece, y: CutPiece): number {
  if (x.grouped !== y.grouped) return y.grouped - x.grouped;
  if (x.size !== y.size) return y.size - x.size;
  for (let k = 0; k < Math.min(x.groups.length, y.groups.length); k++) {
    const c = compareGroupLabels(x.groups[k]!, y.groups[k]!);
    if (c !== 0) return c;
  }
  return x.groups.length - y.groups.length;
}

/** Argmin segment tree over prev-occurrence positions, for listing distinct groups in a range. */
class DistinctGroups {
  private readonly size: number;
  private readonly tree: Int32Array;
  constructor(
    private readonly previous: Float64Array,
    private readonly label: Int32Array,
  ) {
    let size = 1;
    while (size < previous.length) size <<= 1;
    this.size = size;
    this.tree = new Int32Array(2 * size).fill(-1);
    for (let p = 0; p < previous.length; p++) this.tree[size + p] = p;
    for (let i = size - 1; i > 0; i--) this.tree[i] = this.better(this.tree[2 * i]!, this.tree[2 * i + 1]!);
  }
  private better(x: number, y: number): number {
    if (x < 0) return y;
    if (y < 0) return x;
    return this.previous[y]! < this.previous[x]! ? y : x;
  }
  private argmin(from: number, to: number): number {
    let best = -1;
    for (let l = from + this.size, r = to + this.size; l < r; l >>= 1, r >>= 1) {
      if (l & 1) best = this.better(best, this.tree[l++]!);
      if (r & 1) best = this.better(best, this.tree[--r]!);
    }
    return best;
  }
  /** Adds the labels occurring in positions [from, to) to `into`. */
  collect(from: number, to: number, into: Set<number>): void {
    const ranges: [number, number][] = [[from, to]];
    while (ranges.length > 0) {
      const [l, r] = ranges.pop()!;
      if (l >= r) continue;
      const p = this.argmin(l, r);
      // A position whose label last occurred before `from` is that label's first in the range.
      if (this.previous[p]! >= from) continue;
      into.add(this.label[p]!);
      ranges.push([l, p], [p + 1, r]);
    }
  }
}

/**
 * Cut points between groups: articulation points whose removal leaves
 * members of different groups in different pieces. Ranked by `separated`
 * descending, then number of pieces, then node key. Nodes without a group
 * count in piece sizes only.
 */
export function cutPointsBetweenGroups(graph: AbstractGraph, groupOf: Partition): GroupCutPoint[] {
  const csr = csrOf(graph, { weightAttribute: null });
  const { n, offsets, targets, ids } = csr;
  const code = new Map<string | number, number>();
  const labels: (string | number)[] = [];
  const groupCode = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    const group = groupOf[ids[i]!];
    if (group === undefined) continue;
    let c = code.get(group);
    if (c === undefined) {
      code.set(group, (c = labels.length));
      labels.push(group);
    }
    groupCode[i] = c;
  }

  // Iterative DFS: preorder number, subtree size, low-link, and the children
  // whose subtrees are cut off by their parent (low[child] >= pre[parent]).
  const pre = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const subtree = new Int32Array(n);
  const parent = new Int32Array(n).fill(-1);
  const cursor = new Int32Array(n);
  const rootOf = new Int32Array(n);
  const order = new Int32Array(n);
  const cutChildren = new Map<number, number[]>();
  const stack = new Int32Array(n);
  let time = 0;
  for (let root = 0; root < n; root++) {
    if (pre[root]! >= 0) continue;
    let top = 0;
    stack[top++] = root;
    pre[root] = low[root] = time;
    order[time++] = root;
    rootOf[root] = root;
    cursor[root] = offsets[root]!;
    while (top > 0) {
      const v = stack[top - 1]!;
      if (cursor[v]! < offsets[v + 1]!) {
        const w = targets[cursor[v]!++]!;
        if (pre[w]! < 0) {
          parent[w] = v;
          rootOf[w] = root;
          pre[w] = low[w] = time;
          order[time++] = w;
          cursor[w] = offsets[w]!;
          stack[top++] = w;
        } else if (w !== parent[v] && pre[w]! < low[v]!) low[v] = pre[w]!;
        continue;
      }
      top--;
      subtree[v] = time - pre[v]!;
      const p = parent[v]!;
      if (p >= 0) {
        if (low[v]! < low[p]!) low[p] = low[v]!;
        if (low[v]! >= pre[p]!) {
          let list = cutChildren.get(p);
          if (list === undefined) cutChildren.set(p, (list = []));
          list.push(v);
        }
      }
    }
  }

  const labelAt = new Int32Array(n);
  const previous = new Float64Array(n);
  const groupedBefore = new Int32Array(n + 1);
  const lastSeen = new Int32Array(labels.length).fill(-1);
  for (let position = 0; position < n; position++) {
    const c = groupCode[order[position]!]!;
    labelAt[position] = c;
    groupedBefore[position + 1] = groupedBefore[position]! + (c >= 0 ? 1 : 0);
    if (c < 0) previous[position] = Number.POSITIVE_INFINITY;
    else {
      previous[position] = lastSeen[c]!;
      lastSeen[c] = position;
    }
  }
  const distinct = new DistinctGroups(previous, labelAt);

  const result: GroupCutPoint[] = [];
  for (const [v, children] of cutChildren) {
    const isRoot = parent[v]! < 0;
    if (isRoot && children.length < 2) continue;
    const ranges: [number, number][][] = children.map((c) => [[pre[c]!, pre[c]! + subtree[c]!]]);
    if (!isRoot) {
      // Everything else in the component: the gaps between v and its cut-off subtrees.
      const root = rootOf[v]!;
      const excluded: [number, number][] = [[pre[v]!, pre[v]! + 1], ...ranges.map((r) => r[0]!)];
      excluded.sort((x, y) => x[0] - y[0]);
      const rest: [number, number][] = [];
      let at = pre[root]!;
      for (const [from, to] of excluded) {
        if (from > at) rest.push([at, from]);
        at = Math.max(at, to);
      }
      const end = pre[root]! + subtree[root]!;
      if (end > at) rest.push([at, end]);
      ranges.push(rest);
    }
    const pieces = ranges.map((piece) => {
      const groups = new Set<number>();
      let size = 0;
      let grouped = 0;
      for (const [from, to] of piece) {
        size += to - from;
        grouped += groupedBefore[to]! - groupedBefore[from]!;
        distinct.collect(from, to, groups);
      }
      return { size, grouped, groups };
    });
    const union = new Set<number>();
    let nonEmpty = 0;
    for (const piece of pieces) {
      if (piece.grouped > 0) nonEmpty++;
      for (const c of piece.groups) union.add(c);
    }
    if (nonEmpty < 2 || union.size < 2) continue;
    const seen = new Map<number, number>();
    for (const piece of pieces) for (const c of piece.groups) seen.set(c, (seen.get(c) ?? 0) + 1);
    const listed = pieces
      .map((piece) => ({
        size: piece.size,
        grouped: piece.grouped,
        groups: [...piece.groups].map((c) => labels[c]!).sort(compareGroupLabels),
      }))
      .sort(comparePieces);
    result.push({
      node: ids[v]!,
      group: groupOf[ids[v]!] ?? null,
      pieces: listed,
      separated: listed.reduce((s, piece) => s + piece.grouped, 0) - listed[0]!.grouped,
      splitsGroups: [...seen.entries()]
        .filter(([, count]) => count > 1)
        .map(([c]) => labels[c]!)
        .sort(compareGroupLabels),
    });
  }
  return result.sort(
    (x, y) => y.separated - x.separated || y.pieces.length - x.pieces.length || compareIds(x.node, y.node),
  );
}

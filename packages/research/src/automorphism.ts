/**
 * Structural perturbation to k-automorphism, by edge additions only: every
 * node ends up with at least k − 1 others that no structural or attribute
 * knowledge can tell it apart from, because an automorphism of the released
 * graph (attributes included) maps it onto each of them (Zou, Chen & Özsu
 * 2009, "K-automorphism: a general framework for privacy preserving network
 * publication", VLDB; their block alignment and edge copy, additions only).
 *
 * Construction:
 * 1. The nodes are laid out in rows of L ≥ k (L columns). A permutation F
 *    moves each node one column on, within its row. When L does not divide
 *    the number of nodes, the L + r lowest-degree nodes form one class of
 *    *twins* instead (same neighbours, so any permutation of them is an
 *    automorphism), and F fixes them.
 * 2. The release is the closure of the original edges under F and the
 *    permutations of the twins: an edge between (row t, column c) and
 *    (row p, column j) brings in its L images (t, c + s)–(p, j + s), an edge
 *    to a twin brings in every twin's edge to the whole row. F is then an
 *    automorphism, so each node's orbit is its row (L nodes) or the twins.
 * 3. Attributes are made the same along orbits: a node attribute, or an edge
 *    attribute over an orbit of edges, that differs is suppressed (`*`; a
 *    weight that differs becomes 1, and the release says so).
 *
 * The rows are built to make the closure small: row by row, column by
 * column, each position takes the node whose ties to nodes already placed
 * reuse the most orbits already created (so that the L blocks of columns
 * grow as aligned copies of each other), then the most connected, then the
 * highest degree; ties are broken by a seeded shuffle. Several row widths
 * (k … 2k − 1) and seeds are tried and the smallest closure kept.
 *
 * Every added edge is a copy of an original tie's orbit: the cost is high on
 * hub-dominated or irregular networks (the manifest reports it), but the
 * guarantee covers every measure in this package at once, and the measures
 * check it on the result.
 */
import Graph from 'graphology';
import type { AbstractGraph } from 'graphology-types';
import { seededRandom } from '@ocgnet/analysis';
import { canonicalGraph } from './anonymise.js';
import { shuffled } from './perturb.js';
import { WILDCARD } from './view.js';

export interface AutomorphismOptions {
  /** Smallest orbit size to reach. */
  k: number;
  /** Seed of the tie-breaking shuffles. */
  seed: number;
  /** Seeds tried per row width (the best layout is kept). */
  tries: number;
}

export const DEFAULT_AUTOMORPHISM_OPTIONS: AutomorphismOptions = { k: 5, seed: 1, tries: 3 };

export interface AutomorphicRelease {
  graph: Graph;
  /** Edges added. */
  added: number;
  /** Every node is in an orbit of at least k nodes. */
  reached: boolean;
  /** Nodes per orbit in the rows (L), and the size of the twin class (0 when none). */
  rowWidth: number;
  twins: number;
  /** Values suppressed to make attributes the same along orbits. */
  suppressed: { nodeValues: number; edgeValues: number };
  /** A weight of 1 may stand for a weight that differed within its orbit. */
  weightWildcard: boolean;
  /** The node orbits: the rows, and the twins (in memory only: it pairs nodes the release cannot tell apart). */
  orbits: string[][];
  /** The automorphism F: each node of a row to the next column; twins to themselves. */
  shift: Map<string, string>;
}

/**
 * Symmetries of a release that its maker knows: a permutation `shift` and a
 * class of `twins`. Claimed, not trusted: `verifiedOrbits` checks them.
 */
export interface Symmetry {
  shift: Record<string, string>;
  twins: string[];
}

/** The release's symmetry, as the measures and the ledger take it. */
export function symmetryOf(result: AutomorphicRelease): Symmetry {
  const twins =
    result.orbits.find((orbit) => orbit.length > 0 && orbit.every((node) => result.shift.get(node) === node)) ?? [];
  return { shift: Object.fromEntries(result.shift), twins: twins.length > 1 ? twins : [] };
}

/**
 * The orbits a claimed symmetry gives, once checked on the graph: `shift`
 * must be a permutation of the nodes that maps every tie onto a tie with the
 * same attributes (and direction) and every node onto one with the same
 * attributes; every twin must have the same attributes and the same ties,
 * with the same attributes, to every node outside the twins, and the ties
 * among twins must be all alike. Then each cycle of `shift` lies in one
 * orbit of the release's automorphism group, and so do the twins (a
 * permutation of twins is an automorphism): nodes of one such class are
 * alike under any measure. Null when any check fails.
 */
export function verifiedOrbits(graph: AbstractGraph, symmetry: Symmetry): string[][] | null {
  const nodes = graph.nodes();
  const shift = new Map(Object.entries(symmetry.shift));
  if (shift.size !== nodes.length || nodes.some((node) => !shift.has(node))) return null;
  const images = new Set(shift.values());
  if (images.size !== nodes.length || nodes.some((node) => !images.has(node))) return null;
  const text = (value: unknown) => JSON.stringify(value, Object.keys(value ?? {}).sort());
  for (const node of nodes)
    if (text(graph.getNodeAttributes(node)) !== text(graph.getNodeAttributes(shift.get(node)!))) return null;
  const tie = (source: string, target: string, undirected: boolean): string | undefined => {
    const edge = undirected ? graph.undirectedEdge(source, target) : graph.directedEdge(source, target);
    return edge === undefined ? undefined : text(graph.getEdgeAttributes(edge));
  };
  let sound = true;
  graph.forEachEdge((_edge, attributes, source, target, _sa, _ta, undirected) => {
    if (sound && tie(shift.get(source)!, shift.get(target)!, undirected) !== text(attributes)) sound = false;
  });
  if (!sound) return null;
  const twins = symmetry.twins;
  const twinSet = new Set(twins);
  if (twins.some((twin) => !graph.hasNode(twin) || shift.get(twin) !== twin) || twinSet.size !== twins.length)
    return null;
  if (twins.length > 1) {
    const [first, ...others] = twins;
    const profile = (twin: string) => {
      const ties: string[] = [
        text(graph.getNodeAttributes(twin)),
        `(self):${tie(twin, twin, true)}:${tie(twin, twin, false)}`,
      ];
      for (const node of nodes)
        if (!twinSet.has(node))
          ties.push(`${node}:${tie(twin, node, true)}:${tie(twin, node, false)}:${tie(node, twin, false)}`);
      return ties.join('\n');
    };
    const reference = profile(first!);
    if (others.some((twin) => profile(twin) !== reference)) return null;
    const among = new Set<string>();
    for (const a of twins) for (const b of twins) if (a !== b) among.add(`${tie(a, b, true)}:${tie(a, b, false)}`);
    if (among.size > 1) return null;
  }
  const orbits: string[][] = [];
  const seen = new Set<string>(twins);
  if (twins.length > 1) orbits.push([...twins]);
  for (const node of nodes) {
    if (seen.has(node)) continue;
    const cycle: string[] = [];
    for (let at = node; !seen.has(at); at = shift.get(at)!) {
      seen.add(at);
      cycle.push(at);
    }
    orbits.push(cycle);
  }
  return orbits;
}

interface Layout {
  width: number;
  rows: number[][];
  twins: number[];
  /** Row and column of each node; row -1 for a twin. */
  row: Int32Array;
  column: Int32Array;
  cost: number;
}

interface Tie {
  a: number;
  b: number;
  directed: boolean;
  attributes: Record<string, unknown>;
}

/** The orbit an edge belongs to, under F and the twins' permutations. */
function orbitKey(layout: Layout, tie: Tie): string {
  const { row, column, width } = layout;
  const prefix = tie.directed ? 'd' : 'u';
  const [ra, rb] = [row[tie.a]!, row[tie.b]!];
  if (ra === -1 || rb === -1) {
    if (ra === -1 && rb === -1) return `${prefix}T${tie.a === tie.b ? 'loop' : 'T'}`;
    if (!tie.directed) return `uT,${ra === -1 ? rb : ra}`;
    return ra === -1 ? `dT>${rb}` : `d${ra}>T`;
  }
  const offset = (((column[tie.b]! - column[tie.a]!) % width) + width) % width;
  if (tie.directed) return `d${ra}>${rb},${offset}`;
  if (ra < rb) return `u${ra},${rb},${offset}`;
  if (ra > rb) return `u${rb},${ra},${(width - offset) % width}`;
  return `u${ra},${ra},${Math.min(offset, (width - offset) % width)}`;
}

/** The members of one orbit, as [a, b] node pairs (a → b for arcs). */
function orbitMembers(layout: Layout, tie: Tie): [number, number][] {
  const { row, column, width, rows, twins } = layout;
  const [ra, rb] = [row[tie.a]!, row[tie.b]!];
  const members: [number, number][] = [];
  if (ra === -1 && rb === -1) {
    if (tie.a === tie.b) for (const t of twins) members.push([t, t]);
    else for (const s of twins) for (const t of twins) if (s !== t && (tie.directed || s < t)) members.push([s, t]);
    return members;
  }
  if (ra === -1 || rb === -1) {
    const other = ra === -1 ? rows[rb]! : rows[ra]!;
    for (const t of twins) for (const x of other) members.push(ra === -1 ? [t, x] : [x, t]);
    return members;
  }
  for (let s = 0; s < width; s++)
    members.push([rows[ra]![(column[tie.a]! + s) % width]!, rows[rb]![(column[tie.b]! + s) % width]!]);
  return members;
}

/** Lays the nodes out in rows of `width`, greedily, and prices the closure. */
function layOut(n: number, neighbours: number[][], ties: Tie[], width: number, random: () => number): Layout {
  const degree = neighbours.map((list) => list.length);
  const order = shuffled(
    Array.from({ length: n }, (_, i) => i),
    random,
  );
  const rank = new Int32Array(n);
  order.forEach((node, i) => (rank[node] = i));
  const remainder = n % width;
  const twinCount = remainder === 0 ? 0 : width + remainder;
  const row = new Int32Array(n).fill(-2);
  const column = new Int32Array(n).fill(-1);
  // The twins: the lowest-degree nodes (isolates first), random among equals.
  const byDegree = [...order].sort((a, b) => degree[a]! - degree[b]!);
  const twins = byDegree.slice(0, twinCount);
  for (const t of twins) row[t] = -1;
  const layout: Layout = { width, rows: [], twins, row, column, cost: 0 };
  const created = new Set<string>();
  const unplaced = new Set(order.filter((node) => row[node] === -2));
  const rowCount = (n - twinCount) / width;
  for (let t = 0; t < rowCount; t++) {
    const current: number[] = [];
    layout.rows.push(current);
    for (let c = 0; c < width; c++) {
      let best = -1;
      let bestScore = -Infinity;
      let bestPlaced = -1;
      for (const x of unplaced) {
        let score = 0;
        let placed = 0;
        const seen = new Set<string>();
        row[x] = t;
        column[x] = c;
        for (const y of neighbours[x]!) {
          if (row[y] === -2) continue;
          placed++;
          const key = orbitKey(layout, { a: x, b: y, directed: false, attributes: {} });
          if (created.has(key) || seen.has(key)) score++;
          else {
            score--;
            seen.add(key);
          }
        }
        row[x] = -2;
        column[x] = -1;
        // The first column opens the row: there, connection counts, not reuse.
        const value = c === 0 ? placed : score;
        const better =
          value > bestScore ||
          (value === bestScore &&
            (placed > bestPlaced ||
              (placed === bestPlaced &&
                (degree[x]! > degree[best]! || (degree[x] === degree[best] && rank[x]! < rank[best]!)))));
        if (best === -1 || better) {
          best = x;
          bestScore = value;
          bestPlaced = placed;
        }
      }
      row[best] = t;
      column[best] = c;
      current.push(best);
      unplaced.delete(best);
      for (const y of neighbours[best]!)
        if (row[y] !== -2) created.add(orbitKey(layout, { a: best, b: y, directed: false, attributes: {} }));
    }
  }
  const orbits = new Map<string, number>();
  for (const tie of ties) {
    const key = orbitKey(layout, tie);
    if (!orbits.has(key))
      orbits.set(
        key,
        new Set(orbitMembers(layout, tie).map(([a, b]) => (tie.directed || a <= b ? `${a},${b}` : `${b},${a}`))).size,
      );
  }
  layout.cost = [...orbits.values()].reduce((sum, size) => sum + size, 0);
  return layout;
}

/** Values equal along an orbit, else suppressed. */
function uniform(values: unknown[], field: string): { value: unknown; suppressed: boolean } {
  const first = values[0];
  if (values.every((value) => value === first)) return { value: first, suppressed: false };
  return { value: field === 'weight' ? 1 : WILDCARD, suppressed: true };
}

/**
 * The k-automorphic release of a graph (a copy; the input is not changed).
 *
 * @example
 * const { graph: release, added } = perturbToKAutomorphism(anonymised, { k: 5, seed: 7 });
 */
export function perturbToKAutomorphism(graph: Graph, options: Partial<AutomorphismOptions> = {}): AutomorphicRelease {
  const { k, seed, tries } = { ...DEFAULT_AUTOMORPHISM_OPTIONS, ...options };
  if (!Number.isInteger(k) || k < 1)
    throw new RangeError(`@ocgnet/research/automorphism: k must be a positive integer, not ${k}`);
  if (!Number.isSafeInteger(seed))
    throw new RangeError(`@ocgnet/research/automorphism: seed must be an integer, not ${seed}`);
  if (!Number.isInteger(tries) || tries < 1)
    throw new RangeError(`@ocgnet/research/automorphism: tries must be a positive integer, not ${tries}`);
  const ids = graph.nodes();
  const n = ids.length;
  if (n < k || n === 0)
    return {
      graph: graph.copy(),
      added: 0,
      reached: false,
      rowWidth: 0,
      twins: 0,
      suppressed: { nodeValues: 0, edgeValues: 0 },
      weightWildcard: false,
      orbits: [],
      shift: new Map(),
    };
  const index = new Map(ids.map((id, i) => [id, i]));
  const sets = ids.map(() => new Set<number>());
  const ties: Tie[] = [];
  graph.forEachEdge((_edge, attributes, source, target, _sa, _ta, undirected) => {
    const a = index.get(source)!;
    const b = index.get(target)!;
    ties.push({ a, b, directed: !undirected, attributes });
    if (a !== b) {
      sets[a]!.add(b);
      sets[b]!.add(a);
    }
  });
  const neighbours = sets.map((set) => [...set].sort((x, y) => x - y));

  // Row widths from k up to 2k − 1; fewer tries on larger graphs.
  const widths: number[] = [];
  for (let width = k; width <= Math.min(2 * k - 1, n); width++) widths.push(width);
  const budget = n > 400 ? 1 : tries;
  let best: Layout | undefined;
  for (const width of n > 400 ? widths.slice(0, 2) : widths) {
    for (let attempt = 0; attempt < budget; attempt++) {
      const layout = layOut(n, neighbours, ties, width, seededRandom(seed * 7919 + width * 104_729 + attempt));
      if (best === undefined || layout.cost < best.cost) best = layout;
    }
  }
  const layout = best!;

  // Orbits of edges: their members and the attributes of their original edges.
  const orbits = new Map<
    string,
    { directed: boolean; members: [number, number][]; attributes: Record<string, unknown>[] }
  >();
  for (const tie of ties) {
    const key = orbitKey(layout, tie);
    let orbit = orbits.get(key);
    if (orbit === undefined)
      orbits.set(key, (orbit = { directed: tie.directed, members: orbitMembers(layout, tie), attributes: [] }));
    orbit.attributes.push(tie.attributes);
  }

  const release = new Graph({ type: graph.type, multi: false, allowSelfLoops: true });
  let nodeValues = 0;
  const nodeOrbits = [...layout.rows, ...(layout.twins.length > 0 ? [layout.twins] : [])];
  for (const orbit of nodeOrbits) {
    const attributes = orbit.map((node) => graph.getNodeAttributes(ids[node]!));
    const names = new Set(attributes.flatMap((values) => Object.keys(values)));
    const shared: Record<string, unknown> = {};
    for (const name of names) {
      const { value, suppressed } = uniform(
        attributes.map((values) => values[name]),
        name,
      );
      if (value !== undefined) shared[name] = value;
      if (suppressed) nodeValues += attributes.filter((values) => values[name] !== WILDCARD).length;
    }
    for (const node of orbit) release.addNode(ids[node]!, { ...shared });
  }
  let edgeValues = 0;
  let weightWildcard = false;
  for (const orbit of orbits.values()) {
    const names = new Set(orbit.attributes.flatMap((values) => Object.keys(values)));
    const shared: Record<string, unknown> = {};
    for (const name of names) {
      const values = orbit.attributes.map((values) => values[name]);
      const { value, suppressed } = uniform(values, name);
      if (value !== undefined) shared[name] = value;
      if (suppressed) {
        if (name === 'weight') weightWildcard = true;
        edgeValues += values.filter((one) => one !== WILDCARD).length;
      }
    }
    for (const [a, b] of orbit.members) {
      const [source, target] = [ids[a]!, ids[b]!];
      if (orbit.directed) {
        if (!release.hasDirectedEdge(source, target)) release.addDirectedEdge(source, target, { ...shared });
      } else if (!release.hasUndirectedEdge(source, target)) release.addUndirectedEdge(source, target, { ...shared });
    }
  }
  const canonical = canonicalGraph(release);
  const shift = new Map<string, string>();
  for (const row of layout.rows)
    row.forEach((node, column) => shift.set(ids[node]!, ids[row[(column + 1) % row.length]!]!));
  for (const twin of layout.twins) shift.set(ids[twin]!, ids[twin]!);
  return {
    orbits: nodeOrbits.map((orbit) => orbit.map((node) => ids[node]!)),
    shift,
    graph: canonical,
    added: canonical.size - graph.size,
    reached: true,
    rowWidth: layout.width,
    twins: layout.twins.length,
    suppressed: { nodeValues, edgeValues },
    weightWildcard,
  };
}

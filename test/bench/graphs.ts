/**
 * The benchmark's graphs, generated deterministically and written as plain
 * `u v` edge lists (one undirected edge per line, integer node labels
 * 0 … n−1, no header) that ocgnet, igraph (`Graph.Read_Edgelist`) and
 * networkx (`read_edgelist`) all read as they are.
 *
 * - **Barabási–Albert** (`barabasiAlbert`): the seed is a clique on m + 1
 *   nodes (0 … m, m(m+1)/2 edges); every later node t = m+1 … n−1 adds m
 *   edges to m *distinct* earlier nodes, each drawn with probability
 *   proportional to its degree. The draw uses the repeated-endpoints list:
 *   every edge appends both of its endpoints to one Int32Array, so a node
 *   appears in it as often as its degree, and a uniform index into the list
 *   is a degree-proportional node. A draw that repeats a target already
 *   chosen for t is rejected and redrawn, so there are no multi-edges, and
 *   t never links to itself, so no self-loops. The list is extended with t's
 *   edges only after all m targets are chosen (as in networkx's
 *   `barabasi_albert_graph`). Edge count: m(m+1)/2 + m(n − m − 1). Node t
 *   first appears on the first line that mentions it, so labels appear in
 *   the file in the order 0, 1, 2, …
 * - **Planted partition** (`plantedPartition`): `blocks` blocks of `size`
 *   consecutive nodes (node i is in block ⌊i / size⌋); each pair inside a
 *   block is an edge with probability pIn, each pair across blocks with
 *   probability pOut, independently, drawn in the order (i, j), i < j.
 *   Ground truth: a `<name>.truth` file, line i holding node i's block.
 *
 * Randomness: sfc32 (Chris Doty-Humphrey's Small Fast Counter), seeded from
 * the integer seed through splitmix32 — a fixed, documented stream so the
 * same name and seed always give the same bytes on every machine.
 *
 * Files are cached in `.out/bench/` by name and seed, each with a
 * `<name>.json` sidecar (counts and parameters); a file is regenerated when
 * the sidecar is missing or its parameters differ.
 */
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';

/** Bumped when a generator's output would change, so caches are rebuilt. */
export const GENERATOR_VERSION = 1;

/** A seeded uniform generator on [0, 1) (sfc32 seeded by splitmix32). */
export function seededUniform(seed: number): () => number {
  let state = seed >>> 0;
  const splitmix = (): number => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  const next = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return next;
}

/** An undirected simple graph as parallel endpoint arrays over nodes 0 … n−1. */
export interface EdgeArrays {
  n: number;
  source: Int32Array;
  target: Int32Array;
}

/** Barabási–Albert graph with n nodes, m edges per added node (see the module comment). */
export function barabasiAlbert(n: number, m: number, seed: number): EdgeArrays {
  if (!(Number.isInteger(n) && Number.isInteger(m) && m >= 1 && n > m + 1))
    throw new RangeError(`barabasiAlbert: need integers m ≥ 1 and n > m + 1, got n=${n}, m=${m}`);
  const random = seededUniform(seed);
  const edges = (m * (m + 1)) / 2 + m * (n - m - 1);
  const source = new Int32Array(edges);
  const target = new Int32Array(edges);
  const repeated = new Int32Array(2 * edges);
  let e = 0;
  let length = 0;
  for (let i = 0; i <= m; i++) {
    for (let j = i + 1; j <= m; j++) {
      source[e] = i;
      target[e] = j;
      e++;
      repeated[length++] = i;
      repeated[length++] = j;
    }
  }
  const chosen = new Int32Array(m);
  for (let t = m + 1; t < n; t++) {
    let k = 0;
    while (k < m) {
      const candidate = repeated[Math.floor(random() * length)]!;
      let seen = false;
      for (let q = 0; q < k; q++) if (chosen[q] === candidate) seen = true;
      if (!seen) chosen[k++] = candidate;
    }
    for (let q = 0; q < m; q++) {
      source[e] = t;
      target[e] = chosen[q]!;
      e++;
      repeated[length++] = t;
      repeated[length++] = chosen[q]!;
    }
  }
  return { n, source, target };
}

/** Planted-partition graph: `blocks` blocks of `size` nodes, pIn inside, pOut across. */
export function plantedPartition(
  blocks: number,
  size: number,
  pIn: number,
  pOut: number,
  seed: number,
): EdgeArrays & { block: Int32Array } {
  const n = blocks * size;
  const random = seededUniform(seed);
  const block = new Int32Array(n);
  for (let i = 0; i < n; i++) block[i] = Math.floor(i / size);
  const source: number[] = [];
  const target: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const p = block[i] === block[j] ? pIn : pOut;
      if (random() < p) {
        source.push(i);
        target.push(j);
      }
    }
  }
  return { n, source: Int32Array.from(source), target: Int32Array.from(target), block };
}

/** Writes `u v` lines atomically (temporary file, then rename). */
export function writeEdgeList(path: string, graph: EdgeArrays): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w');
  try {
    const chunk = 65536;
    for (let start = 0; start < graph.source.length; start += chunk) {
      const end = Math.min(graph.source.length, start + chunk);
      let text = '';
      for (let e = start; e < end; e++) text += `${graph.source[e]} ${graph.target[e]}\n`;
      writeSync(fd, text);
    }
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
}

/** What a cached graph file is: its parameters and counts. */
export interface BenchGraph {
  /** Short label for the table, e.g. "BA 10k". */
  label: string;
  /** File name stem, e.g. "ba-10000-m5-s1". */
  name: string;
  /** The `u v` edge list. */
  path: string;
  nodes: number;
  edges: number;
  /** Ground-truth block per node (planted partition only). */
  truth?: string;
  /** Nodes of the source graph left out for having no edge (labelled graphs only). */
  isolatesDropped?: number;
  /** Generator and parameters, as written to the sidecar. */
  params: Record<string, unknown>;
}

type Built = { nodes: number; edges: number; truth?: string; isolatesDropped?: number };

function cached(
  dir: string,
  name: string,
  label: string,
  params: Record<string, unknown>,
  build: (path: string) => Built,
): BenchGraph {
  const path = `${dir}/${name}.txt`;
  const sidecar = `${dir}/${name}.json`;
  const wanted = JSON.stringify({ ...params, version: GENERATOR_VERSION });
  if (existsSync(path) && existsSync(sidecar)) {
    const { params: stored, ...meta } = JSON.parse(readFileSync(sidecar, 'utf8')) as Built & { params: string };
    if (stored === wanted && (meta.truth === undefined || existsSync(meta.truth)))
      return { label, name, path, ...meta, params };
  }
  const built = build(path);
  writeFileSync(sidecar, JSON.stringify({ params: wanted, ...built }, null, 1));
  return { label, name, path, ...built, params };
}

/** A compact size label: 10000 → "10k", 1000000 → "1M". */
export function sizeLabel(n: number): string {
  if (n >= 1e6 && n % 1e6 === 0) return `${n / 1e6}M`;
  if (n >= 1e3 && n % 1e3 === 0) return `${n / 1e3}k`;
  return String(n);
}

/** The BA graph with n nodes and m = 5 edges per added node, cached in `dir`. */
export function baGraph(dir: string, n: number, seed: number, m = 5): BenchGraph {
  const name = `ba-${n}-m${m}-s${seed}`;
  return cached(dir, name, `BA ${sizeLabel(n)}`, { generator: 'barabasi-albert', n, m, seed }, (path) => {
    const graph = barabasiAlbert(n, m, seed);
    writeEdgeList(path, graph);
    return { nodes: n, edges: graph.source.length };
  });
}

/** The planted-partition graph and its `.truth` file, cached in `dir`. */
export function plantedGraph(
  dir: string,
  blocks: number,
  size: number,
  pIn: number,
  pOut: number,
  seed: number,
): BenchGraph {
  const name = `planted-${blocks}x${size}-pin${pIn}-pout${pOut}-s${seed}`;
  return cached(
    dir,
    name,
    `planted ${blocks}×${size}`,
    { generator: 'planted-partition', blocks, size, pIn, pOut, seed },
    (path) => {
      const graph = plantedPartition(blocks, size, pIn, pOut, seed);
      writeEdgeList(path, graph);
      const truth = `${dir}/${name}.truth`;
      writeFileSync(truth, Array.from(graph.block, (b) => `${b}\n`).join(''));
      return { nodes: graph.n, edges: graph.source.length, truth };
    },
  );
}

/**
 * Any graph given as labelled edges (e.g. the medium fixture's person
 * projection), relabelled to integers 0 … n−1 in the order of `nodes`,
 * with `<name>.ids` mapping each integer back to the original id. Every
 * node must occur in an edge (the `u v` format has no isolates): nodes
 * without edges are left out and counted in the sidecar.
 */
export function labelledGraph(
  dir: string,
  name: string,
  label: string,
  params: Record<string, unknown>,
  load: () => { nodes: readonly string[]; edges: readonly (readonly [string, string])[] },
): BenchGraph {
  return cached(dir, name, label, params, (path) => {
    const { nodes, edges } = load();
    const linked = new Set<string>();
    for (const [u, v] of edges) {
      if (u !== v) {
        linked.add(u);
        linked.add(v);
      }
    }
    const kept = nodes.filter((node) => linked.has(node));
    const index = new Map(kept.map((node, i) => [node, i]));
    const seen = new Set<number>();
    const source: number[] = [];
    const target: number[] = [];
    for (const [u, v] of edges) {
      let a = index.get(u)!;
      let b = index.get(v)!;
      if (a === b) continue;
      if (a > b) [a, b] = [b, a];
      const key = a * kept.length + b;
      if (seen.has(key)) continue;
      seen.add(key);
      source.push(a);
      target.push(b);
    }
    writeEdgeList(path, { n: kept.length, source: Int32Array.from(source), target: Int32Array.from(target) });
    writeFileSync(`${dir}/${name}.ids`, kept.map((node) => `${node}\n`).join(''));
    return { nodes: kept.length, edges: source.length, isolatesDropped: nodes.length - kept.length };
  });
}

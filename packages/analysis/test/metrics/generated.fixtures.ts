/**
 * Seeded synthetic graphs for the path-kernel tests: shapes that stress the
 * direction-optimising BFS (a BA graph switches to bottom-up; a star does
 * at once; a long path never does and has deep levels; many components and
 * isolates test that the bottom-up step stays inside the source's component).
 */
import type Graph from 'graphology';
import { UndirectedGraph } from 'graphology';
import { seededRandom } from '../navigation/navigation.fixtures.js';

function graphFrom(n: number, edges: [number, number, number?][], prefix = 'v'): Graph {
  const graph = new UndirectedGraph();
  for (let v = 0; v < n; v++) graph.addNode(`${prefix}${v}`);
  for (const [a, b, w] of edges)
    if (a !== b) graph.mergeEdge(`${prefix}${a}`, `${prefix}${b}`, w === undefined ? {} : { weight: w });
  return graph;
}

/** Barabási–Albert: each new node ties to m distinct earlier nodes, chosen by degree; integer weights 1–5. */
export function barabasiAlbert(n: number, m: number, seed: number): Graph {
  const random = seededRandom(seed);
  const edges: [number, number, number][] = [];
  const ends: number[] = [];
  for (let v = 0; v <= m; v++)
    for (let u = 0; u < v; u++) {
      edges.push([u, v, 1 + Math.floor(random() * 5)]);
      ends.push(u, v);
    }
  for (let v = m + 1; v < n; v++) {
    const chosen = new Set<number>();
    while (chosen.size < m) chosen.add(ends[Math.floor(random() * ends.length)]!);
    for (const u of chosen) {
      edges.push([u, v, 1 + Math.floor(random() * 5)]);
      ends.push(u, v);
    }
  }
  return graphFrom(n, edges);
}

/** Erdős–Rényi G(n, p) with integer weights 1–3. */
export function erdosRenyi(n: number, p: number, seed: number): Graph {
  const random = seededRandom(seed);
  const edges: [number, number, number][] = [];
  for (let v = 0; v < n; v++)
    for (let u = 0; u < v; u++) if (random() < p) edges.push([u, v, 1 + Math.floor(random() * 3)]);
  return graphFrom(n, edges);
}

export function pathGraph(n: number): Graph {
  return graphFrom(
    n,
    Array.from({ length: n - 1 }, (_, v) => [v, v + 1] as [number, number]),
  );
}

export function starGraph(leaves: number): Graph {
  return graphFrom(
    leaves + 1,
    Array.from({ length: leaves }, (_, v) => [0, v + 1] as [number, number]),
  );
}

/**
 * Many components: a BA core of 200 nodes, 40 small random components (2–12
 * nodes), a path of 80, a star of 70 and 25 isolates, node ids interleaved
 * so components are not contiguous in index order.
 */
export function manyComponents(seed: number): Graph {
  const random = seededRandom(seed);
  const pieces: { n: number; edges: [number, number, number?][] }[] = [];
  const core = barabasiAlbert(200, 3, seed + 1);
  pieces.push({
    n: 200,
    edges: core.mapEdges(
      (_e, a, u, v) => [Number(u.slice(1)), Number(v.slice(1)), Number(a.weight ?? 1)] as [number, number, number],
    ),
  });
  for (let c = 0; c < 40; c++) {
    const size = 2 + Math.floor(random() * 11);
    const edges: [number, number, number][] = [];
    for (let v = 1; v < size; v++) edges.push([Math.floor(random() * v), v, 1 + Math.floor(random() * 3)]);
    for (let extra = 0; extra < size / 2; extra++)
      edges.push([Math.floor(random() * size), Math.floor(random() * size), 1]);
    pieces.push({ n: size, edges });
  }
  pieces.push({ n: 80, edges: Array.from({ length: 79 }, (_, v) => [v, v + 1] as [number, number]) });
  pieces.push({ n: 70, edges: Array.from({ length: 69 }, (_, v) => [0, v + 1] as [number, number]) });
  for (let i = 0; i < 25; i++) pieces.push({ n: 1, edges: [] });
  const total = pieces.reduce((sum, piece) => sum + piece.n, 0);
  // A seeded permutation spreads each piece over the index range.
  const label = Array.from({ length: total }, (_, v) => v);
  for (let i = total - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [label[i], label[j]] = [label[j]!, label[i]!];
  }
  const edges: [number, number, number?][] = [];
  let base = 0;
  for (const piece of pieces) {
    for (const [a, b, w] of piece.edges)
      edges.push(w === undefined ? [label[base + a]!, label[base + b]!] : [label[base + a]!, label[base + b]!, w]);
    base += piece.n;
  }
  return graphFrom(total, edges);
}

/** The generated graphs the reference tests run on, by name. */
export function generatedGraphs(): { name: string; graph: Graph }[] {
  return [
    { name: 'ba-600-m5', graph: barabasiAlbert(600, 5, 7) },
    { name: 'ba-300-m2', graph: barabasiAlbert(300, 2, 11) },
    { name: 'er-250', graph: erdosRenyi(250, 0.03, 5) },
    { name: 'path-300', graph: pathGraph(300) },
    { name: 'star-200', graph: starGraph(200) },
    { name: 'many-components', graph: manyComponents(3) },
  ];
}

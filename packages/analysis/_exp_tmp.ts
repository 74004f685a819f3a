import { readFileSync } from 'node:fs';
import Graph from 'graphology';
import { csrOf } from '/work/main/packages/analysis/src/csr.ts';
import { createPathWorkspace, dijkstraFrom, bfsFrom, edgeLengths } from '/work/main/packages/analysis/src/metrics/paths.ts';
const { graphs: [spec] } = JSON.parse(readFileSync('/tmp/cscratch/medium.json', 'utf8'));
const g = new Graph({ type: 'undirected' });
for (const n of spec.nodes) g.addNode(n);
for (const [u, v, w] of spec.edges) g.addEdge(u, v, { weight: w });
const csr = csrOf(g);
const ws = createPathWorkspace(csr.n);
const L = edgeLengths(csr, 'inverse');
let t = performance.now(); let tot = 0;
for (let s = 0; s < csr.n; s++) tot += dijkstraFrom(csr, L, ws, s, false, 0);
console.log('dijkstra', performance.now() - t, tot);
t = performance.now(); tot = 0;
for (let s = 0; s < csr.n; s++) tot += bfsFrom(csr, ws, s, false);
console.log('bfs', performance.now() - t, tot);
// components
const comp = new Int32Array(csr.n).fill(-1); const sizes: number[] = [];
for (let s = 0; s < csr.n; s++) if (comp[s] < 0) { const r = bfsFrom(csr, ws, s, false); for (let i = 0; i < r; i++) comp[ws.order[i]] = sizes.length; sizes.push(r); }
sizes.sort((a, b) => b - a); console.log('components', sizes.length, sizes.slice(0, 5));

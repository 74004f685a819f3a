import { readFileSync } from 'node:fs';
import Graph from 'graphology';
import { csrOf } from '/work/main/packages/analysis/src/csr.ts';
import { edgeLengths } from '/work/main/packages/analysis/src/metrics/paths.ts';
const { graphs: [spec] } = JSON.parse(readFileSync('/tmp/cscratch/medium.json', 'utf8'));
const g = new Graph({ type: 'undirected' });
for (const n of spec.nodes) g.addNode(n);
for (const [u, v, w] of spec.edges) g.addEdge(u, v, { weight: w });
const csr = csrOf(g);
const L = edgeLengths(csr, 'inverse');
const n = csr.n;
const dist = new Float64Array(n).fill(-1), heap = new Int32Array(n), key = new Float64Array(n), pos = new Int32Array(n).fill(-1);
let pushes = 0, decs = 0, upSteps = 0, downSteps = 0, pops = 0;
const { offsets, targets } = csr;
for (let s = 0; s < n; s++) {
  dist.fill(-1);
  let size = 1; heap[0] = s; key[0] = 0; dist[s] = 0; pos[s] = 0;
  const settled = new Uint8Array(n);
  while (size > 0) {
    const v = heap[0]; pos[v] = -1; pops++;
    if (--size > 0) { const node = heap[size], k = key[size]; let p = 0; for (;;) { let c = 2 * p + 1; if (c >= size) break; if (c + 1 < size && key[c + 1] < key[c]) c++; if (key[c] >= k) break; heap[p] = heap[c]; key[p] = key[c]; pos[heap[p]] = p; p = c; downSteps++; } heap[p] = node; key[p] = k; pos[node] = p; }
    settled[v] = 1; const dv = dist[v];
    for (let slot = offsets[v]; slot < offsets[v + 1]; slot++) {
      const u = targets[slot]; if (settled[u]) continue; const cand = dv + L[slot]; const du = dist[u];
      let p = -1;
      if (du < 0) { pushes++; p = size++; } else if (cand < du) { decs++; p = pos[u]; } else continue;
      dist[u] = cand;
      while (p > 0) { const pp = (p - 1) >> 1; if (key[pp] <= cand) break; heap[p] = heap[pp]; key[p] = key[pp]; pos[heap[p]] = p; p = pp; upSteps++; }
      heap[p] = u; key[p] = cand; pos[u] = p;
    }
  }
}
console.log({ pops, pushes, decs, upSteps, downSteps });

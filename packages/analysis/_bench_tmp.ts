import { readFileSync } from 'node:fs';
import Graph from 'graphology';
import { csrOf } from '/work/main/packages/analysis/src/csr.ts';
import { betweennessOnCsr } from '/work/main/packages/analysis/src/metrics/betweenness.ts';
import { closenessOnCsr } from '/work/main/packages/analysis/src/metrics/closeness.ts';
const { graphs: [spec] } = JSON.parse(readFileSync('/tmp/cscratch/medium.json', 'utf8'));
const g = new Graph({ type: 'undirected' });
for (const n of spec.nodes) g.addNode(n);
for (const [u, v, w] of spec.edges) g.addEdge(u, v, { weight: w });
const csr = csrOf(g);
const time = (label: string, f: () => unknown) => { const t = performance.now(); const c = process.cpuUsage(); f(); const d = process.cpuUsage(c); console.log(label, (performance.now() - t).toFixed(0), "ms wall", ((d.user + d.system) / 1000).toFixed(0), "ms cpu"); };
const which = process.argv[2] ?? 'all';
for (let k = 0; k < 2; k++) {
  if (which === 'all' || which === 'u') time('betweenness unweighted', () => betweennessOnCsr(csr));
  if (which === 'all' || which === 'w') time('betweenness inverse', () => betweennessOnCsr(csr, { weighted: true }));
  if (which === 'all' || which === 'c') time('closeness inverse', () => closenessOnCsr(csr, { weighted: true }));
}

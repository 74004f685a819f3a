/**
 * The ocgnet benchmark: ocgnet against its peers (networkx and igraph) on the
 * same graph, in one run, printing times and ratios.
 *
 *   pnpm bench [--size small|medium] [--seed 1] [--steps 10] [--peers networkx,igraph] [--tasks betweenness,pagerank,components,removal]
 *
 * The graph is the generator's person projection (deterministic for a seed).
 * Every timing is one cold run, single-threaded, graph loading excluded, each
 * tool in its own process; the "check" column confirms the tools agree.
 * The removal loop is the same work on every side: re-rank by exact
 * betweenness, remove the top node (ties by id), repeat; ocgnet's curve
 * metrics that need all-pairs distances are switched off for it.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type Graph from 'graphology';
import { generateScenario, type ScenarioSize } from '@ocgnet/generator';
import { buildNetwork, projectPersons } from '@ocgnet/graph';
import { betweennessOnCsr, connectedComponentsOnCsr, csrOf, pagerankOnCsr } from '@ocgnet/analysis';
import { simulateRemoval } from '@ocgnet/disruption';
import { REPO_ROOT, referencePython } from '../reference/python.js';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: 'medium' },
    seed: { type: 'string', default: '1' },
    steps: { type: 'string', default: '10' },
    peers: { type: 'string', default: 'networkx,igraph' },
    tasks: { type: 'string', default: 'betweenness,pagerank,components,removal' },
  },
});
const size = values.size as ScenarioSize;
const seed = Number(values.seed);
const steps = Number(values.steps);
const peers = values.peers!.split(',').filter(Boolean);
const tasks = values.tasks!.split(',').filter(Boolean);

function personGraph(): Graph {
  const entities = [];
  const links = [];
  for (const chunk of generateScenario({ size, seed })) {
    entities.push(...chunk.entities);
    links.push(...chunk.links);
  }
  return projectPersons(buildNetwork({ entities, links })) as unknown as Graph;
}

function timed<T>(run: () => T): { seconds: number; value: T } {
  const start = process.hrtime.bigint();
  const value = run();
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, value };
}

const graph = personGraph();
const csr = csrOf(graph, { weightAttribute: null });
const ours: Record<string, { seconds: number; check: unknown }> = {};
for (const task of tasks) {
  if (task === 'betweenness') {
    const run = timed(() => betweennessOnCsr(csr));
    ours[task] = { seconds: run.seconds, check: Math.max(...run.value) };
  } else if (task === 'pagerank') {
    const run = timed(() => pagerankOnCsr(csr));
    ours[task] = { seconds: run.seconds, check: Math.max(...run.value) };
  } else if (task === 'components') {
    const run = timed(() => connectedComponentsOnCsr(csr));
    ours[task] = { seconds: run.seconds, check: run.value.count };
  } else if (task === 'removal') {
    const run = timed(() => simulateRemoval(graph, { strategy: 'betweenness', mode: 'sequential', steps, distanceMeasures: false }));
    ours[task] = { seconds: run.seconds, check: run.value.removed };
  }
}

const request = {
  graph: { nodes: graph.nodes(), edges: graph.mapEdges((_e, _a, u, v) => [u, v, 1]) },
  tasks,
  peers,
  steps,
};
const output = execFileSync(referencePython(), [join(REPO_ROOT, 'test', 'bench', 'peers.py')], { input: JSON.stringify(request), maxBuffer: 1 << 28, encoding: 'utf8' });
const { versions, results } = JSON.parse(output) as { versions: Record<string, string>; results: { peer: string; task: string; seconds: number; check: unknown }[] };

/** "yes" when the results agree (numbers to 1e-9 relative), else how far apart they are. */
function agreement(a: unknown, b: unknown): string {
  if (typeof a === 'number' && typeof b === 'number') {
    const gap = Math.abs(a - b) / Math.max(1, Math.abs(b));
    return gap <= 1e-9 ? 'yes' : `Δ ${gap.toExponential(1)}`;
  }
  return JSON.stringify(a) === JSON.stringify(b) ? 'yes' : 'NO';
}

const header = `| task (${size}, seed ${seed}: ${graph.order} nodes, ${graph.size} edges) | ocgnet s | ${peers.map((peer) => `${peer} s`).join(' | ')} | ${peers.map((peer) => `ocgnet / ${peer}`).join(' | ')} | same result (${peers.join(', ')}) |`;
const rows = [header, `|${'---|'.repeat(3 + 2 * peers.length)}`];
for (const task of tasks) {
  const mine = ours[task]!;
  const theirs = peers.map((peer) => results.find((result) => result.peer === peer && result.task === task)!);
  const label = task === 'removal' ? `sequential betweenness removal, ${steps} steps` : task;
  rows.push(
    `| ${label} | ${mine.seconds.toFixed(3)} | ${theirs.map((result) => result.seconds.toFixed(3)).join(' | ')} | ` +
      `${theirs.map((result) => `${(mine.seconds / result.seconds).toFixed(3)}×`).join(' | ')} | ${theirs.map((result) => agreement(mine.check, result.check)).join(', ')} |`,
  );
}
const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores; Node ${process.versions.node}; Python ${versions.python}, networkx ${versions.networkx}, igraph ${versions.igraph}`;
const table = `${rows.join('\n')}\n\nMachine: ${machine}\n`;
process.stdout.write(table);
mkdirSync(join(REPO_ROOT, '.out', 'bench'), { recursive: true });
writeFileSync(join(REPO_ROOT, '.out', 'bench', `latest-${size}.md`), table);

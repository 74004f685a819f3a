/**
 * The ocgnet benchmark (issue 8): ocgnet against igraph (and networkx,
 * graphology-communities-louvain) on the same files, in one run, one child
 * process per task and tool, printing one markdown table with times, ratios,
 * targets, peak RSS and a check that the tools computed the same thing.
 *
 *   pnpm bench [--quick] [--tasks a,b,…] [--skip-1m] [--with-networkx-slow]
 *              [--seed 1] [--workers 2] [--pivots 256] [--steps 10] [--fixture small|medium]
 *
 * Tasks (rows of the issue's table): betweenness, sampled, closeness (three
 * rows: closeness alone, harmonic alone, both), load, degree, pagerank,
 * components, louvain, leiden (ocgnet's `leidenOnCsr` against igraph's
 * `community_leiden`, modularity objective; one run each, until stable up to
 * 20,000 ties, else 2 iterations, as ocgnet's default), memory (derived from the others' peak RSS), e2e
 * (`ocgnet analyse --large` on BA 1M), removal.
 *
 * Same work on every side: closeness is Wasserman–Faust's everywhere (igraph's
 * is corrected in peers.py) and compared node by node; PageRank runs under
 * ocgnet's default rule (within 1e-10 of the fixed point), networkx to an L1
 * change below 1e-10 (igraph's PRPACK is direct), and each side's error is
 * measured against a SciPy power iteration run to round-off (peers.py
 * pagerank-reference).
 *
 * Graphs (test/bench/graphs.ts, cached in .out/bench/ by name and seed):
 * Barabási–Albert with m = 5 at 10k (exact betweenness, closeness), 100k
 * (everything else) and 1M (end to end); `--quick` uses 2k, 20k and 100k.
 * A planted partition of 20 blocks × 100 nodes, p_in 0.15, p_out 0.002, for
 * Louvain's NMI. The fixture's person projection (medium, seed 1) for the
 * removal loop.
 *
 * Timing: wall time of the task alone inside its child (graph loading
 * excluded except in the load row); peak RSS is the child's own
 * (ocgnet: process.resourceUsage().maxRSS; Python: getrusage ru_maxrss;
 * end to end: /usr/bin/time -v, or VmHWM from /proc). Progress goes to
 * stderr; the table to stdout, .out/bench/results.md and (with every raw
 * result) .out/bench/results.json.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateScenario, type ScenarioSize } from '@ocgnet/generator';
import { buildNetwork, projectPersons } from '@ocgnet/graph';
import { REPO_ROOT, referencePython } from '../reference/python.js';
import { baGraph, labelledGraph, plantedGraph, type BenchGraph } from './graphs.js';

const ALL_TASKS = [
  'betweenness',
  'sampled',
  'closeness',
  'load',
  'degree',
  'pagerank',
  'components',
  'louvain',
  'leiden',
  'memory',
  'e2e',
  'removal',
] as const;
type Task = (typeof ALL_TASKS)[number];

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    tasks: { type: 'string', default: ALL_TASKS.join(',') },
    'skip-1m': { type: 'boolean', default: false },
    'with-networkx-slow': { type: 'boolean', default: false },
    seed: { type: 'string', default: '1' },
    workers: { type: 'string', default: '2' },
    pivots: { type: 'string', default: '256' },
    steps: { type: 'string', default: '10' },
    fixture: { type: 'string' },
  },
});
const quick = values.quick;
const seed = Number(values.seed);
const workers = Number(values.workers);
const pivots = Number(values.pivots);
const steps = Number(values.steps);
const slow = values['with-networkx-slow'];
const fixture = (values.fixture ?? (quick ? 'small' : 'medium')) as ScenarioSize;
const tasks = new Set(values.tasks.split(',').filter(Boolean) as Task[]);
for (const task of tasks)
  if (!ALL_TASKS.includes(task))
    throw new Error(`pnpm bench: unknown task ${task}; choose from ${ALL_TASKS.join(', ')}`);
if (values['skip-1m']) tasks.delete('e2e');

const OUT = join(REPO_ROOT, '.out', 'bench');
const SCRATCH = join(OUT, 'scratch');
mkdirSync(SCRATCH, { recursive: true });
const SIZES = quick
  ? { small: 2_000, large: 20_000, huge: 100_000 }
  : { small: 10_000, large: 100_000, huge: 1_000_000 };
const PLANTED = { blocks: 20, size: 100, pIn: 0.15, pOut: 0.002 };

function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

// ---------------------------------------------------------------- machine

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line) return line.split(':')[1]!.trim();
  } catch {
    // not Linux
  }
  return cpus()[0]?.model ?? 'unknown CPU';
}
const loadAtStart = loadavg();
const python = referencePython();

// ---------------------------------------------------------------- children

/** What one child reported: time of the task, its peak RSS, and values to compare. */
interface Run {
  tool: string;
  task: string;
  graph: string;
  ok: boolean;
  seconds: number;
  rssMb: number;
  /** Runs the time is the median of (fast tasks only; else 1). */
  runs?: number;
  check: Record<string, unknown>;
  error?: string;
}
const runs: Run[] = [];

function spawnJson(
  tool: string,
  task: string,
  graph: BenchGraph | null,
  command: string,
  args: string[],
  timeoutMs = 3_600_000,
): Run {
  const started = Date.now();
  const child = spawnSync(command, args, { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 1 << 26, timeout: timeoutMs });
  const base = { tool, task, graph: graph?.label ?? '', seconds: NaN, rssMb: NaN, check: {} };
  let run: Run;
  const line = child.stdout?.trim().split('\n').pop() ?? '';
  if (child.status === 0 && line.startsWith('{')) {
    const parsed = JSON.parse(line) as {
      seconds: number;
      runs?: number;
      maxRssKb: number;
      check: Record<string, unknown>;
    };
    run = {
      ...base,
      ok: true,
      seconds: parsed.seconds,
      runs: parsed.runs ?? 1,
      rssMb: parsed.maxRssKb / 1024,
      check: parsed.check,
    };
  } else {
    const why = child.error
      ? String(child.error.message)
      : (child.stderr ?? '').trim().split('\n').filter(Boolean).slice(-3).join(' / ');
    run = { ...base, ok: false, error: `exit ${child.status ?? child.signal}: ${why.slice(0, 400)}` };
  }
  runs.push(run);
  const wall = ((Date.now() - started) / 1000).toFixed(1);
  log(
    run.ok
      ? `${tool} ${task} on ${base.graph}: ${run.seconds.toFixed(3)} s, ${run.rssMb.toFixed(0)} MB (child ${wall} s)`
      : `${tool} ${task} on ${base.graph}: FAILED ${run.error}`,
  );
  return run;
}

/** ocgnet: the task in a fresh Node process (tsx loader, no tsx CLI wrapper process). */
function ocgnet(task: string, graph: BenchGraph, extra: string[] = [], tool = 'ocgnet'): Run {
  const args = [
    '--import',
    'tsx',
    join(REPO_ROOT, 'test', 'bench', 'ocgnet-task.ts'),
    '--task',
    task,
    '--graph',
    graph.path,
    '--seed',
    String(seed),
    ...extra,
  ];
  return spawnJson(tool, task, graph, process.execPath, args);
}

/** igraph, networkx, or the SciPy PageRank reference: the task in a fresh Python process. */
function peer(tool: 'igraph' | 'networkx' | 'scipy', task: string, graph: BenchGraph, extra: string[] = []): Run {
  const args = [
    join(REPO_ROOT, 'test', 'bench', 'peers.py'),
    '--tool',
    tool,
    '--task',
    task,
    '--graph',
    graph.path,
    '--seed',
    String(seed),
    ...extra,
  ];
  return spawnJson(tool, task, graph, python, args);
}

function failed(tool: string, task: string, graph: BenchGraph, error: string): Run {
  const run: Run = { tool, task, graph: graph.label, ok: false, seconds: NaN, rssMb: NaN, check: {}, error };
  runs.push(run);
  log(`${tool} ${task} on ${graph.label}: skipped (${error})`);
  return run;
}

const versions = spawnJson('python', 'versions', null, python, [
  join(REPO_ROOT, 'test', 'bench', 'peers.py'),
  '--task',
  'versions',
]).check as Record<string, string>;
runs.pop();

// ---------------------------------------------------------------- graphs

function graphs() {
  const need = (...names: Task[]) => names.some((name) => tasks.has(name));
  const started = Date.now();
  const small = need('betweenness', 'closeness', 'memory') ? baGraph(OUT, SIZES.small, seed) : null;
  const large = need('sampled', 'load', 'degree', 'pagerank', 'components', 'louvain', 'leiden', 'memory')
    ? baGraph(OUT, SIZES.large, seed)
    : null;
  const huge = need('e2e') || (need('memory') && !values['skip-1m']) ? baGraph(OUT, SIZES.huge, seed) : null;
  const planted = need('louvain', 'leiden')
    ? plantedGraph(OUT, PLANTED.blocks, PLANTED.size, PLANTED.pIn, PLANTED.pOut, seed)
    : null;
  const medium = need('removal')
    ? labelledGraph(
        OUT,
        `fixture-${fixture}-s${seed}-persons`,
        `fixture ${fixture} persons`,
        { generator: 'fixture', size: fixture, seed },
        () => {
          const entities = [];
          const links = [];
          for (const chunk of generateScenario({ size: fixture, seed })) {
            entities.push(...chunk.entities);
            links.push(...chunk.links);
          }
          const projection = projectPersons(buildNetwork({ entities, links }));
          const edges: [string, string][] = [];
          projection.forEachEdge((_edge, _attributes, u, v) => {
            edges.push([u, v]);
          });
          return { nodes: projection.nodes(), edges };
        },
      )
    : null;
  // Read each file once, so no tool pays for the first read from disk.
  for (const g of [small, large, huge, planted, medium]) if (g) readFileSync(g.path);
  log(
    `graphs ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${[small, large, huge, planted, medium]
      .filter(Boolean)
      .map((g) => `${g!.name} (${g!.nodes} nodes, ${g!.edges} edges)`)
      .join('; ')}`,
  );
  return { small, large, huge, planted, medium };
}
const G = graphs();

// ---------------------------------------------------------------- tasks

const r: Partial<Record<string, Run>> = {};
const key = (tool: string, task: string, graph: BenchGraph) => `${tool}|${task}|${graph.name}`;
function keep(run: Run, graph: BenchGraph): Run {
  r[key(run.tool, run.task, graph)] = run;
  return run;
}
const get = (tool: string, task: string, graph: BenchGraph | null) => (graph ? r[key(tool, task, graph)] : undefined);
const W = `ocgnet ${workers}w`;

/** Peak RSS of a process that has loaded its modules and no graph: what every row's MB starts from. */
const baseline = tasks.has('memory')
  ? {
      ocgnet: spawnJson('ocgnet', 'baseline', null, process.execPath, [
        '--import',
        'tsx',
        join(REPO_ROOT, 'test', 'bench', 'ocgnet-task.ts'),
        '--task',
        'baseline',
      ]),
      igraph: spawnJson('igraph', 'baseline', null, python, [
        join(REPO_ROOT, 'test', 'bench', 'peers.py'),
        '--tool',
        'igraph',
        '--task',
        'baseline',
      ]),
    }
  : undefined;

if (tasks.has('betweenness') || tasks.has('memory')) {
  const g = G.small!;
  keep(ocgnet('betweenness', g), g);
  if (tasks.has('betweenness')) keep(ocgnet('betweenness', g, ['--workers', String(workers)], W), g);
  keep(peer('igraph', 'betweenness', g), g);
  if (slow && tasks.has('betweenness')) keep(peer('networkx', 'betweenness', g), g);
}
const pivotsFile = G.large ? join(SCRATCH, `pivots-${G.large.name}-k${pivots}.txt`) : '';
if (tasks.has('sampled') || tasks.has('memory')) {
  const g = G.large!;
  rmSync(pivotsFile, { force: true });
  const pivotArgs = ['--pivots', String(pivots)];
  keep(ocgnet('sampled', g, [...pivotArgs, '--pivots-out', pivotsFile]), g);
  if (tasks.has('sampled')) keep(ocgnet('sampled', g, [...pivotArgs, '--workers', String(workers)], W), g);
  keep(
    existsSync(pivotsFile)
      ? peer('igraph', 'sampled', g, ['--pivots', pivotsFile])
      : failed('igraph', 'sampled', g, 'no pivots: ocgnet did not write them'),
    g,
  );
}
/** Closeness alone, harmonic alone, and both: the tasks of the closeness rows (ocgnet-task.ts, peers.py). */
const CLOSENESS_TASKS = ['closeness', 'harmonic', 'closeness-harmonic'] as const;
/** Where a task's per-node vector goes (float64, label order), for the node-by-node checks. */
const vectorFile = (tool: string, task: string, g: BenchGraph) => join(SCRATCH, `${task}-${tool}-${g.name}.f64`);
if (tasks.has('closeness') || tasks.has('memory')) {
  const g = G.small!;
  for (const task of CLOSENESS_TASKS) {
    for (const tool of ['ocgnet', 'igraph', 'networkx']) rmSync(vectorFile(tool, task, g), { force: true });
    keep(ocgnet(task, g, ['--out', vectorFile('ocgnet', task, g)]), g);
    keep(peer('igraph', task, g, ['--out', vectorFile('igraph', task, g)]), g);
    if (slow && tasks.has('closeness')) keep(peer('networkx', task, g, ['--out', vectorFile('networkx', task, g)]), g);
  }
}
/** networkx PageRank's convergence target: the L1 change between iterates. ocgnet runs its default rule. */
const PAGERANK_L1 = 1e-10;
let pagerankReference: Run | undefined;
for (const task of ['load', 'degree', 'pagerank', 'components'] as const) {
  if (!tasks.has(task) && !tasks.has('memory')) continue;
  const g = G.large!;
  const out = (tool: string) => (task === 'pagerank' ? ['--out', vectorFile(tool, task, g)] : []);
  if (task === 'pagerank' && tasks.has('pagerank')) {
    for (const tool of ['ocgnet', 'igraph', 'networkx', 'reference'])
      rmSync(vectorFile(tool, task, g), { force: true });
    pagerankReference = peer('scipy', 'pagerank-reference', g, out('reference'));
    runs.pop();
  }
  const tolerance = task === 'pagerank' ? ['--pagerank-l1', String(PAGERANK_L1)] : [];
  keep(ocgnet(task, g, out('ocgnet')), g);
  keep(peer('igraph', task, g, out('igraph')), g);
  if (tasks.has(task)) keep(peer('networkx', task, g, [...out('networkx'), ...tolerance]), g);
}
/** Community memberships scored by one routine (igraph's modularity(), compare_communities nmi), by task and graph. */
interface Scores {
  modularity: Record<string, number>;
  nmi: Record<string, number | null>;
}
const scores: Record<string, Scores> = {};
const leidenScores: Record<string, Scores> = {};

/** Scores the memberships `tools` wrote (those that exist) on `g` into `into[g.name]`. */
function scoreMemberships(
  g: BenchGraph,
  tools: readonly string[],
  file: (tool: string) => string,
  into: Record<string, Scores>,
) {
  const present = tools.filter((tool) => existsSync(file(tool)));
  const args = present.flatMap((tool) => ['--membership', file(tool)]);
  const score = peer('igraph', 'score', g, [...args, ...(g.truth ? ['--truth', g.truth] : [])]);
  runs.pop();
  if (!score.ok) return;
  const { modularity, nmi } = score.check as { modularity: number[]; nmi: (number | null)[] };
  into[g.name] = {
    modularity: Object.fromEntries(present.map((tool, i) => [tool, modularity[i]!])),
    nmi: Object.fromEntries(present.map((tool, i) => [tool, nmi[i] ?? null])),
  };
}
const LOUVAIN_TOOLS = ['ocgnet', 'graphology', 'igraph', 'networkx'] as const;
if (tasks.has('louvain') || tasks.has('memory')) {
  for (const g of [G.large!, G.planted!]) {
    if (!tasks.has('louvain') && g === G.planted) continue;
    const membership = (tool: string) => join(SCRATCH, `louvain-${tool}-${g.name}.txt`);
    for (const tool of LOUVAIN_TOOLS) rmSync(membership(tool), { force: true });
    keep(ocgnet('louvain', g, ['--out', membership('ocgnet')]), g);
    keep(peer('igraph', 'louvain', g, ['--out', membership('igraph')]), g);
    if (!tasks.has('louvain')) continue;
    keep(ocgnet('louvain-graphology', g, ['--out', membership('graphology')], 'graphology'), g);
    // networkx's Louvain takes minutes on the BA graph (51 s at 20k): there only with --with-networkx-slow.
    if (slow || g === G.planted) keep(peer('networkx', 'louvain', g, ['--out', membership('networkx')]), g);
    scoreMemberships(g, LOUVAIN_TOOLS, membership, scores);
  }
}
if (tasks.has('leiden')) {
  for (const g of [G.large!, G.planted!]) {
    const membership = (tool: string) => join(SCRATCH, `leiden-${tool}-${g.name}.txt`);
    for (const tool of ['ocgnet', 'igraph']) rmSync(membership(tool), { force: true });
    keep(ocgnet('leiden', g, ['--out', membership('ocgnet')]), g);
    keep(peer('igraph', 'leiden', g, ['--out', membership('igraph')]), g);
    scoreMemberships(g, ['ocgnet', 'igraph'], membership, leidenScores);
  }
}

/** What the CLI's JSON says it computed (read defensively: only the fields the table uses). */
function summary(output: string): Record<string, unknown> {
  try {
    if (statSync(output).size > 256 * 2 ** 20) return {};
    const json = JSON.parse(readFileSync(output, 'utf8')) as {
      graph?: { nodes?: number; edges?: number; components?: number };
      communities?: { count?: number; modularity?: number };
      timings?: { step: string; seconds: number }[];
    };
    return {
      nodes: json.graph?.nodes,
      edges: json.graph?.edges,
      components: json.graph?.components,
      communities: json.communities?.count,
      modularity: json.communities?.modularity,
      steps: Array.isArray(json.timings)
        ? json.timings.map((t) => `${t.step} ${Number(t.seconds).toFixed(1)}`).join(', ')
        : undefined,
    };
  } catch {
    return {};
  }
}

/** End to end: the real CLI as a user runs it, timed from outside, peak RSS of the child. */
async function endToEnd(g: BenchGraph): Promise<Run> {
  const output = join(SCRATCH, `e2e-${g.name}.json`);
  const timeFile = join(SCRATCH, `e2e-${g.name}.time`);
  rmSync(timeFile, { force: true });
  let haveTime = existsSync('/usr/bin/time');
  if (!haveTime && process.getuid?.() === 0) {
    log('installing GNU time (Debian package "time") for peak RSS');
    spawnSync('apt-get', ['install', '-y', '-q', 'time'], { stdio: 'ignore' });
    haveTime = existsSync('/usr/bin/time');
  }
  const cli = [
    process.execPath,
    '--import',
    'tsx',
    join(REPO_ROOT, 'packages', 'cli', 'src', 'bin.ts'),
    'analyse',
    g.path,
    '--large',
    '--json',
    '--quiet',
  ];
  const [command, ...args] = haveTime ? ['/usr/bin/time', '-v', '-o', timeFile, ...cli] : cli;
  log(`e2e: ${cli.slice(3).join(' ')} > ${output}`);
  const { openSync, closeSync } = await import('node:fs');
  const fd = openSync(output, 'w');
  const start = process.hrtime.bigint();
  const child = spawn(command!, args, { cwd: REPO_ROOT, stdio: ['ignore', fd, 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  // Without GNU time: poll the child's high-water mark (misses the last < 200 ms).
  let hwmKb = 0;
  const poll = haveTime
    ? undefined
    : setInterval(() => {
        try {
          const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
          if (match) hwmKb = Math.max(hwmKb, Number(match[1]));
        } catch {
          // exited
        }
      }, 200);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (poll) clearInterval(poll);
  closeSync(fd);
  if (haveTime && existsSync(timeFile)) {
    const match = /Maximum resident set size \(kbytes\): (\d+)/.exec(readFileSync(timeFile, 'utf8'));
    if (match) hwmKb = Number(match[1]);
  }
  const base = { tool: 'ocgnet', task: 'e2e', graph: g.label, seconds, rssMb: hwmKb / 1024 };
  const run: Run =
    code === 0
      ? {
          ...base,
          ok: true,
          check: {
            bytes: statSync(output).size,
            rssFrom: haveTime ? '/usr/bin/time -v' : '/proc VmHWM poll',
            ...summary(output),
          },
        }
      : {
          ...base,
          ok: false,
          check: {},
          error: `exit ${code}: ${stderr.trim().split('\n').slice(-3).join(' / ').slice(0, 400)}`,
        };
  runs.push(run);
  log(
    run.ok
      ? `e2e on ${g.label}: ${seconds.toFixed(1)} s, ${base.rssMb.toFixed(0)} MB`
      : `e2e on ${g.label}: FAILED ${run.error}`,
  );
  return run;
}
if (tasks.has('e2e')) keep(await endToEnd(G.huge!), G.huge!);

if (tasks.has('removal')) {
  const g = G.medium!;
  const extra = ['--steps', String(steps)];
  keep(ocgnet('removal', g, extra), g);
  keep(peer('igraph', 'removal', g, extra), g);
  if (slow) keep(peer('networkx', 'removal', g, extra), g);
}

// ---------------------------------------------------------------- checks

function relativeGap(a: unknown, b: unknown): number {
  if (typeof a !== 'number' || typeof b !== 'number') return NaN;
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-300);
}
function sameNumber(a: Run | undefined, b: Run | undefined, field: string, tolerance = 1e-9): string {
  if (!a?.ok || !b?.ok) return '—';
  const gap = relativeGap(a.check[field], b.check[field]);
  return gap <= tolerance
    ? `yes (${field} ${fmtNumber(a.check[field])})`
    : `NO: ${field} ${fmtNumber(a.check[field])} vs ${fmtNumber(b.check[field])} (rel. ${gap.toExponential(1)})`;
}
function fmtNumber(value: unknown): string {
  return typeof value === 'number' ? (Number.isInteger(value) ? String(value) : value.toPrecision(10)) : String(value);
}
/** A per-node vector a task wrote (float64, label order), or null. */
function readVector(tool: string, task: string, g: BenchGraph): Float64Array | null {
  const path = vectorFile(tool, task, g);
  if (!existsSync(path)) return null;
  const bytes = readFileSync(path);
  return new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}
/** Largest |a − b| and Σ|a − b| over the nodes. */
function gaps(a: Float64Array, b: Float64Array): { max: number; l1: number; relative: number } {
  let max = 0;
  let l1 = 0;
  let relative = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    max = Math.max(max, d);
    l1 += d;
    if (d > 0) relative = Math.max(relative, d / Math.max(Math.abs(a[i]!), Math.abs(b[i]!)));
  }
  return { max, l1, relative };
}
/**
 * Closeness rows: every node's value on both sides, to 1e-9 relative (the
 * combined task's file holds closeness, then harmonic).
 */
function vectorCheck(g: BenchGraph, task: string, tool: string): string {
  const ours = readVector('ocgnet', task, g);
  const theirs = readVector(tool, task, g);
  if (!ours || !theirs || ours.length !== theirs.length) return '—';
  const names = task === 'closeness-harmonic' ? ['closeness', 'harmonic'] : [task];
  const n = ours.length / names.length;
  return names
    .map((name, k) => {
      const a = ours.subarray(k * n, (k + 1) * n);
      const { relative } = gaps(a, theirs.subarray(k * n, (k + 1) * n));
      const verdict = relative <= 1e-9 ? 'yes' : 'NO';
      return `${verdict}: ${name} of all ${n.toLocaleString('en')} nodes, max rel. |Δ| ${relative.toExponential(1)} (max ${fmtNumber(a.reduce((best, x) => Math.max(best, x), -Infinity))})`;
    })
    .join('; ');
}
/**
 * PageRank: each side's error against the converged reference (max |error|
 * and L1 over all nodes), and the gap between the two sides.
 */
function pagerankCheck(g: BenchGraph, tool: string): string {
  const reference = readVector('reference', 'pagerank', g);
  const ours = readVector('ocgnet', 'pagerank', g);
  const theirs = readVector(tool, 'pagerank', g);
  if (!reference || !ours || !theirs || ours.length !== theirs.length || ours.length !== reference.length) return '—';
  const error = (vector: Float64Array) => {
    const { max, l1 } = gaps(vector, reference);
    return `max ${max.toExponential(1)}, L1 ${l1.toExponential(1)}`;
  };
  return `error vs converged reference: ocgnet ${error(ours)}; ${tool} ${error(theirs)}; max |Δ| between them ${gaps(ours, theirs).max.toExponential(1)}`;
}

// ---------------------------------------------------------------- table

interface Row {
  task: string;
  graph: string;
  ours?: Run | undefined;
  peerName: string;
  theirs?: Run | undefined;
  /** Ratio target, ours / theirs ≤ target; undefined when the row is for information. */
  ratioTarget?: number | undefined;
  /** A target that is not a ratio (text), with its verdict. */
  target?: string;
  met?: boolean | undefined;
  ratio?: number;
  check: string;
}
const rows: Row[] = [];
const graphLabel = (g: BenchGraph) => `${g.label} (${g.nodes.toLocaleString('en')} / ${g.edges.toLocaleString('en')})`;
function compare(
  task: string,
  g: BenchGraph,
  ours: Run | undefined,
  peerName: string,
  theirs: Run | undefined,
  ratioTarget: number | undefined,
  check: string,
): void {
  // A row for information only appears when that peer ran.
  if ((!ours && !theirs) || (ratioTarget === undefined && !theirs)) return;
  rows.push({ task, graph: graphLabel(g), ours, peerName, theirs, ratioTarget, check });
}

if (tasks.has('betweenness')) {
  const g = G.small!;
  const ig = get('igraph', 'betweenness', g);
  compare(
    'exact betweenness, 1 thread',
    g,
    get('ocgnet', 'betweenness', g),
    'igraph',
    ig,
    1.0,
    sameNumber(get('ocgnet', 'betweenness', g), ig, 'max'),
  );
  compare(
    `exact betweenness, ${workers} workers`,
    g,
    get(W, 'betweenness', g),
    'igraph',
    ig,
    0.6,
    sameNumber(get(W, 'betweenness', g), ig, 'max'),
  );
  const nx = get('networkx', 'betweenness', g);
  if (nx)
    compare(
      'exact betweenness, 1 thread',
      g,
      get('ocgnet', 'betweenness', g),
      'networkx',
      nx,
      undefined,
      sameNumber(get('ocgnet', 'betweenness', g), nx, 'max'),
    );
}
if (tasks.has('sampled')) {
  const g = G.large!;
  const ig = get('igraph', 'sampled', g);
  const label = `sampled betweenness (${pivots} pivots, seed ${seed})`;
  compare(
    `${label}, 1 thread`,
    g,
    get('ocgnet', 'sampled', g),
    'igraph',
    ig,
    1.0,
    sameNumber(get('ocgnet', 'sampled', g), ig, 'max'),
  );
  compare(
    `${label}, ${workers} workers`,
    g,
    get(W, 'sampled', g),
    'igraph',
    ig,
    0.6,
    sameNumber(get(W, 'sampled', g), ig, 'max'),
  );
}
if (tasks.has('closeness')) {
  const g = G.small!;
  const label = {
    closeness: 'closeness alone',
    harmonic: 'harmonic alone',
    'closeness-harmonic': 'closeness + harmonic',
  };
  for (const task of CLOSENESS_TASKS) {
    const ours = get('ocgnet', task, g);
    for (const tool of ['igraph', 'networkx']) {
      const theirs = get(tool, task, g);
      if (!theirs) continue;
      compare(label[task], g, ours, tool, theirs, tool === 'igraph' ? 1.0 : undefined, vectorCheck(g, task, tool));
    }
  }
}
for (const task of ['load', 'degree', 'pagerank', 'components'] as const) {
  if (!tasks.has(task)) continue;
  const g = G.large!;
  const ours = get('ocgnet', task, g);
  for (const tool of ['igraph', 'networkx']) {
    const theirs = get(tool, task, g);
    const check =
      task === 'load'
        ? [sameNumber(ours, theirs, 'nodes'), sameNumber(ours, theirs, 'edges')].join('; ')
        : task === 'degree'
          ? sameNumber(ours, theirs, 'max')
          : task === 'components'
            ? sameNumber(ours, theirs, 'count')
            : pagerankCheck(g, tool);
    compare(
      task === 'load' ? 'load (edge list → analysis structure)' : task,
      g,
      ours,
      tool,
      theirs,
      tool === 'igraph' ? 0.5 : undefined,
      check,
    );
  }
}
if (tasks.has('louvain')) {
  for (const g of [G.large!, G.planted!]) {
    const score = scores[g.name];
    const q = (tool: string) => (score?.modularity[tool] === undefined ? '—' : score.modularity[tool].toFixed(4));
    const nmi = (a: string, b: string) =>
      score?.nmi[a] == null || score.nmi[b] == null
        ? ''
        : `; NMI ${score.nmi[a].toFixed(4)} vs ${score.nmi[b].toFixed(4)}`;
    const ours = get('ocgnet', 'louvain', g);
    for (const tool of ['graphology', 'igraph', 'networkx']) {
      const theirs = get(tool, 'louvain', g) ?? get(tool, 'louvain-graphology', g);
      compare(
        'Louvain',
        g,
        ours,
        tool === 'graphology' ? 'graphology-communities-louvain' : tool,
        theirs,
        tool === 'graphology' ? 1.0 : undefined,
        `Q ${q('ocgnet')} vs ${q(tool)}${nmi('ocgnet', tool)}`,
      );
    }
    if (score) {
      const peers = Object.entries(score.modularity).filter(([tool]) => tool !== 'ocgnet');
      const best = peers.reduce<[string, number] | undefined>(
        (a, b) => (a === undefined || b[1] > a[1] ? b : a),
        undefined,
      );
      const ourQ = score.modularity.ocgnet;
      if (best && ourQ !== undefined) {
        const gap = ourQ - best[1];
        rows.push({
          task: 'Louvain modularity, ocgnet − best peer',
          graph: graphLabel(g),
          peerName: best[0],
          target: '≥ −0.005',
          met: gap >= -0.005,
          check: `${ourQ.toFixed(4)} − ${best[1].toFixed(4)} = ${gap >= 0 ? '+' : ''}${gap.toFixed(4)} (igraph modularity() for all)`,
        });
      }
      const ourNmi = score.nmi.ocgnet;
      if (g.truth && ourNmi != null) {
        const others = peers.map(([tool]) => `${tool} ${score.nmi[tool]?.toFixed(4) ?? '—'}`).join(', ');
        rows.push({
          task: 'Louvain NMI vs planted truth',
          graph: graphLabel(g),
          peerName: '',
          target: '≥ 0.95',
          met: ourNmi >= 0.95,
          check: `ocgnet ${ourNmi.toFixed(4)}; ${others}`,
        });
      }
    }
  }
}
if (tasks.has('leiden')) {
  for (const g of [G.large!, G.planted!]) {
    const score = leidenScores[g.name];
    const q = (tool: string) => score?.modularity[tool];
    const [ours, theirs] = [q('ocgnet'), q('igraph')];
    const nmi = g.truth && score ? `; NMI ${score.nmi.ocgnet?.toFixed(4)} vs ${score.nmi.igraph?.toFixed(4)}` : '';
    compare(
      'Leiden, one run',
      g,
      get('ocgnet', 'leiden', g),
      'igraph',
      get('igraph', 'leiden', g),
      undefined,
      `Q ${ours?.toFixed(4) ?? '—'} vs ${theirs?.toFixed(4) ?? '—'}${nmi}`,
    );
    if (ours !== undefined && theirs !== undefined)
      rows.push({
        task: 'Leiden modularity, ocgnet − igraph',
        graph: graphLabel(g),
        peerName: 'igraph',
        target: '≥ −0.005',
        met: ours - theirs >= -0.005,
        check: `${ours.toFixed(4)} − ${theirs.toFixed(4)} = ${ours >= theirs ? '+' : ''}${(ours - theirs).toFixed(4)} (igraph modularity() for both)`,
      });
  }
}
/**
 * The peak-memory rows: the largest RSS over the same task set on both sides.
 * The target row is the 1M-node graph, where the graph's own arrays dominate:
 * at 100k the processes' baselines (Node + tsx + modules ≈ 100 MB against
 * Python + igraph ≈ 21 MB) decide the ratio, so that row is for information.
 */
function memoryRow(graphs: BenchGraph[], target: boolean): void {
  const labels = new Set(graphs.map((g) => g.label));
  const pairs = runs
    .filter(
      (run) =>
        run.tool === 'ocgnet' && run.ok && labels.has(run.graph) && !['e2e', 'removal', 'baseline'].includes(run.task),
    )
    .flatMap((run) => {
      const theirs = runs.find(
        (other) => other.tool === 'igraph' && other.ok && other.task === run.task && other.graph === run.graph,
      );
      return theirs ? [[run, theirs] as const] : [];
    });
  if (pairs.length === 0) return;
  const ourPeak = Math.max(...pairs.map(([a]) => a.rssMb));
  const theirPeak = Math.max(...pairs.map(([, b]) => b.rssMb));
  const worst = pairs.reduce((a, b) => (b[0].rssMb / b[1].rssMb > a[0].rssMb / a[1].rssMb ? b : a));
  rows.push({
    task: target
      ? 'peak memory (max RSS over the task set)'
      : 'peak memory, smaller graphs (information: baselines dominate)',
    graph: [...new Set(pairs.map(([a]) => a.graph))].join(', '),
    peerName: 'igraph',
    ratio: ourPeak / theirPeak,
    ...(target ? { ratioTarget: 1.0, met: ourPeak <= theirPeak } : {}),
    check:
      `${pairs.length} tasks: ${[...new Set(pairs.map(([a]) => a.task))].join(', ')}; worst task ${worst[0].task} on ${worst[0].graph} ${worst[0].rssMb.toFixed(0)} vs ${worst[1].rssMb.toFixed(0)} MB; ` +
      `baseline without a graph: ocgnet ${baseline?.ocgnet.ok ? baseline.ocgnet.rssMb.toFixed(0) : '?'} MB (Node + tsx + @ocgnet/analysis, io), igraph ${baseline?.igraph.ok ? baseline.igraph.rssMb.toFixed(0) : '?'} MB` +
      (baseline?.ocgnet.ok && baseline.igraph.ok
        ? `; peak above baseline: ocgnet ${(ourPeak - baseline.ocgnet.rssMb).toFixed(0)} MB, igraph ${(theirPeak - baseline.igraph.rssMb).toFixed(0)} MB`
        : ''),
    ours: { ...pairs[0]![0], seconds: NaN, rssMb: ourPeak },
    theirs: { ...pairs[0]![1], seconds: NaN, rssMb: theirPeak },
  });
}
if (tasks.has('memory')) {
  // Load, degree, PageRank and components on the 1M graph, one process per task and tool.
  const g = G.huge;
  if (g) {
    for (const task of ['load', 'degree', 'pagerank', 'components'] as const) {
      keep(ocgnet(task, g), g);
      keep(peer('igraph', task, g), g);
    }
    memoryRow([g], true);
  }
  memoryRow([G.small!, G.large!], !g);
}
function e2eCheck(g: BenchGraph, run: Run): string {
  const c = run.check;
  const counts =
    c.nodes === g.nodes && c.edges === g.edges
      ? `${g.nodes} nodes and ${g.edges} edges as generated`
      : `NO: read ${String(c.nodes)} nodes, ${String(c.edges)} edges`;
  const found =
    c.components === undefined
      ? ''
      : `; ${String(c.components)} component(s), ${String(c.communities)} communities, Q ${typeof c.modularity === 'number' ? c.modularity.toFixed(4) : '?'}`;
  const steps = c.steps ? `; steps (s): ${String(c.steps)}` : '';
  return `exit 0, ${counts}${found}${steps}; RSS by ${String(c.rssFrom)}`;
}
if (tasks.has('e2e')) {
  const g = G.huge!;
  const run = get('ocgnet', 'e2e', g);
  if (run) {
    const ok = run.ok && run.seconds <= 180 && run.rssMb <= 2048;
    rows.push({
      task: '`ocgnet analyse --large` end to end',
      graph: graphLabel(g),
      ours: run,
      peerName: '',
      target: '≤ 180 s, ≤ 2048 MB',
      met: run.ok ? ok : undefined,
      check: run.ok ? e2eCheck(g, run) : '',
    });
  }
}
if (tasks.has('removal')) {
  const g = G.medium!;
  const ours = get('ocgnet', 'removal', g);
  for (const tool of ['igraph', 'networkx']) {
    const theirs = get(tool, 'removal', g);
    const same =
      ours?.ok && theirs?.ok
        ? JSON.stringify(ours.check.removed) === JSON.stringify(theirs.check.removed)
          ? 'yes (same removal order)'
          : `NO: ${JSON.stringify(ours.check.removed)} vs ${JSON.stringify(theirs.check.removed)}`
        : '—';
    compare(
      `sequential betweenness removal, ${steps} steps`,
      g,
      ours,
      tool,
      theirs,
      tool === 'igraph' ? 1.0 : undefined,
      same,
    );
  }
}

const seconds = (x: number) => (x >= 0.1 ? x.toFixed(3) : x.toPrecision(2));
const s = (run: Run | undefined) =>
  run === undefined ? '' : run.ok ? (Number.isNaN(run.seconds) ? '' : seconds(run.seconds)) : 'failed';
const mb = (run: Run | undefined) => (run?.ok ? run.rssMb.toFixed(0) : '');
const lines = [
  '| task | graph (nodes / edges) | ocgnet s | peer | peer s | ratio | target | met? | ocgnet MB | peer MB | same result |',
  '|---|---|---|---|---|---|---|---|---|---|---|',
];
for (const row of rows) {
  let ratio = row.ratio;
  if (ratio === undefined && row.ours?.ok && row.theirs?.ok) ratio = row.ours.seconds / row.theirs.seconds;
  let { target, met } = row;
  if (row.ratioTarget !== undefined) {
    target = `≤ ${row.ratioTarget.toFixed(1)}×`;
    if (met === undefined && ratio !== undefined) met = ratio <= row.ratioTarget;
  }
  const errors = [row.ours, row.theirs].filter((run) => run && !run.ok).map((run) => `${run!.tool} ${run!.error}`);
  const check = [row.check, ...errors.map((error) => `FAILED ${error}`)]
    .filter(Boolean)
    .join('; ')
    .replace(/\|/g, '\\|');
  lines.push(
    `| ${row.task} | ${row.graph} | ${s(row.ours)} | ${row.peerName} | ${s(row.theirs)} | ${ratio === undefined ? '' : `${ratio.toFixed(2)}×`} | ${target ?? 'info'} | ${met === undefined ? '—' : met ? 'yes' : '**NO**'} | ${mb(row.ours)} | ${mb(row.theirs)} | ${check} |`,
  );
}
const gib = (totalmem() / 2 ** 30).toFixed(0);
const loadAtEnd = loadavg();
const command = `pnpm bench ${process.argv.slice(2).join(' ')}`.trim();
const machine =
  `Machine: ${cpuModel()}, ${cpus().length} cores, ${gib} GiB RAM; Node ${process.versions.node}; Python ${versions.python}, ` +
  `igraph ${versions.igraph}, networkx ${versions.networkx}; load average ${loadAtStart.map((x) => x.toFixed(2)).join(' ')} at start, ` +
  `${loadAtEnd.map((x) => x.toFixed(2)).join(' ')} at end. Command: \`${command}\`, ${new Date().toISOString().slice(0, 16)}Z.`;
const notes =
  `Times: one cold run per tool and task, each in its own process, loading excluded except in the load row; ratio = ocgnet s / peer s ` +
  `(memory row: RSS ratio). Degree, PageRank and components: the median of up to 11 runs in the same process when one run takes under 0.2 s, ` +
  `the same rule on every side. networkx's Louvain runs on the planted graph only, and on the BA graph with --with-networkx-slow ` +
  `(it takes minutes there); "best peer" is the best of those that ran. Betweenness compared unnormalised (igraph's pair counts); the sampled row undoes ocgnet's (n−1)/k scaling ` +
  `and compares with igraph's sources= on the same ${pivots} pivots. Closeness rows: ocgnet times closenessOnCsr, harmonicOnCsr and ` +
  `closenessAndHarmonicOnCsr (one kernel computes both, so each alone costs about the pair); igraph closeness(), harmonic_centrality(normalized=False) ` +
  `and both; closeness is Wasserman–Faust's on every side (igraph's multiplied by (r−1)/(n−1) inside its timed call), compared node by node. ` +
  `PageRank: ocgnet runs its default rule (L1 distance to the fixed point below 1e-10); networkx iterates to an L1 change below ${PAGERANK_L1} ` +
  `(tol = ${PAGERANK_L1}/n); igraph's PRPACK is a direct solver; errors are ` +
  `against a SciPy power iteration of the same definition` +
  (pagerankReference?.ok
    ? ` (${String(pagerankReference.check.iterations)} iterations, last L1 change ${Number(pagerankReference.check.l1Change).toExponential(1)})`
    : '') +
  `. Planted partition: ` +
  `${PLANTED.blocks} blocks × ${PLANTED.size}, p_in ${PLANTED.pIn}, p_out ${PLANTED.pOut}, seed ${seed} (expected degree ${((PLANTED.size - 1) * PLANTED.pIn).toFixed(2)} inside, ` +
  `${((PLANTED.blocks - 1) * PLANTED.size * PLANTED.pOut).toFixed(2)} across).` +
  (G.medium
    ? ` Fixture: the ${fixture} town (seed ${seed}) projected to nominals, unweighted, relabelled 0 … n−1${G.medium.isolatesDropped ? `, its ${G.medium.isolatesDropped} nominals without associations left out` : ''}.`
    : '');
const table = `${lines.join('\n')}\n\n${machine}\n\n${notes}\n`;
process.stdout.write(table);
writeFileSync(join(OUT, 'results.md'), table);
writeFileSync(
  join(OUT, 'results.json'),
  `${JSON.stringify({ command, quick, seed, workers, pivots, steps, fixture, machine: { cpu: cpuModel(), cores: cpus().length, ramGiB: Number(gib), node: process.versions.node, ...versions, loadAtStart, loadAtEnd }, graphs: G, planted: PLANTED, runs, scores, rows }, null, 1)}\n`,
);
log(`wrote ${join(OUT, 'results.md')} and results.json`);

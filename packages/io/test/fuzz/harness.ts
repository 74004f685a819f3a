/**
 * The fuzz harness: runs seeded, mutated inputs through the reader of every
 * format in worker threads and counts what happened to each case.
 *
 * - Time: each worker writes the case it is on into shared memory; a case
 *   running longer than `caseTimeoutMs` is a hang, and its worker is stopped
 *   and replaced (a synchronous loop cannot be interrupted any other way).
 * - Memory: each worker runs with a heap limit (`memoryMb`); a case that
 *   passes it kills its worker, and is counted as a memory blow-up.
 * - External entities: XML cases declare entities pointing at a canary file
 *   and at a local HTTP server; the canary in any output, or any request to
 *   the server, is a failure.
 * - Prototype pollution, exceptions (thrown, or raised later by something a
 *   case left running) and issues that do not name a file and line of the
 *   input are caught by the worker and the oracle (oracle.ts).
 *
 * `pnpm fuzz` (scripts/fuzz.ts) runs the full count; packages/io/test/fuzz.test.ts a short run.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { CaseSource, materialise } from './mutations.js';
import { judge } from './oracle.js';
import { selfTestTargets } from './selfTest.js';
import { buildTargets, type Canary } from './targets.js';
import type { Failure, Job, Progress, WorkerData } from './worker.js';

export interface FuzzOptions {
  /** Cases in all, shared evenly between the targets. */
  cases: number;
  seed: number;
  workers: number;
  /** Target names; default every format. */
  targets?: string[];
  /** Also load the deliberately broken targets of selfTest.ts. */
  selfTest?: boolean;
  caseTimeoutMs?: number;
  memoryMb?: number;
  jobSize?: number;
  /** Progress lines, about every `progressSeconds`. */
  log?: (line: string) => void;
  progressSeconds?: number;
}

export interface TargetReport {
  name: string;
  cases: number;
  accepted: number;
  rejected: number;
  failures: Failure[];
  /** Time spent in the reader, summed over its cases. */
  milliseconds: number;
  slowest: { index: number; milliseconds: number };
}

export interface FuzzReport {
  seed: number;
  workers: number;
  targets: TargetReport[];
  seconds: number;
  casesPerSecond: number;
  /** Requests an external entity made to the local server (each a failure). */
  externalRequests: string[];
  peakHeapMb: number;
}

/** The real targets' names, in the order they are reported. */
export const TARGET_NAMES = [
  'records-csv',
  'records-json',
  'records-ndjson',
  'edgelist-csv',
  'edgelist-plain',
  'graphml',
  'gexf',
  'pajek',
  'dl',
] as const;

interface Slot {
  worker: Worker;
  status: Int32Array;
  job?: (Job & { reported: number }) | undefined;
  lastCase: number;
  lastChange: number;
  stopping: boolean;
}

/** The canary file and the server external entities point at. */
async function startCanary(): Promise<{ canary: Canary; requests: string[]; close: () => Promise<void> }> {
  const folder = mkdtempSync(join(tmpdir(), 'ocgnet-fuzz-'));
  const token = `OCGNET-XXE-CANARY-${randomBytes(8).toString('hex')}`;
  const file = join(folder, 'canary.txt');
  writeFileSync(file, token);
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    requests.push(request.url ?? '');
    response.writeHead(200, { 'content-type': 'text/plain' }).end(token);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    canary: { file, token, url: `http://127.0.0.1:${port}` },
    requests,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

const BOOT = new URL('./boot.mjs', import.meta.url);

/** Runs the fuzz cases and reports, per target, how many were accepted, rejected, or failed (and which). */
export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const names = options.targets ?? [...TARGET_NAMES];
  const timeout = options.caseTimeoutMs ?? 10_000;
  const memoryMb = options.memoryMb ?? 512;
  const jobSize = options.jobSize ?? 2048;
  const log = options.log ?? (() => {});
  const { canary, requests, close } = await startCanary();

  const reports = new Map<string, TargetReport>(
    names.map((name) => [
      name,
      {
        name,
        cases: 0,
        accepted: 0,
        rejected: 0,
        failures: [],
        milliseconds: 0,
        slowest: { index: -1, milliseconds: 0 },
      },
    ]),
  );
  // Jobs interleaved across targets, so every target advances together.
  const queue: Job[] = [];
  let jobIds = 0;
  const perTarget = names.map(
    (_name, k) => Math.floor(options.cases / names.length) + (k < options.cases % names.length ? 1 : 0),
  );
  for (let from = 0; perTarget.some((count) => from < count); from += jobSize) {
    names.forEach((name, k) => {
      if (from < perTarget[k]!)
        queue.push({ id: jobIds++, target: name, from, to: Math.min(perTarget[k]!, from + jobSize) });
    });
  }
  const total = perTarget.reduce((sum, count) => sum + count, 0);
  let done = 0;
  let peakHeapMb = 0;
  const started = performance.now();

  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const slots: Slot[] = [];
  const fail = (failure: Failure) => {
    reports.get(failure.target)?.failures.push(failure);
    // Said at once: a long run's failures are worth knowing before its end.
    log(`FAIL ${failure.target} case ${failure.index}: ${failure.kind}: ${failure.detail.split('\n')[0]}`);
  };

  const assign = (slot: Slot) => {
    const job = queue.shift();
    if (job === undefined) {
      slot.job = undefined;
      if (slots.every((other) => other.job === undefined)) finish();
      return;
    }
    slot.job = { ...job, reported: job.from };
    slot.lastCase = -1;
    slot.lastChange = performance.now();
    slot.worker.postMessage(job);
  };

  /** A worker that must be stopped (hung) or died (out of memory): the case it was on fails, the rest of its job goes back. */
  const replace = (slot: Slot, kind: Failure['kind'], detail: string) => {
    if (slot.stopping) return;
    slot.stopping = true;
    const job = slot.job;
    if (job !== undefined) {
      const index = Atomics.load(slot.status, 0);
      const at = index >= job.reported && index < job.to ? index : job.reported;
      fail({ target: job.target, index: at, kind, detail });
      reports.get(job.target)!.cases++;
      done++;
      if (job.reported < at) queue.unshift({ id: jobIds++, target: job.target, from: job.reported, to: at });
      if (at + 1 < job.to) queue.unshift({ id: jobIds++, target: job.target, from: at + 1, to: job.to });
    }
    void slot.worker.terminate();
    const index = slots.indexOf(slot);
    slots[index] = spawn();
  };

  const spawn = (): Slot => {
    const status = new SharedArrayBuffer(12);
    const data: WorkerData = { seed: options.seed, canary, status, selfTest: options.selfTest === true };
    const worker = new Worker(BOOT, {
      workerData: data,
      resourceLimits: { maxOldGenerationSizeMb: memoryMb, maxYoungGenerationSizeMb: 64 },
    });
    const slot: Slot = {
      worker,
      status: new Int32Array(status),
      lastCase: -1,
      lastChange: performance.now(),
      stopping: false,
    };
    worker.on('message', (message: Progress | { type: 'ready' } | { type: 'error'; detail: string }) => {
      if (message.type === 'ready') return assign(slot);
      if (message.type === 'error')
        return replace(slot, 'crash', `the worker failed outside a case: ${message.detail}`);
      const report = reports.get(message.target)!;
      const count = message.accepted + message.rejected + message.failures.length;
      report.cases += count;
      report.accepted += message.accepted;
      report.rejected += message.rejected;
      report.milliseconds += message.milliseconds;
      for (const failure of message.failures) fail(failure);
      if (message.slowest.milliseconds > report.slowest.milliseconds) report.slowest = message.slowest;
      peakHeapMb = Math.max(peakHeapMb, message.heapMb);
      done += count;
      if (slot.job?.id === message.job) slot.job.reported = message.next;
      if (message.done) assign(slot);
    });
    worker.on('error', (error) =>
      replace(
        slot,
        (error as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'memory' : 'crash',
        `${error.message}`,
      ),
    );
    worker.on('exit', (code) => {
      if (!slot.stopping) replace(slot, 'crash', `worker exited with code ${code}`);
    });
    return slot;
  };

  for (let k = 0; k < Math.max(1, options.workers); k++) slots.push(spawn());

  let lastLog = performance.now();
  const watchdog = setInterval(() => {
    const now = performance.now();
    for (const slot of [...slots]) {
      if (slot.job === undefined || slot.stopping) continue;
      const index = Atomics.load(slot.status, 0);
      const running = Atomics.load(slot.status, 1) === 1 && Atomics.load(slot.status, 2) === slot.job.id;
      if (!running || index !== slot.lastCase) {
        slot.lastCase = running ? index : -1;
        slot.lastChange = now;
      } else if (now - slot.lastChange > timeout) replace(slot, 'hang', `still running after ${timeout} ms`);
    }
    if (now - lastLog > (options.progressSeconds ?? 30) * 1000) {
      lastLog = now;
      const seconds = (now - started) / 1000;
      const failures = [...reports.values()].reduce((sum, report) => sum + report.failures.length, 0);
      log(
        `${done.toLocaleString('en-GB')} / ${total.toLocaleString('en-GB')} cases, ${failures} failures, ${Math.round(done / seconds)} cases/s, ${Math.round(seconds)} s`,
      );
    }
  }, 100);

  try {
    await finished;
  } finally {
    clearInterval(watchdog);
    for (const slot of slots) {
      slot.stopping = true;
      await slot.worker.terminate();
    }
    await close();
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    seed: options.seed,
    workers: options.workers,
    targets: names.map((name) => reports.get(name)!),
    seconds,
    casesPerSecond: done / seconds,
    externalRequests: [...requests],
    peakHeapMb,
  };
}

/** The report as a table, then every failure with the command that replays it. */
export function formatReport(report: FuzzReport): string {
  const pad = (text: string | number, width: number) => String(text).padStart(width);
  const number = (value: number) => value.toLocaleString('en-GB');
  const lines = [
    `${'target'.padEnd(16)}${pad('cases', 11)}${pad('accepted', 11)}${pad('rejected', 11)}${pad('failures', 10)}${pad('cases/s', 10)}${pad('slowest ms', 12)}  (case)`,
  ];
  const totals = { cases: 0, accepted: 0, rejected: 0, failures: 0 };
  for (const target of report.targets) {
    const perSecond = target.milliseconds > 0 ? (target.cases / target.milliseconds) * 1000 : 0;
    lines.push(
      `${target.name.padEnd(16)}${pad(number(target.cases), 11)}${pad(number(target.accepted), 11)}${pad(number(target.rejected), 11)}${pad(target.failures.length, 10)}${pad(number(Math.round(perSecond)), 10)}${pad(Math.round(target.slowest.milliseconds), 12)}  (${target.slowest.index})`,
    );
    totals.cases += target.cases;
    totals.accepted += target.accepted;
    totals.rejected += target.rejected;
    totals.failures += target.failures.length;
  }
  lines.push(
    `${'all'.padEnd(16)}${pad(number(totals.cases), 11)}${pad(number(totals.accepted), 11)}${pad(number(totals.rejected), 11)}${pad(totals.failures, 10)}${pad(number(Math.round(report.casesPerSecond)), 10)}`,
  );
  lines.push(
    `seed ${report.seed}, ${report.workers} worker(s), ${Math.round(report.seconds)} s wall time, peak worker heap ${Math.round(report.peakHeapMb)} MB; cases/s per target is reader time alone, "all" is wall time`,
  );
  if (report.externalRequests.length > 0)
    lines.push(
      `FAIL external entities fetched ${report.externalRequests.length} time(s): ${report.externalRequests.slice(0, 5).join(', ')}`,
    );
  for (const target of report.targets) {
    for (const failure of target.failures.slice(0, 20)) {
      lines.push(
        `FAIL ${failure.target} case ${failure.index}: ${failure.kind}: ${failure.detail.split('\n').slice(0, 6).join('\n    ')}`,
      );
      lines.push(`     replay: pnpm fuzz --seed ${report.seed} --replay ${failure.target}:${failure.index}`);
    }
  }
  return lines.join('\n');
}

/** Runs one case in this process, writes its files to `folder`, and returns what happened. */
export async function replayCase(
  seed: number,
  target: string,
  index: number,
  folder: string,
): Promise<{ files: string[]; verdict: ReturnType<typeof judge>; issues: unknown[] }> {
  const targets = [...(await buildTargets()), ...selfTestTargets()];
  const chosen = targets.find((candidate) => candidate.name === target);
  if (!chosen) throw new Error(`no fuzz target ${target}`);
  const { canary, close } = await startCanary();
  try {
    const files = materialise(chosen, new CaseSource(seed, target).get(index), canary);
    mkdirSync(folder, { recursive: true });
    for (const file of files) writeFileSync(join(folder, file.name), file.bytes);
    const outcome = await chosen.run(files.map(({ name, chunks }) => ({ name, chunks })));
    return {
      files: files.map((file) => join(folder, file.name)),
      verdict: judge(files, outcome, canary),
      issues: outcome.issues,
    };
  } finally {
    await close();
  }
}

/**
 * A fuzz worker: runs jobs (a target and a range of case numbers) sent by the
 * harness, and reports counts. It writes the case it is on into shared
 * memory before starting it, so the harness can name the case when the
 * worker hangs or runs out of memory and has to be stopped.
 */
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { CaseSource, materialise } from './mutations.js';
import { judge, type FailureKind, type Verdict } from './oracle.js';
import { selfTestTargets } from './selfTest.js';
import { buildTargets, type Canary, type Target } from './targets.js';

export interface WorkerData {
  seed: number;
  canary: Canary;
  /** Int32Array view: [case number, running (1) or idle (0), job id]. */
  status: SharedArrayBuffer;
  selfTest: boolean;
}

export interface Job {
  id: number;
  target: string;
  from: number;
  to: number;
}

export interface Failure {
  target: string;
  index: number;
  kind: FailureKind;
  detail: string;
}

export interface Progress {
  type: 'progress';
  job: number;
  target: string;
  /** Cases done in this job so far: [from, next). */
  next: number;
  accepted: number;
  rejected: number;
  failures: Failure[];
  milliseconds: number;
  slowest: { index: number; milliseconds: number };
  heapMb: number;
  done: boolean;
}

const data = workerData as WorkerData;
const status = new Int32Array(data.status);
process.env.OCGNET_FUZZ_CANARY_TOKEN = data.canary.token;
const targets = new Map<string, Target>(
  [...(await buildTargets()), ...(data.selfTest ? selfTestTargets() : [])].map((target) => [target.name, target]),
);
const sources = new Map<string, CaseSource>();

/** Own properties of the built-in prototypes, to notice pollution. */
const PROTOTYPES: [string, object][] = [
  ['Object.prototype', Object.prototype],
  ['Array.prototype', Array.prototype],
  ['Function.prototype', Function.prototype],
  ['String.prototype', String.prototype],
];
const baseline = new Map(PROTOTYPES.map(([name, prototype]) => [name, new Set(Reflect.ownKeys(prototype))]));
function pollution(): string | undefined {
  for (const [name, prototype] of PROTOTYPES) {
    const added = Reflect.ownKeys(prototype).filter((key) => !baseline.get(name)!.has(key));
    if (added.length > 0) {
      for (const key of added) delete (prototype as Record<PropertyKey, unknown>)[key];
      return `${name} gained ${added.map(String).join(', ')}`;
    }
  }
  return undefined;
}

// An error thrown after a case returned (an event emitted later, a rejected promise nobody awaited) belongs to it.
let late: string[] = [];
process.on('uncaughtException', (error) => late.push(error?.stack ?? String(error)));
process.on('unhandledRejection', (error) => late.push((error as Error)?.stack ?? String(error)));

async function runJob(job: Job): Promise<void> {
  const target = targets.get(job.target);
  if (!target) throw new Error(`no fuzz target ${job.target}`);
  let source = sources.get(job.target);
  if (!source) sources.set(job.target, (source = new CaseSource(data.seed, job.target)));
  let batch: Omit<Progress, 'next' | 'done'> = fresh();
  function fresh(): Omit<Progress, 'next' | 'done'> {
    return {
      type: 'progress',
      job: job.id,
      target: job.target,
      accepted: 0,
      rejected: 0,
      failures: [],
      milliseconds: 0,
      slowest: { index: -1, milliseconds: 0 },
      heapMb: 0,
    };
  }
  for (let index = job.from; index < job.to; index++) {
    Atomics.store(status, 0, index);
    Atomics.store(status, 2, job.id);
    Atomics.store(status, 1, 1);
    const files = materialise(target, source.get(index), data.canary);
    const started = performance.now();
    let verdict: Verdict;
    try {
      verdict = judge(files, await target.run(files.map(({ name, chunks }) => ({ name, chunks }))), data.canary);
    } catch (error) {
      verdict = {
        verdict: 'failure' as const,
        kind: 'threw' as const,
        detail: (error as Error)?.stack ?? String(error),
      };
    }
    // Let anything the case left running fail now, while it is still this case's.
    await new Promise((resolve) => setImmediate(resolve));
    const milliseconds = performance.now() - started;
    Atomics.store(status, 1, 0);
    const polluted = pollution();
    if (polluted) verdict = { verdict: 'failure' as const, kind: 'prototype-pollution' as const, detail: polluted };
    if (late.length > 0) {
      verdict = { verdict: 'failure' as const, kind: 'uncaught' as const, detail: late.join('\n') };
      late = [];
    }
    if (verdict.verdict === 'accepted') batch.accepted++;
    else if (verdict.verdict === 'rejected') batch.rejected++;
    else batch.failures.push({ target: job.target, index, kind: verdict.kind, detail: verdict.detail.slice(0, 4000) });
    batch.milliseconds += milliseconds;
    if (milliseconds > batch.slowest.milliseconds) batch.slowest = { index, milliseconds };
    if ((index - job.from) % 64 === 63 || index === job.to - 1) {
      batch.heapMb = getHeapStatistics().used_heap_size / 2 ** 20;
      parentPort!.postMessage({ ...batch, next: index + 1, done: index === job.to - 1 } satisfies Progress);
      batch = fresh();
    }
  }
  if (job.from >= job.to) parentPort!.postMessage({ ...batch, next: job.to, done: true } satisfies Progress);
}

parentPort!.on('message', (job: Job) => {
  runJob(job).catch((error) =>
    parentPort!.postMessage({ type: 'error', job: job.id, detail: (error as Error)?.stack ?? String(error) }),
  );
});
parentPort!.postMessage({ type: 'ready' });

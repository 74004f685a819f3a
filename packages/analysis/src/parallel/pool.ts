/**
 * Source-parallel path kernels on worker_threads.
 *
 * Each worker takes an interleaved share of the sources (i ≡ w mod workers,
 * which spreads hubs and big components evenly) and returns its partial
 * sums; the main thread adds them in worker order, so a run is
 * deterministic. The snapshot's offsets and targets go to the workers in
 * SharedArrayBuffers (copied once per call unless they already are shared),
 * so W workers do not cost W copies of the graph.
 *
 * How the worker gets its code: the kernels in metrics/bfsKernels.ts are
 * self-contained, and the worker is started with `eval: true` from their
 * source text (`fn.toString()`). A Worker given a .ts path runs under tsx
 * (the CLI) but not under vitest, which transforms TypeScript in-process
 * only; a separate .mjs copy of the kernels would drift from the typed
 * ones. Source text is the one form that is the same code in the main
 * thread, under tsx, under vitest, and in the workers.
 */
import { Worker } from 'node:worker_threads';
import { brandesBfsKernel, distanceBfsKernel, groupByComponent, unreachedDistances } from '../metrics/bfsKernels.js';
import { batchSources, brandesBatchKernel, useBatchKernel } from '../metrics/brandesBatch.js';

export interface ParallelOptions {
  /** Number of worker threads (≥ 1). Use os.availableParallelism() for all cores. */
  workers: number;
}

const WORKER_SOURCE = `'use strict';
// esbuild (tsx, vitest) may wrap names with __name(); make it a no-op here.
const __name = (target) => target;
${groupByComponent.toString()}
${unreachedDistances.toString()}
${brandesBfsKernel.toString()}
${distanceBfsKernel.toString()}
${batchSources.toString()}
${brandesBatchKernel.toString()}
const { parentPort, workerData } = require('node:worker_threads');
const { kind, batched, n, offsets, targets, removed, sources, first, stride } = workerData;
const off = new Int32Array(offsets);
const tgt = new Int32Array(targets);
const src = new Int32Array(sources);
const mask = removed === null ? null : new Uint8Array(removed);
if (kind === 'betweenness') {
  const out = new Float64Array(n);
  (batched ? brandesBatchKernel : brandesBfsKernel)(n, off, tgt, mask, src, first, stride, out);
  parentPort.postMessage({ out: [out] }, [out.buffer]);
} else {
  const closeness = new Float64Array(n);
  const harmonic = new Float64Array(n);
  distanceBfsKernel(n, off, tgt, mask, src, first, stride, closeness, harmonic, null);
  parentPort.postMessage({ out: [closeness, harmonic] }, [closeness.buffer, harmonic.buffer]);
}
`;

/** A SharedArrayBuffer holding `array`'s bytes (the array's own when already shared). */
function shared(array: Int32Array | Uint8Array): SharedArrayBuffer {
  if (
    array.buffer instanceof SharedArrayBuffer &&
    array.byteOffset === 0 &&
    array.byteLength === array.buffer.byteLength
  )
    return array.buffer;
  const buffer = new SharedArrayBuffer(array.byteLength);
  new Uint8Array(buffer).set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
  return buffer;
}

export function checkWorkers(module: string, options: ParallelOptions): number {
  const { workers } = options;
  if (!(Number.isInteger(workers) && workers >= 1 && workers <= 256)) {
    throw new RangeError(`@ocgnet/analysis/${module}: workers must be an integer in [1, 256], got ${workers}.`);
  }
  return workers;
}

export interface KernelTask {
  kind: 'betweenness' | 'distances';
  n: number;
  offsets: Int32Array;
  targets: Int32Array;
  removed: Uint8Array | null;
  sources: Int32Array;
}

/**
 * Runs `task` on `workers` threads and returns each worker's output arrays
 * (one for betweenness, closeness and harmonic for distances), in worker
 * order. Rejects with the first worker's error, after terminating them all.
 */
export function runOnWorkers(task: KernelTask, workers: number): Promise<Float64Array[][]> {
  const data = {
    kind: task.kind,
    // The same choice as in one thread (betweennessSums); workers split the batches.
    batched: task.kind === 'betweenness' && useBatchKernel(task.n, task.sources.length),
    n: task.n,
    offsets: shared(task.offsets),
    targets: shared(task.targets),
    removed: task.removed === null ? null : shared(task.removed),
    sources: shared(task.sources),
    stride: workers,
  };
  const threads: Worker[] = [];
  const results = Array.from({ length: workers }, (_, first) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { ...data, first } });
    threads.push(worker);
    return new Promise<Float64Array[]>((resolve, reject) => {
      let settled = false;
      worker.once('message', (message: { out: Float64Array[] }) => {
        settled = true;
        resolve(message.out);
      });
      worker.once('error', (error) => {
        settled = true;
        reject(error);
      });
      worker.once('exit', (code) => {
        if (!settled)
          reject(new Error(`@ocgnet/analysis/parallel: worker ${first} exited with code ${code} before answering.`));
      });
    });
  });
  return Promise.all(results).finally(() => {
    for (const worker of threads) void worker.terminate();
  });
}

/**
 * TEST-ONLY: lets the crash tests (test/store/crash.*) aim a kill -9 at a
 * phase of `ocgnet import --store`, rather than at a moment. Nothing here
 * does anything unless one of these environment variables is set:
 *
 * - `OCGNET_TEST_IMPORT_PHASES=1`: write one line per phase to stderr,
 *   `ocgnet-test-phase <label>`, where the label is `parsing`, `parsed`,
 *   `staging <chunk>/<chunks>`, `commit-point`, `roll-forward <chunk>` or `done`.
 * - `OCGNET_TEST_HOLD_AT=<label>` (implies the above): after writing that
 *   label, block the whole process there (no event loop, no driver, no timer
 *   runs) so the parent can SIGKILL it exactly at that boundary. After
 *   {@link HOLD_TIMEOUT_MS} with no kill it exits with an error: never a hang.
 * - `OCGNET_TEST_IMPORT_BATCH_SIZE`, `OCGNET_TEST_COMMIT_CHUNK_SIZE`: the
 *   store's staging batch and roll-forward chunk sizes, so that a small import
 *   passes several of each.
 */
import { writeSync } from 'node:fs';
import type { ImportPhase, StoreImportOptions } from '@ocgnet/store';
import { UsageError } from './errors.js';

export const PHASE_LINE_PREFIX = 'ocgnet-test-phase ';
export const HOLD_TIMEOUT_MS = 120_000;

export interface ImportTestPhases {
  /** Reports a phase (and holds there if it is the one aimed at). */
  report(label: string): void;
  /** The store's phase callback, reporting the same way. */
  onPhase(phase: ImportPhase): void;
}

export function importPhaseLabel(phase: ImportPhase): string {
  switch (phase.phase) {
    case 'staging':
      return `staging ${phase.chunk}/${phase.chunks}`;
    case 'roll-forward':
      return `roll-forward ${phase.chunk}`;
    default:
      return phase.phase;
  }
}

/** The phase reporter, or undefined when no test asked for one (always, outside tests). */
export function importTestPhases(env: NodeJS.ProcessEnv = process.env): ImportTestPhases | undefined {
  const holdAt = env.OCGNET_TEST_HOLD_AT;
  if (env.OCGNET_TEST_IMPORT_PHASES !== '1' && holdAt === undefined) return undefined;
  const report = (label: string): void => {
    // Synchronous, so the line is in the pipe before the process blocks or dies.
    writeSync(2, `${PHASE_LINE_PREFIX}${label}\n`);
    if (label === holdAt) holdForKill(label);
  };
  return { report, onPhase: (phase) => report(importPhaseLabel(phase)) };
}

/** Blocks the thread (Atomics.wait on memory nobody notifies) until SIGKILL, or exits after the timeout. */
function holdForKill(label: string): never {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, HOLD_TIMEOUT_MS);
  writeSync(2, `ocgnet: test hold at "${label}" was not ended by a kill within ${HOLD_TIMEOUT_MS / 1000} s\n`);
  process.exit(1);
}

/** Batch and chunk sizes the crash tests set for the child's store (empty when unset). */
export function importTestSizes(
  env: NodeJS.ProcessEnv = process.env,
): Pick<StoreImportOptions, 'batchSize' | 'commitChunkSize'> {
  const sizes: Pick<StoreImportOptions, 'batchSize' | 'commitChunkSize'> = {};
  for (const [name, key] of [
    ['OCGNET_TEST_IMPORT_BATCH_SIZE', 'batchSize'],
    ['OCGNET_TEST_COMMIT_CHUNK_SIZE', 'commitChunkSize'],
  ] as const) {
    const text = env[name];
    if (text === undefined) continue;
    if (!/^[1-9]\d*$/.test(text))
      throw new UsageError(`${name}: must be a whole number of at least 1, not ${JSON.stringify(text)}`);
    sizes[key] = Number(text);
  }
  return sizes;
}

/**
 * Removal curves of several strategies, computed off the main thread with
 * @ocgnet/disruption's simulateRemovalOnCsr; progress is posted after each
 * strategy (and each seeded run of a random one).
 *
 * The analysis snapshot (CSR) is built once, straight from the index pairs,
 * and every strategy runs on it with removal masks: no graph object is built.
 * Repeated pairs are one tie and self-loops are left out, as before.
 *
 * Safeguarding subjects (vulnerable, under 18, exploited, cuckooed) are found
 * by the schema's one rule `isSafeguardingNode`, as `ocgnet disrupt` finds
 * them, and are protected from removal (`protect`) unless the request
 * includes them; either way they are posted first, so every listing can mark them.
 */
import './zodConfig.js';
import { csrFromEdgeArrays } from '@ocgnet/analysis';
import {
  SimulationError,
  simulateRemovalOnCsr,
  type RemovalCurvePoint,
  type RemovalMode,
  type RemovalStrategyId,
} from '@ocgnet/disruption';
import { isSafeguardingNode } from '@ocgnet/schema';

/** A person's safeguarding flags, as the node carries them (only types are exported: this module is the worker). */
export type SafeguardingFlags = Partial<Record<'vulnerable' | 'under_18' | 'exploited' | 'cuckooed', boolean>>;

export interface CurveRequest {
  ids: string[];
  /** Each node's safeguarding flags (persons only), by index into ids; {} for none. */
  flags: SafeguardingFlags[];
  /** Index pairs into ids. */
  edges: [number, number][];
  strategies: RemovalStrategyId[];
  steps: number;
  mode: RemovalMode;
  distanceMeasures: boolean;
  targets: string[];
  /** Let strategies remove safeguarding subjects (each is then marked); false by default: they are protected. */
  includeSafeguarding: boolean;
}

export type CurveMessage =
  | { type: 'subjects'; ids: string[] }
  | { type: 'progress'; done: number; total: number; strategy: string }
  | { type: 'curve'; strategy: string; removed: string[]; protected: string[]; curve: RemovalCurvePoint[] }
  | { type: 'refused'; strategy: string; message: string; ids: string[] }
  | { type: 'done' }
  | { type: 'error'; message: string };

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<CurveRequest>) => void) | null;
  postMessage(message: CurveMessage): void;
};

scope.onmessage = (event) => {
  const request = event.data;
  try {
    const csr = csrFromEdgeArrays(
      request.ids,
      Int32Array.from(request.edges, ([a]) => a),
      Int32Array.from(request.edges, ([, b]) => b),
      null,
    );
    const subjects = new Set(request.ids.filter((_, i) => isSafeguardingNode(request.flags[i])));
    scope.postMessage({ type: 'subjects', ids: [...subjects].sort() });
    const protect = request.includeSafeguarding ? new Set<string>() : subjects;
    const targets = request.targets.filter((id) => csr.index.has(id));
    const total = request.strategies.length;
    request.strategies.forEach((strategy, done) => {
      scope.postMessage({ type: 'progress', done, total, strategy });
      if (strategy === 'targets' && targets.length === 0) return;
      try {
        const result = simulateRemovalOnCsr(csr, {
          strategy,
          steps: strategy === 'targets' ? targets.length : request.steps,
          mode: request.mode,
          distanceMeasures: request.distanceMeasures,
          seeds: 5,
          targets,
          protect,
        });
        scope.postMessage({
          type: 'curve',
          strategy,
          removed: result.removed,
          protected: result.protected,
          curve: result.curve,
        });
      } catch (error) {
        // The analyst's own removals name a protected subject: that curve is refused, the others still run.
        if (error instanceof SimulationError && error.code === 'PROTECTED_TARGETS') {
          scope.postMessage({
            type: 'refused',
            strategy,
            message: error.userMessage,
            ids: [...error.unknown],
          });
        } else throw error;
      }
    });
    scope.postMessage({ type: 'progress', done: total, total, strategy: '' });
    scope.postMessage({ type: 'done' });
  } catch (error) {
    scope.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
};

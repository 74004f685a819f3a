/**
 * Removal curves of several strategies, computed off the main thread with
 * @ocgnet/disruption's simulateRemoval; progress is posted after each
 * strategy (and each seeded run of a random one).
 */
import './zodConfig.js';
import Graph from 'graphology';
import { simulateRemoval, type RemovalCurvePoint, type RemovalMode, type RemovalStrategyId } from '@ocgnet/disruption';

export interface CurveRequest {
  ids: string[];
  /** Index pairs into ids. */
  edges: [number, number][];
  strategies: RemovalStrategyId[];
  steps: number;
  mode: RemovalMode;
  distanceMeasures: boolean;
  targets: string[];
}

export type CurveMessage =
  | { type: 'progress'; done: number; total: number; strategy: string }
  | { type: 'curve'; strategy: string; removed: string[]; curve: RemovalCurvePoint[] }
  | { type: 'done' }
  | { type: 'error'; message: string };

const scope = self as unknown as { onmessage: ((event: MessageEvent<CurveRequest>) => void) | null; postMessage(message: CurveMessage): void };

scope.onmessage = (event) => {
  const request = event.data;
  try {
    const graph = new Graph({ type: 'undirected' });
    for (const id of request.ids) graph.addNode(id);
    for (const [a, b] of request.edges) {
      const source = request.ids[a]!;
      const target = request.ids[b]!;
      if (source !== target && !graph.hasEdge(source, target)) graph.addEdge(source, target);
    }
    const total = request.strategies.length;
    request.strategies.forEach((strategy, done) => {
      scope.postMessage({ type: 'progress', done, total, strategy });
      const targets = request.targets.filter((id) => graph.hasNode(id));
      if (strategy === 'targets' && targets.length === 0) return;
      const result = simulateRemoval(graph, {
        strategy,
        steps: strategy === 'targets' ? targets.length : request.steps,
        mode: request.mode,
        distanceMeasures: request.distanceMeasures,
        seeds: 5,
        targets,
      });
      scope.postMessage({ type: 'curve', strategy, removed: result.removed, curve: result.curve });
    });
    scope.postMessage({ type: 'progress', done: total, total, strategy: '' });
    scope.postMessage({ type: 'done' });
  } catch (error) {
    scope.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
};

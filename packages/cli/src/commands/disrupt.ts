/**
 * `ocgnet disrupt`: what happens to the network as targets are removed, one
 * strategy at a time, sequentially or all at once, and whether it recovers.
 */
import type { AbstractGraph } from 'graphology-types';
import {
  RecoveryError,
  SimulationError,
  simulateRecovery,
  simulateRemoval,
  type RecoveryMechanism,
  type RemovalMode,
  type RemovalResult,
} from '@ocgnet/disruption';
import { mappingFromNetwork } from '@ocgnet/analysis';
import type { ProjectionOptionsInput } from '@ocgnet/graph';
import { DEFAULT_CLASSIFICATION } from '@ocgnet/schema';
import { EXIT, UsageError } from '../errors.js';
import { loadSubject } from '../subject.js';
import { startProgress, type ProgressOptions } from '../progress.js';
import type { CliIo } from '../main.js';

export interface DisruptOptions extends ProgressOptions {
  json: boolean;
  strategy: string;
  mode: RemovalMode;
  steps?: number;
  seed: number;
  seeds: number;
  targets: string[];
  weighted: boolean;
  /** Recovery mechanisms to simulate after the removals (Duijn, Kashirin & Sloot 2014). */
  recovery: RecoveryMechanism[];
  recoveryRounds: number;
  projection: ProjectionOptionsInput;
}

/** Simulation errors caused by what the user asked for are usage errors. */
export function simulationAsUsage<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof SimulationError && error.code !== 'NOT_A_GRAPH') throw new UsageError(error.message.replace(/^@ocgnet\/disruption[^:]*: /, ''));
    throw error;
  }
}

function formatCurve(result: RemovalResult, label: (id: string) => string): string {
  const lines = [
    DEFAULT_CLASSIFICATION,
    `Removal by ${result.strategy} (${result.mode}${result.runs > 1 ? `, mean of ${result.runs} runs` : ''})`,
    '  step  removed                          LCC   LCC%  comps  fragm.  effic.',
  ];
  for (const point of result.curve) {
    const who = point.step === 0 ? '(intact)' : label(result.removed[point.step - 1] ?? '');
    lines.push(
      `  ${String(point.step).padStart(4)}  ${who.slice(0, 30).padEnd(30)} ${point.lcc.toFixed(result.runs > 1 ? 1 : 0).padStart(6)} ${(100 * point.lccFraction).toFixed(1).padStart(6)} ${point.components.toFixed(result.runs > 1 ? 1 : 0).padStart(6)}  ${point.fragmentation.toFixed(4)}  ${point.efficiency.toFixed(4)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export async function runDisrupt(inputs: string[], options: DisruptOptions, io: CliIo): Promise<number> {
  const subject = await loadSubject(inputs, options.projection, { ...options, skipInvalid: false }, io);
  const graph = (subject.model === 'records' ? subject.persons : subject.graph) as unknown as AbstractGraph;
  const mapping = subject.model === 'records' ? mappingFromNetwork(subject.network).groupOf : undefined;
  const progress = startProgress('disrupt', 1, 'run', options);
  let result: RemovalResult;
  try {
    result = simulationAsUsage(() =>
      simulateRemoval(graph, {
        strategy: options.strategy as never,
        mode: options.mode,
        steps: options.steps,
        seed: options.seed,
        seeds: options.seeds,
        targets: options.targets,
        weighted: options.weighted,
        mapping,
      }),
    );
  } finally {
    progress.update(1);
    progress.stop();
  }
  let recovery: ReturnType<typeof simulateRecovery> | undefined;
  if (options.recovery.length > 0) {
    try {
      recovery = simulateRecovery(graph, result.removed, { mechanisms: options.recovery, seed: options.seed, rounds: options.recoveryRounds });
    } catch (error) {
      if (error instanceof RecoveryError) throw new UsageError(error.message);
      throw error;
    }
  }
  if (options.json) {
    io.stdout.write(`${JSON.stringify({ classification: DEFAULT_CLASSIFICATION, ...result, ...(recovery ? { recovery } : {}) }, null, 2)}\n`);
    return EXIT.ok;
  }
  io.stdout.write(formatCurve(result, (id) => `${String(graph.hasNode(id) ? (graph.getNodeAttribute(id, 'label') ?? id) : id)} (${id})`));
  if (recovery) {
    const row = (name: string, state: { efficiency: number; lcc: number; lccFraction: number }) =>
      `  ${name.padEnd(16)} efficiency ${state.efficiency.toFixed(4)}   LCC ${state.lcc} (${(100 * state.lccFraction).toFixed(1)}%)`;
    io.stdout.write(
      [
        `Recovery (${options.recovery.map((mechanism) => `${mechanism.type} ${mechanism.probability}`).join(', ')}; seed ${options.seed}): ${recovery.addedEdges.length} new ties`,
        row('before', recovery.before),
        row('after removal', recovery.afterRemoval),
        row('after recovery', recovery.afterRecovery),
        recovery.backfired ? '  The network recovers to be MORE efficient than before: this disruption backfires.' : '  The network does not recover its former efficiency.',
        '',
      ].join('\n'),
    );
  }
  return EXIT.ok;
}

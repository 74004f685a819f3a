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
  safeguardingSubjects,
  type RecoveryMechanism,
  type RemovalMode,
  type RemovalResult,
} from '@ocgnet/disruption';
import type { ProjectionOptionsInput } from '@ocgnet/graph';
import { DEFAULT_CLASSIFICATION } from '@ocgnet/schema';
import { EXIT, UsageError } from '../errors.js';
import { SAFEGUARDING_MARK } from './analyseTable.js';
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
  /**
   * Let safeguarding subjects (vulnerable, under 18, exploited, cuckooed) be
   * removed, each marked. Default false: they are protected, never removed,
   * and listed as protected.
   */
  includeSafeguarding?: boolean;
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

function formatCurve(result: RemovalResult, label: (id: string) => string, isSubject: (id: string) => boolean): string {
  const lines = [
    DEFAULT_CLASSIFICATION,
    `Removal by ${result.strategy} (${result.mode}${result.runs > 1 ? `, mean of ${result.runs} runs` : ''})`,
    '  step  removed                          LCC   LCC%  comps  fragm.  effic.',
  ];
  for (const point of result.curve) {
    const id = point.step === 0 ? undefined : (result.removed[point.step - 1] ?? '');
    const who = id === undefined ? '(intact)' : label(id);
    lines.push(
      `  ${String(point.step).padStart(4)}  ${who.slice(0, 30).padEnd(30)} ${point.lcc.toFixed(result.runs > 1 ? 1 : 0).padStart(6)} ${(100 * point.lccFraction).toFixed(1).padStart(6)} ${point.components.toFixed(result.runs > 1 ? 1 : 0).padStart(6)}  ${point.fragmentation.toFixed(4)}  ${point.efficiency.toFixed(4)}${id !== undefined && isSubject(id) ? `  ${SAFEGUARDING_MARK}` : ''}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export async function runDisrupt(inputs: string[], options: DisruptOptions, io: CliIo): Promise<number> {
  const subject = await loadSubject(inputs, options.projection, { ...options, skipInvalid: false }, io);
  const graph = (subject.model === 'records' ? subject.persons : subject.graph) as unknown as AbstractGraph;
  const mapping = subject.model === 'records' ? subject.mapping.groupOf : undefined;
  const subjects = safeguardingSubjects(graph);
  const include = options.includeSafeguarding === true;
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
        protect: include ? new Set<string>() : subjects,
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
  const labelOf = (id: string) => String(graph.hasNode(id) ? (graph.getNodeAttribute(id, 'label') ?? id) : id);
  const nominal = (id: string) => ({ id, label: labelOf(id), safeguarding: subjects.has(id) });
  if (options.json) {
    io.stdout.write(
      `${JSON.stringify(
        {
          classification: DEFAULT_CLASSIFICATION,
          ...result,
          includeSafeguarding: include,
          // The removed nominals in removal order, each marked; `protected`: safeguarding subjects kept from removal.
          removedNominals: result.removed.map(nominal),
          protected: result.protected.map(nominal),
          ...(recovery ? { recovery } : {}),
        },
        null,
        2,
      )}\n`,
    );
    return EXIT.ok;
  }
  io.stdout.write(formatCurve(result, (id) => `${labelOf(id)} (${id})`, (id) => subjects.has(id)));
  if (include) {
    const removedSubjects = result.removed.filter((id) => subjects.has(id));
    io.stdout.write(`Safeguarding subjects included (--include-safeguarding): ${removedSubjects.length} removed, marked above.\n`);
  } else if (result.protected.length > 0) {
    io.stdout.write(
      `${result.protected.length} safeguarding subject(s) protected from removal (they stay in the network; --include-safeguarding to remove them):\n` +
        result.protected.map((id) => `  ${id.padEnd(12)} ${labelOf(id)}  ${SAFEGUARDING_MARK}\n`).join(''),
    );
  }
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

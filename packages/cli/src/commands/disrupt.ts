/**
 * `ocgnet disrupt`: what happens to the network as targets are removed, one
 * strategy at a time, sequentially or all at once, and whether it recovers.
 */
import type { AbstractGraph } from 'graphology-types';
import { SimulationError, simulateRemoval, type RemovalMode, type RemovalResult } from '@ocgnet/disruption';
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
  if (options.json) {
    io.stdout.write(`${JSON.stringify({ classification: DEFAULT_CLASSIFICATION, ...result }, null, 2)}\n`);
    return EXIT.ok;
  }
  io.stdout.write(formatCurve(result, (id) => `${String(graph.hasNode(id) ? (graph.getNodeAttribute(id, 'label') ?? id) : id)} (${id})`));
  return EXIT.ok;
}

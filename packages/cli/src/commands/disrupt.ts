/**
 * `ocgnet disrupt`: what happens to the network as targets are removed, one
 * strategy at a time, sequentially or all at once, and whether it recovers.
 */
import type { AbstractGraph } from 'graphology-types';
import {
  simulateRecovery,
  simulateRemoval,
  safeguardingSubjects,
  type RecoveryMechanism,
  type RecoveryMechanismType,
  type RemovalMode,
  type RemovalResult,
} from '@ocgnet/disruption';
import type { ProjectionOptionsInput } from '@ocgnet/graph';
import { DEFAULT_CLASSIFICATION, SAFEGUARDING_MARK } from '@ocgnet/schema';
import { Option, type Command } from 'commander';
import { EXIT, UsageError } from '../errors.js';
import { integerFlag, type CommandContext } from '../command.js';
import { addProjectionFlags, projectionOptionsFromFlags, type ProjectionFlags } from '../projectionFlags.js';
import { loadSubject } from '../subject.js';
import { startProgress, type ProgressOptions } from '../progress.js';
import type { CliIo } from '../io.js';

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
    // A SimulationError from what the user asked (an unknown strategy or target) is a usage error in reportError.
    result = simulateRemoval(graph, {
      strategy: options.strategy as never,
      mode: options.mode,
      steps: options.steps,
      seed: options.seed,
      seeds: options.seeds,
      targets: options.targets,
      weighted: options.weighted,
      mapping,
      protect: include ? new Set<string>() : subjects,
    });
  } finally {
    progress.update(1);
    progress.stop();
  }
  const recovery =
    options.recovery.length > 0
      ? simulateRecovery(graph, result.removed, {
          mechanisms: options.recovery,
          seed: options.seed,
          rounds: options.recoveryRounds,
        })
      : undefined;
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
  io.stdout.write(
    formatCurve(
      result,
      (id) => `${labelOf(id)} (${id})`,
      (id) => subjects.has(id),
    ),
  );
  if (include) {
    const removedSubjects = result.removed.filter((id) => subjects.has(id));
    io.stdout.write(
      `Safeguarding subjects included (--include-safeguarding): ${removedSubjects.length} removed, marked above.\n`,
    );
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
        recovery.backfired
          ? '  The network recovers to be MORE efficient than before: this disruption backfires.'
          : '  The network does not recover its former efficiency.',
        '',
      ].join('\n'),
    );
  }
  return EXIT.ok;
}

/** `replacement=0.5,triadic=0.1` → recovery mechanisms; @ocgnet/disruption checks the names and ranges. */
function recoveryMechanisms(spec: string | undefined): { type: RecoveryMechanismType; probability: number }[] {
  if (spec === undefined) return [];
  return spec
    .split(',')
    .filter(Boolean)
    .map((part) => {
      const [type, probability] = part.split('=');
      const value = Number(probability);
      if (!type || probability === undefined || !Number.isFinite(value))
        throw new UsageError(`--recovery takes mechanism=probability, not ${JSON.stringify(part)}`);
      return { type: type as RecoveryMechanismType, probability: value };
    });
}

interface DisruptFlags extends ProjectionFlags {
  strategy: string;
  mode: RemovalMode;
  steps?: string;
  targets?: string;
  seed: string;
  seeds: string;
  weighted?: boolean;
  recovery?: string;
  recoveryRounds: string;
  includeSafeguarding?: boolean;
  json?: boolean;
}

/** `ocgnet disrupt <inputs...>`. */
export function registerDisrupt(program: Command, { io, action, progressOf }: CommandContext): void {
  const atLeast = (text: string, flag: string, min: 0 | 1) =>
    integerFlag(text, flag, min, `an integer of at least ${min}`);
  addProjectionFlags(
    program
      .command('disrupt')
      .description(
        'simulate removing targets and report the network after each removal (LCC, components, fragmentation, efficiency)',
      )
      .argument('<inputs...>', 'files or folders')
      .option('--strategy <name>', 'degree, betweenness, pagerank, coreness, random or targets', 'betweenness')
      .addOption(
        new Option('--mode <mode>', 'sequential: re-rank after each removal; simultaneous: rank once ("arrest day")')
          .choices(['sequential', 'simultaneous'])
          .default('sequential'),
      )
      .option('--steps <k>', 'removals to simulate (default 20, or the whole target list)')
      .option('--targets <ids>', 'comma-separated ids, in order, for --strategy targets')
      .option('--seed <n>', 'seed for random strategies', '1')
      .option('--seeds <n>', 'runs averaged for random strategies', '10')
      .option('--weighted', 'let strategies use tie weights')
      .option('--recovery <mechanisms>', 'then simulate recovery, e.g. replacement=0.5,triadic=0.1,preferential=0.2')
      .option('--recovery-rounds <n>', 'rounds of recovery', '1')
      .option(
        '--include-safeguarding',
        'let safeguarding subjects (vulnerable, under 18, exploited, cuckooed) be removed, marked; by default they are never removed',
      )
      .option('--json', 'print { strategy, mode, removed, curve }'),
  ).action(
    action(async (inputs: string[], options: DisruptFlags, command: Command) =>
      runDisrupt(
        inputs,
        {
          json: Boolean(options.json),
          strategy: options.strategy,
          mode: options.mode,
          ...(options.steps !== undefined ? { steps: atLeast(options.steps, '--steps', 0) } : {}),
          seed: atLeast(options.seed, '--seed', 0),
          seeds: atLeast(options.seeds, '--seeds', 1),
          targets: options.targets ? options.targets.split(',').filter(Boolean) : [],
          weighted: Boolean(options.weighted),
          recovery: recoveryMechanisms(options.recovery),
          recoveryRounds: atLeast(options.recoveryRounds, '--recovery-rounds', 1),
          includeSafeguarding: Boolean(options.includeSafeguarding),
          projection: projectionOptionsFromFlags(options),
          ...progressOf(command),
        },
        io,
      ),
    ),
  );
}

/**
 * `ocgnet keyplayers`: Borgatti's key-player sets: the k whose removal
 * fragments the network (or one OCG) most, or the k who reach most others
 * (for Prevent engagement or intelligence gathering), with optional
 * robustness to missing intelligence.
 */
import {
  keyPlayersNegative,
  keyPlayersPositive,
  robustKeyPlayers,
  safeguardingSubjects,
  type KeyPlayerResult,
} from '@ocgnet/disruption';
import type { ProjectionOptionsInput } from '@ocgnet/graph';
import type { AbstractGraph } from 'graphology-types';
import { DEFAULT_CLASSIFICATION, SAFEGUARDING_MARK, compareIds } from '@ocgnet/schema';
import { Option, type Command } from 'commander';
import { EXIT, UsageError } from '../errors.js';
import { givenFlags, integerFlag, type CommandContext } from '../command.js';
import { addProjectionFlags, projectionOptionsFromFlags, type ProjectionFlags } from '../projectionFlags.js';
import { loadSubject } from '../subject.js';
import { startProgress, type ProgressOptions } from '../progress.js';
import type { CliIo } from '../io.js';

export interface KeyPlayersCommandOptions extends ProgressOptions {
  json: boolean;
  k: number;
  objective: 'fragment' | 'reach';
  distance: boolean;
  steps: 1 | 2;
  ocg?: string;
  robust: boolean;
  seed: number;
  /** Let safeguarding subjects be players, each marked. Default false: they are never chosen (they stay in the network). */
  includeSafeguarding?: boolean;
  projection: ProjectionOptionsInput;
}

export async function runKeyPlayers(inputs: string[], options: KeyPlayersCommandOptions, io: CliIo): Promise<number> {
  const subject = await loadSubject(inputs, options.projection, { ...options, skipInvalid: false }, io);
  const graph = (subject.model === 'records' ? subject.persons : subject.graph) as unknown as AbstractGraph;
  let restrictTo: string[] | undefined;
  if (options.ocg !== undefined) {
    if (subject.model !== 'records') throw new UsageError('--ocg needs intelligence records with OCG mappings');
    restrictTo = subject.mapping.membersOf[options.ocg]?.filter((id) => graph.hasNode(id));
    if (!restrictTo || restrictTo.length === 0) throw new UsageError(`no mapped OCG ${JSON.stringify(options.ocg)}`);
  }
  const subjects = safeguardingSubjects(graph);
  const include = options.includeSafeguarding === true;
  const excluded = include
    ? []
    : [...subjects].filter((id) => restrictTo === undefined || restrictTo.includes(id)).sort(compareIds);
  const exclude = excluded.length > 0 ? { exclude: excluded } : {};
  const search =
    options.objective === 'fragment'
      ? {
          kind: 'negative' as const,
          k: options.k,
          objective: options.distance ? ('distance' as const) : ('fragmentation' as const),
          seed: options.seed,
          ...(restrictTo ? { restrictTo } : {}),
          ...exclude,
        }
      : {
          kind: 'positive' as const,
          k: options.k,
          measure: options.distance ? ('distance' as const) : ('reach' as const),
          steps: options.steps,
          seed: options.seed,
          ...(restrictTo ? { restrictTo } : {}),
          ...exclude,
        };
  const progress = startProgress('keyplayers', options.robust ? 2 : 1, 'steps', options);
  let result: KeyPlayerResult;
  let robustness: ReturnType<typeof robustKeyPlayers> | undefined;
  // A KeyPlayerError from what the user asked (an unknown node, k out of range) is a usage error in reportError.
  try {
    const { kind: _kind, ...settings } = search;
    result = search.kind === 'negative' ? keyPlayersNegative(graph, settings) : keyPlayersPositive(graph, settings);
    progress.update(1, 'robustness');
    if (options.robust) {
      // Each sample reruns the search on a graph with intelligence missing; fewer restarts keep 200 searches affordable.
      const rank = (sample: AbstractGraph): string[] => {
        const members = restrictTo?.filter((id) => sample.hasNode(id));
        const within = members ? { restrictTo: members } : {};
        const size = members?.length ?? sample.order;
        if (size <= options.k) return [];
        return search.kind === 'negative'
          ? keyPlayersNegative(sample, { ...settings, ...within, restarts: 5 }).players
          : keyPlayersPositive(sample, { ...settings, ...within, restarts: 5 }).players;
      };
      robustness = robustKeyPlayers(graph, { rank, k: options.k, seed: options.seed });
      progress.update(2);
    }
  } finally {
    progress.stop();
  }
  const nominal = (id: string) => ({
    id,
    label: String(graph.getNodeAttribute(id, 'label') ?? id),
    safeguarding: subjects.has(id),
  });
  const players = result.players.map(nominal);
  const protectedNominals = excluded.map(nominal);
  const { history: _history, ...summary } = result;
  if (options.json) {
    io.stdout.write(
      `${JSON.stringify({ classification: DEFAULT_CLASSIFICATION, ...summary, players, includeSafeguarding: include, protected: protectedNominals, ...(restrictTo ? { ocg: options.ocg } : {}), ...(robustness ? { robustness } : {}) }, null, 2)}\n`,
    );
    return EXIT.ok;
  }
  const lines = [
    DEFAULT_CLASSIFICATION,
    `${result.kind === 'negative' ? 'KPP-Neg' : 'KPP-Pos'} (${result.objective}${result.steps ? `, ${result.steps} step(s)` : ''}), k = ${options.k}${restrictTo ? `, within ${options.ocg}` : ''}: score ${result.score.toFixed(4)} (baseline ${result.baseline.toFixed(4)})`,
  ];
  for (const player of players)
    lines.push(`  ${player.id.padEnd(12)} ${player.label}${player.safeguarding ? `  ${SAFEGUARDING_MARK}` : ''}`);
  if (protectedNominals.length > 0) {
    lines.push(
      `${protectedNominals.length} safeguarding subject(s) never chosen as players (they stay in the network; --include-safeguarding to consider them):`,
    );
    for (const subject of protectedNominals)
      lines.push(`  ${subject.id.padEnd(12)} ${subject.label}  ${SAFEGUARDING_MARK}`);
  }
  if (robustness) {
    lines.push(
      `How often each stays in the top ${options.k} with ${robustness.drop} dropped at random (${robustness.samples} samples each):`,
    );
    lines.push(
      `  ${'id'.padEnd(12)} ${robustness.fractions.map((fraction) => `${Math.round(fraction * 100)}%`.padStart(6)).join(' ')}`,
    );
    for (const node of robustness.nodes.slice(0, 3 * options.k)) {
      lines.push(`  ${node.id.padEnd(12)} ${node.frequency.map((value) => value.toFixed(2).padStart(6)).join(' ')}`);
    }
  }
  io.stdout.write(`${lines.join('\n')}\n`);
  return EXIT.ok;
}

interface KeyPlayersFlags extends ProjectionFlags {
  k: string;
  objective: 'fragment' | 'reach';
  distanceWeighted?: boolean;
  reachSteps: '1' | '2';
  ocg?: string;
  robust?: boolean;
  seed: string;
  includeSafeguarding?: boolean;
  json?: boolean;
}

/** `ocgnet keyplayers <inputs...>`. */
export function registerKeyPlayers(program: Command, { io, action, progressOf }: CommandContext): void {
  addProjectionFlags(
    program
      .command('keyplayers')
      .description(
        "Borgatti's key players: the k whose removal fragments the network most, or the k who reach most others",
      )
      .argument('<inputs...>', 'files or folders')
      .option('--k <k>', 'size of the set', '3')
      .addOption(
        new Option('--objective <objective>', 'fragment (KPP-Neg) or reach (KPP-Pos)')
          .choices(['fragment', 'reach'])
          .default('fragment'),
      )
      .option('--distance-weighted', 'distance-weighted fragmentation (fragment) or distance-weighted reach (reach)')
      .addOption(new Option('--reach-steps <m>', 'reach within this many steps').choices(['1', '2']).default('2'))
      .option('--ocg <id>', 'only within one mapped OCG')
      .option('--robust', 'also report how often each stays in the top k with 5-30% of links missing')
      .option('--seed <n>', 'seed of the search and of the robustness samples', '1')
      .option(
        '--include-safeguarding',
        'let safeguarding subjects (vulnerable, under 18, exploited, cuckooed) be players, marked; by default they are never chosen',
      )
      .option('--json', 'print JSON'),
  ).action(
    action(async (inputs: string[], options: KeyPlayersFlags, command: Command) => {
      const k = integerFlag(options.k, '--k', 1);
      const seed = integerFlag(options.seed, '--seed', 0);
      return runKeyPlayers(
        inputs,
        {
          json: Boolean(options.json),
          k,
          objective: options.objective,
          distance: Boolean(options.distanceWeighted),
          steps: Number(options.reachSteps) as 1 | 2,
          ...givenFlags({ ocg: options.ocg }),
          robust: Boolean(options.robust),
          seed,
          includeSafeguarding: Boolean(options.includeSafeguarding),
          projection: projectionOptionsFromFlags(options),
          ...progressOf(command),
        },
        io,
      );
    }),
  );
}

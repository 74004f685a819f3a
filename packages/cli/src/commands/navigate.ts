/**
 * `ocgnet path` and `ocgnet ego`: how two nominals are connected, with the
 * evidence behind every hop, and who surrounds one nominal. Both outputs,
 * text and JSON, carry the classification and the strictest marking of what
 * they show (schema's `strictestMarking`): a path's is its hops', an ego
 * network's that of every nominal and association in it, so a nominal reached
 * only through C intelligence makes the whole output C.
 */
import { allShortestPaths, egoNetwork, egoSummary, kShortestPaths, type AssociationPath } from '@ocgnet/analysis';
import type { ProjectionOptionsInput } from '@ocgnet/graph';
import type { AbstractGraph } from 'graphology-types';
import {
  DEFAULT_CLASSIFICATION,
  compareIds,
  describeMarking,
  isSafeguardingNode,
  strictestMarking,
  type Marking,
} from '@ocgnet/schema';
import { Option, type Command } from 'commander';
import { EXIT, UsageError } from '../errors.js';
import { integerFlag, type CommandContext } from '../command.js';
import { addProjectionFlags, projectionOptionsFromFlags, type ProjectionFlags } from '../projectionFlags.js';
import { loadSubject } from '../subject.js';
import type { CliIo } from '../io.js';
import type { ProgressOptions } from '../progress.js';

interface NavigateOptions extends ProgressOptions {
  json: boolean;
  projection: ProjectionOptionsInput;
}

async function subjectGraph(inputs: string[], options: NavigateOptions, io: CliIo): Promise<AbstractGraph> {
  const subject = await loadSubject(inputs, options.projection, { ...options, skipInvalid: false }, io);
  return subject.model === 'records' ? subject.persons : subject.graph;
}

/** The marking of an item: its `marking` attribute when it holds one, else P (unmarked research data). */
function markingOf(value: unknown): Marking {
  const marking = value as Partial<Marking> | undefined;
  return marking &&
    (marking.handling === 'P' || marking.handling === 'C' || marking.handling === 'R') &&
    Array.isArray(marking.conditions)
    ? (marking as Marking)
    : { handling: 'P', conditions: [] };
}

/** The strictest marking of every node and edge of `graph`, as `analyse` marks its report. */
function graphMarking(graph: AbstractGraph): Marking {
  const markings: Marking[] = [];
  graph.forEachNode((_node, attributes) => markings.push(markingOf(attributes.marking)));
  graph.forEachEdge((_edge, attributes) => markings.push(markingOf(attributes.marking)));
  return strictestMarking(markings);
}

/**
 * The first line of a navigation output: the classification and the handling
 * of what follows, in `analyse`'s form ("OFFICIAL-SENSITIVE   handling: C …"),
 * with every C condition written out, since the reader must apply them.
 */
function markingLine(marking: Marking): string {
  return `${DEFAULT_CLASSIFICATION}   handling: ${describeMarking(marking)}`;
}

function formatPath(path: AssociationPath, label: (id: string) => string): string {
  const lines = [`  ${path.nodes.map(label).join(' — ')}   (${path.length} hop(s), handling ${path.marking.handling})`];
  for (const hop of path.hops) {
    const evidence = (hop.evidence ?? []).map(
      (item) => `${item.channel}: ${item.links.join('+')}${item.via.length ? ` via ${item.via.join(', ')}` : ''}`,
    );
    lines.push(
      `      ${label(hop.from)} → ${label(hop.to)}  weight ${hop.weight}  [${hop.marking.handling}]  ${evidence.join('; ')}`,
    );
  }
  return lines.join('\n');
}

export async function runPath(
  inputs: string[],
  from: string,
  to: string,
  options: NavigateOptions & { k: number; weighted: boolean; distance: 'inverse' | 'weight' },
  io: CliIo,
): Promise<number> {
  const graph = await subjectGraph(inputs, options, io);
  const search = { weighted: options.weighted, distance: options.distance };
  // A NavigationError (a node not in the graph) is the user's: reportError makes it a usage error.
  const shortest = allShortestPaths(graph, from, to, search);
  const alternatives = options.k > 1 ? kShortestPaths(graph, from, to, options.k, search) : [];
  const marking = strictestMarking([...shortest.paths, ...alternatives].map((path) => path.marking));
  if (options.json) {
    io.stdout.write(
      `${JSON.stringify({ classification: DEFAULT_CLASSIFICATION, marking, shortest, kShortest: alternatives }, null, 2)}\n`,
    );
    return EXIT.ok;
  }
  const label = (id: string) => `${String(graph.getNodeAttribute(id, 'label') ?? id)} (${id})`;
  const lines = [markingLine(marking)];
  if (shortest.count === 0) lines.push(`No path between ${label(from)} and ${label(to)}.`);
  else {
    lines.push(
      `${shortest.count} shortest path(s) between ${label(from)} and ${label(to)}${shortest.truncated ? ` (first ${shortest.paths.length} shown)` : ''}:`,
    );
    for (const path of shortest.paths) lines.push(formatPath(path, label));
  }
  if (alternatives.length > 0) {
    lines.push(`The ${alternatives.length} shortest loopless paths (Yen):`);
    for (const path of alternatives) lines.push(formatPath(path, label));
  }
  io.stdout.write(`${lines.join('\n')}\n`);
  return EXIT.ok;
}

export async function runEgo(
  inputs: string[],
  centre: string,
  options: NavigateOptions & { radius: number },
  io: CliIo,
): Promise<number> {
  const graph = await subjectGraph(inputs, options, io);
  const ego = egoNetwork(graph, centre, { radius: options.radius });
  const summary = egoSummary(graph, centre, options.radius);
  const members = ego.graph.nodes().map((id) => ({
    id,
    label: String(ego.graph.getNodeAttribute(id, 'label') ?? id),
    distance: ego.distance[id],
    safeguarding: isSafeguardingNode(ego.graph.getNodeAttributes(id)),
  }));
  const marking = graphMarking(ego.graph);
  if (options.json) {
    io.stdout.write(
      `${JSON.stringify({ classification: DEFAULT_CLASSIFICATION, marking, summary, members }, null, 2)}\n`,
    );
    return EXIT.ok;
  }
  const lines = [
    markingLine(marking),
    `Ego network of ${String(graph.getNodeAttribute(centre, 'label') ?? centre)} (${centre}), radius ${options.radius}: ${summary.size} nominals, ${summary.edges} associations, density ${summary.density.toFixed(4)}`,
  ];
  if (summary.safeguardingAlters !== undefined)
    lines.push(`  safeguarding subjects among them: ${summary.safeguardingAlters.length} (protect, do not target)`);
  for (const member of members.sort((a, b) => (a.distance ?? 0) - (b.distance ?? 0) || compareIds(a.id, b.id))) {
    lines.push(
      `  ${String(member.distance)}  ${member.id.padEnd(12)} ${member.label}${member.safeguarding ? '  SAFEGUARDING' : ''}`,
    );
  }
  io.stdout.write(`${lines.join('\n')}\n`);
  return EXIT.ok;
}

type DistanceMode = 'inverse' | 'weight';

/** `ocgnet path <input> <from> <to>`. */
export function registerPath(program: Command, { io, action, progressOf }: CommandContext): void {
  addProjectionFlags(
    program
      .command('path')
      .description('how two nominals are connected: every shortest path, each hop with its evidence and marking')
      .argument('<input>', 'file or folder')
      .argument('<from>', 'node id')
      .argument('<to>', 'node id')
      .option('--json', 'print JSON')
      .option('-k, --k <n>', 'also list the k shortest loopless paths (Yen)', '1')
      .option('--weighted', 'path length from weights')
      .addOption(
        new Option('--distance <mode>', "'inverse' (1/weight) or 'weight'")
          .choices(['inverse', 'weight'])
          .default('inverse'),
      ),
  ).action(
    action(
      async (
        input: string,
        from: string,
        to: string,
        options: { json?: boolean; k: string; weighted?: boolean; distance: DistanceMode } & ProjectionFlags,
        command: Command,
      ) => {
        const k = integerFlag(options.k, '--k', 1);
        const navigation = {
          json: Boolean(options.json),
          k,
          weighted: Boolean(options.weighted),
          distance: options.distance,
          projection: projectionOptionsFromFlags(options),
          ...progressOf(command),
        };
        return runPath([input], from, to, navigation, io);
      },
    ),
  );
}

/** `ocgnet ego <input> <centre>`. */
export function registerEgo(program: Command, { io, action, progressOf }: CommandContext): void {
  addProjectionFlags(
    program
      .command('ego')
      .description(
        'the ego network of a nominal at radius 1-3, with safeguarding subjects marked, under the strictest handling marking of what it shows',
      )
      .argument('<input>', 'file or folder')
      .argument('<centre>', 'node id')
      .option('--json', 'print JSON')
      .option('-r, --radius <n>', 'radius, 1 to 3', '1'),
  ).action(
    action(
      async (
        input: string,
        centre: string,
        options: { json?: boolean; radius: string } & ProjectionFlags,
        command: Command,
      ) => {
        const radius = Number(options.radius);
        if (![1, 2, 3].includes(radius))
          throw new UsageError(`--radius must be 1, 2 or 3, not ${JSON.stringify(options.radius)}`);
        return runEgo(
          [input],
          centre,
          {
            json: Boolean(options.json),
            radius,
            projection: projectionOptionsFromFlags(options),
            ...progressOf(command),
          },
          io,
        );
      },
    ),
  );
}

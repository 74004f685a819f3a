import { describeGraph, type ProjectionOptionsInput } from '@ocgnet/graph';
import { DEFAULT_CLASSIFICATION } from '@ocgnet/schema';
import { EXIT } from '../errors.js';
import type { Command } from 'commander';
import { loadSubject } from '../subject.js';
import type { CommandContext } from '../command.js';
import { addProjectionFlags, projectionOptionsFromFlags, type ProjectionFlags } from '../projectionFlags.js';
import type { CliIo } from '../io.js';
import type { ProgressOptions } from '../progress.js';

type Description = ReturnType<typeof describeGraph>;

/**
 * `ocgnet stats`: size, components and density. For intelligence records the
 * figures are those of the multimodal network, with the person projection
 * beside them under `persons`.
 */
export async function runStats(
  inputs: string[],
  options: { json: boolean; projection: ProjectionOptionsInput } & ProgressOptions,
  io: CliIo,
): Promise<number> {
  const subject = await loadSubject(inputs, options.projection, { ...options, skipInvalid: false }, io);
  let network: Description;
  let persons: (Description & { projection: unknown }) | undefined;
  if (subject.model === 'records') {
    network = describeGraph(subject.network);
    // What the projection used and set aside, so nothing is dropped silently.
    persons = { ...describeGraph(subject.persons), projection: subject.persons.getAttribute('stats') };
  } else {
    network = describeGraph(subject.graph);
  }
  const result = {
    classification: DEFAULT_CLASSIFICATION,
    model: subject.model,
    ...network,
    ...(persons ? { persons } : {}),
    inputs: subject.loaded.inputs,
  };
  if (options.json) {
    io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return EXIT.ok;
  }
  io.stdout.write(formatStats(result.model, network, persons));
  return EXIT.ok;
}
function formatStats(model: string, network: Description, persons: Description | undefined): string {
  const lines = [
    `${DEFAULT_CLASSIFICATION}`,
    `${model === 'records' ? 'association network (all entity kinds)' : 'network'}`,
    `  nodes       ${network.nodes}`,
    `  edges       ${network.edges}`,
    `  components  ${network.components} (largest ${network.largestComponent}, isolates ${network.isolates})`,
    `  density     ${network.density.toFixed(6)}`,
  ];
  const table = (title: string, counts: Record<string, number>) => {
    const entries = Object.entries(counts);
    if (entries.length === 0) return;
    lines.push(`  ${title}`);
    for (const [name, count] of entries.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])))
      lines.push(`    ${name.padEnd(16)}${count}`);
  };
  table('by kind', network.byKind);
  table('by link type', network.byType);
  if (
    network.byMarkingOf.nodes.P + network.byMarkingOf.nodes.C + network.byMarkingOf.nodes.R > 0 ||
    network.byMarkingOf.edges.C + network.byMarkingOf.edges.R > 0
  ) {
    lines.push('  by handling code   nodes   links');
    for (const code of ['P', 'C', 'R'] as const) {
      lines.push(
        `    ${code.padEnd(16)}${String(network.byMarkingOf.nodes[code]).padStart(6)}  ${String(network.byMarkingOf.edges[code]).padStart(6)}`,
      );
    }
  }
  if (persons) {
    lines.push('person projection (nominal to nominal)');
    lines.push(`  nominals    ${persons.nodes}`);
    lines.push(`  edges       ${persons.edges}`);
    lines.push(
      `  components  ${persons.components} (largest ${persons.largestComponent}, isolates ${persons.isolates})`,
    );
    lines.push(`  density     ${persons.density.toFixed(6)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** `ocgnet stats <inputs...>`. */
export function registerStats(program: Command, { io, action, progressOf }: CommandContext): void {
  addProjectionFlags(
    program
      .command('stats')
      .description('counts by kind and type, components and density, of the network and its person projection')
      .argument('<inputs...>', 'files or folders')
      .option('--json', 'print one JSON document'),
  ).action(
    action(async (inputs: string[], options: { json?: boolean } & ProjectionFlags, command: Command) =>
      runStats(
        inputs,
        { json: Boolean(options.json), projection: projectionOptionsFromFlags(options), ...progressOf(command) },
        io,
      ),
    ),
  );
}

import { buildNetwork, describeGraph, projectPersons } from '@ocgnet/graph';
import { DEFAULT_CLASSIFICATION, formatIssue } from '@ocgnet/schema';
import { EXIT } from '../errors.js';
import { loadInputs } from '../load.js';
import type { CliIo } from '../main.js';
import type { ProgressOptions } from '../progress.js';

type Description = ReturnType<typeof describeGraph>;

/**
 * `ocgnet stats`: size, components and density. For intelligence records the
 * figures are those of the multimodal network, with the person projection
 * beside them under `persons`.
 */
export async function runStats(inputs: string[], options: { json: boolean } & ProgressOptions, io: CliIo): Promise<number> {
  const loaded = await loadInputs(inputs, { ...options, skipInvalid: false });
  for (const warning of loaded.warnings) io.stderr.write(`warning: ${formatIssue(warning)}\n`);
  let network: Description;
  let persons: Description | undefined;
  if (loaded.model === 'records') {
    const graph = buildNetwork(loaded.records);
    network = describeGraph(graph);
    persons = describeGraph(projectPersons(graph));
  } else {
    network = describeGraph(loaded.graph);
  }
  const result = {
    classification: DEFAULT_CLASSIFICATION,
    model: loaded.model,
    ...network,
    ...(persons ? { persons } : {}),
    inputs: loaded.inputs,
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
    for (const [name, count] of entries.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) lines.push(`    ${name.padEnd(16)}${count}`);
  };
  table('by kind', network.byKind);
  table('by link type', network.byType);
  table('by handling code', network.byMarking);
  if (persons) {
    lines.push('person projection (nominal to nominal)');
    lines.push(`  nominals    ${persons.nodes}`);
    lines.push(`  associations ${persons.edges}`);
    lines.push(`  components  ${persons.components} (largest ${persons.largestComponent}, isolates ${persons.isolates})`);
    lines.push(`  density     ${persons.density.toFixed(6)}`);
  }
  return `${lines.join('\n')}\n`;
}

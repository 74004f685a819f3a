/**
 * The graph a command analyses: for intelligence records, the person
 * projection of the multimodal network (kept alongside, since OCG mappings
 * and evidence live there); for a research network, the network itself.
 */
import type Graph from 'graphology';
import { recordsGraphs, type RecordsGraphs } from '@ocgnet/analysis';
import type { ProjectionOptionsInput } from '@ocgnet/graph';
import { formatIssue } from '@ocgnet/schema';
import { loadInputs, type LoadedInput, type LoadOptions } from './load.js';
import type { CliIo } from './io.js';

export type AnalysisSubject =
  | ({ model: 'records'; loaded: Extract<LoadedInput, { model: 'records' }> } & RecordsGraphs)
  | { model: 'research'; loaded: Extract<LoadedInput, { model: 'research' }>; graph: Graph };

/** Loads the inputs and prepares the graph to analyse; warnings go to stderr. */
export async function loadSubject(
  inputs: string[],
  projection: ProjectionOptionsInput,
  options: LoadOptions,
  io: CliIo,
): Promise<AnalysisSubject> {
  const loaded = await loadInputs(inputs, options);
  for (const warning of loaded.warnings) io.stderr.write(`warning: ${formatIssue(warning)}\n`);
  if (loaded.model === 'research') return { model: 'research', loaded, graph: loaded.graph };
  // A projection option the graph package rejects is a GraphError INVALID_OPTION: a usage error in reportError.
  return { model: 'records', loaded, ...recordsGraphs(loaded.records, projection) };
}

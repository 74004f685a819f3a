/**
 * The graph a command analyses: for intelligence records, the person
 * projection of the multimodal network (kept alongside, since OCG mappings
 * and evidence live there); for a research network, the network itself.
 */
import type Graph from 'graphology';
import { recordsGraphs, type RecordsGraphs } from '@ocgnet/analysis';
import { GraphError, type ProjectionOptionsInput } from '@ocgnet/graph';
import type { RecordSet } from '@ocgnet/schema';
import { formatIssue } from '@ocgnet/schema';
import { UsageError } from './errors.js';
import { loadInputs, type LoadedInput, type LoadOptions } from './load.js';
import type { CliIo } from './main.js';

export type AnalysisSubject =
  | ({ model: 'records'; loaded: Extract<LoadedInput, { model: 'records' }> } & RecordsGraphs)
  | { model: 'research'; loaded: Extract<LoadedInput, { model: 'research' }>; graph: Graph };

/** Loads the inputs and prepares the graph to analyse; warnings go to stderr. */
export async function loadSubject(inputs: string[], projection: ProjectionOptionsInput, options: LoadOptions, io: CliIo): Promise<AnalysisSubject> {
  const loaded = await loadInputs(inputs, options);
  for (const warning of loaded.warnings) io.stderr.write(`warning: ${formatIssue(warning)}\n`);
  if (loaded.model === 'research') return { model: 'research', loaded, graph: loaded.graph };
  return { model: 'records', loaded, ...graphsWithFlags(loaded.records, projection) };
}

/** The records' graphs, turning a rejected projection option into a usage error that names it. */
export function graphsWithFlags(records: RecordSet, options: ProjectionOptionsInput): RecordsGraphs {
  try {
    return recordsGraphs(records, options);
  } catch (error) {
    if (error instanceof GraphError && error.code === 'invalid_option') throw new UsageError(error.message.replace(/^@ocgnet\/graph: /, ''));
    throw error;
  }
}

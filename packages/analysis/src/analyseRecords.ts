/**
 * The one way intelligence records become an analysis: the multimodal
 * network, its person projection, the groups police have mapped, then
 * `analyse()` of the projection against that mapping. The CLI, the server's
 * viewer bundle and the partnership profiles all call this, so a change to
 * any step reaches every output at once.
 */
import {
  buildNetwork,
  projectPersons,
  type NetworkGraph,
  type PersonGraph,
  type ProjectionOptionsInput,
} from '@ocgnet/graph';
import type { RecordSet } from '@ocgnet/schema';
import { analyse, type AnalyseContext, type AnalyseOptions, type AnalysisReport } from './analyse.js';
import { mappingFromNetwork, type GroupMapping } from './groups/compare.js';

/** The graphs of one record set: what every records command works on. */
export interface RecordsGraphs {
  /** Every entity and link as recorded. */
  network: NetworkGraph;
  /** Person-to-person associations, as the projection options say. */
  persons: PersonGraph;
  /** The OCGs and USGs police have mapped, read from `network`. */
  mapping: GroupMapping;
}

export interface RecordsAnalysis extends RecordsGraphs {
  report: AnalysisReport;
}

export interface AnalyseRecordsOptions {
  projection?: ProjectionOptionsInput;
  analysis?: Partial<AnalyseOptions>;
  onProgress?: AnalyseContext['onProgress'];
}

/**
 * Builds the network, its person projection and the mapping. Throws
 * `GraphError` (code `INVALID_OPTION`) for a projection option it rejects.
 */
export function recordsGraphs(records: RecordSet, projection: ProjectionOptionsInput = {}): RecordsGraphs {
  const network = buildNetwork(records);
  return { network, persons: projectPersons(network, projection), mapping: mappingFromNetwork(network) };
}

/** Records → network → persons → mapping → report. */
export function analyseRecords(records: RecordSet, options: AnalyseRecordsOptions = {}): RecordsAnalysis {
  const graphs = recordsGraphs(records, options.projection ?? {});
  const report = analyse(graphs.persons, options.analysis ?? {}, {
    mapping: graphs.mapping,
    ...(options.onProgress !== undefined ? { onProgress: options.onProgress } : {}),
  });
  return { ...graphs, report };
}

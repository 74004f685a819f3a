/**
 * The files of an export, one per research format, written and read back
 * with @ocgnet/io's writers and readers. GraphML, GEXF and the CSV pair carry
 * every kept attribute; Pajek and UCINET DL carry the structure and weights
 * only (their formats have no attribute columns).
 */
import type Graph from 'graphology';
import {
  parseResearchGraph,
  writeDl,
  writeEdgeListCsv,
  writeGexf,
  writeGraphML,
  writePajek,
  type ResearchParseResult,
} from '@ocgnet/io';

export const EXPORT_FORMATS = ['graphml', 'gexf', 'csv', 'pajek', 'dl'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The file names each format writes; the first is the one read back. */
export const EXPORT_FILE_NAMES: Record<ExportFormat, readonly string[]> = {
  graphml: ['graph.graphml'],
  gexf: ['graph.gexf'],
  csv: ['edges.csv', 'nodes.csv'],
  pajek: ['graph.net'],
  dl: ['graph.dl'],
};

/** Reproduction re-imports the first of these that was exported: the formats that carry the most come first. */
export const PRIMARY_ORDER: readonly ExportFormat[] = ['graphml', 'gexf', 'csv', 'pajek', 'dl'];

/**
 * The text of each export file, by name.
 *
 * @throws {ResearchWriteError} when a format cannot hold the graph (a mixed graph in CSV or DL)
 */
export function exportFiles(graph: Graph, formats: readonly ExportFormat[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const format of formats) {
    if (format === 'graphml') files.set('graph.graphml', writeGraphML(graph));
    else if (format === 'gexf') files.set('graph.gexf', writeGexf(graph));
    else if (format === 'pajek') files.set('graph.net', writePajek(graph));
    else if (format === 'dl') files.set('graph.dl', writeDl(graph, { format: 'edgelist1' }));
    else {
      const { edges, nodes } = writeEdgeListCsv(graph);
      files.set('edges.csv', edges);
      files.set('nodes.csv', nodes);
    }
  }
  return files;
}

/** Reads one exported format back from its file texts. `directed`: the export's graph was directed (CSV and DL do not say). */
export async function readExportedGraph(
  format: ExportFormat,
  text: (name: string) => string,
  directed: boolean,
): Promise<ResearchParseResult> {
  const [main] = EXPORT_FILE_NAMES[format];
  if (format === 'csv')
    return parseResearchGraph(text('edges.csv'), 'edges.csv', {
      format: 'edgelist',
      directed,
      nodes: { text: text('nodes.csv'), file: 'nodes.csv' },
    });
  return parseResearchGraph(text(main!), main!, format === 'dl' ? { format: 'dl', directed } : {});
}

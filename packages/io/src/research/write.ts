/**
 * The research formats by name: the short names `parseResearchGraph` and
 * `writeResearchGraph` accept, and the writer that picks a format by name.
 * No streams here, so the browser entry has it.
 */
import type Graph from 'graphology';
import { ResearchWriteError, type ResearchFormat } from './common.js';
import { writeEdgeListCsv, type CsvWriteOptions } from './edgeListWrite.js';
import { writeGexf } from './gexf.js';
import { writeGraphML } from './graphml.js';
import { writePajek } from './pajek.js';
import { writeDl } from './ucinetDl.js';

/** Short names accepted for `format` besides the ResearchFormat names (lower case). */
export const FORMAT_ALIASES = new Map<string, ResearchFormat>([
  ['edgelist-csv', 'edgelist-csv'],
  ['edgelist', 'edgelist-csv'],
  ['csv', 'edgelist-csv'],
  ['nodelist-csv', 'nodelist-csv'],
  ['nodelist', 'nodelist-csv'],
  ['graphml', 'graphml'],
  ['gexf', 'gexf'],
  ['pajek', 'pajek'],
  ['net', 'pajek'],
  ['ucinet-dl', 'ucinet-dl'],
  ['dl', 'ucinet-dl'],
]);

/**
 * Writes a graph in one research format, as one text. `format` takes the
 * same names as {@link parseResearchGraph}, plus `dl-fullmatrix` (`dl` writes
 * edgelist1). `edgelist` gives the edge-list CSV alone, so it refuses graphs
 * whose node list carries information (isolates, labels other than the id,
 * node attributes): use {@link writeEdgeListCsv} to get both files.
 *
 * @throws {ResearchWriteError} for an unknown format or a graph the format cannot hold
 */
export function writeResearchGraph(
  graph: Graph,
  format: ResearchFormat | string,
  options: CsvWriteOptions = {},
): string {
  const name = format.toLowerCase();
  if (name === 'dl-fullmatrix') return writeDl(graph, { format: 'fullmatrix' });
  switch (FORMAT_ALIASES.get(name)) {
    case 'graphml':
      return writeGraphML(graph);
    case 'gexf':
      return writeGexf(graph);
    case 'pajek':
      return writePajek(graph);
    case 'ucinet-dl':
      return writeDl(graph, { format: 'edgelist1' });
    case 'edgelist-csv': {
      const lost = graph.findNode(
        (node, attributes) =>
          graph.degree(node) === 0 ||
          Object.keys(attributes).some((key) => key !== 'label' || attributes.label !== node),
      );
      if (lost !== undefined) {
        throw new ResearchWriteError(
          `node ${JSON.stringify(lost)} is an isolate or has attributes; an edge list alone would drop it, so write a node list too (writeEdgeListCsv)`,
        );
      }
      return writeEdgeListCsv(graph, options).edges;
    }
    default:
      throw new ResearchWriteError(`cannot write research format ${JSON.stringify(format)}`);
  }
}

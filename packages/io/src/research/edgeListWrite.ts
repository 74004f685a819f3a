/**
 * Writes edge-list CSV (`source,target[,weight][,...]`) and node-list CSV
 * (`id,label[,...]`) as strings. Kept apart from the reader (edgeList.ts),
 * which streams through csv-parse, so the browser entry can write CSV.
 */
import type Graph from 'graphology';
import { csvCell, spreadsheetSafe } from '../csvText.js';
import { ResearchWriteError } from './common.js';

/** Options for {@link writeEdgeListCsv}. */
export interface CsvWriteOptions {
  /**
   * Prefix a single quote to non-numeric cells starting with = + - @ TAB or CR
   * so spreadsheets do not run them as formulas (default true). The prefix is
   * not removed on reading: a neutralised file re-reads with the quote.
   */
  neutraliseFormulas?: boolean;
}

/** Quotes one CSV cell per RFC 4180, neutralising formula-looking text if asked. */
export function researchCsvCell(value: string, neutraliseFormulas = true): string {
  return csvCell(neutraliseFormulas ? spreadsheetSafe(value, { keepNumbers: true }) : value);
}

/** Text of an attribute value for a CSV cell: strings as-is, other scalars via String, objects as JSON. */
function cellText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Attribute names used by any node/edge, in first-seen order, minus the ones written as role columns. */
function attributeColumns(rows: Iterable<Record<string, unknown>>, skip: Set<string>): string[] {
  const names = new Set<string>();
  for (const attributes of rows) for (const name of Object.keys(attributes)) if (!skip.has(name)) names.add(name);
  return [...names];
}

/**
 * Writes a graph as an edge-list CSV and a node-list CSV (so isolates and
 * labels survive). Lines end with LF. Mixed graphs cannot be written: the
 * edge list carries no per-row direction.
 */
export function writeEdgeListCsv(graph: Graph, options: CsvWriteOptions = {}): { edges: string; nodes: string } {
  if (graph.type === 'mixed')
    throw new ResearchWriteError('edge-list CSV cannot hold a mixed graph (directed and undirected edges)');
  const neutralise = options.neutraliseFormulas !== false;
  const row = (cells: string[]): string => cells.map((c) => researchCsvCell(c, neutralise)).join(',') + '\n';

  const weighted = graph.someEdge((_e, attributes) => attributes.weight !== undefined);
  const edgeColumns = attributeColumns(
    graph.mapEdges((_e, attributes) => attributes),
    new Set(['weight']),
  );
  const edgeParts = [row(['source', 'target', ...(weighted ? ['weight'] : []), ...edgeColumns])];
  graph.forEachEdge((_edge, attributes, source, target) => {
    const cells = [source, target];
    if (weighted) cells.push(cellText(attributes.weight));
    for (const name of edgeColumns) cells.push(cellText(attributes[name]));
    edgeParts.push(row(cells));
  });

  const nodeColumns = attributeColumns(
    graph.mapNodes((_n, attributes) => attributes),
    new Set(['label']),
  );
  const nodeParts = [row(['id', 'label', ...nodeColumns])];
  graph.forEachNode((node, attributes) => {
    const cells = [node, typeof attributes.label === 'string' ? attributes.label : node];
    for (const name of nodeColumns) cells.push(cellText(attributes[name]));
    nodeParts.push(row(cells));
  });
  return { edges: edgeParts.join(''), nodes: nodeParts.join('') };
}

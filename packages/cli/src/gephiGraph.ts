/**
 * The analysed network for Gephi and Cytoscape (`analyse --out` writes it as
 * graph.graphml and graph.gexf): the nodes and edges of graph.json, each node
 * carrying its metrics, community, mapped groups, safeguarding flag and
 * handling marking as plain attributes an analyst can colour by, and the
 * document marking on the graph.
 *
 * It discloses nothing graph.json, analysis.json and bundle.json (the same
 * analyst's view, in the same folder) do not: the record bodies stay out.
 */
import Graph from 'graphology';
import type { AbstractGraph } from 'graphology-types';
import { NODE_METRIC_FIELDS, type AnalysisReport, type GroupMapping, type NodeMetrics } from '@ocgnet/analysis';
import { ResearchWriteError, writeGexf, writeGraphML } from '@ocgnet/io';
import { SAFEGUARDING_MARK, type Marking } from '@ocgnet/schema';
import { safeguardingIds } from './commands/analyseTable.js';

/** The files `analyse --out` writes for Gephi and Cytoscape, by format. */
export const GEPHI_FILES = { graphml: 'graph.graphml', gexf: 'graph.gexf' } as const;

/** What both writers carry faithfully: no lists, objects, NaN or Infinity. */
type FlatValue = string | number | boolean;
type FlatAttributes = Record<string, FlatValue>;

/** Lists (groups, channels, audiences) become one text; an item that itself holds `;` makes it ambiguous (graph.json has the list). */
const LIST_SEPARATOR = ';';

function isMarking(value: unknown): value is Marking {
  const marking = value as Partial<Marking> | null | undefined;
  return typeof marking?.handling === 'string' && Array.isArray(marking.conditions);
}

/** A marking as attributes: the handling code, its conditions one a line, and whom a C item may go to. */
function markingAttributes(marking: Marking): FlatAttributes {
  const attributes: FlatAttributes = { handling: marking.handling };
  if (marking.conditions.length > 0) attributes.conditions = marking.conditions.join('\n');
  if (marking.releasableTo !== undefined && marking.releasableTo.length > 0)
    attributes.releasableTo = marking.releasableTo.join(LIST_SEPARATOR);
  return attributes;
}

/**
 * A value both writers can hold, or undefined where there is none: a
 * non-finite number is left out (GraphML and GEXF readers refuse NaN as a
 * double), a list of names or numbers is joined, any other structure (an
 * edge's evidence) travels as its JSON text.
 */
function flatValue(value: unknown): FlatValue | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value) && value.every((item) => typeof item === 'string' || typeof item === 'number'))
    return value.join(LIST_SEPARATOR);
  return JSON.stringify(value);
}

/** An edge's graph.json attributes, flattened; its marking as the handling attributes. */
function edgeAttributes(attributes: Record<string, unknown>): FlatAttributes {
  const flat: FlatAttributes = {};
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'marking' && isMarking(value)) continue;
    const text = flatValue(value);
    if (text !== undefined) flat[name] = text;
  }
  // Set last: the marking, not a stray attribute of the same name, says how the tie is handled.
  return isMarking(attributes.marking) ? { ...flat, ...markingAttributes(attributes.marking) } : flat;
}

/** A node's analysis as attributes: what analysis.json says of it, plus every group it is mapped to. */
function nodeAttributes(node: NodeMetrics, groups: readonly string[] | undefined, protect: boolean): FlatAttributes {
  const attributes: FlatAttributes = { label: node.label };
  for (const field of NODE_METRIC_FIELDS) {
    const value = flatValue(node[field]);
    if (value !== undefined) attributes[field] = value;
  }
  attributes.articulation = node.articulation;
  if (node.likelyRole !== undefined) attributes.likelyRole = node.likelyRole;
  if (node.mappedGroup !== undefined) attributes.mappedGroup = node.mappedGroup;
  if (node.mappedRole !== undefined) attributes.mappedRole = node.mappedRole;
  if (groups !== undefined && groups.length > 0) attributes.mappedGroups = groups.join(LIST_SEPARATOR);
  attributes.safeguarding = protect;
  // Gephi shows attributes, not our tables: the mark travels with the person so a filtered view still says it.
  if (protect) attributes.safeguardingNote = SAFEGUARDING_MARK;
  return { ...attributes, ...markingAttributes(node.marking) };
}

/**
 * The analysed graph with flat attributes: the same nodes, edges (keys and
 * directions kept) and graph type as graph.json, every node's analysis from
 * `report`, and `mapping` (records input) for every group a person is mapped to.
 */
export function gephiGraph(graph: AbstractGraph, report: AnalysisReport, mapping?: GroupMapping): Graph {
  const out = new Graph({ type: graph.type, multi: graph.multi, allowSelfLoops: graph.allowSelfLoops });
  out.replaceAttributes({ classification: report.classification, ...markingAttributes(report.marking) });
  const analysed = new Map(report.nodes.map((node) => [node.id, node]));
  const protectedIds = safeguardingIds(report);
  graph.forEachNode((id) => {
    const node = analysed.get(id);
    // The report is computed from this graph, so every node is in it; a gap is a bug, never a person to drop.
    if (node === undefined) throw new Error(`node ${JSON.stringify(id)} is missing from the analysis`);
    out.addNode(id, nodeAttributes(node, mapping?.groupsOf[id], protectedIds.has(id)));
  });
  graph.forEachEdge((key, attributes, source, target, _sa, _ta, undirected) => {
    const flat = edgeAttributes(attributes);
    if (undirected) out.addUndirectedEdgeWithKey(key, source, target, flat);
    else out.addDirectedEdgeWithKey(key, source, target, flat);
  });
  return out;
}

/**
 * GEXF has no graph attributes, so the document marking goes in `<meta>` as
 * the description, one line each: classification, handling code, conditions,
 * releasable to.
 */
function gexfMarking(report: AnalysisReport): string {
  const { handling, conditions, releasableTo } = report.marking;
  return [
    report.classification,
    `handling: ${handling}`,
    ...conditions.map((condition) => `condition: ${condition}`),
    ...(releasableTo !== undefined && releasableTo.length > 0
      ? [`releasable to: ${releasableTo.join(LIST_SEPARATOR)}`]
      : []),
  ].join('\n');
}

/**
 * The Gephi/Cytoscape files of one analysis, by file name, both from one
 * {@link gephiGraph}.
 *
 * @throws {ResearchWriteError} naming the file, if a value holds a character XML cannot carry
 */
export function gephiFiles(graph: AbstractGraph, report: AnalysisReport, mapping?: GroupMapping): Map<string, string> {
  const attributed = gephiGraph(graph, report, mapping);
  const write = (name: string, writer: () => string): string => {
    try {
      return writer();
    } catch (error) {
      if (error instanceof ResearchWriteError) throw new ResearchWriteError(`${name}: ${error.message}`);
      throw error;
    }
  };
  return new Map([
    [GEPHI_FILES.graphml, write(GEPHI_FILES.graphml, () => writeGraphML(attributed))],
    [GEPHI_FILES.gexf, write(GEPHI_FILES.gexf, () => writeGexf(attributed, { description: gexfMarking(report) }))],
  ]);
}

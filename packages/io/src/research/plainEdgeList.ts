/**
 * A headerless edge list (`u v`, `u v w`, networkx's `u v {...}`, quoted
 * labels: the syntax of edgeLine.ts) read into a graphology graph, with the
 * data column's attributes on the edges. The lines are read by
 * parseEdgeListFast, the one plain edge-list reader; this adds the graph,
 * built by the edge-list rule for repeats (repeatedEdges.ts).
 */
import { GraphBuilder, IssueLog, newAttributes, type ResearchParseResult, type TextSource } from './common.js';
import { parseEdgeListFast } from './edgeListFast.js';
import { RepeatedEdges } from './repeatedEdges.js';

/** Options for {@link parsePlainEdgeList}. */
export interface PlainEdgeListOptions {
  /** Read `u v` as the arc u -> v (default: undirected; the file does not say). */
  directed?: boolean;
}

/**
 * Parses a headerless edge list. Nodes are the endpoints, in order of first
 * appearance (an edge list cannot hold an isolate). Never throws on bad input.
 *
 * @param input text, chunks, or a Node Readable
 * @param file  the file's name, used in issues
 */
export async function parsePlainEdgeList(
  input: TextSource,
  file: string,
  options: PlainEdgeListOptions = {},
): Promise<ResearchParseResult> {
  const read = await parseEdgeListFast(input, file, { attributes: true });
  if (!read.ok) return read;
  const log = new IssueLog(file);
  for (const warning of read.warnings) log.warnings.push(warning);
  const directed = options.directed === true;
  const builder = new GraphBuilder(log, directed ? 'directed' : 'undirected');
  const repeats = new RepeatedEdges();
  const fields = { source: 'source', target: 'target' };
  for (let k = 0; k < read.source.length && !log.full; k++) {
    const line = read.lines![k]!;
    const source = read.ids[read.source[k]!]!;
    const target = read.ids[read.target[k]!]!;
    if (!builder.ensureNode(source, line, fields.source) || !builder.ensureNode(target, line, fields.target)) continue;
    const attributes = Object.assign(newAttributes(), read.attributes?.[k]);
    if (read.weight !== null) attributes.weight = read.weight[k]!;
    if (repeats.mergeOrReport(builder.graph, log, { source, target, directed, attributes, line })) continue;
    builder.addEdge(source, target, directed, attributes, line, fields);
  }
  repeats.report(log, fields.target);
  return builder.finish('edgelist-plain', read.weight !== null);
}

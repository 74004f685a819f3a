/**
 * The ocgnet graph file (`*.ocgnet.ndjson`): what `ocgnet import --out` writes
 * and every later command reads. NDJSON so that a million links stream in and
 * out. Line 1 is a header that names the format, the schema version, the
 * classification and the digests of the inputs; then either
 * - `model: "records"`: `{"entity": …}` and `{"link": …}` lines, a valid
 *   NDJSON record file in its own right; or
 * - `model: "research"`: `{"node": …}` and `{"edge": …}` lines, for networks
 *   imported from GraphML, GEXF, Pajek, UCINET DL or an edge list.
 */
import Graph from 'graphology';
import type { SourceLine } from './lines.js';
import { invalidUtf8Byte, notUtf8Reason } from './utf8.js';
import { isReservedNodeKey } from './research/common.js';
import {
  DEFAULT_CLASSIFICATION,
  FORBIDDEN_KEYS,
  LIMITS,
  SCHEMA_VERSION,
  findForbiddenKey,
  jsonDepthExceeds,
  type InputIssue,
} from '@ocgnet/schema';

export const GRAPH_FILE_FORMAT = 'ocgnet-graph';

/** Digest of one input file, so a result can be traced to exactly what it was built from. */
export interface InputDigest {
  file: string;
  sha256: string;
  bytes: number;
}

export interface GraphFileHeader {
  format: typeof GRAPH_FILE_FORMAT;
  schema_version: number;
  classification: string;
  model: 'records' | 'research';
  inputs: InputDigest[];
  /** Records set aside with --skip-invalid; they are in the rejects file, not here. */
  rejected?: number;
  /** For research graphs: graphology's graph type and whether edges carry weights. */
  graph_type?: 'directed' | 'undirected' | 'mixed';
  weighted?: boolean;
  source_format?: string;
}

export function graphFileHeader(
  fields: Pick<GraphFileHeader, 'model' | 'inputs'> & Partial<GraphFileHeader>,
): GraphFileHeader {
  return {
    format: GRAPH_FILE_FORMAT,
    schema_version: SCHEMA_VERSION,
    classification: DEFAULT_CLASSIFICATION,
    ...fields,
  };
}

/** True when a parsed first line is an ocgnet graph file header. */
export function isGraphFileHeader(value: unknown): value is GraphFileHeader {
  return typeof value === 'object' && value !== null && (value as { format?: unknown }).format === GRAPH_FILE_FORMAT;
}

/** A research graph as graph-file lines: header, then nodes, then edges. */
export function* researchGraphFileLines(graph: Graph, header: GraphFileHeader): Generator<string> {
  yield `${JSON.stringify({ ...header, graph_type: graph.type, model: 'research' })}\n`;
  for (const { node, attributes } of graph.nodeEntries())
    yield `${JSON.stringify({ node: { id: node, attributes } })}\n`;
  for (const { edge, source, target, attributes, undirected } of graph.edgeEntries()) {
    yield `${JSON.stringify({ edge: { id: edge, source, target, directed: !undirected, attributes } })}\n`;
  }
}

/**
 * Reads the node and edge lines of a research graph file (the header line
 * already parsed). Returns the graph or every issue found.
 */
export async function researchGraphFromLines(
  header: GraphFileHeader,
  lines: AsyncIterable<SourceLine>,
  file: string,
  headerLine = 1,
): Promise<{ ok: true; graph: Graph } | { ok: false; issues: InputIssue[] }> {
  const type: unknown = header.graph_type ?? 'undirected';
  if (type !== 'directed' && type !== 'undirected' && type !== 'mixed') {
    return {
      ok: false,
      issues: [
        {
          file,
          line: headerLine,
          field: 'graph_type',
          reason: `must be "directed", "undirected" or "mixed", not ${JSON.stringify(type)}`,
        },
      ],
    };
  }
  const graph = new Graph({ type, multi: false, allowSelfLoops: true });
  const issues: InputIssue[] = [];
  const issue = (line: number, field: string, reason: string) => issues.push({ file, line, field, reason });
  for await (const item of lines) {
    // As the research readers do: a garbage file should not produce millions of issues.
    if (issues.length >= 1000) {
      issue(item && 'line' in item ? item.line : 0, '', 'more than 1000 problems; stopped reading');
      break;
    }
    if ('tooLong' in item) {
      issue(item.tooLong, '', `line longer than ${LIMITS.maxRecordBytes} bytes (the limit)`);
      continue;
    }
    const { text, line } = item;
    if (text.trim() === '') continue;
    const byte = invalidUtf8Byte(text);
    if (byte !== undefined) {
      issue(line, '', notUtf8Reason(byte));
      continue;
    }
    let value: {
      node?: { id?: unknown; attributes?: unknown };
      edge?: { id?: unknown; source?: unknown; target?: unknown; directed?: unknown; attributes?: unknown };
    };
    try {
      value = JSON.parse(text);
    } catch (error) {
      issue(line, '', `malformed JSON: ${(error as Error).message}`);
      continue;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      issue(line, '', 'each line must be a JSON object');
      continue;
    }
    // Depth first: the walk for reserved keys must not meet a nesting bomb.
    if (jsonDepthExceeds(value, LIMITS.maxDepth)) {
      issue(line, '', `nested deeper than ${LIMITS.maxDepth} levels`);
      continue;
    }
    const forbidden = findForbiddenKey(value);
    if (forbidden) {
      issue(line, forbidden.join('.'), 'is a reserved key name');
      continue;
    }
    try {
      if (value.node !== undefined) {
        const id = value.node?.id;
        if (typeof id !== 'string') issue(line, 'node.id', 'must be a string');
        else if (isReservedNodeKey(id))
          issue(line, 'node.id', `node id ${JSON.stringify(id)} is reserved (a JavaScript object member name)`);
        else if (graph.hasNode(id)) issue(line, 'node.id', `duplicate node ${JSON.stringify(id)}`);
        else graph.addNode(id, attributesOf(value.node.attributes));
      } else if (value.edge !== undefined) {
        const { id, source, target, directed } = value.edge ?? {};
        if (typeof id !== 'string' || typeof source !== 'string' || typeof target !== 'string') {
          issue(line, 'edge', 'id, source and target must be strings');
        } else if (!graph.hasNode(source) || !graph.hasNode(target)) {
          issue(line, graph.hasNode(source) ? 'edge.target' : 'edge.source', 'refers to a node not declared above');
        } else if (graph.hasEdge(id)) {
          issue(line, 'edge.id', `duplicate edge ${JSON.stringify(id)}`);
        } else if (directed === true) {
          graph.addDirectedEdgeWithKey(id, source, target, attributesOf(value.edge.attributes));
        } else {
          graph.addUndirectedEdgeWithKey(id, source, target, attributesOf(value.edge.attributes));
        }
      } else {
        issue(line, '', 'a line must be {"node": …} or {"edge": …}');
      }
    } catch (error) {
      // graphology refuses, for example, a second edge between the same pair.
      issue(line, 'edge', (error as Error).message);
    }
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, graph };
}

function attributesOf(value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return {};
  const attributes: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) if (!FORBIDDEN_KEYS.has(key)) attributes[key] = entry;
  return attributes;
}

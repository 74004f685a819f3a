/**
 * Research graph formats: edge-list/node-list CSV, headerless edge lists (read
 * only), GraphML, GEXF, Pajek and UCINET DL, read into graphology graphs and
 * written back.
 *
 * Graph conventions (every parser returns graphs like this, every writer
 * accepts them):
 * - A graphology `Graph` with `multi: false`, self-loops allowed. Type is
 *   what the file declares: GraphML `edgedefault` plus per-edge `directed`,
 *   GEXF `defaultedgetype` plus per-edge `type` ("mutual" = undirected),
 *   Pajek `*Arcs` (directed) vs `*Edges`; both kinds of edge -> `mixed`.
 *   Edge-list CSV and DL carry no direction: undirected unless the
 *   `directed` option says otherwise (a DL full matrix that is not symmetric
 *   is read as directed).
 * - Node key = the file's node id as a string (in igraph's GraphML, the
 *   vertex `name` when every node has one, unique). Pajek and DL name nodes by
 *   label, so there the key is the label (Pajek: `keys: 'index'` keys by
 *   vertex number instead). Node attribute `label` is always a string,
 *   defaulting to the key. Ids equal to an Object.prototype member name
 *   ("constructor", "toString", "__proto__", ...) are refused with an issue:
 *   graphology 0.26 keeps adjacency in plain objects and throws on edges to them.
 * - Edge attribute `weight` (a number) only when the file has weights; where a
 *   format gives a default (GEXF 1.0, Pajek and DL 1) edges without one get it.
 * - Graph attributes `{ format, weighted, directed }`; `directed` is true
 *   only for a directed graph (false for undirected and mixed).
 * - Edge lists (the CSV here, and the plain lists of edgeListFast.ts) follow
 *   one rule for a repeated edge, written in repeatedEdges.ts: merged into
 *   one, weights summed, and reported as a warning with the count.
 * - Nothing is merged or dropped silently: a duplicate node id, duplicate
 *   edge in GraphML, GEXF, Pajek or DL (a-b twice, or b-a in an undirected
 *   graph), a CSV repeat whose other columns differ, edge to a node missing
 *   from an explicit node list, non-numeric weight, malformed line or XML,
 *   forbidden attribute name (`__proto__`, `constructor`, `prototype`), line
 *   or token over 1 MB, or XML nested deeper than 64 levels is an
 *   `InputIssue` with file, 1-based line (0 when unknown) and field. Any issue
 *   fails the parse (`{ ok: false, issues }`); notes that do not change the
 *   graph's meaning (a DL file naming fewer nodes than `n=`, an ignored Pajek
 *   partition) come back as `warnings`.
 * - Parsers never throw on bad input. Writers (`writeEdgeListCsv`,
 *   `writeGraphML`, `writeGexf`, `writePajek`, `writeDl`, or
 *   `writeResearchGraph` by name) throw `ResearchWriteError`
 *   when the graph cannot be written faithfully (a label with a quote in
 *   Pajek/DL, a control character in XML, a mixed graph in CSV/DL).
 * - CSV writers quote per RFC 4180 (LF line ends) and, by default, prefix a
 *   single quote to non-numeric cells starting with = + - @ TAB or CR to stop
 *   spreadsheet formula injection; numeric cells such as "-5" are untouched.
 */
import {
  EMPTY_FILE,
  IssueLog,
  readAllText,
  type ResearchFormat,
  type ResearchParseResult,
  type TextSource,
} from './common.js';
import { classifyInput, researchFormatOf, type InputClass } from '../classify.js';
import { parseEdgeListCsv, parseNodeListCsv, type NodeListSource } from './edgeList.js';
import { parseGexf } from './gexf.js';
import { parseGraphML } from './graphml.js';
import { parsePajek } from './pajek.js';
import { parseDl } from './ucinetDl.js';
import { parsePlainEdgeList } from './plainEdgeList.js';
import { FORMAT_ALIASES } from './write.js';

/** Options for {@link parseResearchGraph}. */
export interface ParseResearchOptions {
  /**
   * Skip detection and read as this format: a ResearchFormat or one of the
   * short names `edgelist`, `csv`, `nodelist`, `net`, `dl`, or `plain` (also
   * `edgelist-plain`, `ncol`) for a headerless edge list. Unknown names are an issue.
   */
  format?: ResearchFormat | string;
  /** Edge-list CSV, headerless edge list and DL: read edges as directed. */
  directed?: boolean;
  /** Edge-list CSV: the companion node list. */
  nodes?: NodeListSource;
  /** Pajek: key nodes by label (default) or vertex number. */
  pajekKeys?: 'label' | 'index';
  /**
   * What {@link classifyInput} made of the file, when the caller has already
   * classified it (the CLI does, to pick the reader): it is not classified again.
   */
  classified?: InputClass;
}

/** Names of the headerless edge list for `format` (it is no ResearchFormat: ocgnet does not write it). */
const PLAIN_EDGE_LIST_NAMES = new Set(['edgelist-plain', 'plain', 'ncol']);

/** Characters read to classify a file whose name does not say its format (a header line, an XML opening). */
const PEEK_CHARS = 8192;

/** Reads enough of a stream to sniff it, and returns a source that still yields everything. */
async function peek(source: TextSource, chars: number): Promise<{ head: string; source: TextSource; whole: boolean }> {
  if (typeof source === 'string') return { head: source.slice(0, chars), source, whole: source.length <= chars };
  const iterator = (Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source[Symbol.iterator]()) as
    AsyncIterator<string | Uint8Array> | Iterator<string | Uint8Array>;
  const taken: (string | Uint8Array)[] = [];
  let size = 0;
  let done = false;
  while (size < chars) {
    const step = await iterator.next();
    if (step.done) {
      done = true;
      break;
    }
    taken.push(step.value);
    size += step.value.length;
  }
  const decoder = new TextDecoder('utf-8');
  const head = taken
    .map((chunk) => (typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true })))
    .join('');
  async function* replay(): AsyncGenerator<string | Uint8Array> {
    yield* taken;
    if (done) return;
    for (let step = await iterator.next(); !step.done; step = await iterator.next()) yield step.value;
  }
  return { head, source: replay(), whole: done };
}

/**
 * Reads a research graph file of any supported format. The format comes from
 * `options.format`, else `options.classified`, else {@link classifyInput}:
 * the file extension, else the content (CSV headers, `<graphml`, `<gexf`,
 * `*Vertices`, `dl`, an edge line). CSV and headerless edge lists
 * (parsePlainEdgeList) are streamed; the other formats are read whole (up to
 * MAX_TEXT_CHARS).
 *
 * @param input text, chunks, or a Node Readable
 * @param file  the file's name, used for detection and in issues
 */
export async function parseResearchGraph(
  input: TextSource,
  file: string,
  options: ParseResearchOptions = {},
): Promise<ResearchParseResult> {
  let source = input;
  const log = new IssueLog(file);
  let format: ResearchFormat | undefined;
  if (options.format !== undefined && PLAIN_EDGE_LIST_NAMES.has(options.format.toLowerCase())) {
    return parsePlainEdgeList(source, file, { directed: options.directed === true });
  } else if (options.format !== undefined) {
    format = FORMAT_ALIASES.get(options.format.toLowerCase());
    if (format === undefined) {
      log.add(0, '', `unknown research format ${JSON.stringify(options.format)}`);
      return log.failure();
    }
  } else {
    let classified = options.classified ?? classifyInput(file);
    // The name alone does not say: look at the start of the content.
    if (options.classified === undefined && researchFormatOf(classified) === undefined) {
      const peeked = await peek(source, PEEK_CHARS);
      source = peeked.source;
      classified = classifyInput(file, { text: peeked.head, whole: peeked.whole });
    }
    if (classified.kind === 'empty') {
      log.add(0, '', EMPTY_FILE);
      return log.failure();
    }
    format = researchFormatOf(classified);
    if (format === undefined && classified.kind === 'plain-edge-list')
      return parsePlainEdgeList(source, file, { directed: options.directed === true });
  }
  if (format === undefined) {
    log.add(
      0,
      '',
      'not a recognised research graph format (GraphML, GEXF, Pajek, UCINET DL, edge-list or node-list CSV)',
    );
    return log.failure();
  }
  const directed = options.directed === true;
  if (format === 'edgelist-csv')
    return parseEdgeListCsv(source, file, { directed, ...(options.nodes ? { nodes: options.nodes } : {}) });
  if (format === 'nodelist-csv') return parseNodeListCsv(source, file, { directed });
  const text = await readAllText(source, log);
  if (text === undefined) return log.failure();
  switch (format) {
    case 'graphml':
      return parseGraphML(text, file);
    case 'gexf':
      return parseGexf(text, file);
    case 'pajek':
      return parsePajek(text, file, options.pajekKeys ? { keys: options.pajekKeys } : {});
    case 'ucinet-dl':
      return parseDl(text, file, options.directed !== undefined ? { directed: options.directed } : {});
  }
}

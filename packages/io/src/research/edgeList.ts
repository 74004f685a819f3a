/**
 * Edge-list CSV (`source,target[,weight][,...]`) and node-list CSV
 * (`id[,label][,...]`), read as streams with csv-parse so that files of
 * hundreds of megabytes never become one string. The writer is
 * edgeListWrite.ts (no streams, so the browser entry has it).
 */
import {
  GraphBuilder,
  IssueLog,
  MAX_LINE_CHARS,
  EMPTY_FILE,
  isForbiddenName,
  newAttributes,
  parseStrictNumber,
  type Attributes,
  type ResearchParseResult,
  type TextSource,
} from './common.js';
import { RepeatedEdges } from './repeatedEdges.js';
import { notUtf8Reason } from '../utf8.js';
import { csvCellText, csvRecords, csvStopReason, type CsvReadState } from '../csvGuard.js';

/** A companion node list: its content (as `input`, or whole as `text`) and the file name used in issues. */
export type NodeListSource = { input: TextSource; file: string } | { text: string; file: string };

/** Options for {@link parseEdgeListCsv}. */
export interface EdgeListOptions {
  /** Treat rows as arcs source -> target (default: undirected). */
  directed?: boolean;
  /** Node list whose ids are the only allowed endpoints; isolates live only here. */
  nodes?: NodeListSource;
}

/** One CSV record with the line it starts on, and the first byte that is not UTF-8 in each cell holding one. */
interface CsvRow {
  fields: string[];
  line: number;
  invalid: (number | undefined)[];
}

/**
 * Passes the bytes of `source` on while enforcing the per-line cap: a
 * too-long physical line stops the read with an issue. Characters are
 * counted as UTF-8 lead bytes.
 */
async function* guardLines(
  bytes: AsyncIterable<Uint8Array>,
  log: IssueLog,
  stop: { line: number },
): AsyncGenerator<Uint8Array> {
  let line = 1;
  let length = 0;
  let lastWasCr = false;
  for await (const chunk of bytes) {
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (c === 10) {
        if (!lastWasCr) line++;
        length = 0;
        lastWasCr = false;
      } else if (c === 13) {
        line++;
        length = 0;
        lastWasCr = true;
      } else {
        lastWasCr = false;
        if ((c & 0xc0) !== 0x80 && ++length > MAX_LINE_CHARS) {
          log.add(line, '', `line is longer than ${MAX_LINE_CHARS} characters; stopped reading`);
          // Records from this line on are incomplete; csvRows drops them.
          stop.line = line;
          if (i > 0) yield chunk.subarray(0, i);
          return;
        }
      }
    }
    yield chunk;
  }
}

/**
 * Streams CSV records (see csvGuard.ts). A line or record over the size
 * cap, or malformed quoting, ends the read with an issue. Cells are read as
 * bytes and decoded strictly.
 */
async function* csvRows(
  source: TextSource,
  log: IssueLog,
  state: CsvReadState = { content: false },
): AsyncGenerator<CsvRow> {
  const stop = { line: Infinity };
  const records = csvRecords(source, state, { limit: MAX_LINE_CHARS, pre: (bytes) => guardLines(bytes, log, stop) });
  try {
    for await (const record of records) {
      if (record.line >= stop.line) break;
      const cells = record.cells.map(csvCellText);
      yield {
        fields: cells.map((cell) => cell.text),
        line: record.line,
        invalid: cells.map((cell) => cell.invalidByte),
      };
      if (log.full) break;
    }
  } finally {
    await records.return(undefined);
    if (state.at !== undefined && state.at.line < stop.line) {
      log.add(
        state.at.line,
        '',
        state.at.reason === 'too-long'
          ? `record is longer than ${MAX_LINE_CHARS} bytes; stopped reading`
          : csvStopReason(state.at),
      );
    } else if (state.malformed !== undefined && state.malformed.line < stop.line)
      log.add(state.malformed.line, '', state.malformed.reason);
  }
}

/**
 * Reports each cell holding a byte that is not UTF-8, named by its column (or
 * as the header); true when there is none. The row is then not read.
 */
function checkEncoding(row: CsvRow, names: readonly string[] | 'header', log: IssueLog): boolean {
  let ok = true;
  row.invalid.forEach((byte, index) => {
    if (byte === undefined) return;
    log.add(row.line, names === 'header' ? 'header' : (names[index] ?? `column ${index + 1}`), notUtf8Reason(byte));
    ok = false;
  });
  return ok;
}

/** A row of nothing but white space before the header is a blank line. */
function isBlankRow(row: CsvRow): boolean {
  return row.fields.every((field) => field.trim() === '');
}

/** A validated header: the index of each role column and the remaining attribute columns. */
interface Header {
  names: string[];
  roles: Map<string, number>;
  extra: { index: number; name: string }[];
}

/**
 * Reads a header row. Role columns (`source`, `target`, `weight`, `id`,
 * `label`) match case-insensitively; other columns keep their spelling as
 * attribute names. Duplicate, empty or forbidden names are issues.
 */
function readHeader(row: CsvRow, roleNames: string[], log: IssueLog): Header | undefined {
  const roles = new Map<string, number>();
  const extra: { index: number; name: string }[] = [];
  const seen = new Set<string>();
  let ok = true;
  row.fields.forEach((raw, index) => {
    const name = raw.trim();
    const lower = name.toLowerCase();
    if (name === '') {
      log.add(row.line, `column ${index + 1}`, 'empty column name');
      ok = false;
    } else if (isForbiddenName(name)) {
      log.add(row.line, name, `column name ${JSON.stringify(name)} is not allowed`);
      ok = false;
    } else if (seen.has(lower)) {
      log.add(row.line, name, `duplicate column ${JSON.stringify(name)}`);
      ok = false;
    } else if (roleNames.includes(lower)) roles.set(lower, index);
    else extra.push({ index, name });
    seen.add(lower);
  });
  return ok ? { names: row.fields.map((f) => f.trim()), roles, extra } : undefined;
}

/** Checks the field count of a data row against the header. */
function checkWidth(row: CsvRow, header: Header, log: IssueLog): boolean {
  if (row.fields.length === header.names.length) return true;
  log.add(row.line, '', `expected ${header.names.length} fields, found ${row.fields.length}`);
  return false;
}

/** Copies the non-role, non-empty cells of a row into an attribute bag. */
function extraAttributes(row: CsvRow, header: Header): Attributes {
  const attributes = newAttributes();
  for (const { index, name } of header.extra) {
    const value = row.fields[index] ?? '';
    if (value !== '') attributes[name] = value;
  }
  return attributes;
}

/**
 * Reads node rows into the builder. Used by both the node-list parser and
 * the edge-list parser's companion file.
 */
async function readNodeRows(source: TextSource, builder: GraphBuilder, log: IssueLog): Promise<void> {
  let header: Header | undefined;
  let sawHeader = false;
  for await (const row of csvRows(source, log)) {
    if (!sawHeader) {
      if (isBlankRow(row)) continue;
      sawHeader = true;
      if (!checkEncoding(row, 'header', log)) return;
      header = readHeader(row, ['id', 'label'], log);
      if (header && !header.roles.has('id')) {
        log.add(row.line, 'id', 'node list header must have an "id" column');
        header = undefined;
      }
      if (!header) return;
      continue;
    }
    if (!header || !checkWidth(row, header, log) || !checkEncoding(row, header.names, log)) continue;
    const id = row.fields[header.roles.get('id') as number] as string;
    const attributes = extraAttributes(row, header);
    const labelIndex = header.roles.get('label');
    const label = labelIndex === undefined ? '' : (row.fields[labelIndex] as string);
    if (label !== '') attributes.label = label;
    builder.addNode(id, attributes, row.line, 'id', log);
  }
  if (!sawHeader && log.issues.length === 0) log.add(0, '', EMPTY_FILE);
}

/**
 * Parses a node-list CSV (`id[,label,...]`) into a graph of isolates.
 *
 * @param input  the CSV text, chunks or a Readable
 * @param file   name used in issues
 */
export async function parseNodeListCsv(
  input: TextSource,
  file: string,
  options: { directed?: boolean } = {},
): Promise<ResearchParseResult> {
  const log = new IssueLog(file);
  const builder = new GraphBuilder(log, options.directed ? 'directed' : 'undirected');
  await readNodeRows(input, builder, log);
  return builder.finish('nodelist-csv', false);
}

/**
 * Parses an edge-list CSV (`source,target[,weight][,...]`, header required),
 * optionally with a companion node list. Without one, nodes are the
 * endpoints; with one, an endpoint missing from it is an issue.
 *
 * A repeated edge (either orientation unless `directed`) is merged into the
 * first, weights summed, and the warnings say how many lines were merged:
 * the edge-list rule of repeatedEdges.ts, which the `--large` path follows
 * too. Repeats whose other columns differ are an issue.
 *
 * Streams the input: pass a Readable or async iterable for large files.
 */
export async function parseEdgeListCsv(
  input: TextSource,
  file: string,
  options: EdgeListOptions = {},
): Promise<ResearchParseResult> {
  const log = new IssueLog(file);
  const directed = options.directed === true;
  const builder = new GraphBuilder(log, directed ? 'directed' : 'undirected');
  const explicitNodes = options.nodes !== undefined;
  if (options.nodes) {
    const nodeLog = new IssueLog(options.nodes.file);
    await readNodeRows('input' in options.nodes ? options.nodes.input : options.nodes.text, builder, nodeLog);
    log.absorb(nodeLog);
  }

  let header: Header | undefined;
  let sawHeader = false;
  const repeats = new RepeatedEdges();
  for await (const row of csvRows(input, log)) {
    if (!sawHeader) {
      if (isBlankRow(row)) continue;
      sawHeader = true;
      if (!checkEncoding(row, 'header', log)) break;
      header = readHeader(row, ['source', 'target', 'weight'], log);
      if (header && (!header.roles.has('source') || !header.roles.has('target'))) {
        log.add(row.line, 'source', 'edge list header must have "source" and "target" columns');
        header = undefined;
      }
      if (!header) break;
      continue;
    }
    if (!header || !checkWidth(row, header, log) || !checkEncoding(row, header.names, log)) continue;
    const source = row.fields[header.roles.get('source') as number] as string;
    const target = row.fields[header.roles.get('target') as number] as string;
    const attributes = extraAttributes(row, header);
    const weightIndex = header.roles.get('weight');
    if (weightIndex !== undefined) {
      const raw = row.fields[weightIndex] as string;
      const weight = parseStrictNumber(raw);
      if (weight === undefined) {
        log.add(
          row.line,
          header.names[weightIndex] as string,
          raw.trim() === '' ? 'missing weight' : `weight ${JSON.stringify(raw)} is not a number`,
        );
        continue;
      }
      attributes.weight = weight;
    }
    const fields = {
      source: header.names[header.roles.get('source') as number] as string,
      target: header.names[header.roles.get('target') as number] as string,
    };
    if (!explicitNodes) {
      const sourceOk = builder.ensureNode(source, row.line, fields.source);
      const targetOk = builder.ensureNode(target, row.line, fields.target);
      if (!sourceOk || !targetOk) continue;
    }
    if (
      builder.hasNode(source) &&
      builder.hasNode(target) &&
      repeats.mergeOrReport(builder.graph, log, { source, target, directed, attributes, line: row.line })
    )
      continue;
    builder.addEdge(source, target, directed, attributes, row.line, fields);
  }
  if (!sawHeader && log.issues.length === 0) log.add(0, '', EMPTY_FILE);
  repeats.report(log, header ? (header.names[header.roles.get('target') as number] as string) : 'target');
  return builder.finish('edgelist-csv', header?.roles.has('weight') ?? false);
}

/**
 * Readers for intelligence record files: entities.csv / links.csv, NDJSON and
 * JSON. Each reads its source as a stream of chunks (a Node Readable, or any
 * async iterable of strings or bytes), so a file of any size passes through in
 * bounded memory, and feeds a RecordCollector that decides the import.
 */
import { Tokenizer, TokenParser, TokenType } from '@streamparser/json';
import {
  FORBIDDEN_KEYS,
  LIMITS,
  SUPPORTED_SCHEMA_VERSIONS,
  findForbiddenKey,
  jsonDepthExceeds,
  type InputIssue,
} from '@ocgnet/schema';
import {
  columnForPath,
  ENTITY_COLUMNS,
  LINK_COLUMNS,
  recordCsvKind,
  rowToRecord,
  type RecordCsvKind,
} from './columns.js';
import type { RecordCollector } from './collector.js';
import { EMPTY_FILE, linesOf, type ChunkSource } from '../lines.js';
import { Utf8Scanner, hasInvalidUtf8, invalidUtf8Byte, notUtf8Reason, showInvalidUtf8 } from '../utf8.js';
import { JsonPathTracker, jsonPathAtEnd } from './jsonPath.js';
import { csvCellText, csvRecords, csvStopReason, type CsvReadState } from '../csvGuard.js';
import { isGraphFileHeader, researchGraphFromLines } from '../graphFile.js';
import type Graph from 'graphology';

export type { ChunkSource };

/**
 * Reads one entities.csv or links.csv. The header decides which; it must
 * include `schema_version`, and every row must state a supported version.
 * A cell that is not UTF-8 rejects its row, naming the column; a row with
 * the wrong number of cells is rejected whole. A record over the size limit,
 * malformed quoting or a bad header stops the read of the file (its other
 * records are then unknown, so links are not checked against them).
 */
export async function readRecordCsv(source: ChunkSource, file: string, collector: RecordCollector): Promise<void> {
  const state: CsvReadState = { content: false };
  let header: string[] | undefined;
  let kind: RecordCsvKind | undefined;
  let allowed: ReadonlySet<string> = new Set();
  const records = csvRecords(source, state);
  try {
    for await (const { cells: raw, line } of records) {
      const cells = raw.map(csvCellText);
      const record = cells.map((cell) => cell.text);
      if (header === undefined) {
        // A line of white space before the header is a blank line, not a header.
        if (record.every((cell) => cell.trim() === '')) continue;
        header = record;
        const byte = cells.find((cell) => cell.invalidByte !== undefined)?.invalidByte;
        if (byte !== undefined) {
          collector.addFileIssue({ file, line, field: 'header', reason: notUtf8Reason(byte) }, { incomplete: true });
          return;
        }
        kind = recordCsvKind(header);
        if (kind === undefined) {
          collector.addFileIssue(
            {
              file,
              line,
              field: 'header',
              reason: 'not an entities.csv (needs id, kind) or links.csv (needs id, type, from, to) header',
            },
            { incomplete: true },
          );
          return;
        }
        allowed = new Set<string>(kind === 'entities' ? ENTITY_COLUMNS : LINK_COLUMNS);
        const problems = headerProblems(header, allowed);
        for (const reason of problems)
          collector.addFileIssue({ file, line, field: 'header', reason }, { incomplete: true });
        if (problems.length > 0) return;
        continue;
      }
      const columns = header;
      const encoding = cells.flatMap((cell, index) =>
        cell.invalidByte === undefined
          ? []
          : [{ field: columns[index] ?? `column ${index + 1}`, reason: notUtf8Reason(cell.invalidByte) }],
      );
      const row = new Map<string, string>();
      header.forEach((column, index) => row.set(column, record[index] ?? ''));
      if (record.length !== header.length) {
        // Which cell is which is unknown: the row is set aside whole, its cells kept in the header's order.
        const reason = `expected ${header.length} cells as in the header, found ${record.length}`;
        const extra = record.length > header.length ? { extra_cells: record.slice(header.length) } : {};
        collector.add(
          kind === 'entities' ? 'entity' : 'link',
          null,
          { file, line },
          [...encoding, { field: '', reason }],
          undefined,
          { schema: false, raw: { ...Object.fromEntries(row), ...extra } },
        );
        continue;
      }
      const pre = versionProblems(row.get('schema_version') ?? '');
      const { record: candidate, problems } = rowToRecord(row);
      collector.add(
        kind === 'entities' ? 'entity' : 'link',
        candidate,
        { file, line },
        [...encoding, ...pre, ...problems],
        columnForPath,
      );
    }
  } finally {
    await records.return(undefined);
  }
  if (state.at !== undefined) {
    const { line, column } = state.at;
    const field = header === undefined ? 'header' : (header[column] ?? `column ${column + 1}`);
    collector.addFileIssue({ file, line, field, reason: csvStopReason(state.at) }, { incomplete: true });
    return;
  }
  if (state.malformed !== undefined) {
    collector.addFileIssue(
      { file, line: state.malformed.line, field: '', reason: state.malformed.reason },
      { incomplete: true },
    );
    return;
  }
  if (header === undefined)
    collector.addFileIssue(
      { file, line: 0, field: '', reason: state.content ? 'no header row' : EMPTY_FILE },
      { incomplete: true },
    );
}

/** Most header problems listed; a header of a million cells (a stray comma run) is not a million issues. */
const MAX_HEADER_PROBLEMS = 50;

function headerProblems(header: readonly string[], allowed: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const counts = new Map<string, number>();
  for (const column of header) counts.set(column, (counts.get(column) ?? 0) + 1);
  for (const [column, count] of counts) {
    if (FORBIDDEN_KEYS.has(column)) problems.push(`column ${JSON.stringify(column)} is a reserved name`);
    else if (!allowed.has(column)) problems.push(`unknown column ${JSON.stringify(column)}`);
    if (count > 1)
      problems.push(`column ${JSON.stringify(column)} appears ${count === 2 ? 'twice' : `${count} times`}`);
  }
  if (!counts.has('schema_version')) problems.push('missing column "schema_version"');
  return problems.length <= MAX_HEADER_PROBLEMS
    ? problems
    : [
        ...problems.slice(0, MAX_HEADER_PROBLEMS),
        `and ${problems.length - MAX_HEADER_PROBLEMS} more problems with the header`,
      ];
}

function versionProblems(version: unknown): { field: string; reason: string }[] {
  const number = typeof version === 'number' ? version : Number(version);
  if (version === '' || version === undefined) return [{ field: 'schema_version', reason: 'is required' }];
  if (!SUPPORTED_SCHEMA_VERSIONS.includes(number)) {
    return [
      {
        field: 'schema_version',
        reason: `version ${JSON.stringify(version)} is not supported (supported: ${SUPPORTED_SCHEMA_VERSIONS.join(', ')})`,
      },
    ];
  }
  return [];
}

/** What an NDJSON file held: records (fed to the collector) or a research graph. */
export type NdjsonContent = { model: 'records' } | { model: 'research'; graph?: Graph };

/**
 * Reads NDJSON: a first line `{"schema_version": 1}` (other header fields, as
 * in an ocgnet graph file, are allowed), then one `{"entity": {...}}` or
 * `{"link": {...}}` per line. Blank lines are ignored. An ocgnet graph file of
 * a research network is read into a graph instead.
 */
export async function readRecordNdjson(
  source: ChunkSource,
  file: string,
  collector: RecordCollector,
): Promise<NdjsonContent> {
  const lines = linesOf(source)[Symbol.asyncIterator]();
  try {
    for (let next = await lines.next(); !next.done; next = await lines.next()) {
      const item = next.value;
      if ('tooLong' in item) {
        collector.addFileIssue(overlongLine(file, item), { incomplete: true });
        return { model: 'records' };
      }
      if (item.text.trim() === '') continue;
      const header = parseJsonLine(item.text, file, item.line, collector);
      if (header === undefined || header.encoding.length > 0) {
        for (const problem of header?.encoding ?? [])
          collector.addFileIssue({ file, line: item.line, ...problem }, { incomplete: true });
        return { model: 'records' };
      }
      const problems = versionProblems((header.value as Record<string, unknown>).schema_version);
      for (const problem of problems)
        collector.addFileIssue({ file, line: item.line, ...problem }, { incomplete: true });
      if (problems.length > 0) return { model: 'records' };
      if (isGraphFileHeader(header.value) && header.value.model === 'research') {
        const rest = { [Symbol.asyncIterator]: () => lines };
        const result = await researchGraphFromLines(header.value, rest, file, item.line);
        if (!result.ok) for (const issue of result.issues) collector.addFileIssue(issue, { incomplete: true });
        return result.ok ? { model: 'research', graph: result.graph } : { model: 'research' };
      }
      for (let record = await lines.next(); !record.done; record = await lines.next()) {
        const row = record.value;
        if ('tooLong' in row) {
          collector.addFileIssue(overlongLine(file, row), { incomplete: true });
          continue;
        }
        if (row.text.trim() === '') continue;
        const parsed = parseJsonLine(row.text, file, row.line, collector);
        if (parsed !== undefined) offerWrapped(parsed.value, file, row.line, collector, parsed.encoding);
      }
      return { model: 'records' };
    }
  } finally {
    // Stopped early: let the source go (a file stream closes).
    await lines.return?.(undefined);
  }
  collector.addFileIssue({ file, line: 0, field: '', reason: EMPTY_FILE }, { incomplete: true });
  return { model: 'records' };
}

/** The issue for an NDJSON line over the record limit, naming the field it passed the limit in. */
function overlongLine(file: string, item: { tooLong: number; prefix: string }): InputIssue {
  return {
    file,
    line: item.tooLong,
    field: formatJsonPath(jsonPathAtEnd(item.prefix)),
    reason: `line longer than ${LIMITS.maxRecordBytes} bytes (the limit)`,
  };
}

/** A JSON path as the issues name fields: `entity.attributes.0.value`, a key's bytes that are not UTF-8 as \xHH. */
export function formatJsonPath(path: readonly (string | number)[], arrayName?: string): string {
  const segments = path.map((segment) => showInvalidUtf8(String(segment)));
  if (arrayName !== undefined && segments.length >= 2)
    return `${segments[0]}[${segments[1]}]${segments.length > 2 ? `.${segments.slice(2).join('.')}` : ''}`;
  return segments.join('.');
}

/** The first string (key or value) in a parsed JSON value holding a byte that is not UTF-8: its path and the byte. */
function invalidUtf8Path(
  value: unknown,
  path: (string | number)[] = [],
): { path: (string | number)[]; byte: number } | undefined {
  if (typeof value === 'string') {
    const byte = invalidUtf8Byte(value);
    return byte === undefined ? undefined : { path, byte };
  }
  if (value === null || typeof value !== 'object' || path.length > LIMITS.maxDepth + 1) return undefined;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const found = invalidUtf8Path(value[index], [...path, index]);
      if (found) return found;
    }
    return undefined;
  }
  for (const [key, child] of Object.entries(value)) {
    const byte = invalidUtf8Byte(key);
    if (byte !== undefined) return { path: [...path, key], byte };
    const found = invalidUtf8Path(child, [...path, key]);
    if (found) return found;
  }
  return undefined;
}

/**
 * One NDJSON line parsed, with the problem of a byte in it that is not UTF-8
 * (named by its field), or undefined after reporting a line that is not a
 * JSON object.
 */
function parseJsonLine(
  text: string,
  file: string,
  line: number,
  collector: RecordCollector,
): { value: object; encoding: { field: string; reason: string }[] } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // A byte that is not UTF-8 outside a string breaks the JSON: that byte is the problem to report.
    const byte = invalidUtf8Byte(text);
    const reason = byte !== undefined ? notUtf8Reason(byte) : `malformed JSON: ${(error as Error).message}`;
    collector.addFileIssue({ file, line, field: '', reason }, { incomplete: true });
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const byte = invalidUtf8Byte(text);
    collector.addFileIssue(
      { file, line, field: '', reason: byte !== undefined ? notUtf8Reason(byte) : 'each line must be a JSON object' },
      { incomplete: true },
    );
    return undefined;
  }
  if (!hasInvalidUtf8(text)) return { value, encoding: [] };
  const found = invalidUtf8Path(value);
  return {
    value,
    encoding: [
      { field: found ? formatJsonPath(found.path) : '', reason: notUtf8Reason(found?.byte ?? invalidUtf8Byte(text)) },
    ],
  };
}

/** One `{"entity": …}` or `{"link": …}` wrapper, checked for depth and forbidden keys first. */
function offerWrapped(
  value: object,
  file: string,
  line: number,
  collector: RecordCollector,
  encoding: { field: string; reason: string }[],
): void {
  const keys = Object.keys(value);
  const kind = keys.length === 1 && (keys[0] === 'entity' || keys[0] === 'link') ? keys[0] : undefined;
  if (kind === undefined) {
    const problems = [...encoding, { field: '', reason: 'a line must be {"entity": {...}} or {"link": {...}}' }];
    // Kept whole for a rejects file, unless it is too deep to walk or write back.
    if (jsonDepthExceeds(value, LIMITS.maxDepth))
      collector.add('entity', null, { file, line }, problems, undefined, { schema: false });
    else collector.add('entity', value, { file, line }, problems);
    return;
  }
  offerRecord(kind, (value as Record<string, unknown>)[kind], file, line, collector, `${kind}.`, encoding);
}

function offerRecord(
  kind: 'entity' | 'link',
  record: unknown,
  file: string,
  line: number,
  collector: RecordCollector,
  prefix: string,
  encoding: { field: string; reason: string }[] = [],
): void {
  // A key that is not UTF-8 is shown with its bytes; an issue about the record as a whole names the record.
  const fieldName = (path: PropertyKey[]) =>
    path.length === 0
      ? prefix.slice(0, -1)
      : prefix + path.map((segment) => showInvalidUtf8(String(segment))).join('.');
  if (jsonDepthExceeds(record, LIMITS.maxDepth)) {
    collector.add(
      kind,
      null,
      { file, line },
      [...encoding, { field: prefix.slice(0, -1), reason: `nested deeper than ${LIMITS.maxDepth} levels` }],
      fieldName,
      { schema: false },
    );
    return;
  }
  const forbidden = findForbiddenKey(record);
  if (forbidden) {
    collector.add(
      kind,
      null,
      { file, line },
      [...encoding, { field: prefix + forbidden.join('.'), reason: 'is a reserved key name' }],
      fieldName,
      { schema: false },
    );
    return;
  }
  collector.add(kind, record, { file, line }, encoding, fieldName);
}

const TOP_LEVEL_KEYS = new Set(['schema_version', 'entities', 'links']);

/** A byte-order mark, which is not content. */
const BOM = [0xef, 0xbb, 0xbf];

/** Bytes handed to the JSON tokenizer at a time, so a limit is noticed within this many bytes of being passed. */
const JSON_SLICE = 1 << 16;

/** The 1-based line of a byte offset, from the offsets of the newlines seen; old offsets are dropped as the read moves on. */
class LineIndex {
  #offsets: number[] = [];
  #dropped = 0;
  #floor = 0;

  add(offset: number): void {
    this.#offsets.push(offset);
  }

  /** Forgets newlines before `offset`: no later question asks about them. */
  forgetBefore(offset: number): void {
    if (this.#offsets.length < 1 << 16) return;
    const keep = this.#search(offset);
    // Only when it halves the list: copying a long list for a few lines, slice after slice, would be quadratic.
    if (keep < this.#offsets.length / 2) return;
    this.#offsets = this.#offsets.slice(keep);
    this.#dropped += keep;
    this.#floor = offset;
  }

  lineAt(offset: number): number {
    return this.#dropped + this.#search(Math.max(offset, this.#floor)) + 1;
  }

  #search(offset: number): number {
    let low = 0;
    let high = this.#offsets.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.#offsets[mid]! < offset) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}

/** Ends a JSON read early with one file issue. */
class StopRead extends Error {
  constructor(readonly issue: InputIssue) {
    super(issue.reason);
  }
}

/** The issue's line from a tokenizer error's "absolute position", when it gives one. */
function positionOf(error: unknown): number | undefined {
  const match = /absolute position "(\d+)"/.exec((error as Error)?.message ?? '');
  return match ? Number(match[1]) : undefined;
}

/**
 * Reads a JSON record file `{"schema_version": 1, "entities": [...], "links": [...]}`
 * as a stream: each array item is handed over as soon as it is complete, and
 * reported at the line where it starts. A byte that is not UTF-8 inside a
 * string rejects its record, naming the field; anywhere else, or a record or
 * value over the size limit, stops the read with an issue naming the line
 * and field.
 */
export async function readRecordJson(source: ChunkSource, file: string, collector: RecordCollector): Promise<void> {
  const tokenizer = new Tokenizer();
  const parser = new TokenParser({ paths: ['$.schema_version', '$.entities.*', '$.links.*'], keepStack: false });
  const tracker = new JsonPathTracker();
  const lines = new LineIndex();
  let consumed = 0;
  let itemStart = 0;
  let lastToken = 0;
  let version: unknown;
  let sawVersion = false;
  let sawContent = false;
  // The raw bytes' string state, to tell a bad byte inside a string (a bad field) from one that breaks the JSON.
  let inString = false;
  let escaped = false;
  let stringStart = 0;
  /** Strings holding a byte that is not UTF-8, by the offset of their opening quote: the first such byte. */
  const badStrings = new Map<number, number>();
  let itemProblems: { field: string; reason: string }[] = [];
  const pending: {
    kind: 'entity' | 'link';
    value: unknown;
    line: number;
    index: number;
    problems: { field: string; reason: string }[];
  }[] = [];
  const counters = { entity: 0, link: 0 };
  const fieldOf = (path: (string | number)[]): string =>
    formatJsonPath(path, path[0] === 'entities' || path[0] === 'links' ? String(path[0]) : undefined);
  const inItem = (path: (string | number)[]): boolean =>
    path.length >= 2 && (path[0] === 'entities' || path[0] === 'links') && tracker.depth >= 2;

  let lastTopLevelString: unknown;
  tokenizer.onToken = (token) => {
    lastToken = token.offset;
    // A value starting inside the top-level arrays starts an item.
    if (
      tracker.depth === 2 &&
      token.token !== TokenType.COMMA &&
      token.token !== TokenType.RIGHT_BRACKET &&
      token.token !== TokenType.RIGHT_BRACE
    )
      itemStart = token.offset;
    const role = tracker.token(token.token, token.value);
    if (token.token === TokenType.STRING) {
      const byte = badStrings.get(token.offset);
      if (byte !== undefined) {
        badStrings.delete(token.offset);
        const path = role === 'key' ? [...tracker.path(), String(token.value)] : tracker.path();
        const problem = { field: fieldOf(path), reason: notUtf8Reason(byte) };
        if (!inItem(path)) throw new StopRead({ file, line: lines.lineAt(token.offset), ...problem });
        itemProblems.push(problem);
      }
    }
    // Top-level keys are checked here because asking the parser for `$.*`
    // would make it hold the whole entities array in memory.
    if (tracker.depth === 1 && token.token === TokenType.STRING && role === 'key') lastTopLevelString = token.value;
    if (tracker.depth === 1 && token.token === TokenType.COLON && !TOP_LEVEL_KEYS.has(String(lastTopLevelString))) {
      collector.addFileIssue({
        file,
        line: lines.lineAt(token.offset),
        field: String(lastTopLevelString),
        reason: 'unknown top-level field',
      });
    }
    if (tracker.depth > LIMITS.maxDepth + 2) throw new RangeError(`nested deeper than ${LIMITS.maxDepth} levels`);
    parser.write(token);
  };
  parser.onValue = ({ value, key, stack }) => {
    if (stack.length === 1) {
      if (key === 'schema_version') {
        version = value;
        sawVersion = true;
      }
      return;
    }
    if (stack.length === 2) {
      const arrayKey = stack[1]?.key;
      if (arrayKey !== 'entities' && arrayKey !== 'links') return;
      const kind = arrayKey === 'entities' ? 'entity' : 'link';
      pending.push({ kind, value, line: lines.lineAt(itemStart), index: counters[kind]++, problems: itemProblems });
      itemProblems = [];
    }
  };
  const offerPending = () => {
    for (const item of pending.splice(0)) {
      const arrayName = item.kind === 'entity' ? 'entities' : 'links';
      offerRecord(item.kind, item.value, file, item.line, collector, `${arrayName}[${item.index}].`, item.problems);
    }
  };

  /** Scans bytes before the tokenizer sees them: newlines, strings, bytes that are not UTF-8. Returns how many to write. */
  const prepare = (bytes: Uint8Array, invalid: readonly number[]): { bytes: Uint8Array; broken?: number } => {
    let out = bytes;
    let next = 0;
    for (let i = 0; i < bytes.length; i++) {
      const byte = bytes[i]!;
      if (byte === 0x0a) lines.add(consumed + i);
      else if (
        !sawContent &&
        byte !== 0x20 &&
        byte !== 0x09 &&
        byte !== 0x0d &&
        !(consumed + i < 3 && byte === BOM[consumed + i])
      )
        sawContent = true;
      if (next < invalid.length && invalid[next] === i) {
        next++;
        if (!inString) return { bytes: out.subarray(0, i), broken: i };
        if (!badStrings.has(stringStart)) badStrings.set(stringStart, byte);
        if (out === bytes) out = bytes.slice();
        // Kept out of the record: the field is reported, and the record with it rejected.
        out[i] = 0x3f;
        continue;
      }
      if (inString) {
        if (escaped) escaped = false;
        else if (byte === 0x5c) escaped = true;
        else if (byte === 0x22) inString = false;
      } else if (byte === 0x22) {
        inString = true;
        stringStart = consumed + i;
      }
    }
    return { bytes: out };
  };

  const write = (chunk: Uint8Array, invalid: readonly number[]) => {
    for (let from = 0; from < chunk.length; from += JSON_SLICE) {
      const to = Math.min(chunk.length, from + JSON_SLICE);
      const slice = chunk.subarray(from, to);
      const { bytes, broken } = prepare(
        slice,
        invalid.filter((index) => index >= from && index < to).map((index) => index - from),
      );
      tokenizer.write(bytes);
      consumed += bytes.length;
      offerPending();
      if (broken !== undefined) {
        const byte = slice[broken]!;
        throw new StopRead({
          file,
          line: lines.lineAt(consumed),
          field: fieldOf(tracker.path()),
          reason: notUtf8Reason(byte),
        });
      }
      // A record, or any one value, over the limit is refused before it is held whole.
      const path = tracker.path();
      const start = tracker.depth >= 3 && inItem(path) ? itemStart : inString ? stringStart : lastToken;
      if (consumed - start > LIMITS.maxRecordBytes) {
        const what = tracker.depth >= 3 && inItem(path) ? 'record' : 'value';
        throw new StopRead({
          file,
          line: lines.lineAt(start),
          field: fieldOf(path),
          reason: `${what} longer than ${LIMITS.maxRecordBytes} bytes (the limit); stopped reading`,
        });
      }
      lines.forgetBefore(Math.min(itemStart, lastToken, inString ? stringStart : lastToken));
    }
  };

  const scanner = new Utf8Scanner();
  const encoder = new TextEncoder();
  const iterator =
    (source as AsyncIterable<string | Uint8Array>)[Symbol.asyncIterator]?.() ??
    (source as Iterable<string | Uint8Array>)[Symbol.iterator]();
  try {
    for (let step = await iterator.next(); !step.done; step = await iterator.next()) {
      const chunk = step.value;
      if (typeof chunk === 'string') write(encoder.encode(chunk), []);
      else {
        const { bytes, invalid } = scanner.push(chunk);
        write(bytes, invalid);
      }
    }
    const rest = scanner.end();
    write(rest.bytes, rest.invalid);
    if (!sawContent) {
      collector.addFileIssue({ file, line: 0, field: '', reason: EMPTY_FILE }, { incomplete: true });
      return;
    }
    tokenizer.end();
    offerPending();
    // The tokenizer ends quietly inside an open value: a file cut short would import the records before the cut.
    if (tracker.depth > 0 || inString) {
      throw new StopRead({
        file,
        line: lines.lineAt(consumed),
        field: fieldOf(tracker.path()),
        reason: 'malformed JSON: the file ends inside an unfinished value (is it cut short?); stopped reading',
      });
    }
  } catch (error) {
    offerPending();
    if (error instanceof StopRead) collector.addFileIssue(error.issue, { incomplete: true });
    else {
      const message = (error as Error).message ?? String(error);
      collector.addFileIssue(
        { file, line: lines.lineAt(positionOf(error) ?? lastToken), field: '', reason: `malformed JSON: ${message}` },
        { incomplete: true },
      );
    }
    return;
  } finally {
    await iterator.return?.();
  }
  if (!sawVersion) collector.addFileIssue({ file, line: 0, field: 'schema_version', reason: 'is required' });
  else for (const problem of versionProblems(version)) collector.addFileIssue({ file, line: 0, ...problem });
}

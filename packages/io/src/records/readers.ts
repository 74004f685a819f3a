/**
 * Readers for intelligence record files: entities.csv / links.csv, NDJSON and
 * JSON. Each reads its source as a stream of chunks (a Node Readable, or any
 * async iterable of strings or bytes), so a file of any size passes through in
 * bounded memory, and feeds a RecordCollector that decides the import.
 */
import { Readable } from 'node:stream';
import { parse as parseCsv } from 'csv-parse';
import { Tokenizer, TokenParser, TokenType } from '@streamparser/json';
import {
  FORBIDDEN_KEYS,
  LIMITS,
  SUPPORTED_SCHEMA_VERSIONS,
  findForbiddenKey,
  jsonDepthExceeds,
} from '@ocgnet/schema';
import { columnForPath, ENTITY_COLUMNS, LINK_COLUMNS, rowToRecord } from './columns.js';
import type { RecordCollector } from './collector.js';
import { linesOf, type ChunkSource } from '../lines.js';
import { isGraphFileHeader, researchGraphFromLines } from '../graphFile.js';
import type Graph from 'graphology';

export type { ChunkSource };

/** Which record file a CSV header belongs to. */
export type RecordCsvKind = 'entities' | 'links';

/** Tells entities.csv from links.csv by its header; undefined for other CSVs. */
export function recordCsvKind(header: readonly string[]): RecordCsvKind | undefined {
  if (header.includes('kind') && header.includes('id')) return 'entities';
  if (header.includes('type') && header.includes('from') && header.includes('to')) return 'links';
  return undefined;
}

function describeCsvError(error: unknown): { line: number; reason: string } {
  const err = error as { code?: string; lines?: number; message?: string };
  const reason = (err.message ?? String(error)).replace(/^Invalid Record Length: /, '');
  return { line: err.lines ?? 0, reason: `${err.code ? `${err.code}: ` : ''}${reason}` };
}

/**
 * Reads one entities.csv or links.csv. The header decides which; it must
 * include `schema_version`, and every row must state a supported version.
 */
export async function readRecordCsv(source: ChunkSource, file: string, collector: RecordCollector): Promise<void> {
  const parser = Readable.from(source as AsyncIterable<string | Uint8Array>).pipe(
    parseCsv({
      bom: true,
      info: true,
      skip_empty_lines: true,
      max_record_size: LIMITS.maxRecordBytes,
      relax_column_count: false,
    }),
  );
  let header: string[] | undefined;
  let kind: RecordCsvKind | undefined;
  let allowed: ReadonlySet<string> = new Set();
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const line = info.lines;
      if (header === undefined) {
        header = record;
        kind = recordCsvKind(header);
        if (kind === undefined) {
          collector.addFileIssue({ file, line, field: 'header', reason: 'not an entities.csv (needs id, kind) or links.csv (needs id, type, from, to) header' });
          return;
        }
        allowed = new Set<string>(kind === 'entities' ? ENTITY_COLUMNS : LINK_COLUMNS);
        const problems = headerProblems(header, allowed);
        for (const reason of problems) collector.addFileIssue({ file, line, field: 'header', reason });
        if (problems.length > 0) return;
        continue;
      }
      const row = new Map<string, string>();
      header.forEach((column, index) => row.set(column, record[index] ?? ''));
      const pre = versionProblems(row.get('schema_version') ?? '');
      const { record: candidate, problems } = rowToRecord(row);
      collector.add(kind === 'entities' ? 'entity' : 'link', candidate, { file, line }, [...pre, ...problems], columnForPath);
    }
  } catch (error) {
    const { line, reason } = describeCsvError(error);
    collector.addFileIssue({ file, line, field: '', reason: `malformed CSV: ${reason}` });
    return;
  }
  if (header === undefined) collector.addFileIssue({ file, line: 0, field: '', reason: 'empty file: no header row' });
}

function headerProblems(header: readonly string[], allowed: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const column of header) {
    if (FORBIDDEN_KEYS.has(column)) problems.push(`column ${JSON.stringify(column)} is a reserved name`);
    else if (!allowed.has(column)) problems.push(`unknown column ${JSON.stringify(column)}`);
    if (seen.has(column)) problems.push(`column ${JSON.stringify(column)} appears twice`);
    seen.add(column);
  }
  if (!header.includes('schema_version')) problems.push('missing column "schema_version"');
  return problems;
}

function versionProblems(version: unknown): { field: string; reason: string }[] {
  const number = typeof version === 'number' ? version : Number(version);
  if (version === '' || version === undefined) return [{ field: 'schema_version', reason: 'is required' }];
  if (!SUPPORTED_SCHEMA_VERSIONS.includes(number)) {
    return [{ field: 'schema_version', reason: `version ${JSON.stringify(version)} is not supported (supported: ${SUPPORTED_SCHEMA_VERSIONS.join(', ')})` }];
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
export async function readRecordNdjson(source: ChunkSource, file: string, collector: RecordCollector): Promise<NdjsonContent> {
  const lines = linesOf(source)[Symbol.asyncIterator]();
  for (let next = await lines.next(); !next.done; next = await lines.next()) {
    const item = next.value;
    if ('tooLong' in item) {
      collector.addFileIssue({ file, line: item.tooLong, field: '', reason: `line longer than ${LIMITS.maxRecordBytes} bytes` });
      return { model: 'records' };
    }
    if (item.text.trim() === '') continue;
    const header = parseJsonRecord(item.text, file, item.line, collector);
    if (header === undefined) return { model: 'records' };
    const problems = versionProblems((header as Record<string, unknown>).schema_version);
    for (const problem of problems) collector.addFileIssue({ file, line: item.line, ...problem });
    if (problems.length > 0) return { model: 'records' };
    if (isGraphFileHeader(header) && header.model === 'research') {
      const rest = { [Symbol.asyncIterator]: () => lines };
      const result = await researchGraphFromLines(header, rest, file);
      if (!result.ok) for (const issue of result.issues) collector.addFileIssue(issue);
      return result.ok ? { model: 'research', graph: result.graph } : { model: 'research' };
    }
    for (let record = await lines.next(); !record.done; record = await lines.next()) {
      const row = record.value;
      if ('tooLong' in row) {
        collector.addFileIssue({ file, line: row.tooLong, field: '', reason: `line longer than ${LIMITS.maxRecordBytes} bytes` });
        continue;
      }
      if (row.text.trim() === '') continue;
      const value = parseJsonRecord(row.text, file, row.line, collector);
      if (value !== undefined) offerWrapped(value, file, row.line, collector);
    }
    return { model: 'records' };
  }
  collector.addFileIssue({ file, line: 0, field: 'schema_version', reason: 'empty file: no header line' });
  return { model: 'records' };
}

function parseJsonRecord(text: string, file: string, line: number, collector: RecordCollector): object | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    collector.addFileIssue({ file, line, field: '', reason: `malformed JSON: ${(error as Error).message}` });
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    collector.addFileIssue({ file, line, field: '', reason: 'each line must be a JSON object' });
    return undefined;
  }
  return value;
}

/** One `{"entity": …}` or `{"link": …}` wrapper, checked for depth and forbidden keys first. */
function offerWrapped(value: object, file: string, line: number, collector: RecordCollector): void {
  const keys = Object.keys(value);
  const kind = keys.length === 1 && (keys[0] === 'entity' || keys[0] === 'link') ? keys[0] : undefined;
  if (kind === undefined) {
    collector.add('entity', value, { file, line }, [{ field: '', reason: 'a line must be {"entity": {...}} or {"link": {...}}' }]);
    return;
  }
  offerRecord(kind, (value as Record<string, unknown>)[kind], file, line, collector, `${kind}.`);
}

function offerRecord(
  kind: 'entity' | 'link',
  record: unknown,
  file: string,
  line: number,
  collector: RecordCollector,
  prefix: string,
): void {
  const fieldName = (path: PropertyKey[]) => prefix + path.map(String).join('.');
  if (jsonDepthExceeds(record, LIMITS.maxDepth)) {
    collector.add(kind, null, { file, line }, [{ field: prefix.slice(0, -1), reason: `nested deeper than ${LIMITS.maxDepth} levels` }], fieldName, { schema: false });
    return;
  }
  const forbidden = findForbiddenKey(record);
  if (forbidden) {
    collector.add(kind, null, { file, line }, [{ field: prefix + forbidden.join('.'), reason: 'is a reserved key name' }], fieldName, { schema: false });
    return;
  }
  collector.add(kind, record, { file, line }, [], fieldName);
}

const TOP_LEVEL_KEYS = new Set(['schema_version', 'entities', 'links']);

/**
 * Reads a JSON record file `{"schema_version": 1, "entities": [...], "links": [...]}`
 * as a stream: each array item is handed over as soon as it is complete, and
 * reported at the line where it starts.
 */
export async function readRecordJson(source: ChunkSource, file: string, collector: RecordCollector): Promise<void> {
  const tokenizer = new Tokenizer();
  const parser = new TokenParser({ paths: ['$.schema_version', '$.entities.*', '$.links.*'], keepStack: false });
  const newlineOffsets: number[] = [];
  let consumed = 0;
  let depth = 0;
  let itemStart = 0;
  let version: unknown;
  let sawVersion = false;
  const lineAt = (offset: number): number => {
    let low = 0;
    let high = newlineOffsets.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (newlineOffsets[mid]! < offset) low = mid + 1;
      else high = mid;
    }
    return low + 1;
  };
  const pending: { kind: 'entity' | 'link'; value: unknown; line: number; index: number }[] = [];
  const counters = { entity: 0, link: 0 };

  let lastTopLevelString: unknown;
  tokenizer.onToken = (token) => {
    // Top-level keys are checked here because asking the parser for `$.*`
    // would make it hold the whole entities array in memory.
    if (depth === 1 && token.token === TokenType.STRING) lastTopLevelString = token.value;
    if (depth === 1 && token.token === TokenType.COLON && !TOP_LEVEL_KEYS.has(String(lastTopLevelString))) {
      collector.addFileIssue({ file, line: lineAt(token.offset), field: String(lastTopLevelString), reason: 'unknown top-level field' });
    }
    if (token.token === TokenType.LEFT_BRACE || token.token === TokenType.LEFT_BRACKET) {
      depth++;
      if (depth === 3) itemStart = token.offset;
      if (depth > LIMITS.maxDepth + 2) throw new RangeError(`nested deeper than ${LIMITS.maxDepth} levels`);
    } else if (token.token === TokenType.RIGHT_BRACE || token.token === TokenType.RIGHT_BRACKET) {
      depth--;
    }
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
      pending.push({ kind, value, line: lineAt(itemStart), index: counters[kind]++ });
    }
  };

  const encoder = new TextEncoder();
  try {
    for await (const chunk of source as AsyncIterable<string | Uint8Array>) {
      const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
      for (let index = 0; index < bytes.length; index++) if (bytes[index] === 0x0a) newlineOffsets.push(consumed + index);
      consumed += bytes.length;
      tokenizer.write(bytes);
      for (const item of pending.splice(0)) {
        const arrayName = item.kind === 'entity' ? 'entities' : 'links';
        offerRecord(item.kind, item.value, file, item.line, collector, `${arrayName}[${item.index}].`);
      }
    }
    tokenizer.end();
  } catch (error) {
    const message = (error as Error).message ?? String(error);
    collector.addFileIssue({ file, line: lineAt(consumed), field: '', reason: `malformed JSON: ${message}` });
    return;
  }
  if (!sawVersion) collector.addFileIssue({ file, line: 0, field: 'schema_version', reason: 'is required' });
  else for (const problem of versionProblems(version)) collector.addFileIssue({ file, line: 0, ...problem });
}

/**
 * CSV records as bytes, for both CSV readers (records and research edge
 * lists), with the checks csv-parse cannot make well.
 *
 * - Encoding: csv-parse decodes each cell with Buffer#toString, which turns
 *   a byte that is not UTF-8 into U+FFFD (and a Transform stream would do the
 *   same to text decoded first). So csv-parse is given bytes and asked for
 *   each cell as bytes (`encoding: null`), and each cell is decoded here
 *   strictly: a cell that is not UTF-8 is reported with its column and the
 *   byte, never imported.
 * - Size and quoting: a guard in front of csv-parse follows RFC 4180 quoting
 *   itself, counts each record's bytes, and at a record past the limit or a
 *   malformed quote stops the input (closing the cut record, so the parser
 *   ends cleanly), noting the line the record starts on, the column (0-based)
 *   and why. csv-parse's own `max_record_size` names neither line nor column,
 *   and it reports a malformed quote once per quote, each error quoting the
 *   cell so far: on a long cell full of quotes that takes hours.
 * - Lines: csv-parse counts CR and LF inside a quoted cell as two lines, so
 *   its line numbers drift after a CRLF in a cell. The guard, which sees
 *   every byte, gives each record the line it starts on.
 */
import { isUtf8 } from 'node:buffer';
import { Readable } from 'node:stream';
import { parse, type Options } from 'csv-parse';
import { LIMITS } from '@ocgnet/schema';
import { escapedBytes } from './utf8.js';

/** Why the guard stopped the input. */
export type CsvStopReason = 'too-long' | 'quote-in-unquoted-cell' | 'text-after-quote' | 'unclosed-quote';

/** Where the guard stopped the input: the record's first line, the column (0-based) and why. */
export interface CsvLimitStop {
  line: number;
  column: number;
  reason: CsvStopReason;
}

/** What a CSV read found besides its records. */
export interface CsvReadState {
  /** Where the guard stopped the input, if it did. */
  at?: CsvLimitStop;
  /** The first record csv-parse itself refused, if any (the guard leaves it little to refuse). */
  malformed?: { line: number; reason: string };
  /** Whether anything but white space (and a byte-order mark) was read. */
  content: boolean;
}

/** The reason, as an issue gives it. */
export function csvStopReason(stop: CsvLimitStop, limit: number = LIMITS.maxRecordBytes): string {
  switch (stop.reason) {
    case 'too-long':
      return `record longer than ${limit} bytes (the limit); stopped reading`;
    case 'quote-in-unquoted-cell':
      return 'malformed CSV: a quote inside a cell that does not start with one (quote the whole cell and double each quote in it); stopped reading';
    case 'text-after-quote':
      return 'malformed CSV: text after the closing quote of a quoted cell; stopped reading';
    case 'unclosed-quote':
      return 'malformed CSV: a quoted cell is never closed (an unbalanced quote); stopped reading';
  }
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;
const encoder = new TextEncoder();

/**
 * The bytes of a CSV source: strings encoded as UTF-8 (they were decoded by
 * whoever made them), a byte-order mark at the start dropped, and a note of
 * whether anything but white space came through.
 */
async function* csvBytes(
  source: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array> | string,
  state: CsvReadState,
): AsyncGenerator<Uint8Array> {
  let head: Uint8Array | undefined = new Uint8Array(0);
  const chunks = typeof source === 'string' ? [source] : source;
  for await (const chunk of chunks as AsyncIterable<string | Uint8Array>) {
    let bytes = typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
    if (head !== undefined) {
      // The mark may arrive a byte at a time: wait for three bytes before deciding.
      const joined: Uint8Array = new Uint8Array(head.length + bytes.length);
      joined.set(head);
      joined.set(bytes, head.length);
      if (joined.length < 3 && joined.every((byte, index) => byte === [0xef, 0xbb, 0xbf][index])) {
        head = joined;
        continue;
      }
      head = undefined;
      bytes = joined[0] === 0xef && joined[1] === 0xbb && joined[2] === 0xbf ? joined.subarray(3) : joined;
    }
    if (!state.content && bytes.some((byte) => byte !== 0x20 && byte !== 0x09 && byte !== LF && byte !== CR))
      state.content = true;
    if (bytes.length > 0) yield bytes;
  }
  // A lone start of a mark is content (and not UTF-8: the cell will say so).
  if (head !== undefined && head.length > 0) {
    state.content = true;
    yield head;
  }
}

/**
 * Passes CSV bytes through until a record is longer than `limit` bytes or
 * its quoting is malformed (RFC 4180: a quote only opens a cell, a closing
 * quote is followed by a comma or a line break, a quote inside is doubled),
 * then stops, closing the cut record, and fills in `state.at`. Pushes the
 * line each record starts on (not empty lines, which csv-parse skips) onto
 * `starts`. Line breaks are LF, CRLF or CR.
 */
async function* guardCsvRecords(
  bytes: AsyncIterable<Uint8Array>,
  state: CsvReadState,
  limit: number,
  starts: number[],
): AsyncGenerator<Uint8Array> {
  let line = 1;
  let recordLine = 1;
  let column = 0;
  let recordBytes = 0;
  /** At a cell's start; inside quotes; just after a quote inside quotes (an escape or the end); unquoted. */
  let cell: 'start' | 'quoted' | 'quote' | 'plain' = 'start';
  let lastWasCr = false;
  for await (const chunk of bytes) {
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (lastWasCr) {
        lastWasCr = false;
        if (c === LF) continue;
      }
      const breaksLine = c === LF || c === CR;
      let problem: CsvStopReason | undefined;
      if (cell === 'quote') {
        if (c === QUOTE) cell = 'quoted';
        else if (c === COMMA || breaksLine) cell = 'plain';
        else problem = 'text-after-quote';
      } else if (cell === 'quoted') {
        if (c === QUOTE) cell = 'quote';
      } else if (c === QUOTE) {
        if (cell === 'start') cell = 'quoted';
        else problem = 'quote-in-unquoted-cell';
      }
      if (problem === undefined && cell !== 'quoted' && cell !== 'quote') {
        if (c === COMMA) {
          column++;
          cell = 'start';
        } else if (breaksLine) {
          if (recordBytes > 0) starts.push(recordLine);
          line++;
          lastWasCr = c === CR;
          recordLine = line;
          column = 0;
          recordBytes = 0;
          cell = 'start';
          continue;
        } else if (cell === 'start') cell = 'plain';
      } else if (problem === undefined && breaksLine) {
        line++;
        lastWasCr = c === CR;
      }
      if (problem === undefined && ++recordBytes > limit) problem = 'too-long';
      if (problem !== undefined) {
        state.at = { line: recordLine, column, reason: problem };
        starts.push(recordLine);
        if (i > 0) yield chunk.subarray(0, i);
        // Close the cut record, so csv-parse ends cleanly; the reader drops it.
        yield cell === 'quoted' ? Uint8Array.of(QUOTE, LF) : Uint8Array.of(LF);
        return;
      }
    }
    yield chunk;
  }
  if (cell === 'quoted') {
    state.at = { line: recordLine, column, reason: 'unclosed-quote' };
    starts.push(recordLine);
    yield Uint8Array.of(QUOTE, LF);
  } else if (recordBytes > 0) starts.push(recordLine);
}

/**
 * A csv-parse error message as a person should read it: a cell it quotes
 * comes as the JSON of a Buffer (cells are read as bytes), shown as text.
 */
function csvErrorMessage(error: unknown): string {
  const message = (error as { message?: string } | null)?.message ?? String(error);
  return message.replace(/\{"type":"Buffer","data":\[([0-9,]*)\]\}/g, (_all, data: string) => {
    const bytes = Uint8Array.from(data === '' ? [] : data.split(',').map(Number));
    return JSON.stringify(escapedBytes(bytes).text.slice(0, 200));
  });
}

/** One record: its cells as bytes, and the line it starts on. */
export interface CsvRecord {
  cells: Uint8Array[];
  line: number;
}

/**
 * The records of a CSV source, each with the line it starts on, up to the
 * first record the guard or csv-parse refused (see `state`). Empty lines are
 * skipped; rows may have any number of cells (the caller counts them).
 *
 * @param pre another check on the bytes before the guard (the research reader's line length)
 */
export async function* csvRecords(
  source: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array> | string,
  state: CsvReadState,
  {
    limit = LIMITS.maxRecordBytes,
    pre,
  }: { limit?: number; pre?: (bytes: AsyncIterable<Uint8Array>) => AsyncIterable<Uint8Array> } = {},
): AsyncGenerator<CsvRecord> {
  const starts: number[] = [];
  const bytes = csvBytes(source, state);
  const input = Readable.from(guardCsvRecords(pre ? pre(bytes) : bytes, state, limit, starts));
  const parser = parse({
    encoding: null,
    skip_empty_lines: true,
    relax_column_count: true,
    skip_records_with_error: true,
    record_delimiter: ['\r\n', '\n', '\r'],
    // Called in the order records are parsed, as the guard saw them start.
    on_record: (cells: unknown) => ({ cells, line: starts.shift() ?? 0 }),
  } as unknown as Options);
  parser.on('skip', (error: unknown) => {
    const line = starts.shift() ?? 0;
    state.malformed ??= { line, reason: `malformed CSV: ${csvErrorMessage(error)}; stopped reading` };
  });
  input.on('error', (error) => parser.destroy(error));
  input.pipe(parser);
  const refused = (line: number) =>
    (state.at !== undefined && line >= state.at.line) ||
    (state.malformed !== undefined && line >= state.malformed.line);
  try {
    for await (const record of parser as AsyncIterable<CsvRecord>) {
      if (refused(record.line)) break;
      yield record;
    }
  } catch (error) {
    if ((error as { code?: unknown } | null)?.code !== 'ERR_STREAM_PREMATURE_CLOSE')
      state.malformed ??= { line: starts[0] ?? 0, reason: `malformed CSV: ${csvErrorMessage(error)}; stopped reading` };
  } finally {
    input.destroy();
    parser.destroy();
  }
}

/** A cell's text, or (for bytes that are not UTF-8) its text with those bytes escaped, and the first of them. */
export function csvCellText(cell: Uint8Array | string): { text: string; invalidByte?: number } {
  if (typeof cell === 'string') return { text: cell };
  // Kept visible (escaped) for a rejects file; a cell that is not UTF-8 is never imported.
  return isUtf8(cell)
    ? { text: Buffer.from(cell.buffer, cell.byteOffset, cell.byteLength).toString('utf8') }
    : escapedBytes(cell);
}

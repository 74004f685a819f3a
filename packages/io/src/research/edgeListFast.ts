/**
 * A streaming reader for plain edge lists of any size: one edge per line,
 * `u v` (spaces or tabs) or `u,v`, with an optional weight `u v w` / `u,v,w`;
 * `#` and `%` start comment lines; an optional first line
 * `source,target[,weight]` is a header. This is what igraph's
 * `write_edgelist`, networkx's `write_edgelist(data=False)`, SNAP and
 * KONECT write.
 *
 * It never builds a graph or a string of the file: bytes are scanned in the
 * chunks they arrive in, node labels are interned to integer ids (canonical
 * non-negative integers below 2^24 through a typed-array table, anything else
 * through a Map), and edges go into growing typed arrays. Ten million edges
 * take about 120 MB.
 *
 * Validation, as the other research readers: a bad line is an issue naming
 * file, line, field and reason, reading goes on, and after MAX_ISSUES it stops.
 * Issues: a line with one field or more than three, a weight that is not a
 * finite positive number, a line whose field count differs from the first
 * edge line's, a quoted or empty field, invalid UTF-8, a line over
 * MAX_LINE_CHARS. Unlike the CSV reader, parallel edges and self-loops are
 * kept: the analysis snapshot merges parallels (weights summed) and leaves
 * self-loops out, and says how many. Edges are undirected.
 */
import { InputError, type InputIssue } from '@ocgnet/schema';
import { IssueLog, MAX_LINE_CHARS, parseStrictNumber, type TextSource } from './common.js';

/** Edges as parallel typed arrays over interned node ids. */
export interface EdgeArrays {
  /** Node id → the label in the file, in order of first appearance. */
  ids: string[];
  /** Edge k joins source[k] and target[k] (node ids). */
  source: Int32Array;
  target: Int32Array;
  /** Weight per edge, or null when the file has two fields per line. */
  weight: Float64Array | null;
}

export type EdgeListFastResult = ({ ok: true; warnings: InputIssue[] } & EdgeArrays) | { ok: false; issues: InputIssue[]; warnings: InputIssue[] };

const NEWLINE = 10;
const CARRIAGE_RETURN = 13;
const SPACE = 32;
const TAB = 9;
const COMMA = 44;
const HASH = 35;
const PERCENT = 37;
const QUOTE = 34;
/** Integer labels below this go through the paged typed-array table (at most 64 MB); larger ones through the Map. */
const INTEGER_TABLE_LIMIT = 1 << 24;
const FIELD_NAMES = ['source', 'target', 'weight'];

/**
 * Interns node labels to dense ids, by first appearance. Integer labels stay
 * numbers until `labels()`, so the hot path allocates no strings.
 */
class LabelInterner {
  count = 0;
  /** Integer label → id, in pages of 2^16 allocated when first touched, so a sparse label costs one page. */
  private readonly pages: (Int32Array | undefined)[] = new Array(INTEGER_TABLE_LIMIT >>> 16);
  private readonly byText = new Map<string, number>();
  /** Per id: its integer label, or -1 for a text label (kept in `textOf`). */
  private integerOf = new Int32Array(1024);
  private readonly textOf = new Map<number, string>();

  integer(value: number): number {
    let page = this.pages[value >>> 16];
    if (page === undefined) page = this.pages[value >>> 16] = new Int32Array(1 << 16).fill(-1);
    let id = page[value & 0xffff]!;
    if (id === -1) {
      id = this.add(value);
      page[value & 0xffff] = id;
    }
    return id;
  }

  text(label: string): number {
    let id = this.byText.get(label);
    if (id === undefined) {
      id = this.add(-1);
      this.byText.set(label, id);
      this.textOf.set(id, label);
    }
    return id;
  }

  private add(integer: number): number {
    if (this.count === this.integerOf.length) {
      const grown = new Int32Array(this.count * 2);
      grown.set(this.integerOf);
      this.integerOf = grown;
    }
    this.integerOf[this.count] = integer;
    return this.count++;
  }

  /** Id → label. */
  labels(): string[] {
    const ids = new Array<string>(this.count);
    for (let id = 0; id < this.count; id++) {
      const value = this.integerOf[id]!;
      ids[id] = value >= 0 ? String(value) : this.textOf.get(id)!;
    }
    return ids;
  }
}

/** Growing edge arrays, trimmed at the end. */
class EdgeBuffer {
  source = new Int32Array(1 << 16);
  target = new Int32Array(1 << 16);
  weight: Float64Array | null = null;
  length = 0;

  push(u: number, v: number, w: number): void {
    if (this.length === this.source.length) {
      const size = this.length * 2;
      this.source = grow(this.source, new Int32Array(size));
      this.target = grow(this.target, new Int32Array(size));
      if (this.weight) this.weight = grow(this.weight, new Float64Array(size));
    }
    this.source[this.length] = u;
    this.target[this.length] = v;
    if (this.weight) this.weight[this.length] = w;
    this.length++;
  }

  trimmed(): { source: Int32Array; target: Int32Array; weight: Float64Array | null } {
    return { source: this.source.slice(0, this.length), target: this.target.slice(0, this.length), weight: this.weight ? this.weight.slice(0, this.length) : null };
  }
}

function grow<T extends Int32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/** Chunks of bytes from any TextSource (strings are encoded as UTF-8). */
async function* byteChunks(source: TextSource): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  if (typeof source === 'string') {
    yield encoder.encode(source);
    return;
  }
  for await (const chunk of source as AsyncIterable<string | Uint8Array>) yield typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
}

/**
 * Reads a plain edge list. Never throws on bad input.
 *
 * @param input the bytes (a Node Readable, chunks, or a string)
 * @param file  the file's name, used in issues
 */
export async function parseEdgeListFast(input: TextSource, file: string): Promise<EdgeListFastResult> {
  const log = new IssueLog(file);
  const labels = new LabelInterner();
  const edges = new EdgeBuffer();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  // Field boundaries of the current line: start, end per field (at most 4 kept).
  const bounds = new Int32Array(8);
  let fieldsPerLine = 0;
  let firstEdgeLine = 0;
  let lineNumber = 0;
  let sawData = false;

  const textOf = (bytes: Uint8Array, start: number, end: number): string | undefined => {
    let ascii = true;
    for (let i = start; i < end; i++) if (bytes[i]! >= 128) ascii = false;
    if (ascii) return end - start < 64 ? String.fromCharCode(...bytes.subarray(start, end)) : new TextDecoder('latin1').decode(bytes.subarray(start, end));
    try {
      return decoder.decode(bytes.subarray(start, end));
    } catch {
      return undefined;
    }
  };

  /** The node id of a label field, or -1 after logging an issue. */
  const nodeOf = (bytes: Uint8Array, start: number, end: number, field: number): number => {
    // Canonical decimal integers (no sign, no leading zero) skip the string entirely.
    const length = end - start;
    if (length <= 8 && (length === 1 || bytes[start] !== 48)) {
      let value = 0;
      let i = start;
      for (; i < end; i++) {
        const digit = bytes[i]! - 48;
        if (digit < 0 || digit > 9) break;
        value = value * 10 + digit;
      }
      if (i === end && value < INTEGER_TABLE_LIMIT) return labels.integer(value);
    }
    const label = textOf(bytes, start, end);
    if (label === undefined) {
      log.add(lineNumber, FIELD_NAMES[field]!, 'not valid UTF-8');
      return -1;
    }
    return labels.text(label);
  };

  /** Parses one line (without its line break). */
  const readLine = (bytes: Uint8Array, start: number, end: number): void => {
    let i = start;
    // A byte-order mark before the first line.
    if (lineNumber === 1 && end - i >= 3 && bytes[i] === 0xef && bytes[i + 1] === 0xbb && bytes[i + 2] === 0xbf) i += 3;
    while (i < end && (bytes[i] === SPACE || bytes[i] === TAB)) i++;
    if (i === end || bytes[i] === HASH || bytes[i] === PERCENT) return;
    if (end - start > MAX_LINE_CHARS) {
      log.add(lineNumber, '', `line is longer than ${MAX_LINE_CHARS} characters`);
      return;
    }
    let count = 0;
    let afterComma = false;
    while (i < end) {
      const fieldStart = i;
      while (i < end && bytes[i] !== SPACE && bytes[i] !== TAB && bytes[i] !== COMMA) {
        if (bytes[i] === QUOTE) {
          log.add(lineNumber, FIELD_NAMES[count] ?? `field ${count + 1}`, 'quoted fields are not read by the plain edge-list reader; give a source,target[,weight] CSV without --large');
          return;
        }
        i++;
      }
      if (i === fieldStart && (afterComma || bytes[i] === COMMA)) {
        log.add(lineNumber, FIELD_NAMES[count] ?? `field ${count + 1}`, 'empty field');
        return;
      }
      if (i > fieldStart) {
        if (count < 4) {
          bounds[2 * count] = fieldStart;
          bounds[2 * count + 1] = i;
        }
        count++;
      }
      while (i < end && (bytes[i] === SPACE || bytes[i] === TAB)) i++;
      afterComma = i < end && bytes[i] === COMMA;
      if (afterComma) {
        i++;
        while (i < end && (bytes[i] === SPACE || bytes[i] === TAB)) i++;
        if (i === end) {
          log.add(lineNumber, FIELD_NAMES[count] ?? `field ${count + 1}`, 'empty field');
          return;
        }
      }
    }
    if (!sawData) {
      sawData = true;
      const names = Array.from({ length: Math.min(count, 4) }, (_x, k) => textOf(bytes, bounds[2 * k]!, bounds[2 * k + 1]!)?.toLowerCase());
      if (names[0] === 'source' && names[1] === 'target' && (count === 2 || (count === 3 && names[2] === 'weight'))) {
        fieldsPerLine = count;
        if (count === 3) edges.weight = new Float64Array(edges.source.length);
        return;
      }
    }
    if (count < 2 || count > 3) {
      log.add(lineNumber, count < 2 ? 'target' : '', count < 2 ? 'missing target: expected "source target" or "source,target[,weight]"' : `expected 2 or 3 fields (source, target, weight), found ${count}`);
      return;
    }
    if (fieldsPerLine === 0) {
      fieldsPerLine = count;
      firstEdgeLine = lineNumber;
      if (count === 3) edges.weight = new Float64Array(edges.source.length);
    } else if (count !== fieldsPerLine) {
      log.add(lineNumber, count === 3 ? 'weight' : '', `expected ${fieldsPerLine} fields${firstEdgeLine > 0 ? ` as on line ${firstEdgeLine}` : ' as the header says'}, found ${count}`);
      return;
    }
    let weight = 1;
    if (count === 3) {
      const raw = textOf(bytes, bounds[4]!, bounds[5]!) ?? '';
      const value = parseStrictNumber(raw);
      if (value === undefined || value <= 0) {
        log.add(lineNumber, 'weight', value === undefined ? `weight ${JSON.stringify(raw)} is not a number` : `weight ${raw} is not positive`);
        return;
      }
      weight = value;
    }
    const u = nodeOf(bytes, bounds[0]!, bounds[1]!, 0);
    const v = nodeOf(bytes, bounds[2]!, bounds[3]!, 1);
    if (u < 0 || v < 0) return;
    edges.push(u, v, weight);
  };

  // Set when a chunk ends on \r: a \n opening the next chunk belongs to it.
  let skipNewline = false;

  /**
   * The common line, `digits separator digits` then the line break, parsed
   * in place with no string and no field table. Returns the offset after the
   * line break, or -1 for anything else (the general reader takes it) or a
   * line not complete in `bytes`.
   */
  const simpleLine = (bytes: Uint8Array, at: number): number => {
    const end = bytes.length;
    let i = at;
    let u = -1;
    for (let field = 0; field < 2; field++) {
      const start = i;
      let value = 0;
      for (; i < end; i++) {
        const digit = bytes[i]! - 48;
        if (digit < 0 || digit > 9) break;
        value = value * 10 + digit;
      }
      const length = i - start;
      if (length === 0 || length > 7 || (length > 1 && bytes[start] === 48)) return -1;
      if (field === 0) {
        const separator = i;
        while (i < end && (bytes[i] === SPACE || bytes[i] === TAB)) i++;
        if (i < end && bytes[i] === COMMA) {
          i++;
          while (i < end && (bytes[i] === SPACE || bytes[i] === TAB)) i++;
        }
        if (i === separator) return -1;
        u = value;
      } else {
        while (i < end && (bytes[i] === SPACE || bytes[i] === TAB)) i++;
        if (i >= end) return -1;
        const c = bytes[i]!;
        if (c === NEWLINE) i++;
        else if (c === CARRIAGE_RETURN) {
          i++;
          if (i === end) skipNewline = true;
          else if (bytes[i] === NEWLINE) i++;
        } else return -1;
        lineNumber++;
        edges.push(labels.integer(u), labels.integer(value), 1);
      }
    }
    return i;
  };

  let pending: Uint8Array | null = null;
  for await (const chunk of byteChunks(input)) {
    let bytes: Uint8Array = chunk;
    if (pending !== null) {
      bytes = new Uint8Array(pending.length + chunk.length);
      bytes.set(pending);
      bytes.set(chunk, pending.length);
      pending = null;
    }
    const length = bytes.length;
    let i = 0;
    if (skipNewline && length > 0) {
      if (bytes[0] === NEWLINE) i = 1;
      skipNewline = false;
    }
    while (i < length) {
      if (fieldsPerLine === 2) {
        const next = simpleLine(bytes, i);
        if (next >= 0) {
          i = next;
          continue;
        }
      }
      let lineEnd = i;
      while (lineEnd < length && bytes[lineEnd] !== NEWLINE && bytes[lineEnd] !== CARRIAGE_RETURN) lineEnd++;
      if (lineEnd === length) break;
      lineNumber++;
      readLine(bytes, i, lineEnd);
      if (log.full) return log.failure() as EdgeListFastResult;
      i = lineEnd + 1;
      if (bytes[lineEnd] === CARRIAGE_RETURN) {
        if (i === length) skipNewline = true;
        else if (bytes[i] === NEWLINE) i++;
      }
    }
    if (i < length) {
      if (length - i > MAX_LINE_CHARS + 3) {
        log.add(lineNumber + 1, '', `line is longer than ${MAX_LINE_CHARS} characters; stopped reading`);
        return log.failure() as EdgeListFastResult;
      }
      pending = bytes.slice(i);
    }
  }
  if (pending !== null && pending.length > 0) {
    lineNumber++;
    readLine(pending, 0, pending.length);
  }
  if (log.issues.length === 0 && edges.length === 0) log.add(0, 'source', 'no edges: the file holds no "source target" line');
  if (log.issues.length > 0) return log.failure() as EdgeListFastResult;
  return { ok: true, warnings: log.warnings, ids: labels.labels(), ...edges.trimmed() };
}

/**
 * {@link parseEdgeListFast} for callers that want the arrays or an exception.
 *
 * @example
 * const { ids, source, target, weight } = await readEdgeListFast(createReadStream(path), path);
 * @throws {InputError} listing every issue when the file is not a valid edge list
 */
export async function readEdgeListFast(input: TextSource, file: string): Promise<EdgeArrays & { warnings: InputIssue[] }> {
  const result = await parseEdgeListFast(input, file);
  if (!result.ok) throw new InputError(result.issues);
  const { ok: _ok, ...arrays } = result;
  return arrays;
}

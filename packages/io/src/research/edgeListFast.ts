/**
 * A streaming reader for plain edge lists of any size: one edge per line,
 * `u v` (spaces or tabs) or `u,v`, with an optional weight `u v w` / `u,v,w`
 * or networkx's data column `u v {'weight': w, ...}`, labels holding spaces in
 * "double quotes" (the line syntax is edgeLine.ts's); `#` and `%` start
 * comment lines; an optional first line `source,target[,weight]` is a header.
 * This is what igraph's `write_edgelist` and `write_ncol`, networkx's
 * `write_edgelist` and `write_weighted_edgelist`, SNAP and KONECT write.
 *
 * It never builds a graph or a string of the file: bytes are scanned in the
 * chunks they arrive in, node labels are interned to integer ids (canonical
 * non-negative integers below 2^24 through a typed-array table, anything else
 * through a Map; labels 0, 1, 2, … appearing in that order are their own ids
 * and need neither), and edges go into growing typed arrays. Ten million edges
 * take about 120 MB.
 *
 * Validation, as the other research readers: a bad line is an issue naming
 * file, line, field and reason, reading goes on, and after MAX_ISSUES it stops.
 * Issues: a line with one field or more than three, a weight that is not a
 * finite positive number, a data column that is not a Python dict literal, a
 * line whose field count or kind of third field differs from the first edge
 * line's, an empty field or unterminated quote, invalid UTF-8, a line over
 * MAX_LINE_CHARS. Edges are undirected. Every line is kept as read, repeats
 * and self-loops included: whoever builds the graph merges repeats by the
 * edge-list rule (repeatedEdges.ts: one tie, weights summed, the count
 * reported), as the CSV reader does while reading. `csrFromEdgeArrays` in
 * @ocgnet/analysis does it in its linear passes, at no cost when there are none.
 */
import { InputError, type InputIssue } from '@ocgnet/schema';
import { EMPTY_FILE, IssueLog, MAX_LINE_CHARS, type Attributes, type TextSource } from './common.js';
import { DATA_FIELD, edgeFieldName, readEdgeData, splitEdgeLine } from './edgeLine.js';
import { firstInvalidByte, notUtf8Reason } from '../utf8.js';

/** Edges as parallel typed arrays over interned node ids. */
export interface EdgeArrays {
  /** Node id → the label in the file, in order of first appearance. */
  ids: string[];
  /** Edge k joins source[k] and target[k] (node ids). */
  source: Int32Array;
  target: Int32Array;
  /** Weight per edge, or null when the file has two fields per line. */
  weight: Float64Array | null;
  /** With `attributes: true`: edge k's attributes from a `{...}` data column (other than weight), if any. */
  attributes?: (Attributes | undefined)[];
  /** With `attributes: true`: the line of edge k. */
  lines?: Int32Array;
}

export type EdgeListFastResult =
  ({ ok: true; warnings: InputIssue[] } & EdgeArrays) | { ok: false; issues: InputIssue[]; warnings: InputIssue[] };

const NEWLINE = 10;
const CARRIAGE_RETURN = 13;
const SPACE = 32;
const TAB = 9;
const COMMA = 44;
const HASH = 35;
const PERCENT = 37;
/** Integer labels below this go through the paged typed-array table (at most 64 MB); larger ones through the Map. */
const INTEGER_TABLE_LIMIT = 1 << 24;
/** Bytes handed to `scanSimpleLines` per call (it stops at the first line starting after them). */
const SCAN_SLICE = 1 << 16;
/** OrderScan.next once labels no longer arrive in order: no label reaches it (labels on the fast path have at most 7 digits). */
const ORDER_CLOSED = 0x7fffffff;
/** The page of the integer-label table no label has touched yet; never written. */
const UNSEEN_PAGE = new Int32Array(1 << 16).fill(-1);

/**
 * Interns node labels to dense ids, by first appearance. Integer labels stay
 * numbers until `labels()`, so the hot path allocates no strings.
 */
class LabelInterner {
  count = 0;
  /**
   * Integer labels 0 … ordered − 1 are their own ids and in no table: while
   * every new label is the next integer (a file numbering its nodes 0, 1, 2,
   * … in order of appearance, as igraph and networkx write them), interning
   * is a comparison. Grows only while ordered === count.
   */
  ordered = 0;
  /**
   * Integer label → id, in pages of 2^16 allocated when first touched, so a
   * sparse label costs one page. Untouched pages are the shared all −1
   * UNSEEN_PAGE, so a lookup never meets a hole (read directly by
   * `internPending`, where a branch that rarely runs would cost a deopt).
   */
  readonly pages: Int32Array[] = Array.from({ length: INTEGER_TABLE_LIMIT >>> 16 }, () => UNSEEN_PAGE);
  private readonly byText = new Map<string, number>();
  /** Per id: its integer label, or -1 for a text label (kept in `textOf`). */
  private integerOf = new Int32Array(0);
  private readonly textOf = new Map<number, string>();

  constructor() {
    // Reassigned here, not first mid-file: see EdgeBuffer's constructor.
    this.integerOf = new Int32Array(1024);
  }

  integer(value: number): number {
    if (value < this.ordered) return value;
    const id = this.pages[value >>> 16]![value & 0xffff]!;
    return id === -1 ? this.addInteger(value) : id;
  }

  /** The id of integer label `value` (at least `ordered`), seen for the first time. */
  addInteger(value: number): number {
    if (value === this.ordered && this.ordered === this.count) {
      this.ordered++;
      return this.count++;
    }
    let page = this.pages[value >>> 16]!;
    if (page === UNSEEN_PAGE) page = this.pages[value >>> 16] = new Int32Array(1 << 16).fill(-1);
    return (page[value & 0xffff] = this.add(value));
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

  /** Labels 0 … to − 1, just read by scanSimpleLines in order, as their own ids. */
  extendOrdered(to: number): void {
    this.ordered = this.count = to;
  }

  private add(integer: number): number {
    // integerOf has no entries for the ordered labels, so it may be behind count.
    if (this.count >= this.integerOf.length) {
      const grown = new Int32Array(Math.max(this.count * 2, 1024));
      grown.set(this.integerOf);
      this.integerOf = grown;
    }
    this.integerOf[this.count] = integer;
    return this.count++;
  }

  /** Id → label. */
  labels(): string[] {
    const ids = new Array<string>(this.count);
    for (let id = 0; id < this.ordered; id++) ids[id] = String(id);
    for (let id = this.ordered; id < this.count; id++) {
      const value = this.integerOf[id]!;
      ids[id] = value >= 0 ? String(value) : this.textOf.get(id)!;
    }
    return ids;
  }
}

/** Growing edge arrays, trimmed at the end. */
class EdgeBuffer {
  source = new Int32Array(0);
  target = new Int32Array(0);
  weight: Float64Array | null = null;
  length = 0;

  constructor() {
    // Reassigned here, not first while scanning: V8 treats a field stored
    // once as a constant, and code built on that is thrown away (a deopt and
    // a recompile mid-file) the first time the arrays grow.
    this.reserve(1 << 16);
  }

  push(u: number, v: number, w: number): void {
    if (this.length === this.source.length) this.reserve(1);
    this.source[this.length] = u;
    this.target[this.length] = v;
    if (this.weight) this.weight[this.length] = w;
    this.length++;
  }

  /** Room for at least `extra` more edges without growing. */
  reserve(extra: number): void {
    if (this.length + extra <= this.source.length) return;
    let size = Math.max(this.source.length * 2, 1 << 16);
    while (size < this.length + extra) size *= 2;
    this.source = grow(this.source, new Int32Array(size));
    this.target = grow(this.target, new Int32Array(size));
    if (this.weight) this.weight = grow(this.weight, new Float64Array(size));
  }

  /**
   * The edges: for a large file, views on the buffers (a copy is milliseconds,
   * and would briefly hold both); for a small one, copies, so a few edges do
   * not keep the initial buffers alive.
   */
  trimmed(): { source: Int32Array; target: Int32Array; weight: Float64Array | null } {
    const cut = <T extends Int32Array | Float64Array>(array: T): T =>
      (this.length >= 1 << 16 ? array.subarray(0, this.length) : array.slice(0, this.length)) as T;
    return { source: cut(this.source), target: cut(this.target), weight: this.weight ? cut(this.weight) : null };
  }
}

function grow<T extends Int32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/** Line-reading state shared by the general reader and `scanSimpleLines`. */
interface ScanState {
  /** Lines read so far (1-based number of the last one). */
  lineNumber: number;
  /** Set when a chunk ends on \r: a \n opening the next chunk belongs to it. */
  skipNewline: boolean;
}

/**
 * The common line, `digits separator digits` and its line break, parsed in
 * place for as many lines in a row as have that shape, each appended as an
 * edge of the two labels' integer values. While labels arrive in order 0, 1,
 * 2, … those are their ids already; from the first edge that breaks the
 * order on, `internPending` turns them into ids. A top-level function with its state in locals, writing straight
 * into reserved typed arrays, small and with no rarely taken branch: it is
 * most of the read, and in a cold process most of its cost is the time V8
 * takes to compile it, plus a recompile for every deopt.
 *
 * Every line starting before `limit` ends inside `bytes` (the caller makes
 * sure a line break follows, and no scan below passes a line break), so the
 * loop needs no end-of-buffer checks. The caller reserves room for the edges.
 *
 * @returns the offset of the first line not taken: not simple (the general
 *   reader takes it) or at or after `limit`
 */
function scanSimpleLines(bytes: Uint8Array, at: number, limit: number, edges: EdgeBuffer, order: OrderScan): number {
  const source = edges.source;
  const target = edges.target;
  let length = edges.length;
  let next = order.next;
  let ordered = -1;
  let brokeAt = -1;
  let i = at;
  while (i < limit) {
    const lineStart = i;
    // Source: 1 to 7 digits, no leading zero (so the label is its canonical integer).
    let digit = bytes[i]! - 48;
    if (digit < 0 || digit > 9) break;
    let u = digit;
    digit = bytes[++i]! - 48;
    if (u === 0 && digit >= 0 && digit <= 9) {
      i = lineStart;
      break;
    }
    while (digit >= 0 && digit <= 9) {
      u = u * 10 + digit;
      digit = bytes[++i]! - 48;
    }
    if (i - lineStart > 7) {
      i = lineStart;
      break;
    }
    // Separator: spaces or tabs, a comma, or both.
    const separator = i;
    let c = bytes[i]!;
    while (c === SPACE || c === TAB) c = bytes[++i]!;
    if (c === COMMA) {
      c = bytes[++i]!;
      while (c === SPACE || c === TAB) c = bytes[++i]!;
    }
    const targetStart = i;
    digit = c - 48;
    if (i === separator || digit < 0 || digit > 9) {
      i = lineStart;
      break;
    }
    let v = digit;
    digit = bytes[++i]! - 48;
    if (v === 0 && digit >= 0 && digit <= 9) {
      i = lineStart;
      break;
    }
    while (digit >= 0 && digit <= 9) {
      v = v * 10 + digit;
      digit = bytes[++i]! - 48;
    }
    if (i - targetStart > 7) {
      i = lineStart;
      break;
    }
    // Trailing spaces or tabs, then the line break (a \n after a \r that ends
    // the chunk is the caller's to skip).
    c = bytes[i]!;
    while (c === SPACE || c === TAB) c = bytes[++i]!;
    if (c === NEWLINE) i++;
    else if (c === CARRIAGE_RETURN) {
      i++;
      if (i < bytes.length && bytes[i] === NEWLINE) i++;
    } else {
      i = lineStart;
      break;
    }
    // Labels still arriving in order 0, 1, 2, … (see LabelInterner.ordered)
    // unless either is past the next in order; then this edge starts the
    // pending ones, and the order ends after u if u kept it (the breaking
    // label is then the first pending one past the order).
    const first = next;
    if (u === next) next++;
    if (v === next) next++;
    if (u >= next || v >= next) {
      ordered = u === first ? first + 1 : first;
      brokeAt = length;
      next = ORDER_CLOSED;
    }
    source[length] = u;
    target[length] = v;
    length++;
  }
  edges.length = length;
  order.next = brokeAt === -1 ? next : ordered;
  order.brokeAt = brokeAt;
  return i;
}

/**
 * What scanSimpleLines learns of the label order: given `next` (the next
 * label that keeps the order, or ORDER_CLOSED when it is already broken),
 * it leaves the labels read in order up to `next`, and the first edge that
 * broke the order, or −1.
 */
interface OrderScan {
  next: number;
  brokeAt: number;
}

/**
 * Replaces the integer labels that `scanSimpleLines` left in edges `from` …
 * edges.length − 1 with their ids, source before target, edge by edge: the
 * order LabelInterner.integer would have seen them in. A loop of its own so
 * the scanner stays small.
 */
function internPending(labels: LabelInterner, edges: EdgeBuffer, from: number): void {
  const { source, target, length } = edges;
  const pages = labels.pages;
  // Fixed for the pass: the first label pending that is not below it broke the order (see scanSimpleLines).
  const ordered = labels.ordered;
  for (let k = from; k < length; k++) {
    const u = source[k]!;
    const a = u < ordered ? u : pages[u >>> 16]![u & 0xffff]!;
    source[k] = a === -1 ? labels.addInteger(u) : a;
    const v = target[k]!;
    const b = v < ordered ? v : pages[v >>> 16]![v & 0xffff]!;
    target[k] = b === -1 ? labels.addInteger(v) : b;
  }
}

/** Chunks of bytes from any TextSource (strings are encoded as UTF-8). */
async function* byteChunks(source: TextSource): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  if (typeof source === 'string') {
    yield encoder.encode(source);
    return;
  }
  // Node's Buffers are Uint8Arrays of another map: a plain view over the same
  // bytes keeps the scanners monomorphic (a second map costs a deopt).
  for await (const chunk of source as AsyncIterable<string | Uint8Array>)
    yield typeof chunk === 'string'
      ? encoder.encode(chunk)
      : new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/** Options for {@link parseEdgeListFast}. */
export interface EdgeListFastOptions {
  /**
   * Keep the edge attributes of a `{...}` data column (all but `weight`) and
   * the line of every edge, in `attributes` and `lines`. Off, only the weight
   * is read and a warning names the attributes left out.
   */
  attributes?: boolean;
}

/**
 * Reads a plain edge list. Never throws on bad input. The syntax of a line is
 * edgeLine.ts's: `u v`, `u v w`, `u v {'weight': w, ...}`, quoted labels.
 *
 * @param input the bytes (a Node Readable, chunks, or a string)
 * @param file  the file's name, used in issues
 */
export async function parseEdgeListFast(
  input: TextSource,
  file: string,
  options: EdgeListFastOptions = {},
): Promise<EdgeListFastResult> {
  const log = new IssueLog(file);
  const labels = new LabelInterner();
  const edges = new EdgeBuffer();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const lossyDecoder = new TextDecoder('utf-8');
  /** 2 or 3 once the header or first edge line says; 2 is what scanSimpleLines reads. */
  let fieldsPerLine = 0;
  /** What the third field holds, from the first edge line on. */
  let dataKind: 'weight' | 'dict' | undefined;
  let firstEdgeLine = 0;
  let sawData = false;
  /** Any line but a blank one (a comment counts): a file without one is empty. */
  let sawText = false;
  /** Edges whose data column gave no weight, in a file where others do (read as 1), and the first one's line. */
  const weightless = { count: 0, line: 0 };
  /** Attributes of the data column not kept (options.attributes off), and the first line with one. */
  const leftOut = { names: new Set<string>(), line: 0 };
  const keep = options.attributes === true;
  const attributes: (Attributes | undefined)[] = [];
  const lines: number[] = [];
  const state: ScanState = { lineNumber: 0, skipNewline: false };
  // Edges from here on hold integer labels from scanSimpleLines, not ids yet;
  // they are interned before any other line is read, so ids still follow
  // first appearance.
  let pendingFrom = 0;
  const order: OrderScan = { next: 0, brokeAt: -1 };

  /** The line's text; undefined (with an issue naming the field that holds it) for a byte that is not UTF-8. */
  const lineText = (bytes: Uint8Array, start: number, end: number): string | undefined => {
    let ascii = true;
    for (let i = start; i < end; i++) if (bytes[i]! >= 128) ascii = false;
    const slice = bytes.subarray(start, end);
    // `apply` on the bytes, not a spread: a spread walks the array through its iterator.
    if (ascii)
      return end - start < 256
        ? String.fromCharCode.apply(null, slice as unknown as number[])
        : new TextDecoder('latin1').decode(slice);
    try {
      return decoder.decode(slice);
    } catch {
      // Split the lossy text to name the field the first bad byte is in.
      const lossy = lossyDecoder.decode(slice);
      const at = lossy.indexOf('\uFFFD');
      const split = splitEdgeLine(lossy.slice(0, at + 1));
      const field = 'fields' in split ? split.fields.length - 1 : split.index;
      log.add(state.lineNumber, edgeFieldName(Math.max(field, 0)), notUtf8Reason(firstInvalidByte(slice)));
      return undefined;
    }
  };

  /** The node id of a label. */
  const nodeOf = (label: string): number => {
    // Canonical decimal integers (no sign, no leading zero) go through the integer table.
    const length = label.length;
    if (length <= 8 && (length === 1 || label.charCodeAt(0) !== 48)) {
      let value = 0;
      let i = 0;
      for (; i < length; i++) {
        const digit = label.charCodeAt(i) - 48;
        if (digit < 0 || digit > 9) break;
        value = value * 10 + digit;
      }
      if (i === length && value < INTEGER_TABLE_LIMIT) return labels.integer(value);
    }
    return labels.text(label);
  };

  /** Parses one line (without its line break). */
  const readLine = (bytes: Uint8Array, start: number, end: number): void => {
    let i = start;
    // A byte-order mark before the first line.
    if (state.lineNumber === 1 && end - i >= 3 && bytes[i] === 0xef && bytes[i + 1] === 0xbb && bytes[i + 2] === 0xbf)
      i += 3;
    while (i < end && (bytes[i] === SPACE || bytes[i] === TAB)) i++;
    if (i === end) return;
    sawText = true;
    if (bytes[i] === HASH || bytes[i] === PERCENT) {
      // A comment is not read, but a file that is not UTF-8 is refused wherever it shows.
      const byte = end - i > MAX_LINE_CHARS ? undefined : firstInvalidByte(bytes.subarray(i, end));
      if (byte !== undefined) log.add(state.lineNumber, '', notUtf8Reason(byte));
      return;
    }
    if (end - start > MAX_LINE_CHARS) {
      log.add(state.lineNumber, '', `line is longer than ${MAX_LINE_CHARS} characters`);
      return;
    }
    const text = lineText(bytes, i, end);
    if (text === undefined) return;
    const split = splitEdgeLine(text);
    if (!('fields' in split)) {
      log.add(state.lineNumber, split.field, split.reason);
      return;
    }
    const fields = split.fields;
    const count = fields.length;
    if (!sawData) {
      sawData = true;
      const names = fields.map((field) => (field.kind === 'plain' ? field.text.toLowerCase() : ''));
      if (names[0] === 'source' && names[1] === 'target' && (count === 2 || (count === 3 && names[2] === 'weight'))) {
        fieldsPerLine = count;
        if (count === 3) {
          dataKind = 'weight';
          edges.weight = new Float64Array(edges.source.length);
        }
        return;
      }
    }
    if (count < 2 || count > 3) {
      log.add(
        state.lineNumber,
        count < 2 ? 'target' : '',
        count < 2
          ? 'missing target: expected "source target" or "source,target[,weight]"'
          : `expected 2 or 3 fields (source, target, weight), found ${count}; the third may be a {...} data column, and a label holding spaces needs "double quotes"`,
      );
      return;
    }
    const kind = count === 3 ? (fields[2]!.kind === 'dict' ? 'dict' : 'weight') : undefined;
    if (fieldsPerLine === 0) {
      fieldsPerLine = count;
      dataKind = kind;
      firstEdgeLine = state.lineNumber;
      if (kind === 'weight') edges.weight = new Float64Array(edges.source.length);
    } else if (count !== fieldsPerLine || kind !== dataKind) {
      const where = firstEdgeLine > 0 ? ` as on line ${firstEdgeLine}` : ' as the header says';
      log.add(
        state.lineNumber,
        count === 3 ? edgeFieldName(2, fields[2]!.kind) : '',
        count !== fieldsPerLine
          ? `expected ${fieldsPerLine} fields${where}, found ${count}`
          : `expected ${dataKind === 'dict' ? 'a {...} data column' : 'a weight'}${where}, found ${kind === 'dict' ? 'a {...} data column' : 'a weight'}`,
      );
      return;
    }
    let weight = 1;
    let extra: Attributes | undefined;
    if (count === 3) {
      const data = readEdgeData(fields[2]!);
      if (!('kind' in data)) {
        log.add(state.lineNumber, data.field, data.reason);
        return;
      }
      if (data.weight !== undefined) {
        weight = data.weight;
        // The first weight in a data column: the edges before it had none.
        if (edges.weight === null) edges.weight = new Float64Array(edges.source.length).fill(1);
      } else if (data.kind === 'dict' && weightless.count++ === 0) weightless.line = state.lineNumber;
      if (data.kind === 'dict' && Object.keys(data.attributes).length > 0) {
        if (keep) extra = data.attributes;
        else {
          if (leftOut.names.size === 0) leftOut.line = state.lineNumber;
          for (const name of Object.keys(data.attributes)) leftOut.names.add(name);
        }
      }
    }
    const u = nodeOf(fields[0]!.text);
    const v = nodeOf(fields[1]!.text);
    if (keep) {
      if (extra !== undefined) attributes[edges.length] = extra;
      lines.push(state.lineNumber);
    }
    edges.push(u, v, weight);
  };

  let pending: Uint8Array | null = null;
  // A line arriving in many chunks is gathered here and joined once its end
  // arrives: joining (and scanning back for a line break) on every chunk
  // would be quadratic in the line's length.
  let waiting: Uint8Array[] = [];
  let waitingLength = 0;
  for await (const chunk of byteChunks(input)) {
    let bytes: Uint8Array = chunk;
    if (pending !== null) {
      if (chunk.indexOf(NEWLINE) < 0 && chunk.indexOf(CARRIAGE_RETURN) < 0) {
        waiting.push(chunk);
        waitingLength += chunk.length;
        if (pending.length + waitingLength > MAX_LINE_CHARS + 3) {
          log.add(state.lineNumber + 1, '', `line is longer than ${MAX_LINE_CHARS} characters; stopped reading`);
          return log.failure() as EdgeListFastResult;
        }
        continue;
      }
      bytes = new Uint8Array(pending.length + waitingLength + chunk.length);
      bytes.set(pending);
      let at = pending.length;
      for (const part of waiting) {
        bytes.set(part, at);
        at += part.length;
      }
      bytes.set(chunk, at);
      pending = null;
      waiting = [];
      waitingLength = 0;
    }
    const length = bytes.length;
    let i = 0;
    if (state.skipNewline && length > 0) {
      if (bytes[0] === NEWLINE) i = 1;
      state.skipNewline = false;
    }
    // Lines starting before `complete` end inside this chunk (see scanSimpleLines).
    let complete = length;
    while (complete > i && bytes[complete - 1] !== NEWLINE && bytes[complete - 1] !== CARRIAGE_RETURN) complete--;
    // A simple line is at least 4 bytes ("0 1\n"), so this is room for all of this chunk's.
    edges.reserve(((complete - i) >>> 2) + 1);
    while (i < length) {
      // In slices, so the scanner returns often: V8 then optimises it as a
      // whole function once, not through on-stack replacement mid-loop
      // (two compiles, and a deopt at its first return).
      while (fieldsPerLine === 2 && i < complete) {
        const limit = Math.min(complete, i + SCAN_SLICE);
        const before = edges.length;
        // In order so far only if no label is waiting to be interned (edges pending follow a break).
        const inOrder = labels.ordered === labels.count && pendingFrom === before;
        order.next = inOrder ? labels.ordered : ORDER_CLOSED;
        i = scanSimpleLines(bytes, i, limit, edges, order);
        // One simple line per edge, in a row.
        if (keep) for (let k = before; k < edges.length; k++) lines.push(state.lineNumber + 1 + k - before);
        state.lineNumber += edges.length - before;
        if (inOrder) {
          // The edges before the order broke (if it did) hold their ids already.
          labels.extendOrdered(order.next);
          pendingFrom = order.brokeAt === -1 ? edges.length : order.brokeAt;
        }
        if (i < limit) break;
      }
      if (i === length && bytes[length - 1] === CARRIAGE_RETURN) state.skipNewline = true;
      if (i >= length) break;
      let lineEnd = i;
      while (lineEnd < length && bytes[lineEnd] !== NEWLINE && bytes[lineEnd] !== CARRIAGE_RETURN) lineEnd++;
      if (lineEnd === length) break;
      state.lineNumber++;
      internPending(labels, edges, pendingFrom);
      readLine(bytes, i, lineEnd);
      pendingFrom = edges.length;
      if (log.full) return log.failure() as EdgeListFastResult;
      i = lineEnd + 1;
      if (bytes[lineEnd] === CARRIAGE_RETURN) {
        if (i === length) state.skipNewline = true;
        else if (bytes[i] === NEWLINE) i++;
      }
    }
    if (i < length) {
      if (length - i > MAX_LINE_CHARS + 3) {
        log.add(state.lineNumber + 1, '', `line is longer than ${MAX_LINE_CHARS} characters; stopped reading`);
        return log.failure() as EdgeListFastResult;
      }
      pending = bytes.slice(i);
    }
  }
  internPending(labels, edges, pendingFrom);
  if (pending !== null && waiting.length > 0) {
    const whole = new Uint8Array(pending.length + waitingLength);
    whole.set(pending);
    let at = pending.length;
    for (const part of waiting) {
      whole.set(part, at);
      at += part.length;
    }
    pending = whole;
  }
  if (pending !== null && pending.length > 0) {
    state.lineNumber++;
    readLine(pending, 0, pending.length);
  }
  if (log.issues.length === 0 && edges.length === 0) {
    if (sawText) log.add(0, 'source', 'no edges: the file holds no "source target" line');
    else log.add(0, '', EMPTY_FILE);
  }
  if (log.issues.length > 0) return log.failure() as EdgeListFastResult;
  if (edges.weight !== null && weightless.count > 0)
    log.warn(
      weightless.line,
      'weight',
      `${weightless.count} edge(s) have no 'weight' in their data column; read with weight 1, as networkx's algorithms take them`,
    );
  if (leftOut.names.size > 0)
    log.warn(
      leftOut.line,
      DATA_FIELD,
      `edge attributes ${[...leftOut.names].map((name) => JSON.stringify(name)).join(', ')} of the {...} data column are not kept here, only the weight`,
    );
  const arrays = { ids: labels.labels(), ...edges.trimmed() };
  return keep
    ? { ok: true, warnings: log.warnings, ...arrays, attributes, lines: Int32Array.from(lines) }
    : { ok: true, warnings: log.warnings, ...arrays };
}

/**
 * {@link parseEdgeListFast} for callers that want the arrays or an exception.
 *
 * @example
 * const { ids, source, target, weight } = await readEdgeListFast(createReadStream(path), path);
 * @throws {InputError} listing every issue when the file is not a valid edge list
 */
export async function readEdgeListFast(
  input: TextSource,
  file: string,
): Promise<EdgeArrays & { warnings: InputIssue[] }> {
  const result = await parseEdgeListFast(input, file);
  if (!result.ok) throw new InputError(result.issues);
  const { ok: _ok, ...arrays } = result;
  return arrays;
}

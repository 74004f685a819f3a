/**
 * Shared plumbing for the research-format readers and writers: the result
 * type, the issue collector, the graph builder that refuses to merge or drop,
 * and small text helpers. See index.ts for the graph conventions.
 */
import Graph from 'graphology';
import { FORBIDDEN_KEYS, LIMITS, OcgnetError, type InputIssue } from '@ocgnet/schema';
import { escapedChunks, linesWithInvalidUtf8, notUtf8Reason, printable } from '../utf8.js';
import { EMPTY_FILE } from '../lines.js';

/** The research formats ocgnet reads and writes. */
export type ResearchFormat = 'edgelist-csv' | 'nodelist-csv' | 'graphml' | 'gexf' | 'pajek' | 'ucinet-dl';

/** What a parsed graph's `format` attribute says: a ResearchFormat, or a headerless edge list. */
export type ResearchGraphFormat = ResearchFormat | 'edgelist-plain';

/** Graph type as graphology names it. */
export type ResearchGraphType = 'directed' | 'undirected' | 'mixed';

/** Attributes every parsed graph carries. */
export interface ResearchGraphAttributes {
  [name: string]: unknown;
  format: ResearchGraphFormat;
  weighted: boolean;
  directed: boolean;
}

/** Outcome of a parse: a graph (with non-fatal warnings) or every issue found. */
export type ResearchParseResult =
  { ok: true; graph: Graph; warnings: InputIssue[] } | { ok: false; issues: InputIssue[]; warnings: InputIssue[] };

/** Anything a streaming reader accepts: a whole string, chunks, or a Node Readable (which is async-iterable). */
export type TextSource = string | AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>;

/** Longest physical line (or CSV record, XML token) accepted, in characters. */
export const MAX_LINE_CHARS = LIMITS.maxRecordBytes;
/** Deepest XML element nesting accepted; GraphML/GEXF need about 5. */
export const MAX_XML_DEPTH = 64;
/** Largest whole text read into memory for the non-streaming formats (XML, Pajek, DL). */
export const MAX_TEXT_CHARS = 256 * 1024 * 1024;
/** Issues kept before a parse gives up; a garbage file should not produce millions. */
export const MAX_ISSUES = 1000;

/**
 * Largest node count a header (`*Vertices n`, `dl n=`) may declare for a text
 * of this length. Unlisted vertices cost the file nothing, so without a bound
 * "n=999999999" would make us allocate a billion nodes; one node per byte of
 * file (or 100k for tiny files) is far more than any real file needs.
 */
export function declaredCountLimit(textLength: number): number {
  return Math.max(100_000, textLength);
}

/** Thrown by writers when a graph cannot be written faithfully (e.g. a label the format cannot quote). */
export class ResearchWriteError extends OcgnetError<'UNFAITHFUL_WRITE'> {
  override readonly name = 'ResearchWriteError';
  constructor(message: string) {
    super('UNFAITHFUL_WRITE', message);
  }
}

/**
 * Collects issues (fatal) and warnings for one file. Stops collecting after
 * MAX_ISSUES so hostile input cannot exhaust memory through error reports.
 */
export class IssueLog {
  readonly issues: InputIssue[] = [];
  readonly warnings: InputIssue[] = [];
  constructor(readonly file: string) {}

  /** True once the cap is reached; parsers should stop reading. */
  get full(): boolean {
    return this.issues.length > MAX_ISSUES;
  }

  add(line: number, field: string, reason: string): void {
    if (this.issues.length < MAX_ISSUES)
      this.issues.push({ file: this.file, line, field: printable(field), reason: printable(reason) });
    else if (this.issues.length === MAX_ISSUES) {
      this.issues.push({
        file: this.file,
        line,
        field: '',
        reason: `more than ${MAX_ISSUES} problems; stopped reading`,
      });
    }
  }

  warn(line: number, field: string, reason: string): void {
    if (this.warnings.length < MAX_ISSUES) this.warnings.push({ file: this.file, line, field, reason });
  }

  /** A failed result: issues ordered by file (first seen first), then line. */
  failure(): ResearchParseResult {
    const files = new Map<string, number>();
    for (const issue of this.issues) if (!files.has(issue.file)) files.set(issue.file, files.size);
    // Stable sort: csv-parse reports quoting errors before the rows around them reach us.
    const issues = [...this.issues].sort(
      (a, b) => (files.get(a.file) as number) - (files.get(b.file) as number) || a.line - b.line,
    );
    return { ok: false, issues, warnings: this.warnings };
  }

  /** Appends issues and warnings from another log (e.g. a companion node list). */
  absorb(other: IssueLog): void {
    for (const issue of other.issues) this.issues.push(issue);
    for (const warning of other.warnings) this.warnings.push(warning);
  }
}

/**
 * Node keys graphology 0.26 cannot hold: it keeps adjacency in plain objects,
 * so an edge *to* a node named after an Object.prototype member ("constructor",
 * "toString", "__proto__", ...) is wrongly seen as existing and addEdge throws.
 */
const RESERVED_NODE_KEYS: ReadonlySet<string> = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

/** Can this string be a node key? (See RESERVED_NODE_KEYS.) */
export function isReservedNodeKey(key: string): boolean {
  return RESERVED_NODE_KEYS.has(key);
}

/** Is this name unsafe as a key of a plain object? */
export function isForbiddenName(name: string): boolean {
  return FORBIDDEN_KEYS.has(name);
}

/**
 * Strict number parsing: a finite decimal or exponent literal, nothing else.
 * `Number('')` is 0 and `Number(' 0x10 ')` is 16, which is why we don't use it bare.
 */
export function parseStrictNumber(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : undefined;
}

/** Node attributes as the builder stores them. */
export type Attributes = Record<string, unknown>;

/** Creates an attribute bag without a prototype, so stray names cannot reach Object.prototype. */
export function newAttributes(): Attributes {
  return Object.create(null) as Attributes;
}

/**
 * Builds a graphology graph while checking every addition: duplicate node ids,
 * duplicate edges, edges to unknown nodes and forbidden attribute names become
 * issues instead of being merged, dropped or thrown.
 */
export class GraphBuilder {
  readonly graph: Graph;

  constructor(
    readonly log: IssueLog,
    readonly type: ResearchGraphType,
  ) {
    this.graph = new Graph({ type, multi: false, allowSelfLoops: true });
  }

  /**
   * Adds a node; returns false (with an issue) for a duplicate, empty or
   * reserved id or a bad attribute name. `log` defaults to the builder's own
   * (a companion node list passes its file's log).
   */
  addNode(key: string, attributes: Attributes, line: number, field: string, log: IssueLog = this.log): boolean {
    if (!this.checkKey(key, line, field, log)) return false;
    if (this.graph.hasNode(key)) {
      log.add(line, field, `duplicate node id ${JSON.stringify(key)}`);
      return false;
    }
    if (!this.checkAttributeNames(attributes, line, log)) return false;
    this.graph.addNode(key, { ...attributes, label: typeof attributes.label === 'string' ? attributes.label : key });
    return true;
  }

  /** Does the node exist? */
  hasNode(key: string): boolean {
    return this.graph.hasNode(key);
  }

  /** Adds a node with only its default label if it is not there yet (implicit node lists); false if the key is unusable. */
  ensureNode(key: string, line: number, field: string): boolean {
    if (this.graph.hasNode(key)) return true;
    if (!this.checkKey(key, line, field, this.log)) return false;
    this.graph.addNode(key, { label: key });
    return true;
  }

  private checkKey(key: string, line: number, field: string, log: IssueLog): boolean {
    if (key === '') log.add(line, field, 'empty node id');
    else if (isReservedNodeKey(key))
      log.add(line, field, `node id ${JSON.stringify(key)} is reserved (a JavaScript object member name)`);
    else return true;
    return false;
  }

  /**
   * Adds an edge. `fields` names the source and target columns/attributes for
   * issues. Unknown endpoints are issues, never created.
   */
  addEdge(
    source: string,
    target: string,
    directed: boolean,
    attributes: Attributes,
    line: number,
    fields: { source: string; target: string; key?: string },
    key?: string,
  ): boolean {
    let ok = true;
    if (source === '') {
      this.log.add(line, fields.source, 'empty edge endpoint');
      ok = false;
    } else if (!this.graph.hasNode(source)) {
      this.log.add(line, fields.source, `edge endpoint ${JSON.stringify(source)} is not a declared node`);
      ok = false;
    }
    if (target === '') {
      this.log.add(line, fields.target, 'empty edge endpoint');
      ok = false;
    } else if (!this.graph.hasNode(target)) {
      this.log.add(line, fields.target, `edge endpoint ${JSON.stringify(target)} is not a declared node`);
      ok = false;
    }
    if (!ok || !this.checkAttributeNames(attributes, line)) return false;
    const exists = directed ? this.graph.hasDirectedEdge(source, target) : this.graph.hasUndirectedEdge(source, target);
    if (exists) {
      const arrow = directed ? '->' : '--';
      this.log.add(line, fields.target, `duplicate edge ${JSON.stringify(source)} ${arrow} ${JSON.stringify(target)}`);
      return false;
    }
    const attrs = { ...attributes };
    if (key !== undefined) {
      if (this.graph.hasEdge(key)) {
        this.log.add(line, fields.key ?? 'id', `duplicate edge id ${JSON.stringify(key)}`);
        return false;
      }
      if (directed) this.graph.addDirectedEdgeWithKey(key, source, target, attrs);
      else this.graph.addUndirectedEdgeWithKey(key, source, target, attrs);
    } else if (directed) this.graph.addDirectedEdge(source, target, attrs);
    else this.graph.addUndirectedEdge(source, target, attrs);
    return true;
  }

  /** Sets the standard graph attributes and returns the result. */
  finish(format: ResearchGraphFormat, weighted: boolean, extra?: Attributes): ResearchParseResult {
    if (this.log.issues.length > 0) return this.log.failure();
    if (extra) {
      for (const [name, value] of Object.entries(extra)) {
        if (name === 'format' || name === 'weighted' || name === 'directed') {
          this.log.warn(0, name, `graph attribute ${JSON.stringify(name)} is reserved; the file's value was not kept`);
        } else this.graph.setAttribute(name, value);
      }
    }
    this.graph.mergeAttributes({ format, weighted, directed: this.type === 'directed' });
    return { ok: true, graph: this.graph, warnings: this.log.warnings };
  }

  private checkAttributeNames(attributes: Attributes, line: number, log: IssueLog = this.log): boolean {
    for (const name of Object.keys(attributes)) {
      if (isForbiddenName(name)) {
        log.add(line, name, `attribute name ${JSON.stringify(name)} is not allowed`);
        return false;
      }
    }
    return true;
  }
}

/** One physical line of a text file, with its 1-based number. */
export interface TextLine {
  text: string;
  line: number;
}

/**
 * Splits text into lines (LF, CRLF or CR), refusing any line longer than
 * MAX_LINE_CHARS with an issue; the long line is skipped.
 */
export function splitLines(text: string, log: IssueLog): TextLine[] {
  const out: TextLine[] = [];
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const parts = body.split(/\r\n|\r|\n/);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    if (part.length > MAX_LINE_CHARS) {
      log.add(i + 1, '', `line is longer than ${MAX_LINE_CHARS} characters`);
      continue;
    }
    out.push({ text: part, line: i + 1 });
  }
  return out;
}

/**
 * Decodes a chunk stream into strings. A byte that is not UTF-8 is never
 * turned into U+FFFD: it arrives escaped (see utf8.ts) for the reader to
 * report with its line, and the parse fails.
 */
export function decodeChunks(source: TextSource): AsyncGenerator<string> {
  return escapedChunks(source);
}

/** Is there nothing in the text but white space (a byte-order mark included)? */
export function isBlank(text: string): boolean {
  return /^[\s\uFEFF]*$/.test(text);
}

export { EMPTY_FILE } from '../lines.js';
/**
 * Reads a whole source into one string for the formats that need random
 * access (XML, Pajek, DL). Returns undefined (with an issue) past MAX_TEXT_CHARS,
 * for an empty file, or with an issue for each line holding a byte that is not UTF-8.
 */
export async function readAllText(
  source: TextSource,
  log: IssueLog,
  maxChars = MAX_TEXT_CHARS,
): Promise<string | undefined> {
  if (typeof source === 'string') return source;
  const parts: string[] = [];
  let size = 0;
  for await (const text of decodeChunks(source)) {
    size += text.length;
    if (size > maxChars) {
      log.add(0, '', `file is larger than ${maxChars} characters; this format is read whole`);
      return undefined;
    }
    parts.push(text);
  }
  const text = parts.join('');
  const bad = linesWithInvalidUtf8(text, MAX_ISSUES);
  for (const { line, byte } of bad) log.add(line, '', notUtf8Reason(byte));
  return bad.length > 0 ? undefined : text;
}

/** True (with an issue) when the text is empty: every format needs something in it. */
export function refuseEmpty(text: string, log: IssueLog): boolean {
  if (!isBlank(text)) return false;
  log.add(0, '', EMPTY_FILE);
  return true;
}

/** Label of a node for the label-keyed formats (Pajek, DL): its `label` attribute, else its key. */
export function nodeLabel(graph: Graph, node: string): string {
  const label: unknown = graph.getNodeAttribute(node, 'label');
  return typeof label === 'string' ? label : node;
}

/** Formats a number for text output: integers without a decimal point, others in shortest round-trip form. */
export function formatNumber(value: number): string {
  return String(value);
}

/** Mixed when the edges go both ways, else the one way they go; with no edges, the way the file declares. */
export function graphTypeOf(directions: readonly boolean[], declared: 'directed' | 'undirected'): ResearchGraphType {
  const anyDirected = directions.some(Boolean);
  const anyUndirected = directions.some((directed) => !directed);
  return anyDirected && anyUndirected
    ? 'mixed'
    : directions.length === 0
      ? declared
      : anyDirected
        ? 'directed'
        : 'undirected';
}

/** A token of a data line: its text, whether it was "quoted", and its line. */
export interface LineToken {
  text: string;
  quoted: boolean;
  line: number;
}

/**
 * Splits a data line into tokens at any character of `separators`, honouring
 * "double quotes" (Pajek and DL have no escapes). Undefined, with an issue,
 * for a quote that is not closed.
 */
export function tokenizeLine(text: string, line: number, separators: string, log: IssueLog): LineToken[] | undefined {
  const tokens: LineToken[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (separators.includes(c)) {
      i++;
      continue;
    }
    if (c === '"') {
      const end = text.indexOf('"', i + 1);
      if (end < 0) {
        log.add(line, 'label', 'unterminated quoted label');
        return undefined;
      }
      tokens.push({ text: text.slice(i + 1, end), quoted: true, line });
      i = end + 1;
      continue;
    }
    let end = i;
    while (end < text.length && !separators.includes(text[end] as string)) end++;
    tokens.push({ text: text.slice(i, end), quoted: false, line });
    i = end;
  }
  return tokens;
}

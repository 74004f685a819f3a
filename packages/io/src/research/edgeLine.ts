/**
 * The syntax of one line of a headerless edge list, the one tokenizer the
 * plain edge-list reader (edgeListFast.ts) and everything built on it use:
 *
 *   u v                       igraph write_edgelist, networkx data=False
 *   u v w                     write_weighted_edgelist, data=['weight'], igraph write_ncol
 *   u v {'weight': 81, ...}   networkx write_edgelist's default data column
 *   "Jon Smyth" "Ann Lee" 2   labels holding spaces, in double quotes
 *
 * Fields are separated by spaces or tabs, or by a comma (with optional spaces
 * around it). A double-quoted field may hold any character; `""` inside it is
 * one quote (as in CSV). The third field may be a Python dict literal, read by
 * a small literal parser (never evaluated): str keys; int, float, str, True,
 * False and None values.
 */
import { isForbiddenName, newAttributes, parseStrictNumber, type Attributes } from './common.js';

/** Names of the fields, for issues. */
export const EDGE_FIELD_NAMES = ['source', 'target', 'weight'] as const;

/** The field holding a Python dict, for issues. */
export const DATA_FIELD = 'data';

/** One field of a line: its text (unquoted), where it starts in the line, and how it was written. */
export interface EdgeField {
  text: string;
  start: number;
  kind: 'plain' | 'quoted' | 'dict';
}

/** A line's fields, or the first problem found in it: the field's name, and its index from 0. */
export type SplitLine = { fields: EdgeField[] } | { field: string; index: number; reason: string };

const SPACE = 32;
const TAB = 9;
const COMMA = 44;
const QUOTE = 34;

/** Is the character at `i` a space or tab? (Codes, not strings: this runs for every byte of a large file.) */
function isBlankAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c === SPACE || c === TAB;
}

/** The name of field `index` in issues. */
export function edgeFieldName(index: number, kind?: EdgeField['kind']): string {
  if (kind === 'dict') return DATA_FIELD;
  return EDGE_FIELD_NAMES[index] ?? `field ${index + 1}`;
}

/**
 * The end (exclusive) of a Python dict literal opening at `start`, found by
 * matching braces outside quoted strings; -1 when it is not closed. The
 * literal itself is read by {@link parsePythonDict}.
 */
function dictEnd(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === "'" || c === '"') {
      i++;
      while (i < text.length && text[i] !== c) i += text[i] === '\\' ? 2 : 1;
      if (i >= text.length) return -1;
    } else if (c === '{' || c === '[' || c === '(') depth++;
    else if (c === '}' || c === ']' || c === ')') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/**
 * Splits a data line (not blank, not a comment) into fields. Empty fields
 * (`a,,b`, a trailing comma), an unterminated quote, a quote inside an
 * unquoted field and text glued to a closing quote are problems.
 */
export function splitEdgeLine(text: string): SplitLine {
  const fields: EdgeField[] = [];
  const problem = (index: number, reason: string, kind?: EdgeField['kind']): SplitLine => ({
    field: edgeFieldName(index, kind),
    index,
    reason,
  });
  let i = 0;
  while (isBlankAt(text, i)) i++;
  while (i < text.length) {
    const index = fields.length;
    const start = i;
    let field: EdgeField;
    if (text[i] === '"') {
      let value = '';
      let j = i + 1;
      for (;;) {
        const close = text.indexOf('"', j);
        if (close < 0) return problem(index, 'unterminated quoted field: a "..." label needs its closing quote');
        value += text.slice(j, close);
        if (text[close + 1] !== '"') {
          j = close + 1;
          break;
        }
        value += '"';
        j = close + 2;
      }
      field = { text: value, start, kind: 'quoted' };
      i = j;
    } else if (text[i] === '{' && index >= 2) {
      const end = dictEnd(text, i);
      if (end < 0) return problem(index, 'the {...} data column is not closed', 'dict');
      field = { text: text.slice(i, end), start, kind: 'dict' };
      i = end;
    } else {
      for (let c = text.charCodeAt(i); i < text.length && c !== SPACE && c !== TAB && c !== COMMA;) {
        if (c === QUOTE)
          return problem(
            index,
            'a quote inside an unquoted field; put a label holding spaces or quotes in "double quotes"',
          );
        c = text.charCodeAt(++i);
      }
      if (i === start) return problem(index, 'empty field');
      field = { text: text.slice(start, i), start, kind: 'plain' };
    }
    fields.push(field);
    // The separator: blanks, a comma, or a comma with blanks around it.
    const afterField = i;
    while (isBlankAt(text, i)) i++;
    if (text.charCodeAt(i) === COMMA) {
      i++;
      while (isBlankAt(text, i)) i++;
      if (i === text.length) return problem(index + 1, 'empty field');
    }
    if (i === afterField && i < text.length)
      return problem(
        index,
        `unexpected ${JSON.stringify(text[i])} after the field; separate fields by spaces, tabs or a comma`,
        field.kind,
      );
  }
  return { fields };
}

/** What the third field of an edge line holds. */
export type EdgeData =
  { kind: 'weight'; weight: number } | { kind: 'dict'; weight: number | undefined; attributes: Attributes };

/** Reads a weight: a finite positive number, or the reason it is not one. */
export function readWeight(raw: string): number | string {
  const value = parseStrictNumber(raw);
  if (value === undefined) return `weight ${JSON.stringify(raw)} is not a number`;
  if (value <= 0) return `weight ${raw} is not positive`;
  return value;
}

/**
 * Reads the third field: a weight, or a Python dict whose `weight` (when
 * present) is the weight and whose other entries are edge attributes. A
 * string is the reason it is neither, with the field it names.
 */
export function readEdgeData(field: EdgeField): EdgeData | { field: string; reason: string } {
  if (field.kind !== 'dict') {
    const weight = readWeight(field.text);
    return typeof weight === 'string' ? { field: 'weight', reason: weight } : { kind: 'weight', weight };
  }
  const dict = parsePythonDict(field.text);
  if (typeof dict === 'string') return { field: DATA_FIELD, reason: dict };
  const { weight, ...rest } = dict;
  const attributes = newAttributes();
  for (const [name, value] of Object.entries(rest)) attributes[name] = value;
  if (weight === undefined) return { kind: 'dict', weight: undefined, attributes };
  if (typeof weight !== 'number') return { field: 'weight', reason: `weight ${pythonRepr(weight)} is not a number` };
  const checked = readWeight(String(weight));
  return typeof checked === 'string' ? { field: 'weight', reason: checked } : { kind: 'dict', weight, attributes };
}

/** A value as Python would show it, for issues. */
function pythonRepr(value: unknown): string {
  return typeof value === 'boolean' ? (value ? 'True' : 'False') : JSON.stringify(value);
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  n: '\n',
  r: '\r',
  t: '\t',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  '0': '\0',
};

/** Hex digits after \x, \u and \U. */
const HEX_ESCAPE_LENGTH: Record<string, number> = { x: 2, u: 4, U: 8 };

class LiteralError extends Error {}

/**
 * Parses the Python dict literal networkx's write_edgelist writes (`str()` of
 * the edge's data): `{}`, `{'weight': 81}`, `{'kind': 'call', 'ok': True}`.
 * Keys are str; values int, float, str, True, False or None (None means the
 * attribute is not set, as igraph and networkx use it for a missing value).
 * Anything else (lists, nested dicts, inf, nan, a forbidden or repeated key)
 * is refused: the result is then the reason, naming where it went wrong.
 */
export function parsePythonDict(text: string): Attributes | string {
  let i = 0;
  const fail = (what: string): never => {
    throw new LiteralError(`${what} at character ${i + 1} of ${text.length > 60 ? `${text.slice(0, 57)}...` : text}`);
  };
  const blanks = (): void => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const expect = (c: string): void => {
    blanks();
    if (text[i] !== c) fail(`expected ${JSON.stringify(c)}`);
    i++;
  };
  const string = (): string => {
    const quote = text[i];
    if (quote !== "'" && quote !== '"') fail('expected a quoted string');
    i++;
    let out = '';
    while (text[i] !== quote) {
      if (i >= text.length) fail('unterminated string');
      if (text[i] !== '\\') {
        out += text[i++];
        continue;
      }
      const escape = text[i + 1] ?? '';
      const simple = SIMPLE_ESCAPES[escape];
      const hexLength = HEX_ESCAPE_LENGTH[escape];
      if (simple !== undefined && Object.hasOwn(SIMPLE_ESCAPES, escape)) {
        out += simple;
        i += 2;
      } else if (hexLength !== undefined && Object.hasOwn(HEX_ESCAPE_LENGTH, escape)) {
        const hex = text.slice(i + 2, i + 2 + hexLength);
        const code = /^[0-9a-fA-F]+$/.test(hex) && hex.length === hexLength ? parseInt(hex, 16) : NaN;
        if (!(code <= 0x10ffff)) fail(`bad \\${escape} escape`);
        out += String.fromCodePoint(code);
        i += 2 + hexLength;
      } else fail(`unknown escape \\${escape}`);
    }
    i++;
    return out;
  };
  const value = (): unknown => {
    blanks();
    const c = text[i];
    if (c === "'" || c === '"') return string();
    const word = /^[A-Za-z_]\w*/.exec(text.slice(i))?.[0];
    if (word !== undefined) {
      const known = { True: true, False: false, None: null } as Record<string, boolean | null>;
      if (!Object.hasOwn(known, word))
        fail(
          word === 'inf' || word === 'nan'
            ? `${word} is not a finite number`
            : `${JSON.stringify(word)} is not a value`,
        );
      i += word.length;
      return known[word];
    }
    const number = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(text.slice(i))?.[0];
    if (number === undefined) fail('expected a number, a string, True, False or None');
    const parsed = parseStrictNumber(number!);
    if (parsed === undefined || (/^[+-]?\d+$/.test(number!) && !Number.isSafeInteger(parsed)))
      fail(`${number} cannot be held exactly`);
    i += number!.length;
    return parsed;
  };
  try {
    const attributes = newAttributes();
    expect('{');
    blanks();
    if (text[i] !== '}') {
      for (;;) {
        blanks();
        const key = string();
        if (isForbiddenName(key)) fail(`attribute name ${JSON.stringify(key)} is not allowed`);
        if (Object.hasOwn(attributes, key)) fail(`key ${JSON.stringify(key)} given twice`);
        expect(':');
        const entry = value();
        if (entry !== null) attributes[key] = entry;
        else attributes[key] = undefined;
        blanks();
        if (text[i] === ',') {
          i++;
          blanks();
          if (text[i] === '}') break;
          continue;
        }
        break;
      }
    }
    expect('}');
    blanks();
    if (i < text.length) fail('unexpected text after the dict');
    // None entries were kept only to catch a repeated key.
    for (const key of Object.keys(attributes)) if (attributes[key] === undefined) delete attributes[key];
    return attributes;
  } catch (error) {
    if (error instanceof LiteralError) return `not a Python dict literal: ${error.message}`;
    throw error;
  }
}

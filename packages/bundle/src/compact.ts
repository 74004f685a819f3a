/**
 * The compact form of a viewer bundle: the same document with every long
 * array of objects stored as columns (a table), so the attribute names are
 * written once instead of once per node, repeated values (markings, kinds,
 * gradings) are stored once with an index per row, and the graphs' edges
 * name their ends by node index. `decodeCompactBundle` gives back exactly the
 * bundle that was encoded (same values, same key order, so the same JSON
 * text) and checks it with `parseViewerBundle`.
 *
 * Browser-safe (no node built-ins). Tables:
 * `{ n, shapes: [[field…]…], shape: [shapeIndex per row], columns: { field: column } }`,
 * where a column holds the values of the rows that have the field, in row order, as
 * `{ values }`, `{ dict, index }`, `{ table }` (objects, nested) or `{ nodes }` (node indices).
 */
import { parseViewerBundle, type ViewerBundle } from './contract.js';

export const COMPACT_BUNDLE_FORMAT = 'ocgnet-viewer-bundle-compact';
export const COMPACT_BUNDLE_VERSION = 1;
/** The media type `/api/bundle` answers with when the compact form is asked for. */
export const COMPACT_BUNDLE_MEDIA_TYPE = 'application/vnd.ocgnet.bundle-compact+json';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

type Column =
  { values: Json[] } | { dict: Json[]; index: number[] } | { table: Table } | { nodes: number[] } | { pairKey: true };

interface Table {
  n: number;
  shapes: string[][];
  shape: number[];
  columns: Record<string, Column>;
}

export interface CompactBundle {
  format: typeof COMPACT_BUNDLE_FORMAT;
  version: typeof COMPACT_BUNDLE_VERSION;
  /** The bundle with its long arrays of objects as tables (`{ "~table": … }`). */
  body: Json;
}

/** Arrays of at least this many objects become tables; shorter ones are cheaper as they are. */
const TABLE_MIN_ROWS = 8;
const TABLE = '~table';
/** An object whose own keys start with `~` is wrapped, so it is never read as a table. */
const LITERAL = '~object';

export class CompactBundleError extends Error {
  override readonly name = 'CompactBundleError';
  constructor(reason: string) {
    super(`not a compact ocgnet viewer bundle: ${reason}`);
  }
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---- encoding ----------------------------------------------------------------

/** A column for these values: indices for node keys, a dictionary for repeated non-numbers, a nested table for objects. */
function encodeColumn(values: Json[], nodeIndex?: Map<string, number>): Column {
  if (nodeIndex !== undefined && values.every((value) => typeof value === 'string' && nodeIndex.has(value)))
    return { nodes: values.map((value) => nodeIndex.get(value as string)!) };
  if (values.some((value) => typeof value !== 'number')) {
    const dict: Json[] = [];
    const seen = new Map<string, number>();
    const index = values.map((value) => {
      const text = JSON.stringify(value);
      let at = seen.get(text);
      if (at === undefined) seen.set(text, (at = dict.push(value) - 1));
      return at;
    });
    if (dict.length * 4 <= values.length) return { dict, index };
    if (values.length >= TABLE_MIN_ROWS && values.every(isObject)) return { table: encodeTable(values) };
  }
  return { values };
}

function encodeTable(rows: JsonObject[], nodeIndex?: Map<string, number>): Table {
  const shapes: string[][] = [];
  const shapeIds = new Map<string, number>();
  const shape: number[] = [];
  const fields = new Map<string, Json[]>();
  for (const row of rows) {
    const keys = Object.keys(row);
    const id = JSON.stringify(keys);
    let at = shapeIds.get(id);
    if (at === undefined) shapeIds.set(id, (at = shapes.push(keys) - 1));
    shape.push(at);
    for (const key of keys) {
      let column = fields.get(key);
      if (column === undefined) fields.set(key, (column = []));
      column.push(row[key]!);
    }
  }
  const columns: Record<string, Column> = {};
  for (const [key, values] of fields) {
    const ends = key === 'source' || key === 'target' ? nodeIndex : undefined;
    columns[key] = encodeColumn(values, ends);
  }
  // A graph edge's key that is just its ends as JSON (the person projection's) is not stored.
  const keys = fields.get('key');
  const sources = fields.get('source');
  const targets = fields.get('target');
  if (
    keys !== undefined &&
    sources?.length === rows.length &&
    targets?.length === rows.length &&
    keys.length === rows.length &&
    keys.every((key, i) => key === JSON.stringify([sources[i], targets[i]]))
  )
    columns.key = { pairKey: true };
  return { n: rows.length, shapes, shape, columns };
}

function encodeValue(value: Json): Json {
  if (Array.isArray(value)) {
    if (value.length >= TABLE_MIN_ROWS && value.every(isObject))
      return { [TABLE]: encodeTable(value) as unknown as Json };
    return value.map(encodeValue);
  }
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [key, field] of Object.entries(value)) out[key] = encodeValue(field);
  return Object.keys(value).some((key) => key.startsWith('~')) ? { [LITERAL]: out } : out;
}

/** A serialized graph with its nodes and edges as tables, edge ends as node indices. */
function encodeGraph(graph: JsonObject): Json {
  const nodes = (graph.nodes ?? []) as JsonObject[];
  const nodeIndex = new Map(nodes.map((node, i) => [node.key as string, i]));
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(graph)) {
    if (key === 'nodes') out.nodes = { [TABLE]: encodeTable(nodes) as unknown as Json };
    else if (key === 'edges') out.edges = { [TABLE]: encodeTable(value as JsonObject[], nodeIndex) as unknown as Json };
    else out[key] = encodeValue(value);
  }
  return out;
}

/**
 * The compact form of a bundle as it travels in JSON (NaN and Infinity already null: encode
 * `JSON.parse(JSON text)` of the bundle, not the builder's object, when those may occur).
 */
export function encodeCompactBundle(bundle: ViewerBundle): CompactBundle {
  const source = bundle as unknown as JsonObject;
  const body: JsonObject = {};
  for (const [key, value] of Object.entries(source))
    body[key] = (key === 'graph' || key === 'network') && isObject(value) ? encodeGraph(value) : encodeValue(value);
  return { format: COMPACT_BUNDLE_FORMAT, version: COMPACT_BUNDLE_VERSION, body };
}

// ---- decoding ----------------------------------------------------------------

function expect(condition: boolean, reason: string): asserts condition {
  if (!condition) throw new CompactBundleError(reason);
}

function isIndexArray(value: unknown, length: number, below: number): value is number[] {
  return (
    Array.isArray(value) &&
    value.length === length &&
    value.every((item) => Number.isInteger(item) && (item as number) >= 0 && (item as number) < below)
  );
}

/** The values of a column of `count` rows. */
function decodeColumn(column: unknown, count: number, path: string, nodeKeys?: string[]): Json[] {
  expect(isObject(column), `${path}: a column must be an object`);
  if ('values' in column) {
    expect(Array.isArray(column.values) && column.values.length === count, `${path}: expected ${count} values`);
    return column.values;
  }
  if ('dict' in column) {
    const dict = column.dict;
    expect(Array.isArray(dict), `${path}: dict must be an array`);
    expect(isIndexArray(column.index, count, dict.length), `${path}: expected ${count} indices into the dict`);
    return column.index.map((at) => dict[at]!);
  }
  if ('table' in column) {
    const rows = decodeTable(column.table, `${path}.table`);
    expect(rows.length === count, `${path}: expected ${count} rows`);
    return rows;
  }
  if ('nodes' in column) {
    expect(nodeKeys !== undefined, `${path}: node indices outside a graph's edges`);
    expect(isIndexArray(column.nodes, count, nodeKeys.length), `${path}: expected ${count} node indices`);
    return column.nodes.map((at) => nodeKeys[at]!);
  }
  throw new CompactBundleError(`${path}: unknown column kind`);
}

function decodeTable(table: unknown, path: string, nodeKeys?: string[]): JsonObject[] {
  expect(isObject(table), `${path}: a table must be an object`);
  const { n, shapes, shape, columns } = table;
  expect(Number.isInteger(n) && (n as number) >= 0, `${path}.n: expected a row count`);
  const count = n as number;
  expect(
    Array.isArray(shapes) &&
      shapes.every((keys) => Array.isArray(keys) && keys.every((key) => typeof key === 'string')),
    `${path}.shapes: expected lists of field names`,
  );
  const shapeList = shapes;
  expect(isIndexArray(shape, count, shapeList.length), `${path}.shape: expected ${count} shape indices`);
  expect(isObject(columns), `${path}.columns: expected an object`);
  expect(!shapeList.some((keys) => keys.includes('__proto__')), `${path}.shapes: a field may not be named __proto__`);
  const present = new Map<string, number>();
  for (const at of shape) for (const key of shapeList[at]!) present.set(key, (present.get(key) ?? 0) + 1);
  const decoded = new Map<string, Json[]>();
  for (const [key, rows] of present) {
    const column = columns[key];
    if (isObject(column) && column.pairKey === true) continue;
    decoded.set(key, decodeColumn(column, rows, `${path}.columns.${key}`, nodeKeys));
  }
  const pairKey = isObject(columns.key) && columns.key.pairKey === true;
  const cursors = new Map<string, number>();
  const out: JsonObject[] = [];
  for (let row = 0; row < count; row++) {
    const item: JsonObject = {};
    for (const key of shapeList[shape[row]!]!) {
      if (key === 'key' && pairKey) {
        item.key = null; // placed now so the key keeps its place; filled once the ends are read
        continue;
      }
      const at = cursors.get(key) ?? 0;
      cursors.set(key, at + 1);
      item[key] = decoded.get(key)![at]!;
    }
    if (pairKey) {
      expect(
        typeof item.source === 'string' && typeof item.target === 'string',
        `${path}: a paired key needs its ends`,
      );
      item.key = JSON.stringify([item.source, item.target]);
    }
    out.push(item);
  }
  return out;
}

function decodeValue(value: unknown, path: string): Json {
  if (Array.isArray(value)) return value.map((item, i) => decodeValue(item, `${path}.${i}`));
  if (!isObject(value)) return value as Json;
  if (TABLE in value) return decodeTable(value[TABLE], path);
  const source = LITERAL in value ? value[LITERAL] : value;
  expect(isObject(source), `${path}: expected an object`);
  expect(!Object.hasOwn(source, '__proto__'), `${path}: a field may not be named __proto__`);
  const out: JsonObject = {};
  for (const [key, field] of Object.entries(source)) out[key] = decodeValue(field, `${path}.${key}`);
  return out;
}

function decodeGraph(graph: JsonObject, path: string): Json {
  const out: JsonObject = {};
  const nodes = isObject(graph.nodes) ? decodeTable(graph.nodes[TABLE], `${path}.nodes`) : [];
  const nodeKeys = nodes.map((node) => node.key as string);
  for (const [key, value] of Object.entries(graph)) {
    if (key === 'nodes') out.nodes = nodes;
    else if (key === 'edges') {
      expect(isObject(value), `${path}.edges: expected a table`);
      out.edges = decodeTable(value[TABLE], `${path}.edges`, nodeKeys);
    } else out[key] = decodeValue(value, `${path}.${key}`);
  }
  return out;
}

/** The bundle a compact form was made from, checked by `parseViewerBundle`; throws on anything else. */
export function decodeCompactBundle(compact: unknown): ViewerBundle {
  expect(isObject(compact), 'expected a JSON object');
  expect(compact.format === COMPACT_BUNDLE_FORMAT, `format must be "${COMPACT_BUNDLE_FORMAT}"`);
  expect(compact.version === COMPACT_BUNDLE_VERSION, `version must be ${COMPACT_BUNDLE_VERSION}`);
  expect(isObject(compact.body), 'body must be an object');
  const bundle: JsonObject = {};
  for (const [key, value] of Object.entries(compact.body))
    bundle[key] =
      (key === 'graph' || key === 'network') && isObject(value) ? decodeGraph(value, key) : decodeValue(value, key);
  return parseViewerBundle(bundle);
}

/**
 * What kind of input a file is, from its name and its first bytes: the one
 * rule the CLI (which files to read, and how) and `parseResearchGraph` (which
 * research format) both follow.
 *
 * - The extension decides where it can: `.graphml`, `.gexf`, `.net`/`.paj`
 *   and `.dl` are research formats, `.json` records, `.ndjson`/`.jsonl` NDJSON
 *   (records or an ocgnet graph file), and `.txt`, `.edges`, `.edgelist`,
 *   `.el`, `.tsv`, `.ncol` headerless edge lists (`u v`, `u,v[,w]` or
 *   `u v {...}` lines).
 * - A `.csv` is told by its first line that is not blank: an edge (a digit) or
 *   a comment (`#`, `%`) makes it a headerless edge list; a header with
 *   `id,kind` or `type,from,to` is an entities.csv or links.csv; `source` and
 *   `target` an edge list, `id` a node list (names compared case-insensitively).
 * - A name without an extension whose first lines (not blank, not comments;
 *   up to ten) are edge lines of one shape (`u v`, `u v w`, `u v {...}`) is a
 *   headerless edge list.
 * - Any other name is an unknown type. Its opening may still read as a
 *   research format (`<graphml`, `<gexf`, `DL`, `*Vertices`, or a CSV edge- or
 *   node-list header), and so may a plain edge list's: that is `research`.
 * - `empty`: the file holds nothing but white space (the readers would each
 *   say so: `file is empty`). Only a head that is the whole file can tell.
 */
import type { ResearchFormat } from './research/common.js';
import { recordCsvKind, type RecordCsvKind } from './records/columns.js';
import { readEdgeData, splitEdgeLine } from './research/edgeLine.js';

/** What a file is to ocgnet. `research`, where present, is the research format its content reads as. */
export type InputClass =
  | { kind: 'empty' }
  | { kind: 'records-csv'; table: RecordCsvKind }
  | { kind: 'records-json' }
  | { kind: 'ndjson' }
  | { kind: 'research'; research: ResearchFormat }
  | { kind: 'plain-edge-list'; research?: ResearchFormat }
  | { kind: 'unknown'; reason: string; research?: ResearchFormat };

/** The start of a file: its text, and whether that is all of it. A plain string is taken as the start only. */
export interface InputHead {
  text: string;
  whole: boolean;
}

/** How many characters of a file {@link classifyInput} looks at; a reader need give no more. */
export const CLASSIFY_HEAD_CHARS = 64 * 1024;

// Maps, not object literals: an extension such as ".constructor" must not find Object.prototype members.
const RESEARCH_BY_EXTENSION = new Map<string, ResearchFormat>([
  ['graphml', 'graphml'],
  ['gexf', 'gexf'],
  ['net', 'pajek'],
  ['paj', 'pajek'],
  ['dl', 'ucinet-dl'],
]);
const RECORDS_BY_EXTENSION = new Map<string, 'records-json' | 'ndjson'>([
  ['json', 'records-json'],
  ['ndjson', 'ndjson'],
  ['jsonl', 'ndjson'],
]);
/** Extensions of headerless edge lists, as igraph, networkx, SNAP and KONECT write them. */
const PLAIN_EDGE_LIST_EXTENSIONS = new Set(['txt', 'edges', 'edgelist', 'el', 'tsv', 'ncol']);

const CSV_HEADER_UNKNOWN =
  'CSV header fits no known format (entities.csv, links.csv, an edge list source,target[,weight] or a node list id,...)';

/** The last segment of a path. */
function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/** The lower-cased extension of a file name, without the dot ('' when none), as Node's `extname` finds it. */
function extensionOf(fileName: string): string {
  const base = baseName(fileName);
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot + 1).toLowerCase();
}

/** The first line that is not blank (byte-order mark dropped); undefined when there is none. */
function firstLine(text: string): string | undefined {
  return text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\r|\n/)
    .find((line) => line.trim() !== '');
}

/** A header line's cells, trimmed and unquoted (enough for a header row of names). */
function headerCells(line: string): string[] {
  return line.split(',').map((cell) => cell.trim().replace(/^"|"$/g, '').trim());
}

/** Is the CSV header an edge list, a node list, or neither (ocgnet's own record CSVs among them)? */
function researchCsv(cells: readonly string[]): ResearchFormat | undefined {
  const names = cells.map((cell) => cell.toLowerCase());
  if (names.includes('source') && names.includes('target')) return 'edgelist-csv';
  // Node lists of records carry kind/type columns; those belong to the record readers.
  if (names.includes('id') && !names.includes('kind') && !names.includes('type')) return 'nodelist-csv';
  return undefined;
}

/** Recognises the research formats by their opening, the CSV ones by their header. */
function researchOpening(text: string): ResearchFormat | undefined {
  const head = text.replace(/^\uFEFF/, '').trimStart();
  const lower = head.slice(0, 4096).toLowerCase();
  if (lower.startsWith('<')) {
    if (lower.includes('<graphml')) return 'graphml';
    if (lower.includes('<gexf')) return 'gexf';
    return undefined;
  }
  if (/^dl(\s|$)/.test(lower)) return 'ucinet-dl';
  if (/^(%[^\n]*\n\s*)*\*(vertices|network)\b/.test(lower)) return 'pajek';
  const line = firstLine(head);
  return line === undefined ? undefined : researchCsv(headerCells(line));
}

/** Lines of a head an extensionless file must open with, all edge lines of one shape, to be a plain edge list. */
const EDGE_LINES_TO_SNIFF = 10;

/**
 * Are the first lines that are neither blank nor a comment (up to
 * EDGE_LINES_TO_SNIFF, the last one possibly cut off by the head left out)
 * edge lines of one shape (`u v`, `u v w`, `u v {...}`)? Prose rarely keeps
 * two or three words a line for long.
 */
function looksLikeEdgeList(head: InputHead): boolean {
  const lines = head.text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  if (!head.whole && lines.length > 1) lines.pop();
  const data = lines.filter((line) => line.trim() !== '' && !/^\s*[#%]/.test(line)).slice(0, EDGE_LINES_TO_SNIFF);
  const shapes = new Set<string>();
  for (const line of data) {
    const split = splitEdgeLine(line);
    if (!('fields' in split) || split.fields.length < 2 || split.fields.length > 3) return false;
    const third = split.fields[2];
    if (third !== undefined && !('kind' in readEdgeData(third))) return false;
    shapes.add(third === undefined ? 'pair' : third.kind === 'dict' ? 'dict' : 'weight');
  }
  return data.length > 0 && shapes.size === 1;
}

function headOf(firstBytes: string | Uint8Array | InputHead): InputHead {
  if (typeof firstBytes === 'string') return { text: firstBytes, whole: false };
  if (firstBytes instanceof Uint8Array)
    return { text: new TextDecoder('utf-8').decode(firstBytes.subarray(0, CLASSIFY_HEAD_CHARS)), whole: false };
  return firstBytes;
}

/**
 * Classifies an input file by its name and, where the name is not enough,
 * by its first bytes (up to {@link CLASSIFY_HEAD_CHARS} characters are read).
 *
 * @param fileName  the file's name or path
 * @param firstBytes the start of the content; give `{ text, whole }` so that
 *   an empty file can be told. Without it, a file the name does not decide
 *   comes back `unknown`.
 */
export function classifyInput(fileName: string, firstBytes?: string | Uint8Array | InputHead): InputClass {
  const extension = extensionOf(fileName);
  const head = firstBytes === undefined ? undefined : headOf(firstBytes);
  if (head !== undefined && head.whole && firstLine(head.text) === undefined) return { kind: 'empty' };

  const research = RESEARCH_BY_EXTENSION.get(extension);
  if (research !== undefined) return { kind: 'research', research };
  const records = RECORDS_BY_EXTENSION.get(extension);
  if (records !== undefined) return { kind: records };
  const opening = head === undefined ? undefined : researchOpening(head.text);
  if (PLAIN_EDGE_LIST_EXTENSIONS.has(extension))
    return opening === undefined ? { kind: 'plain-edge-list' } : { kind: 'plain-edge-list', research: opening };
  if (extension === 'csv') {
    if (head === undefined)
      return { kind: 'unknown', reason: 'a CSV file is told by its header: its first line is needed' };
    const line = firstLine(head.text) ?? '';
    // A CSV whose first line is already an edge (or a comment) is a headerless edge list.
    if (/^\s*([0-9]|#|%)/.test(line)) return { kind: 'plain-edge-list' };
    const cells = headerCells(line);
    const table = recordCsvKind(cells);
    if (table !== undefined) return { kind: 'records-csv', table };
    const csv = researchCsv(cells);
    return csv === undefined ? { kind: 'unknown', reason: CSV_HEADER_UNKNOWN } : { kind: 'research', research: csv };
  }
  // networkx and igraph write edge lists under any name, often none: the first line decides.
  if (extension === '' && opening === undefined && head !== undefined && looksLikeEdgeList(head))
    return { kind: 'plain-edge-list' };
  const reason = `unknown file type ${JSON.stringify(extension === '' ? baseName(fileName) : `.${extension}`)}; see 'ocgnet --help' for the formats`;
  return opening === undefined ? { kind: 'unknown', reason } : { kind: 'unknown', reason, research: opening };
}

/** The research format a classified file reads as, if any. */
export function researchFormatOf(input: InputClass): ResearchFormat | undefined {
  return 'research' in input ? input.research : undefined;
}

/**
 * Detects the research format of a file from its name and first bytes
 * (a few kilobytes are plenty). Returns undefined when it is none of them.
 *
 * @param fileName   the file's name or path; the extension decides when known
 * @param firstBytes the start of the content, needed for `.csv` and unknown extensions
 */
export function detectResearchFormat(fileName: string, firstBytes?: string | Uint8Array): ResearchFormat | undefined {
  return researchFormatOf(classifyInput(fileName, firstBytes));
}

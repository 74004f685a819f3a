/**
 * Picks a research format from a file name and, where the extension is not
 * enough (CSV, .txt), from the first bytes.
 */
import type { ResearchFormat } from './common.js';

// A Map, not an object literal: an extension such as ".constructor" must not find Object.prototype members.
const BY_EXTENSION = new Map<string, ResearchFormat>([
  ['graphml', 'graphml'],
  ['gexf', 'gexf'],
  ['net', 'pajek'],
  ['paj', 'pajek'],
  ['dl', 'ucinet-dl'],
]);

/** First line of a CSV sample, split naively (enough for a header row of names). */
function headerNames(sample: string): string[] {
  const first = sample.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/, 1)[0] ?? '';
  return first.split(',').map((cell) => cell.trim().replace(/^"|"$/g, '').trim().toLowerCase());
}

/** Is the CSV header an edge list, a node list, or neither (e.g. ocgnet's own record CSVs)? */
function sniffCsv(sample: string): ResearchFormat | undefined {
  const names = headerNames(sample);
  if (names.includes('source') && names.includes('target')) return 'edgelist-csv';
  // Node lists of records carry kind/type columns; those belong to the record importers.
  if (names.includes('id') && !names.includes('kind') && !names.includes('type')) return 'nodelist-csv';
  return undefined;
}

/** Recognises the text formats by their opening. */
function sniffText(sample: string): ResearchFormat | undefined {
  const head = sample.replace(/^\uFEFF/, '').trimStart();
  const lower = head.slice(0, 4096).toLowerCase();
  if (lower.startsWith('<')) {
    if (lower.includes('<graphml')) return 'graphml';
    if (lower.includes('<gexf')) return 'gexf';
    return undefined;
  }
  if (/^dl(\s|$)/.test(lower)) return 'ucinet-dl';
  if (/^(%[^\n]*\n\s*)*\*(vertices|network)\b/.test(lower)) return 'pajek';
  return sniffCsv(head);
}

/**
 * Detects the research format of a file from its name and first bytes
 * (a few kilobytes are plenty). Returns undefined when it is none of them.
 *
 * @param fileName   the file's name or path; the extension decides when known
 * @param firstBytes the start of the content, needed for `.csv` and unknown extensions
 */
export function detectResearchFormat(fileName: string, firstBytes?: string | Uint8Array): ResearchFormat | undefined {
  const extension = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase() ?? '';
  const known = BY_EXTENSION.get(extension);
  if (known) return known;
  if (firstBytes === undefined) return undefined;
  const sample = typeof firstBytes === 'string' ? firstBytes : new TextDecoder('utf-8').decode(firstBytes.subarray(0, 65536));
  return extension === 'csv' ? sniffCsv(sample) : sniffText(sample);
}

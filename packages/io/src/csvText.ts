/**
 * RFC 4180 CSV text: a cell is quoted when it holds a comma, quote, CR or LF,
 * or starts or ends with whitespace, and quotes inside are doubled. Nothing else is changed, so a record written
 * here reads back byte for byte.
 */
export function csvCell(value: string): string {
  // Surrounding whitespace is quoted too, so no spreadsheet or reader trims it away.
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** One CSV line, with its trailing newline. */
export function csvLine(cells: readonly string[]): string {
  return `${cells.map(csvCell).join(',')}\n`;
}

/** A plain number: kept as it is, since "-5" is data, not a formula. */
const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
/** What a spreadsheet may run as a formula: = + - @ tab CR or NUL first, even after leading spaces. */
const FORMULA_START = /^[ ]*[=+\-@\t\r\u0000]/;

/**
 * Text made safe for a spreadsheet: a leading `'` on anything that could be
 * read as a formula (CSV formula injection). `keepNumbers` leaves plain
 * numbers such as "-5" alone: right for research data, where a negative
 * weight is data; partner-facing exports neutralise every such cell.
 */
export function spreadsheetSafe(text: string, { keepNumbers = false }: { keepNumbers?: boolean } = {}): string {
  if (!FORMULA_START.test(text)) return text;
  return keepNumbers && PLAIN_NUMBER.test(text) ? text : `'${text}`;
}

/** One CSV cell for files meant to be opened in a spreadsheet: neutralised, then quoted. */
export function spreadsheetCsvCell(value: string | number | boolean | null | undefined): string {
  return csvCell(spreadsheetSafe(value === null || value === undefined ? '' : String(value)));
}

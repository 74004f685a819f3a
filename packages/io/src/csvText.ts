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

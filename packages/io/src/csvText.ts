/**
 * RFC 4180 CSV text: a cell is quoted when it holds a comma, quote, CR or LF,
 * and quotes inside are doubled. Nothing else is changed, so a record written
 * here reads back byte for byte.
 */
export function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** One CSV line, with its trailing newline. */
export function csvLine(cells: readonly string[]): string {
  return `${cells.map(csvCell).join(',')}\n`;
}

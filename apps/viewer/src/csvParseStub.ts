/**
 * Stand-in for `csv-parse` in the browser build: @ocgnet/io's CSV readers
 * import it, the viewer never calls them (see nodeStream.ts), and the real
 * module needs Node's Buffer and streams.
 */
export function parse(): never {
  throw new Error('CSV is not read in the viewer; open a bundle, GEXF or GraphML file');
}
export class CsvError extends Error {}

/**
 * @ocgnet/io/browser: the part of @ocgnet/io that runs in a browser or a
 * Worker. Everything here works on strings, bytes and async iterables: the
 * research parsers that read a whole text (GraphML, GEXF, Pajek, UCINET DL)
 * and the plain edge-list reader, every writer, the input classifier, the
 * record columns, collector and writers, and the ocgnet graph file.
 *
 * Left out, in the Node entry (`@ocgnet/io`) only: the readers built on
 * csv-parse and Node streams (`readRecordCsv`, `readRecordJson`,
 * `readRecordNdjson`, `parseEdgeListCsv`, `parseNodeListCsv`, and
 * `parseResearchGraph`, which dispatches to them). test/browser.test.ts
 * fails if anything reachable from here imports a Node built-in or csv-parse.
 */
export {
  MAX_ISSUES,
  MAX_LINE_CHARS,
  MAX_TEXT_CHARS,
  MAX_XML_DEPTH,
  ResearchWriteError,
  isReservedNodeKey,
  type ResearchFormat,
  type ResearchGraphAttributes,
  type ResearchGraphType,
  type ResearchParseResult,
  type TextSource,
} from './research/common.js';
export {
  CLASSIFY_HEAD_CHARS,
  classifyInput,
  detectResearchFormat,
  researchFormatOf,
  type InputClass,
  type InputHead,
} from './classify.js';
export {
  parseEdgeListFast,
  readEdgeListFast,
  type EdgeArrays,
  type EdgeListFastResult,
} from './research/edgeListFast.js';
export { parallelEdgesMerged } from './research/repeatedEdges.js';
export { researchCsvCell, writeEdgeListCsv, type CsvWriteOptions } from './research/edgeListWrite.js';
export { parseGexf, writeGexf } from './research/gexf.js';
export { parseGraphML, writeGraphML } from './research/graphml.js';
export { parsePajek, writePajek, type PajekOptions } from './research/pajek.js';
export { parseDl, writeDl, type DlOptions, type DlWriteOptions } from './research/ucinetDl.js';
export { writeResearchGraph } from './research/write.js';
export * from './records/columns.js';
export * from './records/collector.js';
export * from './records/writers.js';
export * from './graphFile.js';
export * from './lines.js';
export * from './csvText.js';

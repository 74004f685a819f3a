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

// What a file is: the one input classifier.
export { CLASSIFY_HEAD_CHARS, classifyInput, detectResearchFormat, type InputClass } from './classify.js';
export { EMPTY_FILE } from './lines.js';

// Research graph formats: what every parser returns and every writer refuses.
export {
  ResearchWriteError,
  isReservedNodeKey,
  type ResearchFormat,
  type ResearchParseResult,
} from './research/common.js';

// The parsers that read a whole text, and the plain edge-list reader with its rule for a repeated edge.
export { parseGexf } from './research/gexf.js';
export { parseGraphML } from './research/graphml.js';
export { parsePajek } from './research/pajek.js';
export { parseDl } from './research/ucinetDl.js';
export {
  parseEdgeListFast,
  readEdgeListFast,
  type EdgeArrays,
  type EdgeListFastOptions,
} from './research/edgeListFast.js';
export { parsePlainEdgeList, type PlainEdgeListOptions } from './research/plainEdgeList.js';
export { parallelEdgesMerged } from './research/repeatedEdges.js';

// The research writers, by format or by name.
export { researchCsvCell, writeEdgeListCsv } from './research/edgeListWrite.js';
export { writeGexf } from './research/gexf.js';
export { writeGraphML } from './research/graphml.js';
export { writePajek } from './research/pajek.js';
export { writeDl } from './research/ucinetDl.js';
export { writeResearchGraph } from './research/write.js';

// Intelligence records: the columns, the collector and the writers.
export { ENTITY_COLUMNS, LINK_COLUMNS, entityToCells, linkToCells } from './records/columns.js';
export { RecordCollector, type RejectedRecord } from './records/collector.js';
export { entitiesCsvLines, linksCsvLines, recordNdjsonLines } from './records/writers.js';

// The ocgnet graph file.
export { graphFileHeader, researchGraphFileLines, type InputDigest } from './graphFile.js';

// CSV lines, and cells neutralised for spreadsheets.
export { csvLine, spreadsheetCsvCell } from './csvText.js';

/**
 * @ocgnet/io: what goes in and out, as strings and streams.
 * Importers and exporters for intelligence records, the ocgnet graph file and
 * the research formats. No file system access: callers pass streams.
 *
 * This entry is for Node. `@ocgnet/io/browser` (browser.ts) is the part
 * that runs in a browser: all of this except the readers built on csv-parse
 * and Node streams.
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

// The research readers: any format by name or content, the CSV edge and node lists, the parsers
// that read a whole text, and the plain edge-list reader with its rule for a repeated edge.
export { parseResearchGraph } from './research/index.js';
export { parseEdgeListCsv, parseNodeListCsv } from './research/edgeList.js';
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

// Intelligence records: the readers, the columns, the collector and the writers.
export { readRecordCsv, readRecordJson, readRecordNdjson } from './records/readers.js';
export { ENTITY_COLUMNS, LINK_COLUMNS, entityToCells, linkToCells } from './records/columns.js';
export { RecordCollector, type RejectedRecord } from './records/collector.js';
export { entitiesCsvLines, linksCsvLines, recordNdjsonLines } from './records/writers.js';

// The ocgnet graph file.
export { graphFileHeader, researchGraphFileLines, type InputDigest } from './graphFile.js';

// CSV lines, and cells neutralised for spreadsheets.
export { csvLine, spreadsheetCsvCell } from './csvText.js';

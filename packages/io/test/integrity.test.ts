/**
 * Input is rejected or kept, never changed: a byte that is not UTF-8 is
 * refused by every reader with its file, line and (in a CSV cell or a JSON
 * string) field; a record over the size limit is refused before it is held,
 * naming its field; a file that failed to parse reports one error, not a
 * cascade; an empty file says it is empty.
 */
import { describe, expect, it } from 'vitest';
import { LIMITS, type InputIssue } from '@ocgnet/schema';
import {
  parseDl,
  parseEdgeListCsv,
  parseEdgeListFast,
  parseGexf,
  parseGraphML,
  parseNodeListCsv,
  parsePajek,
  parseResearchGraph,
  readRecordCsv,
  readRecordJson,
  readRecordNdjson,
  type ResearchParseResult,
} from '../src/index.js';
import { Utf8Scanner, escapedText } from '../src/utf8.js';
import { issuesOf, readRecords as read } from './input.fixtures.js';

const encoder = new TextEncoder();
/** Bytes of `text` with every `\u0001` replaced by the byte 0xE9 (é in Latin-1, not UTF-8 on its own). */
function latin1Slip(text: string, byte = 0xe9): Uint8Array {
  const out: number[] = [];
  for (const part of text.split('\u0001').flatMap((piece, index) => (index === 0 ? [piece] : [null, piece]))) {
    if (part === null) out.push(byte);
    else out.push(...encoder.encode(part));
  }
  return Uint8Array.from(out);
}
/** The same bytes one at a time: every character split across chunks. */
const byteByByte = (bytes: Uint8Array): Uint8Array[] => Array.from(bytes, (byte) => Uint8Array.of(byte));
const reason = (byte: number) =>
  `is not valid UTF-8 (byte 0x${byte.toString(16).toUpperCase()}); save the file as UTF-8`;

const where = (issues: InputIssue[]) =>
  issues.map((issue) => `${issue.file}:${issue.line}:${issue.field}: ${issue.reason}`);

const ENTITY_HEADER = 'schema_version,id,kind,label\n';
const LINK_HEADER = 'schema_version,id,type,from,to,source,source_eval,intel_assessment,handling_code\n';

describe('the UTF-8 scanner', () => {
  it('finds exactly the bytes that are not UTF-8, wherever the chunks split, and nothing in valid text', () => {
    const valid = encoder.encode('aé€😀\uFEFFz');
    const invalid = Uint8Array.from([0x61, 0xe9, 0x62, 0xf0, 0x9f, 0x98, 0xc0, 0xaf, 0xed, 0xa0, 0x80, 0xe2, 0x82]);
    for (const bytes of [valid, invalid]) {
      for (let cut = 0; cut <= bytes.length; cut++) {
        const scanner = new Utf8Scanner();
        let text = '';
        for (const part of [bytes.subarray(0, cut), bytes.subarray(cut)]) {
          const { bytes: ready, invalid: bad } = scanner.push(part);
          text += escapedText(ready, bad);
        }
        const end = scanner.end();
        text += escapedText(end.bytes, end.invalid);
        if (bytes === valid) expect(text).toBe('aé€😀\uFEFFz');
        // Each bad byte is kept, escaped, never merged into a U+FFFD.
        else
          expect([...text].map((c) => c.codePointAt(0)!.toString(16))).toEqual([
            '61',
            'dce9',
            '62',
            'dcf0',
            'dc9f',
            'dc98',
            'dcc0',
            'dcaf',
            'dced',
            'dca0',
            'dc80',
            'dce2',
            'dc82',
          ]);
      }
    }
  });
});

describe('a byte that is not UTF-8 is refused, naming file, line and field', () => {
  it('entities.csv: two ids differing only in that byte are both refused, not merged into one', async () => {
    const bytes = latin1Slip(`${ENTITY_HEADER}1,P\u0001,person,A\n1,P\u0001,person,B\n`);
    bytes[bytes.lastIndexOf(0xe9)] = 0xe8;
    for (const chunks of [[bytes], byteByByte(bytes)]) {
      const issues = issuesOf(await read(readRecordCsv, { 'entities.csv': chunks }));
      expect(where(issues)).toEqual([`entities.csv:2:id: ${reason(0xe9)}`, `entities.csv:3:id: ${reason(0xe8)}`]);
    }
  });

  it('entities.csv: a character split across chunks, a byte-order mark split too, are read as they are', async () => {
    const bytes = Uint8Array.from([0xef, 0xbb, 0xbf, ...encoder.encode(`${ENTITY_HEADER}1,P1,person,Zappalà 😀\n`)]);
    const outcome = await read(readRecordCsv, { 'entities.csv': byteByByte(bytes) });
    expect(outcome.ok && outcome.records.entities.map((entity) => entity.label)).toEqual(['Zappalà 😀']);
  });

  it('links.csv: the column of the bad cell is named, and the rest of the file is still read', async () => {
    const bytes = latin1Slip(`${LINK_HEADER}1,L1,associate,A,B,Caf\u0001,1,A,P\n1,L2,associate,A,B,IR,1,A,X\n`);
    const issues = issuesOf(await read(readRecordCsv, { 'links.csv': bytes }));
    expect(issues.map((issue) => [issue.line, issue.field])).toEqual([
      [2, 'source'],
      [3, 'handling_code'],
    ]);
    expect(issues[0]!.reason).toBe(reason(0xe9));
  });

  it('a header that is not UTF-8 stops the file', async () => {
    const issues = issuesOf(
      await read(readRecordCsv, { 'entities.csv': latin1Slip(`schema_version,id,kind,lab\u0001l\n1,P1,person,A\n`) }),
    );
    expect(where(issues)).toEqual([`entities.csv:1:header: ${reason(0xe9)}`]);
  });

  it('NDJSON: in a value, in a key, outside any string', async () => {
    const text =
      '{"schema_version":1}\n{"entity":{"id":"P\u0001","kind":"person","label":"A"}}\n{"entity":{"id":"P2","kind":"person","lab\u0001l":"B"}}\n{"entity":\u0001}\n';
    for (const chunks of [[latin1Slip(text)], byteByByte(latin1Slip(text))]) {
      const issues = issuesOf(await read(readRecordNdjson, { 'r.ndjson': chunks }));
      expect(issues.map((issue) => [issue.line, issue.field, issue.reason])).toEqual([
        [2, 'entity.id', reason(0xe9)],
        [3, 'entity.lab\\xE9l', reason(0xe9)],
        [3, 'entity.label', 'Invalid input: expected string, received undefined'],
        [4, '', reason(0xe9)],
      ]);
    }
  });

  it('JSON: the record and field are named at their line; outside a record the read stops there', async () => {
    const text =
      '{"schema_version":1,\n"entities":[\n{"id":"P\u0001","kind":"person","label":"A"},\n{"id":"P2","kind":"person","label":"B\u0001"},\n{"id":"P3","kind":"person","label":"C"}\n]}';
    for (const chunks of [[latin1Slip(text)], byteByByte(latin1Slip(text))]) {
      const issues = issuesOf(await read(readRecordJson, { 'r.json': chunks }));
      expect(where(issues)).toEqual([
        `r.json:3:entities[0].id: ${reason(0xe9)}`,
        `r.json:4:entities[1].label: ${reason(0xe9)}`,
      ]);
    }
    const broken = issuesOf(
      await read(readRecordJson, { 'r.json': latin1Slip('{"schema_version":1,\n\u0001"entities":[]}') }),
    );
    expect(where(broken)).toEqual([`r.json:2:: ${reason(0xe9)}`]);
  });

  it('edge-list and node-list CSV name the column; a graph file, GraphML, GEXF, Pajek and DL name the line', async () => {
    const edges = issuesOf(
      await parseEdgeListCsv(byteByByte(latin1Slip('source,target\na,b\nb,Caf\u0001\n')), 'edges.csv'),
    );
    expect(where(edges)).toEqual([`edges.csv:3:target: ${reason(0xe9)}`]);
    const nodes = issuesOf(await parseNodeListCsv([latin1Slip('id,label\na,Caf\u0001\n')], 'nodes.csv'));
    expect(where(nodes)).toEqual([`nodes.csv:2:label: ${reason(0xe9)}`]);
    const graphml =
      '<?xml version="1.0"?>\n<graphml><graph edgedefault="undirected">\n<node id="Caf\u0001"/>\n</graph></graphml>\n';
    const gexf =
      '<?xml version="1.0"?>\n<gexf><graph>\n<nodes><node id="a" label="Caf\u0001"/></nodes>\n</graph></gexf>\n';
    const cases: [string, string, number][] = [
      ['g.graphml', graphml, 3],
      ['g.gexf', gexf, 3],
      ['g.net', '*Vertices 2\n1 "a"\n2 "Caf\u0001"\n*Edges\n1 2\n', 3],
      ['g.dl', 'dl n=2 format=edgelist1\nlabels:\na,Caf\u0001\ndata:\n1 2\n', 3],
    ];
    for (const [file, text, line] of cases) {
      const issues = issuesOf(await parseResearchGraph(byteByByte(latin1Slip(text)), file));
      expect(where(issues), file).toEqual([`${file}:${line}:: ${reason(0xe9)}`]);
    }
    const graphFile =
      '{"format":"ocgnet-graph","schema_version":1,"model":"research","graph_type":"undirected"}\n{"node":{"id":"Caf\u0001","attributes":{}}}\n';
    expect(where(issuesOf(await read(readRecordNdjson, { 'g.ocgnet.ndjson': latin1Slip(graphFile) })))).toEqual([
      `g.ocgnet.ndjson:2:: ${reason(0xe9)}`,
    ]);
  });

  it('a plain edge list names the field, and refuses a comment that is not UTF-8 too', async () => {
    expect(where(issuesOf(await parseEdgeListFast([latin1Slip('1 2\n2 Caf\u0001\n')], 'g.txt')))).toEqual([
      `g.txt:2:target: ${reason(0xe9)}`,
    ]);
    expect(where(issuesOf(await parseEdgeListFast([latin1Slip('# Caf\u0001\n1 2\n')], 'g.txt')))).toEqual([
      `g.txt:1:: ${reason(0xe9)}`,
    ]);
    expect(where(issuesOf(await parseEdgeListFast([latin1Slip('1 2 1\n2 3 1\u0001\n')], 'g.txt')))).toEqual([
      `g.txt:2:weight: ${reason(0xe9)}`,
    ]);
  });
});

describe('limits are checked before a record is held, and name the field', () => {
  const huge = 'x'.repeat(2_000_000);

  it('entities.csv: a 2 MB cell is refused at its line and column; the read stops there, without throwing', async () => {
    const text = `${ENTITY_HEADER}1,P1,person,A\n1,P2,person,${huge}\n1,P3,person,C\n`;
    const bytes = encoder.encode(text);
    const chunks = Array.from({ length: Math.ceil(bytes.length / 65536) }, (_x, k) =>
      bytes.subarray(k * 65536, (k + 1) * 65536),
    );
    const issues = issuesOf(await read(readRecordCsv, { 'entities.csv': chunks }));
    expect(where(issues)).toEqual([
      `entities.csv:3:label: record longer than ${LIMITS.maxRecordBytes} bytes (the limit); stopped reading`,
    ]);
    // Quoted across lines, the record is reported where it starts.
    const quoted = issuesOf(
      await read(readRecordCsv, { 'entities.csv': `${ENTITY_HEADER}1,P1,person,"${'y\n'.repeat(600_000)}"\n` }),
    );
    expect(where(quoted)).toEqual([
      `entities.csv:2:label: record longer than ${LIMITS.maxRecordBytes} bytes (the limit); stopped reading`,
    ]);
  });

  it('JSON: a record and a lone value over the limit name their field and line', async () => {
    const record = issuesOf(
      await read(readRecordJson, {
        'r.json': `{"schema_version":1,"entities":[\n{"id":"P1","kind":"person","label":"${huge}"}]}`,
      }),
    );
    expect(where(record)).toEqual([
      `r.json:2:entities[0].label: record longer than ${LIMITS.maxRecordBytes} bytes (the limit); stopped reading`,
    ]);
    const value = issuesOf(await read(readRecordJson, { 'r.json': `{"schema_version":1,\n"entities":"${huge}"}` }));
    expect(where(value)).toEqual([
      `r.json:2:entities: value longer than ${LIMITS.maxRecordBytes} bytes (the limit); stopped reading`,
    ]);
  });

  it('NDJSON: an overlong line names the field it passed the limit in', async () => {
    const issues = issuesOf(
      await read(readRecordNdjson, {
        'r.ndjson': `{"schema_version":1}\n{"entity":{"id":"P1","kind":"person","notes":"${huge}"}}\n`,
      }),
    );
    expect(where(issues)).toEqual([
      `r.ndjson:2:entity.notes: line longer than ${LIMITS.maxRecordBytes} bytes (the limit)`,
    ]);
  });

  it('the CSV attributes cell gets the JSON limits: depth and reserved keys', async () => {
    const header = 'schema_version,id,kind,label,attributes\n';
    const deep = `1,P1,person,A,"${'['.repeat(40)}${']'.repeat(40)}"\n`;
    const proto = `1,P2,person,B,"[{""name"":""x"",""value"":1,""grading"":{""system"":""5x5x5"",""recorded"":""A1""},""__proto__"":{""polluted"":true}}]"\n`;
    const issues = issuesOf(await read(readRecordCsv, { 'entities.csv': header + deep + proto }));
    expect(where(issues)).toEqual([
      `entities.csv:2:attributes: nested deeper than ${LIMITS.maxDepth} levels`,
      'entities.csv:3:attributes.0.__proto__: is a reserved key name',
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('a file that failed to parse reports its error, not a cascade', () => {
  const entities = `${ENTITY_HEADER}1,P1,person,"Alan\n1,P2,person,Bea\n1,L1,location,Flat 1\n`;
  const links = `${LINK_HEADER}1,K1,associate,P1,P2,IR,1,A,P\n1,K2,lives_at,P2,L1,IR,1,A,P\n1,K3,associate,P1,P9,IR,1,A,P\n`;

  it('an unbalanced quote in entities.csv: one malformed-CSV issue, no "no entity with id" for the links', async () => {
    const issues = issuesOf(await read(readRecordCsv, { 'entities.csv': entities, 'links.csv': links }));
    expect(issues).toHaveLength(1);
    // At the line the open quote's record starts on, not where the file ran out.
    expect(where(issues)).toEqual([
      'entities.csv:2:label: malformed CSV: a quoted cell is never closed (an unbalanced quote); stopped reading',
    ]);
  });

  it('the rows before the error are still checked, and a link of the wrong kind to an entity read is still reported', async () => {
    const before = `${ENTITY_HEADER}1,P1,persn,Alan\n1,P2,person,Bea\n1,P3,person,"Cy\n`;
    const wrongKind = `${LINK_HEADER}1,K1,lives_at,P1,P2,IR,1,A,P\n1,K2,associate,P2,P3,IR,1,A,P\n`;
    const issues = issuesOf(await read(readRecordCsv, { 'entities.csv': before, 'links.csv': wrongKind }));
    expect(issues.map((issue) => [issue.file, issue.line, issue.field])).toEqual([
      ['entities.csv', 2, 'kind'],
      ['entities.csv', 4, 'label'],
      ['links.csv', 2, 'from'],
      ['links.csv', 2, 'to'],
    ]);
    expect(issues[2]!.reason).toMatch(/was rejected/);
    expect(issues[3]!.reason).toMatch(/lives_at ends at location, not person/);
  });

  it('with every file read whole, a missing entity is still reported', async () => {
    const issues = issuesOf(
      await read(readRecordCsv, { 'entities.csv': entities.replace('"Alan', 'Alan'), 'links.csv': links }),
    );
    expect(where(issues)).toEqual(['links.csv:4:to: no entity with id "P9"']);
  });

  it('a row with the wrong number of cells is its own issue; the rows after it are read', async () => {
    const ragged = `${ENTITY_HEADER}1,P1,person\n1,P2,persn,Bea\n`;
    const issues = issuesOf(await read(readRecordCsv, { 'entities.csv': ragged }));
    expect(issues.map((issue) => [issue.line, issue.field])).toEqual([
      [2, ''],
      [3, 'kind'],
    ]);
    expect(issues[0]!.reason).toBe('expected 4 cells as in the header, found 3');
  });
});

describe('an empty file says it is empty', () => {
  const blanks = ['', '\n\n', '\uFEFF', ' \r\n\t\n'];

  it('in every record reader', async () => {
    for (const text of blanks) {
      for (const [reader, file] of [
        [readRecordCsv, 'entities.csv'],
        [readRecordJson, 'r.json'],
        [readRecordNdjson, 'r.ndjson'],
      ] as const) {
        expect(
          where(issuesOf(await read(reader, { [file]: encoder.encode(text) }))),
          `${file} ${JSON.stringify(text)}`,
        ).toEqual([`${file}:0:: file is empty`]);
      }
    }
  });

  it('in every research reader', async () => {
    for (const text of blanks) {
      const results: [string, ResearchParseResult][] = [
        ['edges.csv', await parseEdgeListCsv([encoder.encode(text)], 'edges.csv')],
        ['nodes.csv', await parseNodeListCsv([encoder.encode(text)], 'nodes.csv')],
        ['g.graphml', parseGraphML(text, 'g.graphml')],
        ['g.gexf', parseGexf(text, 'g.gexf')],
        ['g.net', parsePajek(text, 'g.net')],
        ['g.dl', parseDl(text, 'g.dl')],
        ['g.txt', (await parseEdgeListFast([encoder.encode(text)], 'g.txt')) as unknown as ResearchParseResult],
        ['unknown', await parseResearchGraph([encoder.encode(text)], 'unknown')],
      ];
      for (const [file, result] of results)
        expect(where(issuesOf(result)), `${file} ${JSON.stringify(text)}`).toEqual([`${file}:0:: file is empty`]);
    }
  });
});

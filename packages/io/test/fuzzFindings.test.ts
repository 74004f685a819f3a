/**
 * Bugs the fuzzer found in the readers (packages/io/test/fuzz/), each kept
 * as the smallest input that showed it. Each test fails on the code before
 * its fix: a hang (these are timed well under what a fixed reader needs),
 * an exception, data changed, or an issue pointing at a line the file does
 * not have.
 */
import { describe, expect, it } from 'vitest';
import {
  parseDl,
  parseEdgeListCsv,
  parseEdgeListFast,
  parseGexf,
  parseGraphML,
  parsePajek,
  readRecordCsv,
  readRecordJson,
  readRecordNdjson,
} from '../src/index.js';
import { issuesOf, readRecords as records } from './input.fixtures.js';

const encoder = new TextEncoder();
/** Bytes in pieces of `size`: a long line then arrives in many chunks. */
function pieces(text: string, size: number): Uint8Array[] {
  const bytes = encoder.encode(text);
  return Array.from({ length: Math.ceil(bytes.length / size) }, (_x, k) => bytes.subarray(k * size, (k + 1) * size));
}
/** Resolves with the time a call took, or rejects past `limit` ms: a hang fails the test instead of the run. */
async function within<T>(limit: number, run: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const started = performance.now();
  try {
    return await Promise.race([
      run(),
      new Promise<never>(
        (_resolve, reject) => (timer = setTimeout(() => reject(new Error(`took over ${limit} ms`)), limit)),
      ),
    ]);
  } finally {
    clearTimeout(timer);
    expect(performance.now() - started).toBeLessThan(limit);
  }
}

describe('hangs', () => {
  it('edge-list CSV: a long cell full of quotes is one issue, at once (csv-parse reported every quote, quoting the cell so far)', async () => {
    const text = `source,target\na,b\nc,x${'"y'.repeat(100_000)}\n`;
    const issues = await within(5_000, async () => issuesOf(await parseEdgeListCsv([text], 'e.csv')));
    expect(issues).toEqual([
      { file: 'e.csv', line: 3, field: '', reason: expect.stringMatching(/^malformed CSV: a quote inside a cell/) },
    ]);
  });

  it('entities.csv: the same cell is one issue naming its column', async () => {
    const text = `schema_version,id,kind,label\n1,P1,person,x${'"y'.repeat(100_000)}\n`;
    const issues = await within(5_000, async () => issuesOf(await records(readRecordCsv, { 'entities.csv': text })));
    expect(issues).toEqual([
      expect.objectContaining({
        line: 2,
        field: 'label',
        reason: expect.stringMatching(/^malformed CSV: a quote inside a cell/),
      }),
    ]);
  });

  it('a plain edge list and NDJSON: a line of nearly 1 MB in 10,000 chunks is read in linear time', async () => {
    const long = 'x'.repeat(999_000);
    const plain = await within(10_000, () => parseEdgeListFast(pieces(`1 2\n${long} 3\n`, 100), 'g.txt'));
    expect(plain.ok && plain.ids).toEqual(['1', '2', long, '3']);
    const ndjson = await within(10_000, () =>
      records(readRecordNdjson, {
        'r.ndjson': pieces(
          `{"schema_version":1}\n{"entity":{"id":"P1","kind":"person","label":"A","notes":"${'n'.repeat(19_000)}","x":"${long.slice(0, 900_000)}"}}\n`,
          100,
        ),
      }),
    );
    expect(issuesOf(ndjson).map((issue) => [issue.line, issue.field])).toEqual([[2, 'entity.x']]);
  });

  it('GraphML and GEXF: a megabyte of "<" is one issue, at once (xmldom reported each "<" and took seconds)', async () => {
    const inTag = `<gexf><graph>\n<n${'<'.repeat(900_000)}/></graph></gexf>`;
    expect(await within(2_000, async () => issuesOf(parseGexf(inTag, 'g.gexf')))).toEqual([
      { file: 'g.gexf', line: 2, field: 'xml', reason: 'malformed XML: "<" inside a tag' },
    ]);
    const between = `<gexf><graph>\n${'<'.repeat(900_000)}</graph></gexf>`;
    expect(await within(2_000, async () => issuesOf(parseGexf(between, 'g.gexf')))).toEqual([
      { file: 'g.gexf', line: 2, field: 'xml', reason: 'malformed XML: "<" is not followed by a tag name' },
    ]);
    expect(issuesOf(parseGraphML('<graphml>\n< graph/></graphml>', 'g.graphml'))).toEqual([
      { file: 'g.graphml', line: 2, field: 'xml', reason: 'malformed XML: "<" is not followed by a tag name' },
    ]);
  });
});

describe('slow', () => {
  it('JSON: a million line breaks between two values, in a thousand chunks, is read in linear time', async () => {
    const text = `{"schema_version":1,"entities":[${'\n'.repeat(1_000_000)}tru]}`;
    const issues = await within(3_000, async () =>
      issuesOf(await records(readRecordJson, { 'r.json': pieces(text, 1_000) })),
    );
    expect(issues).toEqual([
      expect.objectContaining({ line: 1_000_001, reason: expect.stringMatching(/^malformed JSON/) }),
    ]);
  });

  it('a CSV header of 800,000 empty cells is a few issues, not 800,000', async () => {
    const issues = issuesOf(
      await records(readRecordCsv, { 'links.csv': `schema_version,id,type,from,to,source${','.repeat(800_000)}\n` }),
    );
    expect(issues.map((issue) => issue.reason)).toEqual(['unknown column ""', 'column "" appears 800000 times']);
  });
});

describe('exceptions', () => {
  it('a null line or a null node in a graph file is an issue, not a TypeError in the reason', async () => {
    const text =
      '{"format":"ocgnet-graph","schema_version":1,"model":"research"}\nnull\n{"node":null}\n{"edge":null}\n';
    expect(issuesOf(await records(readRecordNdjson, { 'g.ocgnet.ndjson': text }))).toEqual([
      { file: 'g.ocgnet.ndjson', line: 2, field: '', reason: 'each line must be a JSON object' },
      { file: 'g.ocgnet.ndjson', line: 3, field: 'node.id', reason: 'must be a string' },
      { file: 'g.ocgnet.ndjson', line: 4, field: 'edge', reason: 'id, source and target must be strings' },
    ]);
  });

  it('an ocgnet graph file with an unknown graph_type is an issue, not a graphology exception', async () => {
    const text =
      '{"format":"ocgnet-graph","schema_version":1,"model":"research","graph_type":"sideways"}\n{"node":{"id":"a","attributes":{}}}\n';
    expect(issuesOf(await records(readRecordNdjson, { 'g.ocgnet.ndjson': text }))).toEqual([
      {
        file: 'g.ocgnet.ndjson',
        line: 1,
        field: 'graph_type',
        reason: 'must be "directed", "undirected" or "mixed", not "sideways"',
      },
    ]);
  });

  it('a graph file line nested past the limit is an issue before anything walks it', async () => {
    const text = `{"format":"ocgnet-graph","schema_version":1,"model":"research"}\n{"node":{"id":"a","attributes":{"x":${'['.repeat(200_000)}${']'.repeat(200_000)}}}}\n`;
    expect(issuesOf(await records(readRecordNdjson, { 'g.ocgnet.ndjson': text }))).toEqual([
      { file: 'g.ocgnet.ndjson', line: 2, field: '', reason: 'nested deeper than 16 levels' },
    ]);
  });

  it('a DL file with half a million data lines does not overflow the stack', () => {
    const result = parseDl(`dl n=2 format=edgelist1\ndata:\n${'1 2\n'.repeat(500_000)}`, 'g.dl');
    expect(issuesOf(result)[0]).toMatchObject({ file: 'g.dl', reason: expect.stringMatching(/duplicate edge/) });
  });
});

describe('data changed or misplaced', () => {
  it('GraphML and GEXF keep U+2028, U+2029 and U+0085 in a label, and count lines by CR and LF only', () => {
    const label = 'a\u2028b\u2029c\u0085d';
    const graphml = parseGraphML(
      `<graphml><key id="l" for="node" attr.name="label"/><graph edgedefault="undirected">\n<node id="n"><data key="l">${label}</data></node>\n</graph></graphml>`,
      'g.graphml',
    );
    expect(graphml.ok && graphml.graph.getNodeAttribute('n', 'label')).toBe(label);
    const gexf = parseGexf(`<gexf><graph>\n<nodes><node id="n" label="${label}"/></nodes>\n</graph></gexf>`, 'g.gexf');
    expect(gexf.ok && gexf.graph.getNodeAttribute('n', 'label')).toBe(label);
    const broken = issuesOf(
      parseGraphML(
        `<graphml>\u2028\u2028\u2028\n<graph edgedefault="undirected">\n<node id="n"></graph></graphml>`,
        'g.graphml',
      ),
    );
    expect(broken.every((issue) => issue.line <= 3)).toBe(true);
  });

  it('entities.csv: a CRLF inside a quoted cell, and mixed line ends, leave every line number right', async () => {
    const text =
      'schema_version,id,kind,label\r\n1,P1,person,"two\r\nlines"\r\n1,P2,persn,B\n1,P3,persn,C\r1,P4,persn,D\r\n';
    const issues = issuesOf(await records(readRecordCsv, { 'entities.csv': text }));
    expect(issues.map((issue) => [issue.line, issue.field])).toEqual([
      [4, 'kind'],
      [5, 'kind'],
      [6, 'kind'],
    ]);
  });

  it('a JSON file cut short is refused; the records before the cut are not imported', async () => {
    const whole =
      '{"schema_version":1,"entities":[\n{"id":"P1","kind":"person","label":"A"},\n{"id":"P2","kind":"person","label":"B"}\n]}';
    expect((await records(readRecordJson, { 'r.json': whole })).ok).toBe(true);
    const cut = issuesOf(await records(readRecordJson, { 'r.json': whole.slice(0, whole.indexOf('"B"')) }));
    expect(cut).toEqual([
      {
        file: 'r.json',
        line: 3,
        field: 'entities[1].label',
        reason: 'malformed JSON: the file ends inside an unfinished value (is it cut short?); stopped reading',
      },
    ]);
  });

  it('GraphML: an end tag after the root is malformed XML at its line, not a TypeError from inside xmldom', () => {
    const text = '<graphml><graph edgedefault="undirected"><node id="a"/></graph></graphml>\naph>\n</graphml>\n';
    expect(issuesOf(parseGraphML(text, 'g.graphml'))).toEqual([
      { file: 'g.graphml', line: 3, field: 'xml', reason: 'malformed XML: an end tag with no element open' },
    ]);
  });

  it('a Pajek edge without its target says so (it said "vertex number undefined")', () => {
    expect(issuesOf(parsePajek('*Vertices 2\n*Edges\n1\n', 'g.net'))).toEqual([
      { file: 'g.net', line: 3, field: 'target', reason: 'the target vertex number is missing' },
    ]);
  });

  it('issue text is printable: a key that is not UTF-8 shows its byte, half a character cut by a message shows its code', async () => {
    const key = Uint8Array.from([
      ...encoder.encode('{"schema_version":1}\n{"entity":{"id":"P1","kind":"person","label":"A","k'),
      0xe9,
      ...encoder.encode('y":1}}\n{"entity":😀}\n'),
    ]);
    const issues = issuesOf(await records(readRecordNdjson, { 'r.ndjson': [key] }));
    for (const issue of issues)
      expect(`${issue.field} ${issue.reason}`).not.toMatch(
        /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/,
      );
    expect(issues.map((issue) => issue.field)).toContain('entity.k\\xE9y');
  });
});

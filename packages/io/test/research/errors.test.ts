/** Bad and hostile input: every problem is an issue with file, line and field; nothing throws or pollutes. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { InputIssue } from '@ocgnet/schema';
import {
  parseDl,
  parseEdgeListCsv,
  parseGexf,
  parseGraphML,
  parsePajek,
  parseResearchGraph,
  type ResearchParseResult,
} from '../../src/index.js';
import { MAX_LINE_CHARS } from '../../src/research/common.js';

/** The issues of a parse that must fail. */
function issuesOf(result: ResearchParseResult): InputIssue[] {
  if (result.ok) expect.fail('expected the parse to fail');
  return result.issues;
}

const graphml = (body: string, keys = ''): string =>
  `<?xml version="1.0"?>\n<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n${keys}<graph edgedefault="undirected">\n${body}</graph>\n</graphml>\n`;
const gexf = (nodes: string, edges: string, model = ''): string =>
  `<?xml version="1.0"?>\n<gexf version="1.3">\n<graph defaultedgetype="undirected">\n${model}<nodes>\n${nodes}</nodes>\n<edges>\n${edges}</edges>\n</graph>\n</gexf>\n`;

describe('duplicate edges', () => {
  it('edge-list CSV: a repeat is merged (repeatedEdges.ts), but not when its other columns differ', async () => {
    const issues = issuesOf(await parseEdgeListCsv('source,target,kind\na,b,x\nb,c,x\nb,a,y\n', 'e.csv'));
    expect(issues).toEqual([
      {
        file: 'e.csv',
        line: 4,
        field: 'kind',
        reason: 'repeated edge "b" -- "a" has a different "kind" from the first; cannot merge',
      },
    ]);
  });

  it('edge-list CSV read as directed: a->b twice differing is an issue, but b->a is another edge', async () => {
    const issues = issuesOf(
      await parseEdgeListCsv('source,target,kind\na,b,x\nb,a,y\na,b,\n', 'e.csv', { directed: true }),
    );
    expect(issues).toEqual([
      {
        file: 'e.csv',
        line: 4,
        field: 'kind',
        reason: 'repeated edge "a" -> "b" has a different "kind" from the first; cannot merge',
      },
    ]);
  });

  it('GraphML, GEXF and Pajek', () => {
    const xml = graphml(
      '<node id="a"/>\n<node id="b"/>\n<edge source="a" target="b"/>\n<edge source="b" target="a"/>\n',
    );
    expect(issuesOf(parseGraphML(xml, 'g.graphml'))[0]).toMatchObject({
      file: 'g.graphml',
      line: 7,
      field: 'edge/@target',
    });
    const gx = gexf(
      '<node id="a"/>\n<node id="b"/>\n',
      '<edge id="0" source="a" target="b"/>\n<edge id="1" source="a" target="b"/>\n',
    );
    expect(issuesOf(parseGexf(gx, 'g.gexf'))[0]).toMatchObject({ file: 'g.gexf', line: 10, field: 'edge/@target' });
    const net = '*Vertices 2\n1 "a"\n2 "b"\n*Edges\n1 2\n2 1\n';
    expect(issuesOf(parsePajek(net, 'g.net'))[0]).toMatchObject({ file: 'g.net', line: 6, field: 'target' });
  });

  it('a duplicate node id', async () => {
    const issues = issuesOf(
      await parseEdgeListCsv('source,target\na,b\n', 'e.csv', {
        nodes: { input: 'id,label\na,A\nb,B\na,A2\n', file: 'n.csv' },
      }),
    );
    expect(issues).toEqual([{ file: 'n.csv', line: 4, field: 'id', reason: 'duplicate node id "a"' }]);
    expect(issuesOf(parseGraphML(graphml('<node id="a"/>\n<node id="a"/>\n'), 'g.graphml'))[0]).toMatchObject({
      line: 5,
      field: 'node/@id',
    });
  });
});

describe('missing endpoints', () => {
  it('edge-list CSV against its node list', async () => {
    const issues = issuesOf(
      await parseEdgeListCsv('source,target,weight\na,b,1\nb,zed,2\n', 'e.csv', {
        nodes: { input: 'id\na\nb\n', file: 'n.csv' },
      }),
    );
    expect(issues).toEqual([
      { file: 'e.csv', line: 3, field: 'target', reason: 'edge endpoint "zed" is not a declared node' },
    ]);
  });

  it('GraphML, GEXF, Pajek', () => {
    expect(
      issuesOf(parseGraphML(graphml('<node id="a"/>\n<edge source="a" target="b"/>\n'), 'g.graphml'))[0],
    ).toMatchObject({
      line: 5,
      field: 'edge/@target',
    });
    expect(issuesOf(parseGexf(gexf('<node id="a"/>\n', '<edge source="x" target="a"/>\n'), 'g.gexf'))[0]).toMatchObject(
      {
        line: 8,
        field: 'edge/@source',
      },
    );
    expect(issuesOf(parsePajek('*Vertices 2\n*Arcs\n1 3\n', 'g.net'))[0]).toMatchObject({ line: 3, field: 'target' });
  });
});

describe('bad weights', () => {
  it('edge-list CSV: non-numeric, empty, and hex are all refused', async () => {
    const issues = issuesOf(
      await parseEdgeListCsv('source,target,weight\na,b,heavy\nb,c,\nc,d,0x10\nd,e,1e3\n', 'w.csv'),
    );
    expect(issues).toEqual([
      { file: 'w.csv', line: 2, field: 'weight', reason: 'weight "heavy" is not a number' },
      { file: 'w.csv', line: 3, field: 'weight', reason: 'missing weight' },
      { file: 'w.csv', line: 4, field: 'weight', reason: 'weight "0x10" is not a number' },
    ]);
  });

  it('GraphML, GEXF, Pajek, DL', () => {
    const keys = '<key id="w" for="edge" attr.name="weight" attr.type="double"/>\n';
    const xml = graphml(
      '<node id="a"/>\n<node id="b"/>\n<edge source="a" target="b">\n<data key="w">NaN</data>\n</edge>\n',
      keys,
    );
    expect(issuesOf(parseGraphML(xml, 'g.graphml'))[0]).toMatchObject({ line: 8, field: 'data[@key=w]' });
    const gx = gexf('<node id="a"/>\n<node id="b"/>\n', '<edge source="a" target="b" weight="x"/>\n');
    expect(issuesOf(parseGexf(gx, 'g.gexf'))[0]).toMatchObject({ line: 9, field: 'edge/@weight' });
    expect(issuesOf(parsePajek('*Vertices 2\n*Edges\n1 2 x\n', 'g.net'))[0]).toMatchObject({
      line: 3,
      field: 'weight',
    });
    expect(issuesOf(parseDl('dl n=2 format=edgelist1\ndata:\n1 2 x\n', 'g.dl'))[0]).toMatchObject({
      line: 3,
      field: 'value',
    });
  });
});

describe('malformed input', () => {
  it('malformed XML becomes an issue with its line, not an exception', () => {
    const broken =
      '<?xml version="1.0"?>\n<graphml>\n<graph edgedefault="undirected">\n<node id="a">\n</graph>\n</graphml>\n';
    const issues = issuesOf(parseGraphML(broken, 'bad.graphml'));
    // xmldom points at the element left open.
    expect(issues[0]).toMatchObject({ file: 'bad.graphml', line: 4, field: 'xml' });
    expect(issues[0]?.reason).toMatch(/malformed XML/);
    expect(
      issuesOf(parseGexf('<gexf><graph><nodes><node id="a" id="b"/></nodes></graph></gexf>', 'bad.gexf'))[0],
    ).toMatchObject({
      line: 1,
      field: 'xml',
    });
    expect(issuesOf(parseGexf('not xml at all', 'x.gexf'))[0]).toMatchObject({ field: 'xml' });
  });

  it('a CSV row with the wrong number of fields, and bad quoting', async () => {
    const issues = issuesOf(await parseEdgeListCsv('source,target\na,b\nc,d,e\nf,"g"h\ni,j\n', 'm.csv'));
    expect(issues[0]).toEqual({ file: 'm.csv', line: 3, field: '', reason: 'expected 2 fields, found 3' });
    expect(issues[1]).toMatchObject({ file: 'm.csv', line: 4, field: '' });
  });

  it('a missing header', async () => {
    expect(issuesOf(await parseEdgeListCsv('a,b\nc,d\n', 'h.csv'))[0]).toMatchObject({ line: 1, field: 'source' });
    expect(issuesOf(await parseEdgeListCsv('', 'empty.csv'))[0]).toMatchObject({ line: 0 });
  });

  it('XML nested past the depth limit', () => {
    const deep = `<graphml>\n${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}</graphml>`;
    const issues = issuesOf(parseGraphML(deep, 'deep.graphml'));
    expect(issues[0]).toMatchObject({ file: 'deep.graphml', line: 2, field: 'xml' });
    expect(issues[0]?.reason).toMatch(/nested deeper/);
  });

  it('unknown format through the dispatcher', async () => {
    expect(issuesOf(await parseResearchGraph('hello world', 'notes.xyz'))[0]).toMatchObject({
      file: 'notes.xyz',
      line: 0,
    });
  });
});

describe('oversize lines', () => {
  const huge = 'x'.repeat(MAX_LINE_CHARS + 10);

  it('edge-list CSV: refused with the line number, read stops', async () => {
    const issues = issuesOf(await parseEdgeListCsv(`source,target\na,b\n${huge},c\nd,e\n`, 'big.csv'));
    expect(issues).toEqual([
      {
        file: 'big.csv',
        line: 3,
        field: '',
        reason: `line is longer than ${MAX_LINE_CHARS} characters; stopped reading`,
      },
    ]);
  });

  it('edge-list CSV: a quoted field spanning lines past the cap', async () => {
    const lines = Array.from({ length: 20 }, () => 'y'.repeat(MAX_LINE_CHARS / 10)).join('\n');
    const issues = issuesOf(await parseEdgeListCsv(`source,target\na,b\n"${lines}",c\n`, 'q.csv'));
    // Reported at the line the record starts on, not where it passed the cap.
    expect(issues).toEqual([
      { file: 'q.csv', line: 3, field: '', reason: `record is longer than ${MAX_LINE_CHARS} bytes; stopped reading` },
    ]);
  });

  it('Pajek, DL and XML', () => {
    expect(issuesOf(parsePajek(`*Vertices 1\n1 "${huge}"\n`, 'big.net'))[0]).toMatchObject({ line: 2, field: '' });
    expect(issuesOf(parseDl(`dl n=1 format=edgelist1\ndata:\n${huge}\n`, 'big.dl'))[0]).toMatchObject({
      line: 3,
      field: '',
    });
    expect(issuesOf(parseGraphML(graphml(`<node id="${huge}"/>\n`), 'big.graphml'))[0]).toMatchObject({
      line: 4,
      field: 'xml',
    });
  });
});

describe('declared sizes', () => {
  it('a huge *Vertices or n= in a tiny file is refused, not allocated', () => {
    expect(issuesOf(parsePajek('*Vertices 999999999\n', 'huge.net'))[0]).toMatchObject({
      file: 'huge.net',
      line: 1,
      field: '*vertices',
    });
    expect(issuesOf(parseDl('dl n=999999999 format=edgelist1\ndata:\n', 'huge.dl'))[0]).toMatchObject({
      file: 'huge.dl',
      line: 1,
      field: 'n',
    });
    expect(issuesOf(parseDl('dl nr=2 nc=999999999 format=fullmatrix\ndata:\n1\n', 'wide.dl'))[0]).toMatchObject({
      line: 1,
      field: 'nc',
    });
  });
});

describe('hostile attribute names', () => {
  const names = ['__proto__', 'constructor', 'prototype'];

  it.each(names)('CSV column %s', async (name) => {
    const issues = issuesOf(await parseEdgeListCsv(`source,target,${name}\na,b,"{""polluted"":1}"\n`, 'p.csv'));
    expect(issues[0]).toEqual({ file: 'p.csv', line: 1, field: name, reason: `column name "${name}" is not allowed` });
    const nodes = issuesOf(
      await parseEdgeListCsv('source,target\na,b\n', 'e.csv', {
        nodes: { input: `id,${name}\na,1\nb,2\n`, file: 'n.csv' },
      }),
    );
    expect(nodes[0]).toMatchObject({ file: 'n.csv', line: 1, field: name });
  });

  it.each(names)('GraphML key and GEXF attribute named %s', (name) => {
    const keys = `<key id="k" for="node" attr.name="${name}" attr.type="string"/>\n`;
    const xml = graphml('<node id="a">\n<data key="k">{"polluted": true}</data>\n</node>\n', keys);
    expect(issuesOf(parseGraphML(xml, 'p.graphml'))[0]).toMatchObject({
      file: 'p.graphml',
      line: 3,
      field: 'key/@attr.name',
    });
    const model = `<attributes class="node">\n<attribute id="0" title="${name}" type="string"/>\n</attributes>\n`;
    const gx = gexf('<node id="a"><attvalues><attvalue for="0" value="x"/></attvalues></node>\n', '', model);
    expect(issuesOf(parseGexf(gx, 'p.gexf'))[0]).toMatchObject({ file: 'p.gexf', line: 5, field: 'attribute/@title' });
  });

  it('node ids graphology cannot hold (Object.prototype member names) are refused, not crashed on', async () => {
    const issues = issuesOf(
      await parseEdgeListCsv('source,target\na,constructor\n__proto__,b\nb,toString\nc,d\n', 'ids.csv'),
    );
    expect(issues.map((i) => [i.line, i.field])).toEqual([
      [2, 'target'],
      [3, 'source'],
      [4, 'target'],
    ]);
    expect(issues[0]?.reason).toMatch(/reserved/);
    expect(issuesOf(parsePajek('*Vertices 2\n1 "valueOf"\n2 "b"\n*Edges\n2 1\n', 'v.net'))[0]).toMatchObject({
      line: 2,
      field: 'label',
    });
  });

  it('leaves Object.prototype alone', async () => {
    await parseEdgeListCsv('source,target,__proto__\na,b,x\n', 'p.csv');
    parseGraphML(graphml('<node id="a"><data key="__proto__">1</data></node>\n'), 'p.graphml');
    parseGexf(gexf('<node id="a"><attvalues><attvalue for="__proto__" value="1"/></attvalues></node>\n', ''), 'p.gexf');
    parsePajek('*Vertices 1\n1 "__proto__" polluted\n', 'p.net');
    parseDl('dl n=1 format=edgelist1\nlabels:\n__proto__\ndata:\n', 'p.dl');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });
});

describe('never throws on arbitrary input', () => {
  it('all parsers return results for random text', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 300 }), async (text) => {
        for (const parse of [parseGraphML, parseGexf, parsePajek, parseDl])
          expect(typeof parse(text, 'f').ok).toBe('boolean');
        expect(typeof (await parseEdgeListCsv(text, 'f')).ok).toBe('boolean');
        expect(typeof (await parseEdgeListCsv(`source,target\n${text}`, 'f')).ok).toBe('boolean');
        for (const prefix of [
          '*Vertices 3\n',
          'dl n=3 format=edgelist1\ndata:\n',
          'dl n=2 format=fullmatrix\ndata:\n',
        ]) {
          expect(typeof (await parseResearchGraph(prefix + text, 'f.txt')).ok).toBe('boolean');
        }
      }),
      { numRuns: 300 },
    );
  });
});

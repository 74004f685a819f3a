/** Format features beyond the datasets: Pajek variants, direction, escaping, CSV quoting, detection. */
import Graph from 'graphology';
import { describe, expect, it } from 'vitest';
import {
  ResearchWriteError,
  detectResearchFormat,
  parseEdgeListCsv,
  parseGexf,
  parseGraphML,
  parsePajek,
  writeDl,
  writeEdgeListCsv,
  writeGexf,
  writeGraphML,
  writePajek,
  writeResearchGraph,
  parseResearchGraph,
} from '../../src/index.js';
import { canonicalEdges, canonicalNodes, expectGraph } from './helpers.js';

/** A mixed graph with awkward strings and typed attributes. */
function awkwardGraph(): Graph {
  const graph = new Graph({ type: 'mixed', multi: false });
  graph.addNode('a&b', { label: `Tom "T" O'Neil <boss>`, age: 41, active: true, note: 'line1\nline2\ttab' });
  graph.addNode('c', { label: 'Café, Zoë', age: 30.5 });
  graph.addNode('isolate', { label: 'isolate' });
  graph.addDirectedEdge('a&b', 'c', { weight: 2.5, kind: 'calls' });
  graph.addUndirectedEdge('c', 'a&b', { weight: 1, label: 'met' });
  graph.addUndirectedEdge('c', 'c', { weight: 4 });
  return graph;
}

describe('XML writers', () => {
  it.each([
    ['GraphML', writeGraphML, (text: string) => parseGraphML(text, 'out.graphml')],
    ['GEXF', writeGexf, (text: string) => parseGexf(text, 'out.gexf')],
  ] as const)('%s round-trips a mixed graph with escaped text and typed attributes', (_name, write, parse) => {
    const graph = awkwardGraph();
    const text = write(graph);
    expect(text).toContain('&amp;');
    expect(text).not.toContain('<boss>');
    const again = expectGraph(parse(text));
    expect(again.type).toBe('mixed');
    expect(canonicalNodes(again)).toEqual(canonicalNodes(graph));
    expect(canonicalEdges(again)).toEqual(canonicalEdges(graph));
    expect(again.getNodeAttributes('a&b')).toMatchObject({ age: 41, active: true, note: 'line1\nline2\ttab' });
    expect(again.getNodeAttribute('c', 'age')).toBe(30.5);
  });

  it('refuses characters XML cannot carry', () => {
    const graph = new Graph();
    graph.addNode('x', { label: 'bell\u0007' });
    expect(() => writeGraphML(graph)).toThrow(ResearchWriteError);
    expect(() => writeGexf(graph)).toThrow(/control character/);
  });

  it('GraphML: per-edge directed, defaults and booleans are read', () => {
    const text = `<graphml>
<key id="r" for="edge" attr.name="role" attr.type="string"><default>associate</default></key>
<key id="f" for="node" attr.name="flagged" attr.type="boolean"/>
<graph edgedefault="undirected">
<node id="1"><data key="f">TRUE</data></node><node id="2"/>
<edge source="1" target="2" directed="true"/>
<edge source="1" target="2"><data key="r">boss</data></edge>
</graph></graphml>`;
    const graph = expectGraph(parseGraphML(text, 'm.graphml'));
    expect(graph.type).toBe('mixed');
    expect(graph.getNodeAttribute('1', 'flagged')).toBe(true);
    expect(canonicalEdges(graph).length).toBe(2);
    expect(graph.getDirectedEdgeAttribute('1', '2', 'role')).toBe('associate');
    expect(graph.getUndirectedEdgeAttribute('1', '2', 'role')).toBe('boss');
  });
});

describe('Pajek', () => {
  it('reads sections in any case, unquoted labels, comments, arcs/edges lists and relations', () => {
    const text = [
      '% a comment',
      '*Network test',
      '*VERTICES 5',
      '1 ann 0.1 0.2 box',
      '2 "bob smith"',
      '3 cy',
      '*arcs',
      '1 2 3',
      '*Edges :2 "kin"',
      '2 3',
      '*ArcsList',
      '3 1 4',
      '*edgeslist',
      '4 5',
    ].join('\r\n');
    const graph = expectGraph(parsePajek(text, 't.net'));
    expect(graph.type).toBe('mixed');
    expect(graph.order).toBe(5);
    // Unlisted vertices take their number as label.
    expect(canonicalNodes(graph, 'label')).toEqual(['4', '5', 'ann', 'bob smith', 'cy']);
    expect(graph.getNodeAttributes('ann')).toMatchObject({ x: 0.1, y: 0.2, shape: 'box' });
    expect(canonicalEdges(graph, 'label')).toEqual([
      '4--5 1',
      'ann->bob smith 3',
      'bob smith--cy 1',
      'cy->4 1',
      'cy->ann 1',
    ]);
    expect(graph.getUndirectedEdgeAttribute('bob smith', 'cy', 'relation')).toBe('kin');
    const again = expectGraph(parsePajek(writePajek(graph), 'out.net'));
    expect(canonicalEdges(again, 'label')).toEqual(canonicalEdges(graph, 'label'));
  });

  it("repeated labels are an issue by default and fine with keys: 'index'", () => {
    const text = '*Vertices 2\n1 "Smith"\n2 "Smith"\n*Edges\n1 2\n';
    const result = parsePajek(text, 'dup.net');
    if (result.ok) expect.fail('should not parse');
    expect(result.issues[0]).toMatchObject({ file: 'dup.net', line: 3, field: 'label' });
    const graph = expectGraph(parsePajek(text, 'dup.net', { keys: 'index' }));
    expect(graph.edges().length).toBe(1);
    expect(graph.getNodeAttribute('2', 'label')).toBe('Smith');
  });

  it('refuses to write a label with a double quote', () => {
    const graph = new Graph();
    graph.addNode('x', { label: 'say "x"' });
    expect(() => writePajek(graph)).toThrow(ResearchWriteError);
  });
});

describe('edge-list CSV', () => {
  it('keeps extra columns as attributes, reads directed on request, and round-trips', async () => {
    const text = 'source,target,weight,since\na,b,1.5,2019\nb,a,2,\n';
    const graph = expectGraph(await parseEdgeListCsv(text, 'd.csv', { directed: true }));
    expect(graph.type).toBe('directed');
    expect(graph.getDirectedEdgeAttributes('a', 'b')).toEqual({ weight: 1.5, since: '2019' });
    expect(graph.getDirectedEdgeAttributes('b', 'a')).toEqual({ weight: 2 });
    const { edges, nodes } = writeEdgeListCsv(graph);
    const again = expectGraph(
      await parseEdgeListCsv(edges, 'e.csv', { directed: true, nodes: { input: nodes, file: 'n.csv' } }),
    );
    expect(canonicalEdges(again)).toEqual(canonicalEdges(graph));
  });

  it('quotes per RFC 4180 and neutralises formulas but not numbers', async () => {
    const graph = new Graph({ type: 'undirected' });
    graph.addNode('-5', { label: '=HYPERLINK("http://x")' });
    graph.addNode('@SUM', { label: 'plain, "quoted"\nnext' });
    graph.addNode('+44 20', { label: '-1.5e3' });
    graph.addEdge('-5', '@SUM', { weight: -2 });
    const { edges, nodes } = writeEdgeListCsv(graph);
    expect(nodes).toBe(
      ['id,label', `-5,"'=HYPERLINK(""http://x"")"`, `'@SUM,"plain, ""quoted""\nnext"`, "'+44 20,-1.5e3", ''].join(
        '\n',
      ),
    );
    expect(edges).toBe(['source,target,weight', "-5,'@SUM,-2", ''].join('\n'));
    // Without neutralising, the text round-trips exactly.
    const raw = writeEdgeListCsv(graph, { neutraliseFormulas: false });
    const again = expectGraph(
      await parseEdgeListCsv(raw.edges, 'e.csv', { nodes: { input: raw.nodes, file: 'n.csv' } }),
    );
    expect(canonicalNodes(again)).toEqual(canonicalNodes(graph));
    expect(canonicalEdges(again)).toEqual(canonicalEdges(graph));
  });

  it('refuses a mixed graph', () => {
    expect(() => writeEdgeListCsv(awkwardGraph())).toThrow(ResearchWriteError);
    expect(() => writeDl(awkwardGraph(), { format: 'edgelist1' })).toThrow(ResearchWriteError);
  });
});

describe('detectResearchFormat', () => {
  it.each([
    ['g.graphml', undefined, 'graphml'],
    ['g.GEXF', undefined, 'gexf'],
    ['g.net', undefined, 'pajek'],
    ['g.paj', undefined, 'pajek'],
    ['g.dl', undefined, 'ucinet-dl'],
    ['edges.csv', 'source,target,weight\n', 'edgelist-csv'],
    ['nodes.csv', '\uFEFF"id","label"\n', 'nodelist-csv'],
    ['entities.csv', 'id,kind,name\n', undefined],
    ['links.csv', 'id,type\n', undefined],
    ['data.txt', '<?xml version="1.0"?><graphml>', 'graphml'],
    ['data.xml', '<gexf version="1.3">', 'gexf'],
    ['data', '% comment\n*Vertices 3\n', 'pajek'],
    ['data', 'DL N=3\n', 'ucinet-dl'],
    ['x.constructor', 'hello', undefined],
    ['g.csv', undefined, undefined],
  ])('%s', (file, bytes, expected) => {
    expect(detectResearchFormat(file, bytes)).toBe(expected);
  });

  it('accepts bytes', () => {
    expect(detectResearchFormat('x', new TextEncoder().encode('*vertices 2'))).toBe('pajek');
  });
});

describe('dispatcher', () => {
  it('takes short format names and a node list given as text', async () => {
    const graph = expectGraph(
      await parseResearchGraph('source,target\na,b\n', 'e.txt', {
        format: 'edgelist',
        nodes: { text: 'id\na\nb\nz\n', file: 'n.csv' },
      }),
    );
    expect([graph.order, graph.size]).toEqual([3, 1]);
    const unknown = await parseResearchGraph('x', 'e.txt', { format: 'sif' });
    expect(unknown.ok).toBe(false);
  });

  it('writeResearchGraph writes every format and refuses to drop isolates in a lone edge list', async () => {
    const graph = expectGraph(await parseEdgeListCsv('source,target,weight\na,b,2\n', 'e.csv'));
    for (const format of ['graphml', 'gexf', 'pajek', 'dl', 'dl-fullmatrix', 'edgelist']) {
      const text = writeResearchGraph(graph, format);
      const ext = { graphml: 'graphml', gexf: 'gexf', pajek: 'net', dl: 'dl', 'dl-fullmatrix': 'dl', edgelist: 'csv' }[
        format
      ];
      const again = expectGraph(await parseResearchGraph(text, `out.${ext}`));
      expect(canonicalEdges(again, 'label')).toEqual(['a--b 2']);
    }
    graph.addNode('lonely');
    expect(() => writeResearchGraph(graph, 'edgelist')).toThrow(/isolate/);
    expect(() => writeResearchGraph(graph, 'sif')).toThrow(ResearchWriteError);
  });
});

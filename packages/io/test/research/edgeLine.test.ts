/**
 * The headerless edge-list syntax (edgeLine.ts) through the readers that use
 * it: networkx's `{...}` data column, quoted labels, and the issues a bad
 * line gets. The files networkx and igraph really write are in interop.test.ts.
 */
import { describe, expect, it } from 'vitest';
import {
  classifyInput,
  parseEdgeListFast,
  parseGraphML,
  parsePlainEdgeList,
  parseResearchGraph,
  type ResearchParseResult,
} from '../../src/index.js';
import { parsePythonDict, splitEdgeLine } from '../../src/research/edgeLine.js';

/** `file:line:field: reason` of each issue. */
function issuesOf(result: { ok: boolean; issues?: { file: string; line: number; field: string; reason: string }[] }) {
  return (result.ok ? [] : result.issues!).map((i) => `${i.file}:${i.line}:${i.field}: ${i.reason}`);
}

function graphOf(result: ResearchParseResult) {
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.graph;
}

describe('the Python dict literal of networkx write_edgelist', () => {
  it('reads str keys and int, float, str, True, False values; None is no value', () => {
    expect({ ...(parsePythonDict('{}') as object) }).toEqual({});
    expect({ ...(parsePythonDict("{'weight': 81}") as object) }).toEqual({ weight: 81 });
    expect({
      ...(parsePythonDict(
        "{'weight': 2.5, 'kind': 'call', 'ok': True, 'bad': False, 'gone': None, 'n': -3, 'e': 1e-05}",
      ) as object),
    }).toEqual({ weight: 2.5, kind: 'call', ok: true, bad: false, n: -3, e: 1e-5 });
  });

  it('reads the escapes Python repr writes, in either quote', () => {
    // repr("it's \"x\"\n") and repr('é\x07') as Python 3 writes them.
    const dict = parsePythonDict(`{"note": 'it\\'s "x"\\n', 'raw': 'caf\\xe9\\x07', "wide": '\\u4e2d\\U0001f600'}`);
    expect({ ...(dict as object) }).toEqual({ note: 'it\'s "x"\n', raw: 'café\x07', wide: '中😀' });
  });

  it('refuses, with the reason and where, what is not a flat literal of those types', () => {
    const cases: [string, RegExp][] = [
      ["{'w': [1, 2]}", /expected a number, a string, True, False or None at character 7/],
      ["{'w': inf}", /inf is not a finite number/],
      ["{'w': nan}", /nan is not a finite number/],
      ["{'w' 1}", /expected ":" at character 6/],
      ["{'w': 'x}", /unterminated string/],
      ["{'__proto__': 1}", /attribute name "__proto__" is not allowed/],
      ["{'a': 1, 'a': 2}", /key "a" given twice/],
      ["{'a': 1} x", /unexpected text after the dict/],
      ["{'a': 12345678901234567890}", /cannot be held exactly/],
      ["{'a': os.system('x')}", /"os" is not a value/],
      ['{1: 2}', /expected a quoted string/],
      ["{'a': '\\q'}", /unknown escape \\q/],
    ];
    for (const [text, reason] of cases) {
      const result = parsePythonDict(text);
      expect(typeof result, text).toBe('string');
      expect(result, text).toMatch(/^not a Python dict literal: /);
      expect(result, text).toMatch(reason);
    }
  });
});

describe('splitting a line', () => {
  it('quoted labels hold spaces and commas; "" is one quote', () => {
    const split = splitEdgeLine('"Jon Smyth" "Ann, Lee" 2');
    expect('fields' in split && split.fields.map((f) => [f.text, f.kind])).toEqual([
      ['Jon Smyth', 'quoted'],
      ['Ann, Lee', 'quoted'],
      ['2', 'plain'],
    ]);
    const quotes = splitEdgeLine('"say ""hi""",b');
    expect('fields' in quotes && quotes.fields.map((f) => f.text)).toEqual(['say "hi"', 'b']);
  });

  it('a {...} third field is one field, commas and spaces inside included', () => {
    const split = splitEdgeLine("a b {'weight': 2, 'note': 'x, } y'}");
    expect('fields' in split && split.fields.map((f) => [f.text, f.kind])).toEqual([
      ['a', 'plain'],
      ['b', 'plain'],
      ["{'weight': 2, 'note': 'x, } y'}", 'dict'],
    ]);
  });

  it('names the field of each problem', () => {
    expect(splitEdgeLine('"Jon Smyth b')).toEqual({
      field: 'source',
      index: 0,
      reason: expect.stringMatching(/^unterminated quoted field/),
    });
    expect(splitEdgeLine('a O"Brien')).toEqual({
      field: 'target',
      index: 1,
      reason: expect.stringMatching(/quote inside an unquoted field/),
    });
    expect(splitEdgeLine('"a"b c')).toEqual({
      field: 'source',
      index: 0,
      reason: expect.stringMatching(/^unexpected "b" after the field/),
    });
    expect(splitEdgeLine("a b {'w': 1")).toMatchObject({
      field: 'data',
      reason: 'the {...} data column is not closed',
    });
    expect(splitEdgeLine('a,,b')).toMatchObject({ field: 'target', reason: 'empty field' });
  });
});

describe('headerless edge lists as networkx and igraph write them', () => {
  it('the data column gives the weight and the edge attributes', async () => {
    const text = "1 2 {'weight': 81}\n2 3 {'weight': 2.5, 'kind': 'call', 'ok': True}\n3 4 {'weight': 1}\n";
    const graph = graphOf(await parsePlainEdgeList(text, 'g.edgelist'));
    expect(graph.getAttribute('weighted')).toBe(true);
    expect(graph.getEdgeAttributes(graph.edge('1', '2')!)).toEqual({ weight: 81 });
    expect(graph.getEdgeAttributes(graph.edge('2', '3')!)).toEqual({ weight: 2.5, kind: 'call', ok: true });
    // The array reader keeps the weights and says which attributes it does not keep.
    const arrays = await parseEdgeListFast(text, 'g.edgelist');
    expect(arrays.ok && Array.from(arrays.weight!)).toEqual([81, 2.5, 1]);
    expect(arrays.warnings).toEqual([
      { file: 'g.edgelist', line: 2, field: 'data', reason: expect.stringMatching(/"kind", "ok" .* not kept here/) },
    ]);
  });

  it('`{}` data is an unweighted edge; weights missing from some lines are 1, with a warning', async () => {
    const plain = graphOf(await parsePlainEdgeList('a b {}\nb c {}\n', 'g.edgelist'));
    expect(plain.getAttribute('weighted')).toBe(false);
    expect(plain.size).toBe(2);
    const some = await parsePlainEdgeList("a b {}\nb c {'weight': 4}\nc d {}\n", 'g.edgelist');
    const graph = graphOf(some);
    expect(graph.mapEdges((_e, a) => a.weight)).toEqual([1, 4, 1]);
    expect(some.warnings).toEqual([
      { file: 'g.edgelist', line: 1, field: 'weight', reason: expect.stringMatching(/^2 edge\(s\) have no 'weight'/) },
    ]);
  });

  it('a bad line names file, line, field and reason, in both readers', async () => {
    const text =
      "a b {'weight': 1}\nb c {'weight': 'x'}\nc d {'weight': -2}\nd e {'kind': [1]}\ne f 3\nf g {'weight': 1\n";
    const expected = [
      'g.edgelist:2:weight: weight "x" is not a number',
      'g.edgelist:3:weight: weight -2 is not positive',
      expect.stringMatching(/^g\.edgelist:4:data: not a Python dict literal: expected a number/),
      'g.edgelist:5:weight: expected a {...} data column as on line 1, found a weight',
      'g.edgelist:6:data: the {...} data column is not closed',
    ];
    expect(issuesOf(await parseEdgeListFast(text, 'g.edgelist'))).toEqual(expected);
    expect(issuesOf(await parsePlainEdgeList(text, 'g.edgelist'))).toEqual(expected);
  });

  it('quoted labels with spaces; an unterminated quote is an issue', async () => {
    const graph = graphOf(await parsePlainEdgeList('"Jon Smyth" "Ann Lee" 2\n"Ann Lee" Zoë 1\n', 'g.txt'));
    expect(graph.nodes()).toEqual(['Jon Smyth', 'Ann Lee', 'Zoë']);
    expect(graph.getEdgeAttribute(graph.edge('Jon Smyth', 'Ann Lee')!, 'weight')).toBe(2);
    expect(issuesOf(await parseEdgeListFast('a b\n"Jon Smyth b\n', 'g.txt'))).toEqual([
      'g.txt:2:source: unterminated quoted field: a "..." label needs its closing quote',
    ]);
    // A quoted number is the same node as the number written plain.
    const arrays = await parseEdgeListFast('1 2\n"2" 3\n', 'g.txt');
    expect(arrays.ok && arrays.ids).toEqual(['1', '2', '3']);
  });

  it('repeated edges still merge with the warning; repeats whose attributes differ are an issue', async () => {
    const merged = await parsePlainEdgeList("a b {'weight': 2}\nb a {'weight': 3}\n", 'g.txt');
    expect(graphOf(merged).getEdgeAttribute(graphOf(merged).edge('a', 'b')!, 'weight')).toBe(5);
    expect(merged.warnings).toEqual([
      { file: 'g.txt', line: 2, field: 'target', reason: '1 parallel edge(s) merged, weights summed' },
    ]);
    // Integer lines go through the reader's fast scan, which counts lines as well.
    const numbered = await parsePlainEdgeList('0 1\n1 2\n# note\r\n\n2 1\n', 'g.txt');
    expect(numbered.warnings).toEqual([
      { file: 'g.txt', line: 5, field: 'target', reason: '1 parallel edge(s) merged, weights summed' },
    ]);
    expect(issuesOf(await parsePlainEdgeList("a b {'kind': 'call'}\na b {'kind': 'meet'}\n", 'g.txt'))).toEqual([
      'g.txt:2:kind: repeated edge "a" -- "b" has a different "kind" from the first; cannot merge',
    ]);
  });

  it('reads u v as an arc with `directed`', async () => {
    const graph = graphOf(await parsePlainEdgeList('a b\nb a\n', 'g.txt', { directed: true }));
    expect(graph.type).toBe('directed');
    expect(graph.size).toBe(2);
  });

  it('parseResearchGraph reads .edgelist, .ncol, .txt and files without an extension', async () => {
    for (const file of ['g.edgelist', 'g.ncol', 'g.txt', 'weighted']) {
      const graph = graphOf(await parseResearchGraph('a b 2\nb c 1.5\n', file));
      expect(graph.getAttribute('format'), file).toBe('edgelist-plain');
      expect(
        graph.mapEdges((_e, a) => a.weight),
        file,
      ).toEqual([2, 1.5]);
    }
    // Named by `format`, whatever the file's name, and read as arcs when asked.
    const named = graphOf(await parseResearchGraph('a b\nb a\n', 'x.dat', { format: 'plain', directed: true }));
    expect([named.type, named.size, named.getAttribute('format')]).toEqual(['directed', 2, 'edgelist-plain']);
    expect(classifyInput('g.ncol')).toEqual({ kind: 'plain-edge-list' });
    expect(classifyInput('edges', { text: "a b {'weight': 1}\n", whole: true })).toEqual({ kind: 'plain-edge-list' });
    expect(classifyInput('edges', { text: '# igraph\n0 1\n', whole: true })).toEqual({ kind: 'plain-edge-list' });
    expect(classifyInput('notes', { text: 'hello there my friend\n', whole: true }).kind).toBe('unknown');
    expect(classifyInput('notes', { text: 'a b c\n', whole: true }).kind).toBe('unknown');
    // Lines of two or three words, but not of one shape, are not an edge list.
    expect(classifyInput('README', { text: 'read me\nplease, now\nor not at all\n', whole: true }).kind).toBe(
      'unknown',
    );
    expect(classifyInput('edges', { text: 'a b 1\nb c\n', whole: true }).kind).toBe('unknown');
    // The last line of a head that is not the whole file may be cut off: it is not judged.
    expect(classifyInput('edges', { text: 'a b 1\nb c 2\nc d', whole: false })).toEqual({ kind: 'plain-edge-list' });
  });
});

describe("igraph's GraphML node names", () => {
  const igraphFile = (names: (string | undefined)[]) =>
    [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
      '  <key id="v_name" for="node" attr.name="name" attr.type="string"/>',
      '  <key id="v_role" for="node" attr.name="role" attr.type="string"/>',
      '  <graph id="G" edgedefault="undirected">',
      ...names.map(
        (name, i) =>
          `    <node id="n${i}">${name === undefined ? '' : `<data key="v_name">${name}</data>`}<data key="v_role">r${i}</data></node>`,
      ),
      '    <edge source="n0" target="n1"/>',
      '  </graph>',
      '</graphml>',
    ].join('\n');

  it('unique names become the node ids; the n0… ids are not kept', () => {
    const result = parseGraphML(igraphFile(['Zoë', '王伟', 'Lone']), 'g.graphml');
    const graph = graphOf(result);
    expect(graph.nodes()).toEqual(['Zoë', '王伟', 'Lone']);
    expect(graph.getNodeAttributes('Zoë')).toEqual({ role: 'r0', label: 'Zoë' });
    expect(graph.hasEdge('Zoë', '王伟')).toBe(true);
    expect(result.warnings).toEqual([]);
  });

  it('a repeated or missing name keeps the ids, with a warning', () => {
    const repeated = parseGraphML(igraphFile(['Zoë', 'Zoë', 'Lone']), 'g.graphml');
    expect(graphOf(repeated).nodes()).toEqual(['n0', 'n1', 'n2']);
    expect(graphOf(repeated).getNodeAttribute('n1', 'name')).toBe('Zoë');
    expect(repeated.warnings).toEqual([
      {
        file: 'g.graphml',
        line: 7,
        field: 'data[@key=v_name]',
        reason: 'igraph name "Zoë" is given to more than one node; nodes keep their GraphML ids (n0, n1, …)',
      },
    ]);
    const missing = parseGraphML(igraphFile(['Zoë', undefined, 'Lone']), 'g.graphml');
    expect(graphOf(missing).nodes()).toEqual(['n0', 'n1', 'n2']);
    expect(missing.warnings.map((w) => w.reason)).toEqual([
      'node "n1" has no igraph name; nodes keep their GraphML ids (n0, n1, …)',
    ]);
  });

  it('a `name` key that is not igraph’s changes nothing', () => {
    const text = igraphFile(['Zoë', '王伟', 'Lone']).replaceAll('v_name', 'd0');
    expect(graphOf(parseGraphML(text, 'g.graphml')).nodes()).toEqual(['n0', 'n1', 'n2']);
  });
});
